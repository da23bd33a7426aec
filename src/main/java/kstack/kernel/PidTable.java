package kstack.kernel;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import kstack.trace.JCell;
import kstack.trace.Timeline;

/**
 * The pid hash, the last pid handed out and pid_max (kernel/pid.c's pid_hash or idr, last_pid or
 * the idr cursor, and the kernel.pid_max sysctl): the Java-side stand-in for structures whose bytes
 * the simulator does not model; every change is recorded on the timeline.
 *
 * <p>Allocation is cyclic as in Linux: the next pid after the last one, wrapping at pid_max back
 * to RESERVED_PIDS (300) and skipping pids in use (alloc_pidmap, kernel/pid.c@2.6.11 and 2.6.32;
 * idr_alloc_cyclic, kernel/pid.c@4.16.13 and 6.19; get_pid's wrap to 300, kernel/fork.c@2.4.22).
 * pid_max starts at PID_MAX_DEFAULT (0x8000) and may be raised up to PID_MAX_LIMIT: 4*1024*1024 on
 * 64-bit, PID_MAX_DEFAULT on 32-bit (include/linux/threads.h; 2.4.22's PID_MAX is fixed at 0x8000).
 *
 * <p>The pid hash is an array indexed by pid, as the pidmap bitmap and the idr are indexed by it:
 * finding a task, hashing one and the next free pid cost the same with four million tasks as with
 * three, and a pid costs 8 bytes, not a boxed map entry.
 */
public final class PidTable {
  /** Pids below this are skipped after the first wrap: they belong to daemons started at boot. */
  public static final int RESERVED_PIDS = 300;
  /** The default pid_max (include/linux/threads.h, CONFIG_BASE_SMALL off). */
  public static final int PID_MAX_DEFAULT = 0x8000;
  /** PID_MAX_LIMIT on 64-bit (include/linux/threads.h): sizeof(long) > 4. */
  public static final int PID_MAX_LIMIT_64 = 4 * 1024 * 1024;

  private final Timeline timeline;
  /** The task hashed under each pid (0: none), grown as pids are handed out. */
  private long[] taskOf = new long[64];
  private int inUse;
  private final JCell<Integer> lastPid;
  private final JCell<Integer> pidMax;
  private final int pidMaxLimit;

  /** A table for a kernel whose unsigned long is wordBytes wide. */
  PidTable(Timeline timeline, int wordBytes) {
    this.timeline = timeline;
    this.lastPid = new JCell<>(timeline, 0);
    this.pidMax = new JCell<>(timeline, PID_MAX_DEFAULT);
    this.pidMaxLimit = wordBytes > 4 ? PID_MAX_LIMIT_64 : PID_MAX_DEFAULT;
  }

  /** find_task_by_vpid: the task hashed under pid, or 0 (NULL). */
  public long findTask(int pid) {
    return pid > 0 && pid < taskOf.length ? taskOf[pid] : 0;
  }

  /** The hashed tasks by pid, ascending: a view, not a copy. */
  public Map<Integer, Long> tasks() {
    return new AbstractMap<>() {
      @Override
      public Set<Entry<Integer, Long>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Entry<Integer, Long>> iterator() {
            return new Hashed();
          }

          @Override
          public int size() {
            return inUse;
          }
        };
      }
    };
  }

  /** Walks the pids in use in ascending order. */
  private final class Hashed implements Iterator<Map.Entry<Integer, Long>> {
    private int next = advance(0);

    private int advance(int from) {
      int p = from + 1;
      while (p < taskOf.length && taskOf[p] == 0) {
        p++;
      }
      return p;
    }

    @Override
    public boolean hasNext() {
      return next < taskOf.length;
    }

    @Override
    public Map.Entry<Integer, Long> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Map.Entry<Integer, Long> e = Map.entry(next, taskOf[next]);
      next = advance(next);
      return e;
    }
  }

  /**
   * alloc_pid: the first pid not in use after the last one handed out, wrapping at pid_max to
   * RESERVED_PIDS. When every pid is in use, Linux's fork fails (alloc_pidmap returns -1 and
   * do_fork -EAGAIN on 2.6.11; copy_process's -ENOMEM on 2.6.32; idr_alloc_cyclic's -ENOSPC on
   * 4.16; -EAGAIN again on 6.19; get_pid's 0 and do_fork's -EAGAIN on 2.4.22): the simulated fork
   * has no failure path, so the command stops here with that message. Checked in the source:
   * 6.19's alloc_pid maps idr_alloc_cyclic's -ENOSPC to -EAGAIN (kernel/pid.c); the 2.6.32 and
   * 4.16 codes come from secondary sources (LKML, clone(2)) and are not yet checked there.
   */
  public int allocPid() {
    int max = pidMax.get();
    int start = lastPid.get() + 1;
    int p = start >= max ? RESERVED_PIDS : start;
    for (int tried = 0; tried < max; tried++) {
      if (findTask(p) == 0) {
        lastPid.set(p);
        return p;
      }
      p = p + 1 >= max ? RESERVED_PIDS : p + 1;
    }
    throw new IllegalStateException("fork: no free pid below pid_max " + max + " ("
        + inUse + " pids in use): Linux's fork fails here with -EAGAIN (2.6.32: -ENOMEM, "
        + "4.16: -ENOSPC) and the simulated fork has no failure path; raise pid_max (up to "
        + pidMaxLimit + ") or let tasks exit");
  }

  public int lastPid() {
    return lastPid.get();
  }

  public int pidMax() {
    return pidMax.get();
  }

  /** PID_MAX_LIMIT on this arch: the highest pid_max the sysctl accepts. */
  public int pidMaxLimit() {
    return pidMaxLimit;
  }

  /**
   * Writes kernel.pid_max (the sysctl's bounds, pid_max_min = RESERVED_PIDS + 1 to pid_max_max =
   * PID_MAX_LIMIT, kernel/sysctl.c): out of bounds is refused as Linux's proc_dointvec_minmax
   * refuses it with EINVAL.
   */
  public void setPidMax(int value) {
    if (value < RESERVED_PIDS + 1 || value > pidMaxLimit) {
      throw new IllegalArgumentException("kernel.pid_max: " + value + " is out of range "
          + (RESERVED_PIDS + 1) + ".." + pidMaxLimit + " (EINVAL)");
    }
    pidMax.set(value);
  }

  /** attach_pid: hashes task under pid (task is not 0); recorded. */
  public void registerTask(int pid, long task) {
    if (pid >= taskOf.length) {
      taskOf = Arrays.copyOf(taskOf, Math.max(pid + 1, Math.min(2 * taskOf.length, pidMaxLimit)));
    }
    set(pid, task);
  }

  public void unregisterTask(int pid) {
    if (findTask(pid) != 0) {
      set(pid, 0);
    }
  }

  private void set(int pid, long task) {
    long old = taskOf[pid];
    put(pid, task);
    timeline.recordChange(() -> put(pid, old), () -> put(pid, task));
  }

  private void put(int pid, long task) {
    inUse += (task != 0 ? 1 : 0) - (taskOf[pid] != 0 ? 1 : 0);
    taskOf[pid] = task;
  }
}
