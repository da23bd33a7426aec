package kstack.arch.i386;

import java.util.List;
import java.util.Map;
import kstack.kernel.PerCpuVar;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.StructLayout;
import kstack.stack.Frame;
import kstack.stack.StackWord;
import kstack.profile.Profile;

/**
 * i386 (32-bit x86, 3G/1G split, no PAE): 8 KiB kernel stacks from the page allocator (i386 has no
 * VMAP_STACK: arch/x86/Kconfig@4.16.13:125), the 68-byte pt_regs below TOP_OF_KERNEL_STACK_PADDING,
 * {@code int $0x80} entry through the TSS's ring-0 stack, per-CPU data reached through %fs.
 * Facts: docs/research/i386-and-2.x.md §0 and §4 (4.16.13), linux-facts §1.2, §2.2, §2.4.
 */
public final class I386 extends I386Isa {
  private final Abi abi;
  /** The generation's modules, picked by the profile table (kstack.catalog.Profiles). */
  private final I386EntryModel entry;
  private final I386LayoutModel layout;
  private final I386IrqModel irq;
  private final I386TrapsModel traps;
  private final I386ProcessModel process;
  private final I386BootModel boot;
  private final I386SysenterModel sysenter;
  /** The flat-model selectors (research §0.2): 2.4.22 uses GDT entries 2-5, later kernels 12-15. */
  private final long kernelCs;
  private final long kernelDs;

  public I386(Profile p) {
    this.entry = p.module(I386EntryModel.class);
    this.layout = p.module(I386LayoutModel.class);
    this.irq = p.module(I386IrqModel.class);
    this.traps = p.module(I386TrapsModel.class);
    this.process = p.module(I386ProcessModel.class);
    this.boot = p.module(I386BootModel.class);
    this.sysenter = p.module(I386SysenterModel.class);
    this.abi = new I386Abi(entry.regparm());
    this.kernelCs = entry.selectors()[0];
    this.kernelDs = entry.selectors()[1];
  }

  I386EntryModel entry() {
    return entry;
  }

  I386IrqModel irq() {
    return irq;
  }

  I386ProcessModel process() {
    return process;
  }

  I386SysenterModel sysenter() {
    return sysenter;
  }

  @Override
  public Abi abi() {
    return abi;
  }

  /** The struct members the arch's code reads by handle, resolved when the kernel is built. */
  @Override
  public java.util.List<Class<? extends kstack.kernel.StructMember>> memberHandles(Profile p) {
    return java.util.List.of(PtRegs.class, Tss.class, InactiveTaskFrame.class,
        kstack.arch.x86.X86PtRegs.class);
  }

  @Override
  public Map<String, StructLayout> layouts(Profile p) {
    return layout.structs(p, types());
  }

  @Override
  public Map<String, Long> constants(Profile p) {
    return I386Layouts.constants(p, entry);
  }

  @Override
  public Map<String, Integer> syscallNumbers() {
    if (syscallNumbers == null) { // built once: the run loop asks for names on every system call
      syscallNumbers = java.util.Collections.unmodifiableMap(entry.syscallNumbers());
    }
    return syscallNumbers;
  }

  private Map<String, Integer> syscallNumbers;

  @Override
  public String syscallSymbol(Profile p, String name, int nargs) {
    return entry.syscallSymbol(name, nargs);
  }

  /** The table functions are asmlinkage: their arguments are stack words (pt_regs on 2.6). */
  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return entry.syscallRoutine(k, name, source, params);
  }

  @Override
  public String copyThreadSymbol(Profile p) {
    return process.copyThreadSymbol();
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    process.inlineSwitch(k, b);
  }

  @Override
  public String cpuUpSymbol() {
    return boot.cpuUpSymbol();
  }

  /** 4.16: the per-CPU __preempt_count; 2.6.32: current_thread_info()->preempt_count (esp masked). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return process.preemptCountAddress(k, cpu);
  }

  /**
   * The generation's routines in its build order (addresses follow it): the entry code (2.4's
   * entry.S with its trap entries), interrupts, process code, boot, the 2.6 SYSENTER path, traps.
   */
  @Override
  public void buildRoutines(Kernel k) {
    entry.buildEntry(k);
    if (traps.builtWithEntry()) {
      traps.buildTraps(k);
    }
    irq.buildIrq(k);
    process.buildProcess(k);
    boot.buildBoot(k);
    sysenter.buildAfterBoot(k);
    if (!traps.builtWithEntry()) {
      traps.buildTraps(k);
    }
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    boot.linkData(k, l);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return boot.perCpuVars(k);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    boot.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    boot.initThread(k, initTask);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    boot.powerOn(k, cpu);
  }

  /** get_current() as the generation reads it (I386ProcessModel#current). */
  @Override
  public long current(Kernel k, int cpu) {
    return process.current(k, cpu, inUserMode(k, cpu));
  }

  @Override
  public List<kstack.layout.Member> elfPlatInitRegs(Kernel k) {
    return entry.elfPlatInitRegs().stream().map(r -> r.in(k)).toList();
  }

  @Override
  public String vdsoSyscallEntry() {
    return sysenter.vdsoSyscallEntry();
  }

  @Override
  public void setupAdditionalPages(Kernel k, Exec x) {
    sysenter.setupAdditionalPages(k, x);
  }

  /** int $0x80: a software interrupt through the IDT's DPL-3 gate for vector 0x80. */
  @Override
  public void syscallInstruction(Exec x) {
    x.set(Regs.eip, x.nextPc());
    I386Idt.deliver(x.cpu(), SYSCALL_VECTOR, x::read, x::write, x::symbol, handlerName(SYSCALL_VECTOR),
        kernelCs, kernelDs, entry.int80TrapGate());
    x.jumpTo(x.reg(Regs.eip));
  }

  @Override
  public String deliverInterrupt(Kernel k, int cpu, int vector) {
    return I386Idt.deliver(k.cpu(cpu), vector, k::readPtr, k::writePtr, k.image::symbol, handlerName(vector),
        kernelCs, kernelDs, traps.trapGate(vector));
  }

  /** A legacy line's vector: the IRQ model's base + irq, for lines 0-15. */
  @Override
  public int irqVector(int line) {
    return line >= 0 && line < 16 ? irq.isaIrqBase() + line : -1;
  }

  @Override
  public int timerVector() {
    return irq.timerVector();
  }

  @Override
  public String timerName() {
    return irq.timerName();
  }

  /** The IDT entry of a vector: int $0x80's, #DB's and #MC's, or the interrupt model's. */
  String handlerName(int vector) {
    return I386Idt.entryOf(vector, entry, traps, irq);
  }

  @Override
  public List<Frame> unwind(Kernel k, long task, boolean running, int cpu) {
    return new I386Unwind(k, this).unwind(task, running, cpu);
  }

  @Override
  public List<kstack.stack.StackRange> stackRanges(Kernel k, long task, boolean running, int cpu) {
    return new I386Unwind(k, this).ranges(task, cpu, running);
  }

  @Override
  public List<StackWord> describeStack(Kernel k, long task, boolean running, int cpu) {
    return I386StackWords.describe(k, this, task, running, cpu);
  }

  @Override
  public String smpBringUpMissing() {
    return boot.smpBringUpMissing();
  }

  @Override
  public String noFastSyscallEntry() {
    return sysenter.noFastSyscallEntry();
  }

  @Override
  public DoubleFault userDoubleFault() {
    return traps.userDoubleFault();
  }
}
