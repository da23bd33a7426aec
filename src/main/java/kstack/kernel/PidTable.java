package kstack.kernel;

import java.util.Map;
import kstack.trace.JCell;
import kstack.trace.JMap;
import kstack.trace.Timeline;

/**
 * The pid hash and the last pid handed out (kernel/pid.c's pid_hash/idr and last_pid): the
 * Java-side stand-in for structures whose bytes the simulator does not model; every change is
 * recorded on the timeline.
 */
public final class PidTable {
  private final JMap<Integer, Long> pidMap;
  private final JCell<Integer> lastPid;

  PidTable(Timeline timeline) {
    this.pidMap = new JMap<>(timeline);
    this.lastPid = new JCell<>(timeline, 0);
  }

  /** find_task_by_vpid: the task hashed under pid, or 0 (NULL). */
  public long findTask(int pid) {
    Long t = pidMap.get(pid);
    return t == null ? 0 : t;
  }

  public Map<Integer, Long> tasks() {
    return pidMap.view();
  }

  /** alloc_pid: the next pid after the last one handed out. */
  public int allocPid() {
    int p = lastPid.get() + 1;
    lastPid.set(p);
    return p;
  }

  public int lastPid() {
    return lastPid.get();
  }

  public void registerTask(int pid, long task) {
    pidMap.put(pid, task);
  }

  public void unregisterTask(int pid) {
    pidMap.remove(pid);
  }
}
