package kstack.machine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kstack.kernel.Arch;
import kstack.cpu.Cpu;
import kstack.exec.CodeMap;
import kstack.exec.Routine;
import kstack.image.Symbol;
import kstack.kernel.Kernel;
import kstack.kernel.KthreadCreateInfo;
import kstack.kernel.TaskModel;
import kstack.mem.MemoryFault;
import kstack.trace.JCell;

/**
 * The user-task driver: the commands that give work to a process or to the kernel on the user's
 * behalf. A user process waits for its next command at main's wait point; {@code syscall} sets the
 * registers of a system call and resumes it at main's inline trap (or the vDSO's fast entry),
 * {@code call} calls one of its program's functions, {@code spawn} and {@code kthread} ask init
 * through its control pipe. Each runs until the process is back at its wait point (or has blocked
 * or exited).
 */
final class UserDriver {
  private final Machine m;
  private final Kernel kernel;
  private final Arch arch;
  private final CodeMap code;
  private final RunLoop loop;
  private final long userWaitPc;
  private final long userSyscallPc;
  /** main's call of the vDSO's fast system-call entry; -1 where the arch has none. */
  private final long userVsyscallPc;
  /** No kernel/kthread.c (2.4): a kthread is kernel_thread() and daemonize(), with no kthreadd. */
  private final boolean noKthreadApi;
  /**
   * Each command's name ("syscall getpid"), made once: a goal's name stays in the history as long
   * as the goal, one string per command otherwise.
   */
  private final java.util.Map<String, String> names = new java.util.HashMap<>();

  UserDriver(Machine m, CodeMap code, RunLoop loop) {
    this.m = m;
    this.kernel = m.kernel();
    this.arch = m.arch();
    this.code = code;
    this.loop = loop;
    Routine main = code.at(m.symbols().get("main").address());
    this.userWaitPc = main.address(main.label("wait"));
    this.userSyscallPc = main.address(main.label("sys"));
    this.userVsyscallPc = arch.vdsoSyscallEntry() == null ? -1 : main.address(main.label("vsys"));
    this.noKthreadApi = m.profile().module(TaskModel.class).kthreadCreateInfo()
        == KthreadCreateInfo.NONE;
  }

  /** Whether pc is main's wait point, where a user process waits for a command. */
  boolean isWaitPoint(long pc) {
    return pc == userWaitPc;
  }

  long waitPc() {
    return userWaitPc;
  }

  /** Sets a system call's registers and resumes the CPU at main's trap (or the vDSO's entry). */
  void enterSyscall(Cpu c, String function, long[] args, boolean viaVdso) {
    arch.setSyscallRegisters(c, arch.syscallNumbers().get(function), args);
    c.set(arch.registers().pc, viaVdso ? userVsyscallPc : userSyscallPc);
  }

