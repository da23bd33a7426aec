package kstack.machine;

import kstack.stack.StackWord;
import kstack.stack.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import kstack.kernel.Arch;
import kstack.catalog.Arches;
import kstack.cpu.Cpu;
import kstack.exec.Abi;
import kstack.exec.CodeMap;
import kstack.exec.Exec;
import kstack.exec.ExecHost;
import kstack.exec.Routine;
import kstack.image.Symbol;
import kstack.image.SymbolTable;
import kstack.kernel.Kernel;
import kstack.kernel.Timers;
import kstack.layout.StructLayout;
import kstack.mem.AddressSpace;
import kstack.mem.Memory;
import kstack.mem.MemoryFault;
import kstack.profile.Profile;
import kstack.trace.Event;
import kstack.trace.JCell;
import kstack.trace.Timeline;

/**
 * One simulated machine: a profile's kernel image in sparse memory, its CPUs, and the engine that
 * executes routines step by step. The facade for everything outside the core (command language, CLI,
 * tests): execution commands run toward a goal and stop at breakpoints; inspection reads memory.
 * Several machines can exist in one JVM; nothing here is static state.
 */
public final class Machine implements ExecHost {
  /**
   * The most steps one command may take before it is stopped as runaway. The longest real command
   * (a boot, a deep recursion) takes well under a million; each recorded step keeps its undo
   * history, so a runaway is stopped before that history fills a small heap (about 150 bytes a
   * step).
   */
  public static final long STEP_LIMIT = 5_000_000L;

  private final Profile profile;
  private final Arch arch;
  private final Memory kmem = new Memory(0, "kernel");
  private final Timeline timeline;
  private final Cpu[] cpus;
  private final Exec[] execs;
  private final SymbolTable symbols = new SymbolTable();
  private final CodeMap code = new CodeMap();
  private final Kernel kernel;
  private final long[] perCpuOffsets;
  private final long[] spaceCr3;
  private final AddressSpace[] spaceCache;
  private final TreeSet<Long> breakpoints = new TreeSet<>(Long::compareUnsigned);
  /** The pending goal, the round-robin's next CPU, breakpoints already reported: journaled. */
  private final ControlState control;
  /** An interrupt raised while the CPU had interrupts disabled (-1: none). */
  private final int[] pendingVector;
  private final String[] pendingWhat;
  private final long idleHaltPc;
  private final long userWaitPc;
  private final long userSyscallPc;
  /** main's call of the vDSO's fast system-call entry; -1 where the arch has none. */
  private final long userVsyscallPc;
  private int selected;
  private int eventMark;
  /** User processes that yielded from their wait point and will only return to it. */
  private final kstack.trace.JList<Long> parked;

  /**
   * An event whose handler ran but whose interrupted code never came back at the same pc and stack
   * pointer: entry code moved the frame (FIX_STACK for an event at a SYSENTER entry's first
   * instruction) and the machine ran on.
   */
  private java.util.function.Supplier<String> movedFrame(String name, long[] at) {
    return () -> String.format(name + ": handled, but the interrupted code never resumed at %s with "
        + "its stack pointer 0x%x: the entry code moved the frame (as FIX_STACK does for an event "
        + "at a SYSENTER entry's first instruction) and the machine ran on until idle",
        describe(at[0]), at[1]);
  }

  private Machine(Profile profile, int ncpu) {
    this.profile = profile;
    this.arch = Arches.forProfile(profile);
    this.cpus = new Cpu[ncpu];
    this.execs = new Exec[ncpu];
    this.spaceCr3 = new long[ncpu];
    this.spaceCache = new AddressSpace[ncpu];
    this.pendingVector = new int[ncpu];
    this.pendingWhat = new String[ncpu];
    java.util.Arrays.fill(pendingVector, -1);
    this.timeline = new Timeline((cpu, reg, value) -> cpus[cpu].restore(reg, value));
    this.parked = new kstack.trace.JList<>(timeline);
    this.control = new ControlState(timeline, ncpu);
    timeline.attach(kmem);
    timeline.setRecording(false);
    for (int c = 0; c < ncpu; c++) {
      cpus[c] = new Cpu(c, arch.registers());
      cpus[c].attach(timeline);
    }
    this.perCpuOffsets = new long[ncpu];
    this.kernel = new Kernel(profile, arch, kmem, timeline, symbols, ncpu, new Host());
    kernel.buildAll();
    long[] offsets = kstack.kernel.Image.link(kernel, code);
    System.arraycopy(offsets, 0, perCpuOffsets, 0, ncpu);
    kernel.image.runDeferred();
    for (int c = 0; c < ncpu; c++) {
      execs[c] = new Exec(this, cpus[c]);
      arch.initPerCpu(kernel, c);
    }
    kernel.initData();
    for (int c = 0; c < ncpu; c++) {
      arch.powerOn(kernel, c);
    }
    Routine idle = code.at(symbols.get(arch.idleHaltSymbol()).address());
    this.idleHaltPc = idle.address(idle.bodyStart());
    Routine main = code.at(symbols.get("main").address());
    this.userWaitPc = main.address(main.label("wait"));
    this.userSyscallPc = main.address(main.label("sys"));
    this.userVsyscallPc = arch.vdsoSyscallEntry() == null ? -1 : main.address(main.label("vsys"));
    timeline.setRecording(true);
  }

  /** Builds a machine for a profile with n CPUs, powered on at the boot entry. */
  public static Machine create(Profile profile, int ncpu) {
    checkCpus(profile, ncpu);
    return new Machine(profile, ncpu);
  }

