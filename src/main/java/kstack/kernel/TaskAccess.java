package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kstack.layout.Member;
import kstack.layout.StructLayout;

/**
 * The members of task_struct and thread_info the mechanisms read and write (include/linux/sched.h,
 * asm/thread_info.h of the profile's version), and the walks of the task list and a task's
 * children. The bytes live in simulated memory; this part only knows where each member is.
 */
public final class TaskAccess {
  private final Kernel k;
  private final TaskModel model;
  /** Every TaskMember's offset and size, by ordinal; null where the generation has no such member. */
  private final Member[] task;
  /** Every ThreadInfoMember's, the same way (all null on 2.4, which has no thread_info). */
  private final Member[] ti;
  // the members the task model names for its generation, resolved the same way
  private final Member state;
  private final Member stack;
  /** thread.sp (i386's thread.esp before 2.6.25) where the arch's thread_struct has it, else null. */
  private final Member threadSp;
  /** The list_head linking a thread group (thread_group, 6.x's thread_node), or null. */
  private final Member threadGroupLink;

  /**
   * Resolves every member in the generation's names, once: a member the generation has (or a
   * name its task model gives) that its layout lacks fails here, when the profile's kernel is
   * built, naming the profile, the struct and the member, not on some later step.
   */
  TaskAccess(Kernel k, TaskModel model) {
    this.k = k;
    this.model = model;
    StructLayout ts = k.image.struct("task_struct");
    this.task = new Member[TaskMember.values().length];
    for (TaskMember m : TaskMember.values()) {
      String path = ts.hasPath(m.path()) || m.olderPath() == null ? m.path() : m.olderPath();
      if (ts.hasPath(path)) {
        task[m.ordinal()] = ts.member(path);
      } else if (m.required(model.taskStructInStack())) {
        throw lacks(k, "task_struct", path, "its generation has");
      }
    }
    this.ti = new Member[ThreadInfoMember.values().length];
    StructLayout tis = k.image.structs.get("thread_info");
    for (ThreadInfoMember m : ThreadInfoMember.values()) {
      if (tis != null && tis.hasPath(m.name())) {
        ti[m.ordinal()] = tis.member(m.name());
      }
    }
    this.state = resolve(k, model.stateField());
    this.stack = model.stackMember() == null ? null : resolve(k, model.stackMember());
    this.threadSp = task[TaskMember.thread_sp.ordinal()];
    this.threadGroupLink = model.threadGroupLink() == null ? null
        : resolve(k, model.threadGroupLink());
  }

  private static Member resolve(Kernel k, String path) {
    if (!k.image.struct("task_struct").hasPath(path)) {
      throw lacks(k, "task_struct", path, "its task model names");
    }
    return k.image.struct("task_struct").member(path);
  }

  private static IllegalStateException lacks(Kernel k, String struct, String path, String why) {
    return new IllegalStateException("the " + k.profile.label() + " layout of struct " + struct
        + " lacks member '" + path + "' " + why + ": struct " + struct + " has no member '" + path
        + "'");
  }

  private IllegalStateException absent(String struct, String path) {
    return new IllegalStateException("struct " + struct + " has no member '" + path + "' in the "
        + k.profile.label() + " profile");
  }

  /** The member, resolved when the kernel was built. */
  public Member member(TaskMember m) {
    Member r = task[m.ordinal()];
    if (r == null) {
      throw absent("task_struct", m.path());
    }
    return r;
  }

  /** Whether the generation's task_struct has the member. */
  public boolean has(TaskMember m) {
    return task[m.ordinal()] != null;
  }

  /** Its offset in task_struct. */
  public int off(TaskMember m) {
    return member(m).offset();
  }

  public long taskRead(long task, TaskMember m) {
    return member(m).read(k.mem, task);
  }

  public void taskWrite(long task, TaskMember m, long v) {
    member(m).write(k.mem, task, v);
  }

  /** The thread_info member, resolved when the kernel was built. */
  public Member member(ThreadInfoMember m) {
    Member r = ti[m.ordinal()];
    if (r == null) {
      throw absent("thread_info", m.name());
    }
    return r;
  }

  /** Its offset in thread_info. */
  public int tiOff(ThreadInfoMember m) {
    return member(m).offset();
  }

  /** The member pointing at the task's kernel stack (task->stack; 2.6.11's task->thread_info). */
  long stackMember(long task) {
    return stack.read(k.mem, task);
  }

