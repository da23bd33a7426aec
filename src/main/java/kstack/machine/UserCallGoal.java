package kstack.machine;

import kstack.kernel.Arch;
import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.layout.Member;
import kstack.mem.StoreCounter;

/**
 * The goal of a system call or user function call: the process is back at main's wait point, or
 * has blocked, or has exited; and what the command then says (the value returned, the new program
 * after a successful exec, how the task exited and who reaped it, the state it blocked in).
 */
final class UserCallGoal implements java.util.function.BooleanSupplier,
    java.util.function.Supplier<String> {
  private final Machine m;
  private final Kernel kernel;
  private final Arch arch;
  private final int cpu;
  /** The CPU the call runs on and main's wait point, held for the test after every step. */
  private final Cpu onCpu;
  private final long waitPc;
  private final long task;
  private final String what;
  private final String function;
  private final long stackArgs;
  private final int pid;
  private final long mmBefore;
  private final int firstEvent;
  /**
   * Counts the changes of the task's state word and of kernel memory's regions: while it counts
   * {@code seen} changes, {@code gone} and {@code state} are what the memory holds, so a step that
   * changed neither costs the goal a compare, not a read of the region map and of the state.
   * Made at the first test and dropped once the command is done: the history keeps every goal
   * (a seek back makes it pending again), and a done one needs no counter until then.
   */
  private StoreCounter watch;
  private long seen = -1;
  private boolean gone;
  private long state;

  /** The call is set up on cpu for task; stackArgs words of arguments are on its user stack. */
  UserCallGoal(Machine m, int cpu, long task, String what, String function, long stackArgs) {
    this.m = m;
    this.kernel = m.kernel();
    this.arch = m.arch();
    this.cpu = cpu;
    this.onCpu = m.cpu(cpu);
    this.waitPc = m.user().waitPc();
    this.task = task;
    this.what = what;
    this.function = function;
    this.stackArgs = stackArgs;
    this.pid = kernel.tasks.pid(task);
    // only an exec's result asks whether the mm changed: no read of the task for other calls
    this.mmBefore = function.equals("execve") ? kernel.tasks.taskRead(task, TaskMember.mm) : 0;
    this.firstEvent = m.timeline().events().size();
  }

  /** The goal: this object is both its test and what it says (no lambda per command). */
  Goal goal() {
    return new Goal(what, this, this);
  }

  @Override
  public boolean getAsBoolean() {
    return reached();
  }

  @Override
  public String get() {
    watch = null;
    return done();
  }

  /** The pc first: a compare, where current is a read of kernel memory. */
  private boolean backAtWaitPoint() {
    return onCpu.pc() == waitPc && kernel.current(cpu) == task;
  }

  private boolean reached() {
    if (backAtWaitPoint() && arch.inUserMode(kernel, cpu)) {
      return true;
    }
    if (watch == null) {
      Member st = kernel.tasks.stateMember();
      watch = new StoreCounter(task + st.offset(), st.size());
      seen = -1;
    }
    if (kernel.mem.storeCounter() != watch || watch.changes() != seen) {
      kernel.mem.countStores(watch);
      gone = kernel.mem.regionAt(task) == null; // exited and reaped: 2.4 frees the task_struct with its stack
      state = gone ? 0 : kernel.tasks.state(task); // a fault leaves seen stale: read again next time
      seen = watch.changes();
    }
    return gone || state != Kernel.TASK_RUNNING && m.inspector().cpuRunning(task) < 0;
  }

  private String done() {
    if (backAtWaitPoint()) {
      return returned();
    }
    if (kernel.mem.regionAt(task) == null) {
      return what + ": pid " + pid + " exited and its parent has reaped it already (its "
          + "task_union, task_struct included, is freed)";
    }
    if (kernel.tasks.isZombie(task)) {
      return what + ": pid " + pid + " exited (a zombie until its parent waits)";
    }
    if (kstack.kernel.Threads.autoreaped(kernel, task)) {
      return what + ": pid " + pid + " exited; a thread (exit_signal -1) is reaped at once "
          + "(exit_notify -> release_task): no zombie, and finish_task_switch released its stack";
    }
    if (kstack.kernel.Threads.reaped(kernel, task)) {
      return what + ": pid " + pid + " exited, and its parent, already waiting in wait4, has "
          + "reaped it (release_task)";
    }
    return what + ": pid " + pid + " blocked (state " + TaskView.stateName(kernel, task) + ")";
  }

  /** Back at the wait point: the caller pops its stack arguments; the value, or the new program. */
  private String returned() {
    Cpu c = m.cpu(cpu);
    if (stackArgs > 0) {
      c.set(arch.registers().sp, c.sp() + (long) arch.abi().wordSize() * stackArgs);
    }
    long rax = c.get(arch.registers().ret);
    if (function.equals("execve") && kernel.tasks.taskRead(task, TaskMember.mm) != mmBefore) {
      return what + ": pid " + pid + " now runs " + kernel.tasks.comm(task) + " (a successful exec "
          + "does not return: the new program started at _start and waits in main)";
    }
    return what + " returned " + Stepping.signedWord(m, rax) + " (0x" + Long.toHexString(rax) + ")"
        + (function.equals("sched_yield") ? Stepping.yieldNote(m, cpu, task, firstEvent) : "");
  }
}
