package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kstack.profile.Feature;
import kstack.profile.Profile;

/**
 * The members of task_struct and thread_info the mechanisms read and write (include/linux/sched.h,
 * asm/thread_info.h of the profile's version), and the walks of the task list and a task's
 * children. The bytes live in simulated memory; this part only knows where each member is.
 */
public final class TaskAccess {
  private final Kernel k;
  private final Profile profile;

  TaskAccess(Kernel k) {
    this.k = k;
    this.profile = k.profile;
  }

  public long taskRead(long task, String path) {
    int[] m = k.image.member("task_struct", path);
    return k.mem.read(task + m[0], m[1]);
  }

  public void taskWrite(long task, String path, long v) {
    int[] m = k.image.member("task_struct", path);
    k.mem.write(task + m[0], m[1], v);
  }

  /** A zombie: exit_state EXIT_ZOMBIE, or on 2.4 state TASK_ZOMBIE (4). */
  public boolean isZombie(long task) {
    return profile.has(Feature.TASK_UNION) ? state(task) == Kernel.TASK_ZOMBIE_24
        : taskRead(task, "exit_state") == Threads.exitZombie(k);
  }

  /** A task's children, youngest first on 2.4 (p_cptr, then p_osptr), else in children order. */
  public List<Long> children(long task) {
    List<Long> out = new ArrayList<>();
    if (profile.has(Feature.TASK_UNION)) {
      for (long c = taskRead(task, "p_cptr"); c != 0; c = taskRead(c, "p_osptr")) {
        out.add(c);
      }
      return out;
    }
    long head = task + k.image.off("task_struct", "children");
    int sibling = k.image.off("task_struct", "sibling");
    for (long node = k.readPtr(head); node != head; node = k.readPtr(node)) {
      out.add(node - sibling);
    }
    return out;
  }

  /** The parent a task was forked by: real_parent, 2.4's p_opptr. */
  public long realParent(long task) {
    return taskRead(task, profile.has(Feature.TASK_UNION) ? "p_opptr" : "real_parent");
  }

  /**
   * Every task on the kernel's task list, in list order (init_task itself excluded), each group
   * leader followed by its other threads.
   */
  public List<Long> taskList() {
    List<Long> out = new ArrayList<>();
    forEachTask(out::add);
    return out;
  }

  /**
   * Walks init_task's list, handing each task to each as it is reached, so that a walker that
   * meets a corrupt link (a MemoryFault) keeps the tasks before it.
   */
  public void forEachTask(java.util.function.LongConsumer each) {
    long init = k.image.symbol("init_task");
    int n = 0;
    if (profile.has(Feature.TASK_UNION)) {
      // 2.4: next_task/prev_task point at task_structs, not at list_heads (SET_LINKS)
      for (long t = taskRead(init, "next_task"); t != init && t != 0 && n++ < 1_000_000;
          t = taskRead(t, "next_task")) {
        each.accept(t);
      }
      return;
    }
    long head = init + k.image.off("task_struct", "tasks");
    int tasksOff = k.image.off("task_struct", "tasks");
    for (long node = k.readPtr(head); node != head && n++ < 1_000_000; node = k.readPtr(node)) {
      each.accept(node - tasksOff);
      Threads.forEachOther(k, node - tasksOff, each); // for_each_process_thread
    }
  }

  public String stateField() {
    return profile.has(Feature.TASK_STATE_DUNDER) ? "__state" : "state";
  }

  public int pid(long task) {
    return (int) taskRead(task, "pid");
  }

  public long state(long task) {
    return taskRead(task, stateField());
  }

  /**
   * Whether the task is in the state of one that has switched away for the last time: TASK_DEAD,
   * or on 2.6.11 the EXIT_DEAD that schedule() writes for a PF_DEAD task (sched.c@2.6.11:2719-2720).
   */
  public boolean stateIsDead(long task) {
    return state(task) == (profile.has(Feature.SCHED_O1_2611) ? Sched2611.EXIT_DEAD
        : Kernel.TASK_DEAD);
  }

  public void setState(long task, long state) {
    taskWrite(task, stateField(), state);
  }

  public String comm(long task) {
    return k.mem.readCString(task + k.image.off("task_struct", "comm"), 16);
  }