  /** Asks init to fork and exec NAME; runs until NAME is in user mode on the selected CPU. */
  Outcome spawn(String name) {
    loop.requireBooted();
    if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("spawn: a program name is 1-15 letters, digits, '_', '.', '-'");
    }
    int cpu = m.selectedCpu();
    int before = kernel.pids.lastPid();
    loop.markEvents();
    kernel.rq.setNextChildCpu(cpu);
    if (!requestInit("exec " + name, cpu)) {
      return new Outcome(Outcome.Stop.PANIC, kernel.panicked(), loop.eventsSinceMark());
    }
    loop.keepMark(true);
    return loop.start(new Goal("spawn " + name, () -> {
      long cur = kernel.current(cpu);
      return kernel.tasks.pid(cur) > before && kernel.tasks.comm(cur).equals(name)
          && m.cpu(cpu).pc() == userWaitPc;
    }, () -> "spawned pid " + kernel.tasks.pid(kernel.current(cpu)) + " (" + name + ") on cpu " + cpu));
  }

  /**
   * Writes a request to init's control pipe, which wakes init. Where an overflow overwrote init's
   * task_struct or the pipe's wait queue, the wake-up faults: the kernel oopses there. Returns
   * false then.
   */
  private boolean requestInit(String line, int cpu) {
    try {
      kernel.files.requestInit(line, cpu);
      return true;
    } catch (MemoryFault f) {
      Oops.wakeFault(kernel, cpu, f);
      return false;
    }
  }

  /** Kernel code creates a kthread named NAME (via the demo module) and wakes it. */
  Outcome kthread(String name) {
    loop.requireBooted();
    if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("kthread: a name is 1-15 letters, digits, '_', '.', '-'");
    }
    loop.markEvents();
    if (!requestInit("kthread " + name, m.selectedCpu())) {
      return new Outcome(Outcome.Stop.PANIC, kernel.panicked(), loop.eventsSinceMark());
    }
    loop.keepMark(true);
    long fn = m.symbol("kstack_demo_thread");
    JCell<Long> task = new JCell<>(m.timeline(), 0L); // the thread, once it started its function
    return loop.start(new Goal("kthread " + name, () -> {
      for (int c = 0; c < m.cpuCount(); c++) {
        if (task.get() == 0 && m.cpu(c).pc() == fn) {
          task.set(kernel.current(c));
        }
      }
      return task.get() != 0;
    }, () -> "kthread pid " + kernel.tasks.pid(task.get()) + " (" + kernel.tasks.comm(task.get())
        + ") started kstack_demo_thread; parent pid "
        + kernel.tasks.pid(kernel.tasks.realParent(task.get()))
        + (noKthreadApi ? " (2.4 has no kthreadd: the "
            + "module's init called kernel_thread and the thread daemonize()d itself)" : "")));
  }

  /**
   * {@code recurse N}: the current user task loads the demo module with recurse=N, whose init
   * function recurses N frames of 256 bytes deep in the kernel; too deep runs off the stack.
   */
  Outcome recurse(int depth) {
    if (depth < 0 || depth > 100_000) {
      throw new IllegalArgumentException("recurse: the depth must be 0 to 100000");
    }
    requireWaiting();
    m.space().writeBytes(UserCalls.BUF, ("recurse=" + depth + "\0").getBytes(StandardCharsets.US_ASCII));
    return userCall(kernel.moduleLoadCall(), kernel.moduleLoadArgs(UserCalls.BUF), true, false);
  }

  /**
   * A system call through the vDSO's fast entry (i386: __kernel_vsyscall and SYSENTER) instead of
   * the inline trap instruction.
   */
  Outcome sysenter(String name, List<Machine.Arg> args) {
    if (userVsyscallPc < 0) {
      throw new IllegalArgumentException(arch.noFastSyscallEntry());
    }
    return syscall(name, args, true);
  }

  /**
   * The task current on the selected CPU issues a system call through its libc wrapper; pointer
   * arguments to simple data are placed in the process's data page as the C library would.
   */
  Outcome syscall(String name, List<Machine.Arg> args, boolean viaVdso) {
    UserCalls.checkName(name);
    requireWaiting();
    long[] values = UserCalls.syscallArgs(m, name, args);
    if (!arch.syscallNumbers().containsKey(name)) {
      // as the C library does where the arch lacks the call: fork = clone(SIGCHLD), pipe = pipe2
      if (name.equals("fork")) {
        return userCall("clone", new long[] {Kernel.SIGCHLD, 0, 0, 0, 0}, true, viaVdso);
      }
      if (name.equals("pipe")) {
        return userCall("pipe2", new long[] {values[0], 0}, true, viaVdso);
      }
      throw new IllegalArgumentException(UserCalls.missing(m, name));
    }
    return userCall(name, values, true, viaVdso);
  }

  /** The current user task calls one of its program's functions with integer arguments. */
  Outcome call(String function, List<Long> args) {
    requireWaiting();
    long[] v = args.stream().mapToLong(Long::longValue).toArray();
    if (UserCalls.isWrapper(function)) {
      throw new IllegalArgumentException("use 'syscall " + function + "(...)' for system calls");
    }
    return userCall(function, v, false, false);
  }

  private void requireWaiting() {
    loop.refuseIfPanicked();
    int cpu = m.selectedCpu();
    long task = kernel.current(cpu);
    loop.refuseWhileStopped();
    if (!arch.inUserMode(kernel, cpu) || m.cpu(cpu).pc() != userWaitPc) {
      throw new IllegalStateException("the task current on cpu " + cpu + " (pid " + kernel.tasks.pid(task)
          + ", " + kernel.tasks.comm(task) + ") is not a user process waiting for a command"
          + (kernel.pids.findTask(1) == 0 ? " (boot first)" : " (spawn one first)"));
    }
  }

  /**
   * Starts a system call at the wait point of main (an inline SYSCALL, so the user stack pointer at
   * the trap is the one the process had) or a call of a user function (which pushes its return
   * address, as a call does). Every caller has checked that the task waits for a command.
   */
  private Outcome userCall(String function, long[] args, boolean isSyscall, boolean viaVdso) {
    int cpu = m.selectedCpu();
    Cpu c = m.cpu(cpu);
    long task = kernel.current(cpu);
    long stackArgs = 0;
    if (isSyscall) {
      enterSyscall(c, function, args, viaVdso);
    } else {
      stackArgs = enterFunction(c, function, args);
    }
    String what = names.computeIfAbsent(isSyscall ? function : "call " + function,
        f -> isSyscall ? "syscall " + f : f);
    return loop.start(new UserCallGoal(m, cpu, task, what, function, stackArgs).goal());
  }

  /**
   * Sets up a call of a user function: the arguments past the register ones pushed, the return to
   * main's wait point, the pc at the function. Returns how many arguments went on the stack.
   */
  private long enterFunction(Cpu c, String function, long[] args) {
    Symbol fn = m.symbols().get(function);
    Routine r = fn == null ? null : code.at(fn.address());
    if (r == null || r.kind() != Routine.Kind.USER || UserCalls.isWrapper(function)
        || function.equals("main") || function.equals("_start") || function.equals("init_main")) {
      throw new IllegalArgumentException("no user function " + function
          + " (try inner, middle, outer, sum8, call8, or a system call with 'syscall')");
    }
    if (args.length != r.arity()) {
      throw new IllegalArgumentException(function + " takes " + r.arity() + " argument"
          + (r.arity() == 1 ? "" : "s") + ", not " + args.length);
    }
    int n = r.paramsOnStack() ? 0 : arch.registers().argCount();
    for (int i = args.length - 1; i >= n; i--) {
      push(c, args[i]);
    }
    for (int i = 0; i < Math.min(n, args.length); i++) {
      c.set(arch.registers().arg(i), args[i]);
    }
    arch.setUserReturn(kernel, c, m.space(c), userWaitPc);
    c.set(arch.registers().pc, fn.address());
    return Math.max(0, args.length - n);
  }

  private void push(Cpu c, long v) {
    int w = arch.abi().wordSize();
    long sp = c.sp() - w;
    m.space(c).write(sp, w, v);
    c.set(arch.registers().sp, sp);
  }
}
