package kstack.machine;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import kstack.kernel.Arch;
import kstack.catalog.Arches;
import kstack.cpu.Cpu;
import kstack.exec.Abi;
import kstack.exec.CodeMap;
import kstack.exec.Exec;
import kstack.exec.ExecHost;
import kstack.exec.Routine;
import kstack.image.SymbolTable;
import kstack.kernel.Kernel;
import kstack.layout.LayoutSource;
import kstack.layout.StructLayout;
import kstack.mem.AddressSpace;
import kstack.mem.Memory;
import kstack.profile.Profile;
import kstack.trace.Timeline;

/**
 * One simulated machine: a profile's kernel image in sparse memory, its CPUs, and the engine that
 * executes routines step by step. The facade for everything outside the core (command language, CLI,
 * tests) over its parts: the {@link RunLoop} that steps the CPUs toward a command's goal,
 * {@link Execution} (boot, run, stepi, reverse-stepi, finish), {@link Interrupts} (irq, tick, nmi,
 * exception), the {@link UserDriver} (spawn, kthread, syscall, call, recurse) and the
 * {@link Inspector} (ps, backtraces, stack views, snapshots). Several machines can exist in one JVM;
 * nothing here is static state.
 */
public final class Machine implements ExecHost {
  private final Profile profile;
  private final Arch arch;
  private final Memory kmem = new Memory(0, "kernel");
  private final Timeline timeline;
  private final Cpu[] cpus;
  private final Exec[] execs;
  private final SymbolTable symbols = new SymbolTable();
  private final CodeMap code = new CodeMap();
  private final Kernel kernel;
  private final Spaces spaces;
  private final Breakpoints breakpoints;
  private final RunLoop loop;
  private final Execution execution;
  private final Interrupts interrupts;
  private final UserDriver user;
  private final Inspector inspector;
  private int selected;

  private Machine(Profile profile, int ncpu, LayoutSource layouts) {
    this.profile = profile;
    this.arch = Arches.forProfile(profile);
    this.cpus = new Cpu[ncpu];
    this.execs = new Exec[ncpu];
    this.timeline = new Timeline(new CpuRegisters(cpus));
    timeline.attach(kmem);
    timeline.setRecording(false);
    for (int c = 0; c < ncpu; c++) {
      cpus[c] = new Cpu(c, arch.registers());
      cpus[c].attach(timeline);
    }
    long[] perCpuOffsets = new long[ncpu];
    this.kernel = new Kernel(profile, arch, kmem, timeline, symbols, ncpu,
        new KernelHost(this, code, perCpuOffsets), layouts);
    this.spaces = new Spaces(kernel, kmem, arch, ncpu);
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
    this.breakpoints = new Breakpoints(symbols, code, profile.label());
    this.loop = new RunLoop(this, code, cpus, breakpoints, idle.address(idle.bodyStart()));
    this.execution = new Execution(this, loop);
    this.interrupts = new Interrupts(this, loop);
    this.user = new UserDriver(this, code, loop);
    this.inspector = new Inspector(this);
    timeline.setRecording(true);
  }

  /** Builds a machine for a profile with n CPUs, powered on at the boot entry. */
  public static Machine create(Profile profile, int ncpu) {
    return create(profile, ncpu, LayoutSource.MODEL);
  }

  /**
   * A machine whose struct layouts and per-CPU placements come from layouts (a kernel's BTF, say);
   * {@link LayoutSource.Refused} when they contradict a mechanism the profile models.
   */
  public static Machine create(Profile profile, int ncpu, LayoutSource layouts) {
    CpuLimits.check(profile, ncpu);
    return new Machine(profile, ncpu, layouts);
  }

  // ---- the parts ------------------------------------------------------------------------------

  /** ps, backtraces, stack views and snapshots: reads of the machine as it stands. */
  public Inspector inspector() {
    return inspector;
  }

  Interrupts interrupts() {
    return interrupts;
  }

  UserDriver user() {
    return user;
  }

  RunLoop loop() {
    return loop;
  }

  Exec exec(int c) {
    return execs[c];
  }

  // ---- ExecHost -------------------------------------------------------------------------------