  /** {@code set_task_comm}/{@code __set_task_comm}: at most TASK_COMM_LEN-1 bytes and a NUL. */
  public void setComm(long task, String name) {
    byte[] b = new byte[16];
    byte[] s = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, b, 0, Math.min(15, s.length));
    k.mem.writeBytes(task + k.image.off("task_struct", "comm"), b);
  }

  public int taskCpu(long task) {
    if (profile.has(Feature.TASK_UNION)) {
      return (int) taskRead(task, "processor");
    }
    if (profile.has(Feature.THREAD_INFO_AT_BASE)) {
      return (int) tiRead(task, "cpu");
    }
    return (int) (profile.has(Feature.TASK_CPU_IN_THREAD_INFO)
        ? taskRead(task, "thread_info.cpu") : taskRead(task, "cpu"));
  }

  /**
   * taskCpu where it picks a run queue or a CPU: a number out of range can only come from a
   * task_struct or thread_info an overflow overwrote, and that is said rather than indexed.
   */
  public int taskCpuChecked(long task) {
    int cpu = taskCpu(task);
    if (cpu < 0 || cpu >= k.cpus) {
      throw new IllegalStateException(String.format("pid %d's cpu field reads %d on a %d-CPU "
          + "machine: its %s is corrupt (a stack overflow overwrote it?)", pid(task), cpu,
          k.cpus, profile.has(Feature.THREAD_INFO_AT_BASE) ? "thread_info" : "task_struct"));
    }
    return cpu;
  }

  public void setTaskCpu(long task, int cpu) {
    if (profile.has(Feature.TASK_UNION)) {
      taskWrite(task, "processor", cpu);
    } else if (profile.has(Feature.THREAD_INFO_AT_BASE)) {
      tiWrite(task, "cpu", cpu);
    } else if (profile.has(Feature.TASK_CPU_IN_THREAD_INFO)) {
      taskWrite(task, "thread_info.cpu", cpu);
    } else {
      taskWrite(task, "cpu", cpu);
    }
  }

  /**
   * INIT_THREAD_INFO's two pointers on 2.6 (asm-i386/thread_info.h@2.6.11:70-81,
   * asm/thread_info.h@2.6.32:46-57): exec_domain = &default_exec_domain and restart_block.fn =
   * do_no_restart_syscall; every task inherits them with the copied thread_info.
   */
  public void initThreadInfoLinks(long ti) {
    k.writePtr(ti + k.image.off("thread_info", "exec_domain"), k.image.symbol("default_exec_domain"));
    k.writePtr(ti + k.image.off("thread_info", "restart_block"),
        k.image.symbol("do_no_restart_syscall"));
  }

  /**
   * set_fs(USER_DS) for task: its addr_limit, kept in the task_struct on 2.4, in thread_info on
   * 2.6 and arm64 4.16; a no-op where the model keeps none (x86 4.16 keeps it in thread_struct,
   * unmodelled; 6.x has no set_fs).
   */
  public void setFsUserDs(long task) {
    long ds = k.arch.userDs();
    if (profile.has(Feature.TASK_UNION)) {
      taskWrite(task, "addr_limit", ds);
    } else if (profile.has(Feature.THREAD_INFO_AT_BASE)) {
      tiWrite(task, "addr_limit", ds);
    } else if (k.image.struct("thread_info").has("addr_limit")) {
      taskWrite(task, "thread_info.addr_limit", ds);
    }
  }

  /**
   * {@code task_thread_info(task)}: inside task_struct with THREAD_INFO_IN_TASK, else the base of
   * the task's stack (2.6: thread_info at the bottom of thread_union).
   */
  public long threadInfo(long task) {
    return profile.has(Feature.THREAD_INFO_AT_BASE) ? k.stacks.stack(task)
        : task + k.image.off("task_struct", "thread_info");
  }

  /** A member of the task's thread_info, wherever the generation keeps it. */
  public long tiRead(long task, String field) {
    int[] m = k.image.member("thread_info", field);
    return k.mem.read(threadInfo(task) + m[0], m[1]);
  }

  public void tiWrite(long task, String field, long v) {
    int[] m = k.image.member("thread_info", field);
    k.mem.write(threadInfo(task) + m[0], m[1], v);
  }

  public long threadSp(long task) {
    return taskRead(task, "thread.sp");
  }

  public boolean isKthread(long task) {
    if (profile.has(Feature.TASK_UNION)) {
      return taskRead(task, "mm") == 0; // 2.4 has no PF_KTHREAD: a kernel thread has no mm
    }
    return (taskRead(task, "flags") & Kernel.PF_KTHREAD) != 0;
  }
}
