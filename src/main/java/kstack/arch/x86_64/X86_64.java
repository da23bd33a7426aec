package kstack.arch.x86_64;

import java.util.List;
import java.util.Map;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.layout.StructLayout;
import kstack.stack.Frame;
import kstack.stack.StackWord;
import kstack.profile.Profile;

/**
 * x86_64's arch half of the kernel for one profile: the generation modules the profile table
 * picked (layouts, the system call entry, the switch frame, interrupts, IST exceptions, boot and
 * per-CPU data, the unwinder), wired to the kernel's arch port. What no generation changes is
 * X86Isa64's.
 */
public final class X86_64 extends X86Isa64 {
  private final Layouts64 layouts;
  private final SyscallEntry64 entry;
  private final SwitchFrame64 switchFrame;
  final IrqEntry64 irq;
  final Exceptions64 exceptions;
  final Boot64 boot;
  private final Unwinder64 unwinder;
  /** The routine-building mechanisms in the profile table's order: the image's link order. */
  private final List<X86Routines> linkOrder;

  /** The arch half of one profile: its generation modules, picked once by the profile table. */
  public X86_64(Profile p) {
    this.layouts = p.module(Layouts64.class);
    this.entry = p.module(SyscallEntry64.class);
    this.switchFrame = p.module(SwitchFrame64.class);
    this.irq = p.module(IrqEntry64.class);
    this.exceptions = p.module(Exceptions64.class);
    this.boot = p.module(Boot64.class);
    this.unwinder = p.module(Unwinder64.class);
    this.linkOrder = p.modules().stream().filter(X86Routines.class::isInstance)
        .map(X86Routines.class::cast).toList();
  }

  /** The frame-pointer unwinder with this generation's rules, over k's memory. */
  X86Unwind unwinder(Kernel k) {
    return unwinder.unwinder(k, this);
  }

  /** The struct members the arch's code reads by handle, resolved when the kernel is built. */
  @Override
  public java.util.List<Class<? extends kstack.kernel.StructMember>> memberHandles(Profile p) {
    return java.util.List.of(PtRegs.class, Tss.class, InactiveTaskFrame.class,
        kstack.arch.x86.X86PtRegs.class);
  }

  @Override
  public Map<String, StructLayout> layouts(Profile p) {
    return X86Layouts.build(layouts, p, types);
  }

  @Override
  public Map<String, Long> constants(Profile p) {
    return X86Layouts.constants(layouts, p);
  }

  @Override
  public String syscallSymbol(Profile p, String name, int nargs) {
    return entry.syscallSymbol(name, nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return entry.syscallRoutine(k, name, source, params);
  }

  @Override
  public String copyThreadSymbol(Profile p) {
    return switchFrame.copyThreadSymbol();
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    switchFrame.inlineSwitch(k, b);
  }

  @Override
  public String cpuUpSymbol() {
    return boot.cpuUpSymbol();
  }

  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return boot.preemptCountAddress(k, cpu);
  }

  @Override
  public void buildRoutines(Kernel k) {
    for (X86Routines r : linkOrder) {
      r.build(k);
    }
    for (X86Routines r : linkOrder) {
      r.buildLast(k);
    }
  }

  @Override
  public void linkData(Kernel k, kstack.image.Linker l) {
    boot.linkData(k, l);
  }

  @Override
  public List<kstack.kernel.PerCpuVar> perCpuVars(Kernel k) {
    return boot.perCpuVars(k);
  }

  @Override
  public boolean perCpuZeroBased(Profile p) {
    return boot.perCpuZeroBased();
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return boot.perCpuAddress(k, name);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    boot.initPerCpu(k, cpu);
    exceptions.mapIstStacks(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    boot.initThread(k, initTask);
  }

  @Override
  public String exceptionRefusal(Kernel k, int cpu, int vector) {
    return X86Delivery.exceptionRefusal(this, k, cpu, vector);
  }

  @Override
  public String deliverInterrupt(Kernel k, int cpu, int vector) {
    return X86Delivery.deliver(this, k, cpu, vector);
  }

  /** A kernel-mode fault: a double fault on the guard page, or an oops (X86Faults). */
  @Override
  public boolean takeFault(Kernel k, int cpu, kstack.mem.MemoryFault f) {
    return X86Faults.takeFault(this, k, cpu, f);
  }

  /**
   * ELF_PLAT_INIT = elf_common_init: the general registers; it also clears the thread's fs/gs
   * bases and selectors, which the model does not hold.
   */
  @Override
  public List<kstack.layout.Member> elfPlatInitRegs(Kernel k) {
    return switchFrame.elfPlatInitRegs().stream().map(r -> r.in(k)).toList();
  }

  @Override
  public int timerVector() {
    return irq.localTimerVector();
  }

  @Override
  public List<Frame> unwind(Kernel k, long task, boolean running, int cpu) {
    return X86Stacks.named(k, this, unwinder(k).unwind(task, running, cpu), cpu,
        k.cpu(cpu).get(Regs.rsp));
  }

  @Override
  public List<kstack.stack.StackRange> stackRanges(Kernel k, long task, boolean running, int cpu) {
    return X86Stacks.ranges(k, this, task, cpu, running);
  }

  @Override
  public List<StackWord> describeStack(Kernel k, long task, boolean running, int cpu) {
    return X86StackWords.describe(k, this, task, running, cpu);
  }

  @Override
  void addNumbers(Map<String, Integer> numbers) {
    entry.addNumbers(numbers);
  }

  @Override
  public String copyThreadTlsMissing() {
    return switchFrame.copyThreadTlsMissing();
  }

  @Override
  public String noFastSyscallEntry() {
    return "x86_64 has no SYSENTER entry in this model (its system calls use SYSCALL: 'syscall')";
  }

  /**
   * 2.6.32's current_thread_info(): the per-CPU kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE
   * (arch/x86/include/asm/thread_info.h@2.6.32.67:209-229), right even on the IRQ stack and in user
   * mode (the thread_info the next entry will find); sp is not used. Asked only where thread_info
   * sits at the stack's base.
   */
  @Override
  public long currentThreadInfo(Kernel k, int cpu, long sp) {
    return k.readPtr(k.perCpu("kernel_stack", cpu)) + 40 - k.threadSize;
  }

  /** #DF has its own IST stack, so do_double_fault runs and dies (traps.c). */
  @Override
  public DoubleFault userDoubleFault() {
    return new DoubleFault(kstack.trace.Event.DoubleFaultEnd.IST_DIE, null);
  }
}