  @Override
  public AddressSpace space(Cpu cpu) {
    return spaces.of(cpu);
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

  /** The address space of the selected CPU (user addresses in its current mm). */
  public AddressSpace space() {
    return space(cpus[selected]);
  }

  public long current() {
    return kernel.current(selected);
  }

  public String describe(long addr) {
    String s = symbols.describe(addr);
    return s == null ? String.format("0x%x", addr) : s;
  }

  // ---- execution commands ---------------------------------------------------------------------

  public void addBreakpoint(String symbol) {
    breakpoints.add(symbol);
  }

  /** A breakpoint at the step that starts at addr (any step, not only a function's first). */
  public void addBreakpointAt(long addr) {
    breakpoints.addAddress(addr);
  }

  public void removeBreakpointAt(long addr) {
    breakpoints.remove(addr);
  }

  /**
   * While on, a run stops before its first step (as at a breakpoint there), as gdb's starti does:
   * a command then does only its set-up, and its goal is pending for {@link #continueRun}.
   */
  public void stopBeforeNextStep(boolean on) {
    breakpoints.stopBeforeNextStep(on);
  }

  public void deleteBreakpoints() {
    breakpoints.clear();
  }

  /** Removes the breakpoint at SYMBOL (a temporary one, once hit); false when there is none. */
  public boolean deleteBreakpoint(String symbol) {
    return breakpoints.remove(symbol);
  }

  /** Steps back to the last breakpoint hit ({@link ReverseContinue}). */
  public Outcome reverseContinue() {
    return ReverseContinue.run(this, breakpoints, loop.watchpoints);
  }

  /**
   * gdb's C-level {@code step}, {@code next}, {@code until} and their reverse counterparts
   * ({@code reverse-step}, {@code reverse-next}, {@code reverse-finish}) on the selected CPU
   * ({@link LineSteps}); kind is the command's name.
   */
  public Outcome lineStep(String kind) {
    for (LineSteps.Kind k : LineSteps.Kind.values()) {
      if (k.word.equals(kind)) {
        return LineSteps.run(this, breakpoints, k);
      }
    }
    throw new IllegalArgumentException("no line-stepping command " + kind);
  }

  /** gdb's {@code until LOCATION}: until the selected CPU reaches it or its frame returns. */
  public Outcome until(String location) {
    return LineSteps.until(this, breakpoints, location);
  }

  /** Runs until the selected CPU reaches the first step of location ({@link Advance}). */
  public Outcome advance(String location) {
    return Advance.to(this, loop, location);
  }

  public List<String> breakpoints() {
    return breakpoints.names();
  }

  /** gdb's watchpoints: a run stops after a step that changes a watched object ({@link Watchpoints}). */
  public Watchpoints watchpoints() {
    return loop.watchpoints;
  }

  public Outcome boot() {
    return execution.boot();
  }

  /** Resumes toward the goal of the command a breakpoint interrupted (or runs until idle). */
  public Outcome continueRun() {
    return execution.run();
  }

  public Outcome run() {
    return execution.run();
  }

  public Outcome stepi(int n) {
    return execution.stepi(n);
  }

  /** The most steps one command may take before it is stopped as a runaway. */
  public long maxSteps() {
    return loop.maxSteps();
  }

  /** Sets the runaway limit of every later command (the user's setting, not journaled). */
  public void setMaxSteps(long n) {
    loop.setMaxSteps(n);
  }

  public Outcome reverseStepi(int n) {
    return execution.reverseStepi(n);
  }

  /**
   * gdb's {@code record goto STEP}: the machine as it was when recorded step STEP ended, earlier or
   * later than now, without executing ({@link TimeTravel}).
   */
  public Outcome seek(long step) {
    return TimeTravel.seek(this, loop, step);
  }

  /** The step that last wrote size bytes at addr in the selected CPU's address space ({@link Blame}). */
  public Blame blame(long addr, int size) {
    return Blame.of(this, addr, size);
  }

  public Outcome finish() {
    return execution.finish();
  }

  public Outcome irq(int line) {
    return interrupts.irq(line);
  }

  public Outcome tick() {
    return interrupts.tick();
  }

  public Outcome nmi() {
    return interrupts.nmi();
  }

  public Outcome exception(String name) {
    return interrupts.exception(name);
  }

  public Outcome spawn(String name) {
    return user.spawn(name);
  }

  public Outcome kthread(String name) {
    return user.kthread(name);
  }

  public Outcome syscall(String name, List<Arg> args) {
    return user.syscall(name, args, false);
  }

  public Outcome sysenter(String name, List<Arg> args) {
    return user.sysenter(name, args);
  }

  public Outcome call(String function, List<Long> args) {
    return user.call(function, args);
  }

  public Outcome recurse(int depth) {
    return user.recurse(depth);
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
}
