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
 * to RESERVED_PIDS (300) and skipping pids in use (alloc_pidmap, kernel/pid.c@2.6.11:74-132 and
 * kernel/pid.c@2.6.32.67:125-183; alloc_pid's idr_alloc_cyclic from pid_min = RESERVED_PIDS once the
 * cursor is past it, kernel/pid.c@4.16.13:185-193 and @6.19:230-238; get_pid's wrap to 300,
 * kernel/fork.c@2.4.22:98-99,112-115). pid_max starts at PID_MAX_DEFAULT (0x8000) and may be raised
 * up to PID_MAX_LIMIT: 4*1024*1024 on 64-bit, PID_MAX_DEFAULT on 32-bit
 * (include/linux/threads.h@2.6.11:28,33). 2.4.22 has no kernel.pid_max: get_pid wraps at the fixed
 * PID_MAX 0x8000 (include/linux/threads.h@2.4.22:22), so a lower pid_max on a 2.4 machine is a
 * test's device, and its get_pid also skips a number used as a pgrp, tgid or session
 * (fork.c@2.4.22:108-111), which the model's pid hash does not track. Facts and sources:
 * docs/research/fork-no-free-pid.md.
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
   * RESERVED_PIDS; refused when every pid is in use. Every generation's fork calls
   * {@link #tryAllocPid} and fails as Linux fails, returning to user space (all read in the
   * source, docs/research/fork-no-free-pid.md):
   * 2.4.22 get_pid returns 0 (kernel/fork.c@2.4.22:137-140) and do_fork returns the -EAGAIN set
   * before the RLIMIT_NPROC check (fork.c@2.4.22:663,695-697,830-839);
   * 2.6.11 do_fork returns -EAGAIN on alloc_pidmap's -1, before copy_process
   * (kernel/fork.c@2.6.11:1133-1136, kernel/pid.c@2.6.11:131);
   * 2.6.32 copy_process returns -ENOMEM, set just before alloc_pid, whose alloc_pidmap -1 makes it
   * return NULL (kernel/fork.c@2.6.32.67:1166-1169, kernel/pid.c@2.6.32.67:260-261,285-290);
   * 4.16 alloc_pid passes idr_alloc_cyclic's -ENOSPC on (kernel/pid.c@4.16.13:197-200,
   * lib/idr.c@4.16.13:120-138, lib/radix-tree.c@4.16.13:2153,2185) and copy_process and _do_fork
   * return it (kernel/fork.c@4.16.13:1807-1810,2024,2091-2092);
   * 6.19 alloc_pid turns -ENOSPC into -EAGAIN (kernel/pid.c@6.19:243-246).
   */
  public int allocPid() {
    int p = tryAllocPid();
    if (p < 0) {
      throw new IllegalStateException("no free pid below pid_max " + pidMax.get() + " ("
          + inUse + " pids in use)");
    }
    return p;
  }

  /** alloc_pidmap: as {@link #allocPid}, but -1 when every pid below pid_max is in use. */
  public int tryAllocPid() {
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
    return -1;
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
    if (timeline.isRecording()) {
      timeline.recordChange(() -> put(pid, old), () -> put(pid, task));
    }
  }

  private void put(int pid, long task) {
    inUse += (task != 0 ? 1 : 0) - (taskOf[pid] != 0 ? 1 : 0);
    taskOf[pid] = task;
  }
}
