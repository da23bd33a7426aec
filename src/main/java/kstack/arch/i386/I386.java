package kstack.arch.i386;

import java.util.List;
import java.util.Map;
import kstack.kernel.Arch;
import kstack.kernel.PerCpuVar;
import kstack.cpu.Cpu;
import kstack.cpu.RegisterSet;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.stack.Frame;
import kstack.stack.StackWord;
import kstack.mem.AddressSpace;
import kstack.mem.MemoryFault;
import kstack.profile.Profile;

/**
 * i386 (32-bit x86, 3G/1G split, no PAE): 8 KiB kernel stacks from the page allocator (i386 has no
 * VMAP_STACK: arch/x86/Kconfig@4.16.13:125), the 68-byte pt_regs below TOP_OF_KERNEL_STACK_PADDING,
 * {@code int $0x80} entry through the TSS's ring-0 stack, per-CPU data reached through %fs.
 * Facts: docs/research/i386-and-2.x.md §0 and §4 (4.16.13), linux-facts §1.2, §2.2, §2.4.
 */
public final class I386 implements Arch {
  static final long USER_CS = 0x73; // GDT entry 14, RPL 3 (asm/segment.h@4.16.13:94-125)
  static final long USER_DS = 0x7b;
  static final long KERNEL_CS = 0x60;
  static final long KERNEL_DS = 0x68;
  static final long KERNEL_PERCPU = 0xd8; // GDT_ENTRY_PERCPU 27
  static final long EFLAGS_IF = 0x200;
  static final long ENOSYS = -38;
  static final int SYSCALL_VECTOR = 0x80; // IA32_SYSCALL_VECTOR

  private final RegisterSet regs = I386Abi.registers();
  private final Abi abi;
  private final Types types = new Types(4);
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
  public String name() {
    return "i386";
  }

  @Override
  public RegisterSet registers() {
    return regs;
  }

  @Override
  public Abi abi() {
    return abi;
  }

  @Override
  public Types types() {
    return types;
  }

  /** TASK_SIZE = PAGE_OFFSET (asm/processor.h, CONFIG_VMSPLIT_3G). */
  @Override
  public long userTop() {
    return I386Oops.PAGE_OFFSET;
  }

  @Override
  public Map<String, StructLayout> layouts(Profile p) {
    return layout.structs(p, types);
  }

  @Override
  public Map<String, Long> constants(Profile p) {
    return I386Layouts.constants(p, entry);
  }

  @Override
  public Map<String, Integer> syscallNumbers() {
    return entry.syscallNumbers();
  }

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
  public String mmRegister() {
    return "cr3";
  }

  @Override
  public String switchToSymbol() {
    return "__switch_to_asm";
  }