  /** Whether a profile can run ncpu CPUs; the reason it cannot, as an IllegalArgumentException. */
  public static void checkCpus(Profile profile, int ncpu) {
    int nrCpus = nrCpus(profile);
    if (ncpu < 1 || ncpu > nrCpus) {
      throw new IllegalArgumentException("--cpus must be between 1 and " + nrCpus + " on the "
          + profile.label() + " profile" + (profile.arch().equals("i386") && nrCpus == 8
          ? " (NR_CPUS: arch/x86/Kconfig's default and limit for X86_32 without X86_BIGSMP is 8, "
              + "@2.6.32.67, @4.16.13 and @6.19 alike)" : " (the most this model boots; x86_64's "
              + "NR_CPUS defaults to 64, arch/x86/Kconfig: default \"64\" if SMP)"));
    }
    if (ncpu > 1 && profile.has(kstack.profile.Feature.TASK_UNION)) {
      throw new IllegalArgumentException("--cpus " + ncpu + ": the " + profile.label()
          + " profile runs one CPU; 2.4's SMP bring-up (smp_boot_cpus, do_boot_cpu's trampoline, "
          + "initialize_secondary, the per-CPU idle tasks from fork_by_hand) is not modelled "
          + "(arch/i386/kernel/smpboot.c@2.4.22:483-911)");
    }
    if (ncpu > 1 && profile.has(kstack.profile.Feature.PT_REGS_60)) {
      throw new IllegalArgumentException("--cpus " + ncpu + ": the " + profile.label()
          + " profile runs one CPU; 2.6.11's SMP bring-up (smp_boot_cpus, do_boot_cpu with "
          + "fork_idle, head.S's initialize_secondary) is not modelled "
          + "(arch/i386/kernel/smpboot.c@2.6.11; head.S@2.6.11:316-323)");
    }
  }

  /**
   * The most CPUs a profile runs: i386's CONFIG_NR_CPUS, 8 (arch/x86/Kconfig: range 2 8 and
   * default "8" if SMP && X86_32 && !X86_BIGSMP, @2.6.32.67 and @4.16.13; 6.19 dropped BIGSMP);
   * elsewhere 64, x86_64's default (default "64" if SMP), which the model boots on every 64-bit
   * profile.
   */
  public static int nrCpus(Profile profile) {
    return profile.arch().equals("i386") ? 8 : 64;
  }

  /** The machine as the kernel sees it. */
  private final class Host implements Kernel.Host {
    public long perCpuOffset(int cpu) {
      return perCpuOffsets[cpu];
    }

    public Cpu cpu(int cpu) {
      return cpus[cpu];
    }

    public void attachSpace(Memory m) {
      timeline.attach(m);
    }

    public long symbol(String name) {
      return Machine.this.symbol(name);
    }

    public Routine routineAt(long pc) {
      return code.at(pc);
    }

    public Memory userMemoryOf(long task) {
      return kernel.mm.userSpace(kernel.tasks.taskRead(task, "mm"));
    }
  }

  // ---- ExecHost -------------------------------------------------------------------------------

  @Override
  public AddressSpace space(Cpu cpu) {
    int c = cpu.id();
    long cr3 = cpu.get(arch.mmRegister());
    AddressSpace s = spaceCache[c];
    Memory user = kernel.mm.userSpaceOfRoot(cr3);
    // the same root can name another store after a reverse step and a replayed exec: compare the
    // store itself, or the replay would write into the undone exec's memory
    if (s == null || spaceCr3[c] != cr3 || s.user() != user) {
      s = new AddressSpace(kmem, user, arch.userTop());
      spaceCache[c] = s;
      spaceCr3[c] = cr3;
    }
    return s;
  }

  @Override
  public Abi abi() {
    return arch.abi();
  }


  @Override
  public long symbol(String name) {
    return kernel.image.symbol(name);
  }

  // ---- accessors ------------------------------------------------------------------------------

  /** {@code 0x%016x} on 64-bit machines, {@code 0x%08x} on i386: an address as gdb prints it. */
  public String hexFormat() {
    return arch.abi().wordSize() == 8 ? "0x%016x" : "0x%08x";
  }

  /**
   * A returned register as the kernel reads it: negative only in the errno range (IS_ERR_VALUE:
   * -4095..-1), so kernel pointers stay addresses (on i386 too, where they pass 0x80000000).
   */
  private String signedWord(long v) {
    long w = arch.abi().wordSize() == 8 ? v : v & 0xffffffffL;
    long err = arch.abi().wordSize() == 8 ? v : (int) w;
    if (err >= -4095 && err < 0) {
      return Long.toString(err);
    }
    // small results (counts, pids) in decimal; addresses, like gdb's pointers, in hex
    return Long.compareUnsigned(w, 0x10000000L) < 0 ? Long.toString(w) : "0x" + Long.toHexString(w);
  }

  public Profile profile() {
    return profile;
  }

  public Arch arch() {
    return arch;
  }

  public Kernel kernel() {
    return kernel;
  }

  public SymbolTable symbols() {
    return symbols;
  }

  public Timeline timeline() {
    return timeline;
  }

  public Memory kernelMemory() {
    return kmem;
  }

  public int cpuCount() {
    return cpus.length;
  }

  public int selectedCpu() {
    return selected;
  }

  public void selectCpu(int cpu) {
    if (cpu < 0 || cpu >= cpus.length) {
      throw new IllegalArgumentException("no CPU " + cpu + " (this machine has " + cpus.length + ")");
    }
    selected = cpu;
  }

  public Cpu cpu(int c) {
    return cpus[c];
  }

  public Routine routineAt(long pc) {
    return code.at(pc);
  }

  public StructLayout struct(String name) {
    return kernel.image.structs.get(name);
  }

  public Map<String, StructLayout> structs() {
    return Collections.unmodifiableMap(kernel.image.structs);
  }

  /**
   * The profile's constants under their Linux names: the values the simulator keeps for its own
   * use under a name this generation does not define (2.6.32's unnamed pt_regs padding) are left
   * out (kstack.profile.Generations).
   */
  public Map<String, Long> constants() {
    Map<String, Long> c = new TreeMap<>(kernel.image.consts);
    c.keySet().removeIf(n -> kstack.profile.Generations.whyMissing(profile(), n).isPresent());
    return c;
  }

  /** The address space of the selected CPU (user addresses in its current mm). */
  public AddressSpace space() {
    return space(cpus[selected]);
  }

  public long read(long addr, int size) {
    return space().read(addr, size);
  }

  public byte[] readBytes(long addr, int len) {
    return space().readBytes(addr, len);
  }