  void setStackMember(long task, long v) {
    stack.write(k.mem, task, v);
  }

  /** A zombie: exit_state EXIT_ZOMBIE, or on 2.4 state TASK_ZOMBIE (4). */
  public boolean isZombie(long task) {
    return model.isZombie(k, task);
  }

  /** A task's children, youngest first on 2.4 (p_cptr, then p_osptr), else in children order. */
  public List<Long> children(long task) {
    List<Long> out = new ArrayList<>();
    model.forEachChild(k, task, out::add);
    return out;
  }

  /** The parent a task was forked by: real_parent, 2.4's p_opptr. */
  public long realParent(long task) {
    return model.realParent(k, task);
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
    model.forEachTask(k, each);
  }

  public String stateField() {
    return model.stateField();
  }

  public int pid(long task) {
    return (int) taskRead(task, TaskMember.pid);
  }

  /** Where a task's state is in its task_struct (state, __state since 5.14), and its size. */
  public Member stateMember() {
    return state;
  }

  public long state(long task) {
    return state.read(k.mem, task);
  }

  /**
   * Whether the task is in the state of one that has switched away for the last time: TASK_DEAD,
   * or on 2.6.11 the EXIT_DEAD that schedule() writes for a PF_DEAD task (sched.c@2.6.11:2719-2720).
   */
  public boolean stateIsDead(long task) {
    return state(task) == model.deadState();
  }

  public void setState(long task, long value) {
    state.write(k.mem, task, value);
  }

  public String comm(long task) {
    return k.mem.readCString(task + off(TaskMember.comm), 16);
  }

  /** {@code set_task_comm}/{@code __set_task_comm}: at most TASK_COMM_LEN-1 bytes and a NUL. */
  public void setComm(long task, String name) {
    byte[] b = new byte[16];
    byte[] s = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, b, 0, Math.min(15, s.length));
    k.mem.writeBytes(task + off(TaskMember.comm), b);
  }

  public int taskCpu(long task) {
    return model.taskCpu(k, task);
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
          k.cpus, model.cpuHolder()));
    }
    return cpu;
  }

  public void setTaskCpu(long task, int cpu) {
    model.setTaskCpu(k, task, cpu);
  }

  /**
   * INIT_THREAD_INFO's two pointers on 2.6 (asm-i386/thread_info.h@2.6.11:70-81,
   * asm/thread_info.h@2.6.32:46-57): exec_domain = &default_exec_domain and restart_block.fn =
   * do_no_restart_syscall; every task inherits them with the copied thread_info.
   */
  public void initThreadInfoLinks(long ti) {
    k.writePtr(ti + tiOff(ThreadInfoMember.exec_domain), k.image.symbol("default_exec_domain"));
    k.writePtr(ti + tiOff(ThreadInfoMember.restart_block),
        k.image.symbol("do_no_restart_syscall"));
  }

  /**
   * set_fs(USER_DS) for task: its addr_limit, kept in the task_struct on 2.4, in thread_info on
   * 2.6 and arm64 4.16; a no-op where the model keeps none (x86 4.16 keeps it in thread_struct,
   * unmodelled; 6.x has no set_fs).
   */
  public void setFsUserDs(long task) {
    model.setFsUserDs(k, task, k.arch.userDs());
  }

  /**
   * {@code task_thread_info(task)}: inside task_struct with THREAD_INFO_IN_TASK, else the base of
   * the task's stack (2.6: thread_info at the bottom of thread_union).
   */
  public long threadInfo(long task) {
    return model.threadInfo(k, task);
  }

  /** A member of the task's thread_info, wherever the generation keeps it. */
  public long tiRead(long task, ThreadInfoMember m) {
    return member(m).read(k.mem, threadInfo(task));
  }

  public void tiWrite(long task, ThreadInfoMember m, long v) {
    member(m).write(k.mem, threadInfo(task), v);
  }

  /** The saved kernel stack pointer of a task switched away from (thread.sp, i386's thread.esp). */
  public long threadSp(long task) {
    if (threadSp == null) {
      throw absent("task_struct", TaskMember.thread_sp.path());
    }
    return threadSp.read(k.mem, task);
  }

  /** The list_head linking a thread group, or null where the model has none. */
  public Member threadGroupLink() {
    return threadGroupLink;
  }

  public boolean isKthread(long task) {
    return model.isKthread(k, task);
  }

  /** The generation's task model, for the mechanisms that read its data (thread groups). */
  public TaskModel model() {
    return model;
  }
}