  @Override
  public String switchToText() {
    return "switch_to(prev, next, prev) [macro]: last = __switch_to_asm(prev, next) (eax, edx)";
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

  @Override
  public String idleHaltSymbol() {
    return "default_idle";
  }

  /** 4.16: the per-CPU __preempt_count; 2.6.32: current_thread_info()->preempt_count (esp masked). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return process.preemptCountAddress(k, cpu);
  }

  @Override
  public void setUserReturn(Kernel k, Cpu cpu, AddressSpace space, long ret) {
    long sp = cpu.sp() - 4;
    space.write(sp, 4, ret);
    cpu.set("esp", sp);
  }

  /** CONFIG_CLONE_BACKWARDS (arch/x86/Kconfig@4.16.13:10-16): tls before child_tidptr. */
  @Override
  public String[] cloneParams() {
    return new String[] {"clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr"};
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

  /** 32-bit per-CPU data is never zero-based: %fs's segment base is the CPU's offset. */
  @Override
  public boolean perCpuZeroBased(Profile p) {
    return false;
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return k.image.symbol(name);
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

  /**
   * task_pt_regs: task_stack_page + THREAD_SIZE - TOP_OF_KERNEL_STACK_PADDING - sizeof(pt_regs); on
   * 2.4 the 60-byte pt_regs end at the very top of the task_union (process.c@2.4.22:589).
   */
  @Override
  public long taskPtRegs(Kernel k, long task) {
    return k.stacks.taskStackPage(task) + k.threadSize - k.image.constant("TOP_OF_KERNEL_STACK_PADDING")
        - k.image.constant("SIZEOF_PTREGS");
  }

  /** The top of the hardware frame: thread.sp0 = childregs + 1 (process_32.c@4.16.13:139). */
  @Override
  public long taskTopOfStack(Kernel k, long task) {
    return taskPtRegs(k, task) + k.image.constant("SIZEOF_PTREGS");
  }

  /** The libc wrapper: the arguments into registers, nr into eax (I386Abi), then int $0x80. */
  @Override
  public void userSyscall(Exec x, int nr) {
    I386Abi.loadSyscallRegisters(x, nr);
    syscallInstruction(x);
  }

  @Override
  public List<String> elfPlatInitRegs(Kernel k) {
    return entry.elfPlatInitRegs();
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
    x.set("eip", x.nextPc());
    I386Idt.deliver(x.cpu(), SYSCALL_VECTOR, x::read, x::write, x::symbol, handlerName(SYSCALL_VECTOR),
        kernelCs, kernelDs, entry.int80TrapGate());
    x.jumpTo(x.reg("eip"));
  }

  @Override
  public void setSyscallRegisters(Cpu cpu, int nr, long[] args) {
    I386Abi.setSyscallRegisters(cpu, nr, args);
  }

  @Override
  public void irqEnable(Exec x) {
    x.set("eflags", x.reg("eflags") | EFLAGS_IF);
  }

  @Override
  public void irqDisable(Exec x) {
    x.set("eflags", x.reg("eflags") & ~EFLAGS_IF);
  }

  @Override
  public boolean irqsEnabled(Kernel k, int cpu) {
    return (k.cpu(cpu).get("eflags") & EFLAGS_IF) != 0;
  }

  @Override
  public String deliverInterrupt(Kernel k, int cpu, int vector) {
    return I386Idt.deliver(k.cpu(cpu), vector, k::readPtr, k::writePtr, k.image::symbol, handlerName(vector),
        kernelCs, kernelDs, traps.trapGate(vector));
  }

  /** A kernel-mode fault oopses: there is no guard page on i386 (I386Oops). */
  @Override
  public boolean takeFault(Kernel k, int cpu, MemoryFault f) {
    return I386Oops.takeFault(k, cpu, f);
  }

  @Override
  public int exceptionVector(String name) {
    return I386Traps.vectorOf(name);
  }

  @Override
  public List<String> exceptionNames() {
    return List.of("db", "mc");
  }

  @Override
  public boolean nmiBlocked(Kernel k, int cpu) {
    return k.cpu(cpu).get("nmi_blocked") != 0;
  }

  @Override
  public String noNmiReason() {
    return null;
  }

  @Override
  public int nmiVector() {
    return I386Irq.NMI_VECTOR;
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

  /** user_mode(regs): the saved CS has RPL 3 (the VM86 flag is not modelled). */
  @Override
  public boolean userModeRegs(Kernel k, long regs) {
    return (k.readPtr(regs + k.image.off("pt_regs", "cs")) & 3) == 3;
  }

  @Override
  public boolean inUserMode(Kernel k, int cpu) {
    return (k.cpu(cpu).get("cs") & 3) == 3;
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

  /**
   * CONFIG_NR_CPUS, 8 (arch/x86/Kconfig: range 2 8 and default "8" if SMP && X86_32 &&
   * !X86_BIGSMP, @2.6.32.67 and @4.16.13; 6.19 dropped BIGSMP).
   */
  @Override
  public int nrCpus() {
    return 8;
  }

  @Override
  public String nrCpusWhy() {
    return "NR_CPUS: arch/x86/Kconfig's default and limit for X86_32 without X86_BIGSMP is 8, "
        + "@2.6.32.67, @4.16.13 and @6.19 alike";
  }

  @Override
  public String smpBringUpMissing() {
    return boot.smpBringUpMissing();
  }

  /** copy_thread's TLS is a GDT descriptor from a struct user_desc (do_set_thread_area). */
  @Override
  public String copyThreadTlsMissing() {
    return "copy_thread would install a GDT TLS descriptor from a struct user_desc "
        + "(do_set_thread_area), which the model does not";
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