  // ---- the kernel's own lookups, for expressions ----------------------------------------------

  public long current() {
    return kernel.current(selected);
  }

  /** find_task_by_vpid: 0 when no such task; pid 0 names the selected CPU's idle task. */
  public long findTaskByVpid(int pid) {
    if (pid == 0) {
      long idle = kernel.rq.idleTask(selected);
      return idle != 0 ? idle : symbol("init_task");
    }
    return kernel.pids.findTask(pid);
  }

  public long taskPtRegs(long task) {
    return arch.taskPtRegs(kernel, task);
  }

  public long taskTopOfStack(long task) {
    return arch.taskTopOfStack(kernel, task);
  }

  public long perCpuAddress(String var, int cpu) {
    return kernel.perCpu(var, cpu);
  }

  public boolean isPerCpu(String name) {
    Symbol s = symbols.get(name);
    if (s != null) {
      return s.kind() == Symbol.Kind.PERCPU;
    }
    try {
      arch.perCpuAddress(kernel, name);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  // ---- execution ------------------------------------------------------------------------------

  public void addBreakpoint(String symbol) {
    Symbol s = symbols.get(symbol);
    if (s == null || (s.kind() != Symbol.Kind.FUNC && s.kind() != Symbol.Kind.LABEL)
        || code.at(s.address()) == null) {
      throw new IllegalArgumentException("no function named " + symbol + " in the "
          + profile.label() + " image");
    }
    breakpoints.add(s.address());
  }

  public void deleteBreakpoints() {
    breakpoints.clear();
  }

  public List<String> breakpoints() {
    List<String> out = new ArrayList<>();
    for (long b : breakpoints) {
      out.add(symbols.describe(b));
    }
    return out;
  }

  /** Runs until boot is complete: pid 1 and pid 2 exist and the boot CPU reached its idle loop. */
  public Outcome boot() {
    Goal stopped = control.pending();
    if (stopped != null && stopped.within("boot")) {
      return run(); // a breakpoint stopped the boot: resume toward its goal, as continue does
    }
    if (kernel.pids.findTask(1) != 0) {
      throw new IllegalStateException("already booted");
    }
    JCell<Boolean> idle = new JCell<>(timeline, false); // the boot CPU has reached its idle loop
    long entry = symbol(kernel.idleLoop());
    return start(new Goal("boot", () -> {
      if (!idle.get() && cpus[0].pc() == entry) {
        idle.set(true);
      }
      return idle.get() && kernel.pids.findTask(1) != 0 && kernel.pids.findTask(2) != 0;
    }, () -> "boot complete: pid 0 " + kernel.tasks.comm(kernel.rq.idleTask(0)) + ", pid 1 "
        + kernel.tasks.comm(kernel.pids.findTask(1))
        + ", pid 2 " + kernel.tasks.comm(kernel.pids.findTask(2))));
  }

  /** Asks init to fork and exec NAME; runs until NAME is in user mode on the selected CPU. */
  public Outcome spawn(String name) {
    requireBooted();
    if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("spawn: a program name is 1-15 letters, digits, '_', '.', '-'");
    }
    int cpu = selected;
    int before = kernel.pids.lastPid();
    markEvents();
    kernel.rq.setNextChildCpu(cpu);
    if (!requestInit("exec " + name, cpu)) {
      return new Outcome(Outcome.Stop.PANIC, kernel.panicked(), eventsSinceMark());
    }
    keepMark = true;
    return start(new Goal("spawn " + name, () -> {
      long cur = kernel.current(cpu);
      return kernel.tasks.pid(cur) > before && kernel.tasks.comm(cur).equals(name)
          && cpus[cpu].pc() == userWaitPc;
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
  public Outcome kthread(String name) {
    requireBooted();
    if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("kthread: a name is 1-15 letters, digits, '_', '.', '-'");
    }
    markEvents();
    if (!requestInit("kthread " + name, selected)) {
      return new Outcome(Outcome.Stop.PANIC, kernel.panicked(), eventsSinceMark());
    }
    keepMark = true;
    long fn = symbol("kstack_demo_thread");
    JCell<Long> task = new JCell<>(timeline, 0L); // the thread, once it started its function
    return start(new Goal("kthread " + name, () -> {
      for (Cpu c : cpus) {
        if (task.get() == 0 && c.pc() == fn) {
          task.set(kernel.current(c.id()));
        }
      }
      return task.get() != 0;
    }, () -> "kthread pid " + kernel.tasks.pid(task.get()) + " (" + kernel.tasks.comm(task.get())
        + ") started kstack_demo_thread; parent pid "
        + kernel.tasks.pid(kernel.tasks.realParent(task.get()))
        + (kernel.profile.has(kstack.profile.Feature.NO_KTHREADD) ? " (2.4 has no kthreadd: the "
            + "module's init called kernel_thread and the thread daemonize()d itself)" : "")));
  }

  /** A value for a system call or function argument: a number, or bytes to place in user memory. */
  public record Arg(Long number, String text) {
    public static Arg of(long v) {
      return new Arg(v, null);
    }

    public static Arg of(String s) {
      return new Arg(null, s);
    }
  }

  /**
   * The task current on the selected CPU issues a system call through its libc wrapper; pointer
   * arguments to simple data are placed in the process's data page as the C library would.
   */
  public Outcome syscall(String name, List<Arg> args) {
    return syscall(name, args, false);
  }

  /**
   * A system call through the vDSO's fast entry (i386: __kernel_vsyscall and SYSENTER) instead of
   * the inline trap instruction.
   */
  /**
   * "pid N, comm" of a CPU's current task; where current is found through the stack pointer
   * (2.6.11's current_thread_info()) and esp is not on a task stack yet, as at sysenter_entry's
   * first instruction on the SYSENTER stack, there is no task to name.
   */
  private String whoIsCurrent(int c, boolean comm) {
    try {
      long t = kernel.current(c);
      return "pid " + kernel.tasks.pid(t) + (comm ? ", " + kernel.tasks.comm(t) : "");
    } catch (MemoryFault f) {
      return "current unreadable: esp is not on a task stack";
    }
  }

  public Outcome sysenter(String name, List<Arg> args) {
    if (userVsyscallPc < 0) {
      throw new IllegalArgumentException(arch.name() + (arch.name().equals("i386")
          ? " " + profile.version() + " has no SYSENTER path and no vDSO (entry.S@2.4.22 has only "
              + "int $0x80: 'syscall')"
          : " has no SYSENTER entry in this model (its system calls use "
              + (arch.name().equals("x86_64") ? "SYSCALL" : "svc") + ": 'syscall')"));
    }
    return syscall(name, args, true);
  }

  private Outcome syscall(String name, List<Arg> args, boolean viaVdso) {
    UserCalls.checkName(name);
    requireWaiting();
    long[] values = UserCalls.syscallArgs(this, name, args);
    if (!arch.syscallNumbers().containsKey(name)) {
      // as the C library does where the arch lacks the call: fork = clone(SIGCHLD), pipe = pipe2
      if (name.equals("fork")) {
        return userCall("clone", new long[] {Kernel.SIGCHLD, 0, 0, 0, 0}, true, viaVdso);
      }
      if (name.equals("pipe")) {
        return userCall("pipe2", new long[] {values[0], 0}, true, viaVdso);
      }
      throw new IllegalArgumentException(UserCalls.missing(this, name));
    }
    return userCall(name, values, true, viaVdso);
  }

  /** The current user task calls one of its program's functions with integer arguments. */
  public Outcome call(String function, List<Long> args) {
    requireWaiting();
    long[] v = args.stream().mapToLong(Long::longValue).toArray();
    if (UserCalls.isWrapper(function)) {
      throw new IllegalArgumentException("use 'syscall " + function + "(...)' for system calls");
    }
    return userCall(function, v, false, false);
  }

  /** After a panic every CPU is halted: nothing more runs, whatever the command. */
  private void refuseIfPanicked() {
    if (kernel.panicked() != null) {
      throw new IllegalStateException("the kernel has panicked (" + kernel.panicked()
          + "): the machine is halted");
    }
  }

  private void requireWaiting() {
    refuseIfPanicked();
    int cpu = selected;
    long task = kernel.current(cpu);
    refuseWhileStopped();
    if (!arch.inUserMode(kernel, cpu) || cpus[cpu].pc() != userWaitPc) {
      throw new IllegalStateException("the task current on cpu " + cpu + " (pid " + kernel.tasks.pid(task)
          + ", " + kernel.tasks.comm(task) + ") is not a user process waiting for a command"
          + (kernel.pids.findTask(1) == 0 ? " (boot first)" : " (spawn one first)"));
    }
  }

  /**
   * Starts a system call at the wait point of main (an inline SYSCALL, so the user stack pointer at
   * the trap is the one the process had) or a call of a user function (which pushes its return
   * address, as a call does).
   */
  private Outcome userCall(String function, long[] args, boolean isSyscall, boolean viaVdso) {
    requireWaiting();
    int cpu = selected;
    Cpu c = cpus[cpu];
    long task = kernel.current(cpu);
    if (isSyscall) {
      arch.setSyscallRegisters(c, kernel.arch.syscallNumbers().get(function), args);
      c.set(arch.registers().pc, viaVdso ? userVsyscallPc : userSyscallPc);
    } else {
      Symbol fn = symbols.get(function);
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
      arch.setUserReturn(kernel, c, space(c), userWaitPc);
      c.set(arch.registers().pc, fn.address());
    }
    int pid = kernel.tasks.pid(task);
    Symbol callee = isSyscall ? null : symbols.get(function);
    long stackArgs = isSyscall ? 0 : Math.max(0, args.length
        - (code.at(callee.address()).paramsOnStack() ? 0 : arch.registers().argCount()));
    String what = isSyscall ? "syscall " + function : "call " + function;
    long mmBefore = kernel.tasks.taskRead(task, "mm");
    int firstEvent = timeline.events().size();
    return start(new Goal(what, () -> {
      if (kernel.current(cpu) == task && c.pc() == userWaitPc && arch.inUserMode(kernel, cpu)) {
        return true;
      }
      if (kernel.mem.regionAt(task) == null) {
        return true; // exited and already reaped: 2.4 frees the task_struct with its stack
      }
      long st = kernel.tasks.state(task);
      return st != Kernel.TASK_RUNNING && !isCurrentAnywhere(task);
    }, () -> {
      if (kernel.current(cpu) == task && c.pc() == userWaitPc) {
        if (stackArgs > 0) {
          c.set(arch.registers().sp, c.sp() + (long) arch.abi().wordSize() * stackArgs);
        }
        long rax = c.get(arch.registers().ret);
        if (function.equals("execve") && kernel.tasks.taskRead(task, "mm") != mmBefore) {
          return what + ": pid " + pid + " now runs " + kernel.tasks.comm(task) + " (a successful exec "
              + "does not return: the new program started at _start and waits in main)";
        }
        return what + " returned " + signedWord(rax) + " (0x" + Long.toHexString(rax) + ")"
            + (function.equals("sched_yield") ? Stepping.yieldNote(this, cpu, task, firstEvent) : "");
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
    }));
  }

  private void push(Cpu c, long v) {
    int w = arch.abi().wordSize();
    long sp = c.sp() - w;
    space(c).write(sp, w, v);
    c.set(arch.registers().sp, sp);
  }

  private boolean isCurrentAnywhere(long task) {
    for (Cpu c : cpus) {
      if (kernel.current(c.id()) == task) {
        return true;
      }
    }
    return false;
  }

  /**
   * A command that starts new work in a process (a system call, a call, a spawn) while another
   * command is stopped at a breakpoint is refused: the stopped command's process is in the middle of
   * its work, and its goal stays pending for 'continue'. Interrupts and finish nest instead.
   */
  private void refuseWhileStopped() {
    Goal g = control.pending();
    if (g != null) {
      throw new IllegalStateException("'" + g.name() + "' is stopped at a breakpoint: "
          + "'continue' it first");
    }
  }

  ControlState control() {
    return control;
  }

  long idleHaltPc() {
    return idleHaltPc;
  }

  private void requireBooted() {
    refuseIfPanicked();
    if (kernel.pids.findTask(1) == 0) {
      throw new IllegalStateException("the machine has not booted (run 'boot' first)");
    }
    refuseWhileStopped();
  }

  /** Resumes toward the goal of the command a breakpoint interrupted (or runs until idle). */
  public Outcome continueRun() {
    return run();
  }

  /**
   * Runs until every CPU is idle or waiting for a command and no timer is pending (time advances
   * over idle periods), or a breakpoint; resumes an interrupted command's goal if there is one.
   */
  public Outcome run() {
    Goal g = control.pending() != null ? control.pending() : new Goal("run", () -> {
      if (!kernel.timers.pendingTimers().isEmpty()) {
        return false;
      }
      for (int c = 0; c < cpus.length; c++) {
        if (cpus[c].pc() == userWaitPc && hasUnparkedWork(c)) {
          return false;
        }
      }
      return true;
    }, () -> "all CPUs idle or waiting for a command");
    return start(g);
  }

  /**
   * Executes n steps on the selected CPU only. A CPU with nothing to execute (a process waiting for
   * a command, an idle CPU halted with nothing to schedule, a CPU not brought up) is refused with
   * the reason: stepping it would change nothing. A stopped command whose goal a step reaches is
   * completed there and says so, as continue would have said it.
   */
  public Outcome stepi(int n) {
    refuseIfPanicked();
    String still = Stepping.whyNothingToStep(this, selected);
    if (still != null) {
      throw new IllegalStateException("stepi: " + still);
    }
    markEvents();
    for (int i = 0; i < n && kernel.panicked() == null; i++) {
      if (i > 0 && Stepping.whyNothingToStep(this, selected) != null) {
        break; // reached a wait point: the rest would be steps that change nothing
      }
      stepHandlingFaults(selected);
      Goal g = control.pending(); // checked after every step, as the run loop does
      if (g != null && kernel.panicked() == null && reached(g)
          && (g.stopAtGoal() || allSettled())) {
        control.setResumeFrom(selected, cpus[selected].pc());
        return complete(g);
      }
    }
    control.setResumeFrom(selected, cpus[selected].pc());
    if (kernel.panicked() != null) {
      control.setPending(null);
      return new Outcome(Outcome.Stop.PANIC, kernel.panicked() + " (cpu " + selected
          + " halted; the machine stops here)", eventsSinceMark());
    }
    return new Outcome(Outcome.Stop.STEPPED, where(selected), eventsSinceMark());
  }

  /**
   * {@code reverse-stepi N}: takes the machine's last N steps back (on every CPU, newest first). The
   * machine is then exactly as it was the moment step (steps - N) finished, the first time: every
   * byte, register and piece of kernel bookkeeping, and the debugger's own state (the pending goal
   * and its progress, pending interrupts, the round-robin's next CPU), since all of it is on the
   * timeline. What the debugger did after that moment (a command's set-up, a breakpoint report) is
   * undone with the steps. A following {@code continue} runs forward again toward the goal pending
   * there, deterministically.
   */
  public Outcome reverseStepi(int n) {
    int can = timeline.undoableSteps();
    if (n > can) {
      throw new IllegalArgumentException("reverse-stepi: only " + can + " step(s) of history"
          + (can == 0 ? " (nothing has run yet)" : ""));
    }
    Goal before = control.pending();
    List<Goal> begun = control.begun();
    timeline.undoSteps(n);
    int kept = control.begun().size();
    Goal undone = kept < begun.size() ? begun.get(kept) : null;
    markEvents();
    // a stop, as after stepi: the breakpoint at this pc is not reported again when resuming
    control.setResumeFrom(selected, cpus[selected].pc());
    return new Outcome(Outcome.Stop.STEPPED, where(selected)
        + Stepping.pendingNote(undone, before, control.pending()), List.of());
  }

  /** Runs until the selected CPU's current function returns to its caller. */
  public Outcome finish() {
    int cpu = selected;
    Cpu c = cpus[cpu];
    long pc = c.pc();
    Routine r = code.at(pc);
    if (r == null || r.kind() == Routine.Kind.ASM) {
      throw new IllegalStateException("finish: " + describe(pc) + " has no frame to finish");
    }
    int i = r.indexOf(pc);
    long sp = c.sp();
    long fp = c.get(arch.registers().fp);
    AddressSpace s = space(c);
    long link = arch.registers().has("x30") ? c.get("x30") : 0;
    Abi.ReturnSite site = arch.abi().returnSite(i, r.insn(i).text().startsWith("ret"), sp, fp,
        link, a -> s.read(a, arch.abi().wordSize()));
    long ret = site.pc();
    long retSp = site.sp();
    String fn = r.name();
    Outcome o = start(new Goal("finish", () -> c.pc() == ret && c.sp() == retSp,
        () -> "Run till exit from " + fn + ": back in " + describe(ret) + ", value "
            + signedWord(c.get(arch.registers().ret)), null, control.pending(), control.stops(),
        true));
    return new Outcome(o.stop() == Outcome.Stop.DONE ? Outcome.Stop.STEPPED : o.stop(), o.message(),
        o.events());
  }

  private boolean keepMark;

  /**
   * Runs toward g: the CPUs step in turn, one step each (the next CPU is part of the journaled
   * state, so a run stopped anywhere and continued steps them exactly as an uninterrupted run).
   * Reaching g makes its outer goal (if it nests in one) pending again.
   */
  private Outcome start(Goal g) {
    if (kernel.panicked() != null) {
      keepMark = false;
      refuseIfPanicked();
    }
    if (!keepMark) {
      markEvents();
    }
    keepMark = false;
    control.begin(g);
    control.setPending(g);
    try {
      return runToward(g);
    } catch (RuntimeException e) {
      control.setPending(null); // the command ends here: no later command may report it as stopped
      throw e;
    }
  }

  private Outcome runToward(Goal g) {
    boolean reached = reached(g);
    long steps = 0;
    while (true) {
      if (reached && (g.stopAtGoal() || allSettled())) {
        return complete(g);
      }
      if (allSettled()) {
        if (!reached && yieldForWork()) {
          continue;
        }
        if (!fireTimer()) {
          control.setPending(g.outer());
          return new Outcome(Outcome.Stop.IDLE, g.idle() != null && g.idle().get() != null
              ? g.idle().get() : "machine idle before '" + g.name() + "' completed: nothing left "
              + "to run", eventsSinceMark());
        }
        continue;
      }
      int c = nextActiveCpu();
      long pc = cpus[c].pc();
      if (breakpoints.contains(pc) && control.resumeFrom(c) != pc) {
        selected = c;
        control.setResumeFrom(c, pc);
        control.countReport();
        return new Outcome(Outcome.Stop.BREAKPOINT, "Breakpoint at " + describe(pc)
            + " on cpu " + c + " (" + whoIsCurrent(c, true) + ")", eventsSinceMark());
      }
      control.setResumeFrom(c, 0);
      control.setNextCpu((c + 1) % cpus.length);
      stepHandlingFaults(c);
      if (kernel.panicked() != null) {
        control.setPending(null);
        return new Outcome(Outcome.Stop.PANIC, kernel.panicked() + " (cpu " + c
            + " halted; the machine stops here)", eventsSinceMark());
      }
      if (!reached && reached(g)) {
        reached = true;
      }
      if (++steps > STEP_LIMIT) {
        control.setPending(null);
        throw new IllegalStateException("'" + g.name() + "' did not finish within " + STEP_LIMIT
            + " steps");
      }
    }
  }

  /** g is reached: the goal it nests in (if any) is pending again; what the command says. */
  private Outcome complete(Goal g) {
    control.setPending(g.outer());
    Stepping.resumeOuter(this, g);
    return new Outcome(Outcome.Stop.DONE, g.done().get() + Stepping.unreached(this, g),
        eventsSinceMark());
  }

  /** The first active CPU from the round-robin's next one on (there is one: not all settled). */
  private int nextActiveCpu() {
    int from = control.nextCpu();
    for (int i = 0; i < cpus.length; i++) {
      int c = (from + i) % cpus.length;
      if (active(c)) {
        return c;
      }
    }
    throw new IllegalStateException("no CPU is active");
  }

  /**
   * One step of cpu c with whatever the kernel does about a fault it raises ({@link #step}): the
   * step and its fault handling are one step on the timeline.
   */
  private void stepHandlingFaults(int c) {
    try {
      step(c);
    } finally {
      timeline.endStep();
    }
    if (afterStep != null) {
      afterStep.run();
    }
  }

  /**
   * Called the moment each step has finished, before anything the debugger does after it: where
   * the reverse-execution sweep takes its fingerprints of the machine (package-private, tests only).
   */
  Runnable afterStep;

  /**
   * Whether a goal is reached. Its test reads kernel memory (current, the task's state); where an
   * overflow has overwritten what it reads, the goal is not reached yet and the machine runs on
   * until the kernel itself trips over the same words.
   */
  private static boolean reached(Goal g) {
    try {
      return g.reached().getAsBoolean();
    } catch (MemoryFault f) {
      return false;
    }
  }

  /**
   * One step of CPU c. A kernel-mode fault, or a kernel step that leaves the CPU where no code is,
   * is what the kernel would oops on ({@link Oops}); a user-mode fault is reported.
   */
  private void step(int c) {
    long from = cpus[c].pc();
    if (code.at(from) == null) { // left here by an iret or sysret to an overwritten user ip
      timeline.beginStep(); // the fault is this step: reversing it undoes the oops too
      Oops.userFault(kernel, arch, c, new MemoryFault(from, false, null));
      return;
    }
    try {
      stepCpu(c);
    } catch (MemoryFault f) {
      if (!Oops.fault(kernel, arch, c, f)) {
        Oops.userFault(kernel, arch, c, f);
      }
      return;
    }
    long to = cpus[c].pc();
    if (code.at(to) == null && !arch.inUserMode(kernel, c)) {
      Oops.badJump(kernel, arch, c, describe(from), to);
    }
  }

  private void stepCpu(int c) {
    Cpu cpu = cpus[c];
    long pc = cpu.pc();
    Routine r = code.at(pc);
    if (r == null) {
      throw new IllegalStateException(String.format("cpu %d jumped to 0x%x, which holds no code", c, pc));
    }
    timeline.beginStep();
    execs[c].run(r, r.indexOf(pc));
    if (cpu.pc() == userWaitPc) {
      parked.remove(kernel.current(c));
    }
  }

  /** Online and with something to do: not halted in the idle loop, not waiting in user mode. */
  boolean active(int c) {
    Cpu cpu = cpus[c];
    long pc = cpu.pc();
    if (pc == 0 || pc == userWaitPc) {
      return false;
    }
    if (pc != idleHaltPc) {
      return true;
    }
    try {
      return kernel.rq.needResched(kernel.current(c));
    } catch (MemoryFault overwritten) {
      return false; // hlt reads nothing: the CPU sleeps on until an interrupt makes it look
    }
  }

  private boolean allSettled() {
    for (int c = 0; c < cpus.length; c++) {
      if (active(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A user process parked at its wait point still holds its CPU; when the goal needs work that is
   * queued behind it, the parked process calls sched_yield() (a real system call, so the trace shows
   * it), as a process spinning in user mode would be preempted at its next tick.
   */
  private boolean yieldForWork() {
    for (int c = 0; c < cpus.length; c++) {
      if (cpus[c].pc() == userWaitPc && hasUnparkedWork(c)) {
        long task = kernel.current(c);
        parked.addLast(task);
        timeline.emit(new Event.YieldForCommand(c, kernel.tasks.pid(task), kernel.tasks.comm(task)));
        Cpu cpu = cpus[c];
        arch.setSyscallRegisters(cpu, kernel.arch.syscallNumbers().get("sched_yield"), new long[0]);
        cpu.set(arch.registers().pc, userSyscallPc);
        return true;
      }
    }
    return false;
  }

  private boolean hasUnparkedWork(int c) {
    // a set, not parked.contains: with thousands of parked tasks (bench on 2.4, whose fork
    // reschedules the parent) the list scan made every yield quadratic
    java.util.Set<Long> waiting = new java.util.HashSet<>(parked.snapshot());
    for (long t : kernel.rq.runQueue(c).snapshot()) {
      if (!waiting.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Time passes while every CPU is idle: the clock jumps to the earliest pending hrtimer and that
   * CPU takes its local timer interrupt, whose handler runs the expired timers.
   */
  private boolean fireTimer() {
    List<Timers.Timer> timers = kernel.timers.pendingTimers();
    if (timers.isEmpty()) {
      return false;
    }
    Timers.Timer first = timers.get(0);
    for (Timers.Timer t : timers) {
      if (t.expiresNs() < first.expiresNs()) {
        first = t;
      }
    }
    kernel.timers.setClock(Math.max(kernel.timers.now(), first.expiresNs()));
    interrupt(first.cpu(), arch.timerVector(), arch.timerName() + " (t=" + first.expiresNs() + "ns)");
    return true;
  }

  private void interrupt(int cpu, int vector, String what) {
    long pc = cpus[cpu].pc();
    String handler = arch.deliverInterrupt(kernel, cpu, vector);
    timeline.emit(new Event.InterruptDelivered(cpu, handler, what, vector, describe(pc),
        whoIsCurrent(cpu, false)));
  }

  /**
   * {@code irq N}: the device line N raises its interrupt on the selected CPU, at whatever it is
   * executing (a breakpoint may have stopped it inside the kernel); runs until the interrupted code
   * resumes, then until the machine settles.
   */
  public Outcome irq(int line) {
    int vector = arch.irqVector(line);
    if (vector < 0) {
      throw new IllegalArgumentException("irq: lines 0-15 are wired (to the kstack_demo device)");
    }
    int cpu = selected;
    return interruptGoal(vector, "irq " + line, "IRQ " + line, () -> arch.irqsEnabled(kernel, cpu),
        Event.Held.IRQS_DISABLED);
  }

  /**
   * {@code recurse N}: the current user task loads the demo module with recurse=N, whose init
   * function recurses N frames of 256 bytes deep in the kernel; too deep runs off the stack.
   */
  public Outcome recurse(int depth) {
    if (depth < 0 || depth > 100_000) {
      throw new IllegalArgumentException("recurse: the depth must be 0 to 100000");
    }
    requireWaiting();
    space().writeBytes(UserCalls.BUF, ("recurse=" + depth + "\0").getBytes(StandardCharsets.US_ASCII));
    return userCall(kernel.moduleLoadCall(), kernel.moduleLoadArgs(UserCalls.BUF), true, false);
  }

  /** {@code nmi}: a non-maskable interrupt on the selected CPU, taken at once. */
  public Outcome nmi() {
    if (arch.noNmiReason() != null) {
      throw new IllegalArgumentException("nmi: " + arch.noNmiReason());
    }
    int cpu = selected;
    if (arch.nmiBlocked(kernel, cpu)) {
      return interruptGoal(arch.nmiVector(), "nmi", "NMI", () -> !arch.nmiBlocked(kernel, cpu),
          Event.Held.NMI_BLOCKED);
    }
    return immediate(arch.nmiVector(), "nmi", "NMI");
  }

  /**
   * {@code exception db|mc}: the selected CPU takes a debug exception or a machine check where it
   * is (neither can be masked); runs until the interrupted code resumes.
   */
  public Outcome exception(String name) {
    int vector = arch.exceptionVector(name);
    if (vector < 0) {
      throw new IllegalArgumentException(arch.exceptionNames().isEmpty()
          ? "exception: " + arch.name() + " has no injectable exception in this model"
          : "exception: unknown '" + name + "' (" + String.join(", ", arch.exceptionNames()) + ")");
    }
    String refused = arch.exceptionRefusal(kernel, selected, vector);
    if (refused != null) {
      throw new IllegalStateException("exception " + name + ": " + refused);
    }
    return immediate(vector, "exception " + name, "#" + name.toUpperCase(java.util.Locale.ROOT));
  }

  /** Delivers a non-maskable event now and runs until the interrupted code resumes. */
  private Outcome immediate(int vector, String name, String what) {
    refuseIfPanicked();
    int cpu = selected;
    Cpu c = cpus[cpu];
    if (c.pc() == 0) {
      throw new IllegalStateException("cpu " + cpu + " is not running");
    }
    markEvents();
    keepMark = true;
    long pc = c.pc();
    long sp = c.sp();
    try {
      interrupt(cpu, vector, what);
    } catch (RuntimeException e) {
      keepMark = false;
      throw e;
    }
    JCell<Boolean> back = new JCell<>(timeline, false);
    long[] outerStops = control.stops();
    return start(new Goal(name, () -> {
      if (!back.get() && c.pc() == pc && c.sp() == sp) {
        back.set(true);
      }
      return back.get();
    }, () -> name + ": the interrupted code resumed at " + describe(pc)
        + Stepping.stillStopped(this, outerStops),
        movedFrame(name, new long[] {pc, sp})).nestedIn(control.pending(), outerStops));
  }

  /** {@code tick}: the scheduler tick's hrtimer expires now on the selected CPU. */
  public Outcome tick() {
    refuseIfPanicked();
    if (cpus[selected].pc() == 0) { // refused before its set-up: a refusal changes nothing
      throw new IllegalStateException("cpu " + selected + " is not running");
    }
    kernel.timers.setClock(kernel.timers.now());
    kernel.timers.addTickNow(selected);
    int cpu = selected;
    return interruptGoal(arch.timerVector(), "tick", arch.timerName() + " (scheduler tick)",
        () -> arch.irqsEnabled(kernel, cpu), Event.Held.IRQS_DISABLED);
  }

  /**
   * Raises an interrupt on the selected CPU. With interrupts disabled there (say, stopped at a
   * breakpoint in entry code) it stays pending, as on real hardware, and is taken at the first step
   * boundary where they are enabled again. The goal is reached when the interrupted code resumes.
   */
  /**
   * Raises an event that waits while {@code deliverable} is false (a masked IRQ, a blocked NMI),
   * is taken as soon as it turns true, and runs until the interrupted code resumes.
   */
  private Outcome interruptGoal(int vector, String name, String what,
      BooleanSupplier deliverable, Event.Held held) {
    refuseIfPanicked();
    int cpu = selected;
    Cpu c = cpus[cpu];
    if (c.pc() == 0) {
      throw new IllegalStateException("cpu " + cpu + " is not running");
    }
    markEvents();
    keepMark = true;
    setPending(cpu, vector, what);
    // where the interrupt was taken (pc, sp), and whether that code has resumed: journaled
    JCell<long[]> resume = new JCell<>(timeline, new long[] {0, 0});
    JCell<Boolean> back = new JCell<>(timeline, false);
    long[] outerStops = control.stops();
    if (!deliverable.getAsBoolean()) {
      timeline.emit(new Event.InterruptPending(cpu, what, held, describe(c.pc())));
    }
    return start(new Goal(name, () -> {
      if (pendingVector[cpu] >= 0 && deliverable.getAsBoolean()) {
        resume.set(new long[] {c.pc(), c.sp()});
        takePending(cpu);
      }
      long[] at = resume.get();
      if (pendingVector[cpu] < 0 && !back.get() && at[0] != 0 && c.pc() == at[0]
          && c.sp() == at[1]) {
        back.set(true);
      }
      return back.get();
    }, () -> name + ": the interrupted code resumed at " + describe(resume.get()[0])
        + Stepping.stillStopped(this, outerStops),
        () -> resume.get()[0] == 0 ? null : movedFrame(name, resume.get()).get())
        .nestedIn(control.pending(), outerStops));
  }

  /** A held interrupt is machine state like any other: journaled, so reverse steps restore it. */
  private void setPending(int cpu, int vector, String what) {
    int oldVector = pendingVector[cpu];
    String oldWhat = pendingWhat[cpu];
    timeline.recordUndo(() -> {
      pendingVector[cpu] = oldVector;
      pendingWhat[cpu] = oldWhat;
    });
    pendingVector[cpu] = vector;
    pendingWhat[cpu] = what;
  }

  private void takePending(int cpu) {
    int v = pendingVector[cpu];
    setPending(cpu, -1, pendingWhat[cpu]);
    interrupt(cpu, v, pendingWhat[cpu]);
  }

  private void markEvents() {
    eventMark = timeline.events().size();
  }

  private List<Event> eventsSinceMark() {
    List<Event> all = timeline.events();
    return List.copyOf(all.subList(Math.min(eventMark, all.size()), all.size()));
  }

  /** "where" for stepi: the step about to run on a CPU. */
  public String where(int c) {
    return describeStep(cpus[c].pc());
  }

  /** The step at an address, as x/i shows it: address, symbol+offset, what the step does. */
  public String describeStep(long pc) {
    Routine r = code.at(pc);
    String text = r == null ? "?" : r.insn(r.indexOf(pc)).text();
    return String.format(hexFormat() + " <%s>: %s", pc, describe(pc), text);
  }

  public String describe(long addr) {
    String s = symbols.describe(addr);
    return s == null ? String.format("0x%x", addr) : s;
  }

  public boolean isWaitingForCommand(int cpu) {
    return cpus[cpu].pc() == userWaitPc;
  }

  public String pendingCommand() {
    return control.pending() == null ? null : control.pending().name();
  }

  // ---- inspection -----------------------------------------------------------------------------

  /** Backtrace of a task (pid), or of the selected CPU's current task when pid is null. */
  public List<Frame> backtrace(Integer pid) {
    long task = pid == null ? current() : taskOrThrow(pid);
    int cpu = cpuRunning(task);
    return arch.unwind(kernel, task, cpu >= 0, cpu < 0 ? selected : cpu);
  }

  public List<StackWord> stack(Integer pid) {
    long task = pid == null ? current() : taskOrThrow(pid);
    int cpu = cpuRunning(task);
    return arch.describeStack(kernel, task, cpu >= 0, cpu < 0 ? selected : cpu);
  }

  public long taskOrThrow(int pid) {
    long t = findTaskByVpid(pid);
    if (t == 0) {
      throw new IllegalArgumentException("no task with pid " + pid);
    }
    return t;
  }

  /** The CPU on which task is current, or -1. */
  public int cpuRunning(long task) {
    for (Cpu c : cpus) {
      if (kernel.current(c.id()) == task) {
        return c.id();
      }
    }
    return -1;
  }

  /**
   * Every task, from init_task's list. A list an overflow has overwritten (a task_struct below a
   * stack, on the profiles without guard pages) cannot be walked: that is said, as crash says it.
   */
  public List<TaskInfo> ps() {
    List<TaskInfo> out = new ArrayList<>();
    String broken = psUntilCorrupt(out);
    if (broken != null) {
      throw new IllegalStateException(broken);
    }
    return out;
  }

  /**
   * The tasks as far as init_task's list can be walked, into out; null when the whole list was
   * walked, else what stopped the walk.
   */
  public String psUntilCorrupt(List<TaskInfo> out) {
    try {
      TaskView.ps(this, out);
      return null;
    } catch (kstack.mem.MemoryFault f) {
      return String.format("the task list is corrupt%s: walking it reads unmapped address 0x%x "
          + "(a stack overflow overwrote a task_struct?)",
          out.isEmpty() ? "" : " after pid " + out.get(out.size() - 1).pid(), f.address());
    }
  }

  public List<String> consoleLines() {
    return kernel.files.consoleLines();
  }

  /** Bytes of a C string in the selected CPU's address space. */
  public String readCString(long addr, int max) {
    byte[] b = new byte[max];
    int n = 0;
    for (; n < max; n++) {
      byte v = (byte) read(addr + n, 1);
      if (v == 0) {
        break;
      }
      b[n] = v;
    }
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  long userWaitPc() {
    return userWaitPc;
  }
}
