package kstack.arch.arm64;

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
import kstack.kernel.TaskMember;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.stack.Frame;
import kstack.stack.StackWord;
import kstack.mem.AddressSpace;
import kstack.profile.Profile;

/**
 * arm64 (AArch64, 4 KiB pages, 48-bit VA, VMAP_STACK): SP_EL0 holds current in the kernel,
 * exceptions push nothing and switch to SP_EL1, kernel_entry builds pt_regs at the top of the task
 * stack, __switch_to calls cpu_switch_to, which saves x19..x28, fp, sp, pc in thread.cpu_context.
 * Sources: research/arm64.md (4.16.13 and 6.19), linux-facts §1.2, §2.3, §3.6, §4.3, §5.3, §6.3, §7.3.
 */
public final class Arm64 extends Arm64Exceptions implements Arch {
  static final long PSR_MODE_EL0T = 0x0;
  static final long PSR_MODE_EL1H = 0x5;
  static final long PSR_I_BIT = 0x80;
  static final long PSR_IL_BIT = 1L << 20;

  private final RegisterSet regs;
  private final Abi abi = new Arm64Abi();
  private final Types types = new Types(8);

  private final Arm64Layout layout;
  private final FrameRecord frames;
  private final SyscallDispatch syscalls;
  private final IrqEntry irq;
  private final BootPath boot;
  private final CopyThread copyThread;

  /** The generation's modules come from the profile table (kstack.catalog.Profiles), once. */
  public Arm64(Profile p) {
    super(p.module(ExceptionEntry.class));
    layout = p.module(Arm64Layout.class);
    frames = p.module(FrameRecord.class);
    syscalls = p.module(SyscallDispatch.class);
    irq = p.module(IrqEntry.class);
    boot = p.module(BootPath.class);
    copyThread = p.module(CopyThread.class);
    regs = new RegisterSet(Regs.NAMES, "sp", "x29", "pc", "x0",
        List.of("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"),
        List.of("x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29"))
        .bankSp("pstate", 0xf, PSR_MODE_EL0T, "sp_el0");
  }

  Arm64Layout layout() {
    return layout;
  }

  FrameRecord frames() {
    return frames;
  }

  SyscallDispatch syscalls() {
    return syscalls;
  }

  IrqEntry irq() {
    return irq;
  }

  @Override
  public String name() {
    return "arm64";
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

  /** TASK_SIZE_64 = 1 << VA_BITS (processor.h@4.16.13:22, @6.19:56), 48-bit VA. */
  @Override
  public long userTop() {
    return 1L << 48;
  }

  @Override
  public long userDs() {
    return userTop() - 1;
  }

  /** The struct members the arch's code reads by handle, resolved when the kernel is built. */
  @Override
  public java.util.List<Class<? extends kstack.kernel.StructMember>> memberHandles(Profile p) {
    return java.util.List.of(PtRegs.class, CpuContext.class);
  }

  @Override
  public Map<String, StructLayout> layouts(Profile p) {
    return Arm64Layouts.build(p, types, layout);
  }

  /**
   * research arm64.md §1: THREAD_SIZE 16 KiB (32 KiB with KASAN), THREAD_ALIGN 2 * THREAD_SIZE under
   * VMAP_STACK; the 48-bit VA map (flipped between 4.16 and 6.19) is the generation's Arm64Layout.
   */
  @Override
  public Map<String, Long> constants(Profile p) {
    return Arm64Layouts.constants(p, layout);
  }

  /** The syscall table: {@link Arm64Unistd} and the numbers the generation adds. */
  @Override
  public Map<String, Integer> syscallNumbers() {
    if (syscallNumbers == null) { // built once: the run loop asks for names on every system call
      Map<String, Integer> m = Arm64Unistd.numbers();
      syscalls.addNumbers(m);
      syscallNumbers = java.util.Collections.unmodifiableMap(m);
    }
    return syscallNumbers;
  }

  private Map<String, Integer> syscallNumbers;

  /** The handlers' names: SyS_NAME with the sys_NAME alias, or __arm64_sys_NAME(regs) wrappers. */
  @Override
  public String syscallSymbol(Profile p, String name, int nargs) {
    return syscalls.syscallSymbol(name, nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return syscalls.syscallRoutine(k, name, source, params);
  }

  @Override
  public String mmRegister() {
    return "ttbr0_el1";
  }

  @Override
  public String switchToSymbol() {
    return "__switch_to";
  }

  @Override
  public String switchToText() {
    return "switch_to(prev, next, prev) [generic macro]: last = __switch_to(prev, next)";
  }

  /** arm64 4.16 has no HAVE_COPY_THREAD_TLS: copy_thread_tls is an inline wrapper (§4.4). */
  @Override
  public String copyThreadSymbol(Profile p) {
    return "copy_thread";
  }

  @Override
  public String cpuUpSymbol() {
    return "__cpu_up";
  }

  @Override
  public String idleHaltSymbol() {
    return "cpu_do_idle";
  }

  /** thread_info.preempt_count of current: arm64 keeps it in the task, not per CPU. */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return current(k, cpu) + k.tasks.off(TaskMember.thread_info_preempt_count);
  }

  @Override
  public void setUserReturn(Kernel k, Cpu cpu, AddressSpace space, long ret) {
    cpu.set(Regs.x30, ret);
  }

  /** CLONE_BACKWARDS (arch/arm64/Kconfig@4.16.13:59): tls in x3, child_tidptr in x4. */
  @Override
  public String[] cloneParams() {
    return new String[] {"clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr"};
  }
  @Override
  public String noFastSyscallEntry() {
    return "arm64 has no SYSENTER entry in this model (its system calls use svc: 'syscall')";
  }


  @Override
  public void buildRoutines(Kernel k) {
    new Arm64Entry(k, this).build();
    Arm64Process.build(k, copyThread, frames);
    Arm64Boot.build(k, boot);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    Arm64Boot.linkData(k, l);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return Arm64Boot.perCpuVars(k);
  }

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
    Arm64Boot.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    // INIT_THREAD leaves cpu_context zero; init_task runs on the boot CPU without a switch.
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    Arm64Boot.powerOn(k, cpu, boot);
  }

  /**
   * get_current() reads SP_EL0 (asm/current.h). At EL0, SP_EL0 is the user SP, so the kernel's
   * notion of current is the per-CPU __entry_task that kernel_entry will load; before the boot code
   * sets SP_EL0, init_task.
   */
  @Override
  public long current(Kernel k, int cpu) {
    Cpu c = k.cpu(cpu);
    long t = c.get(Regs.sp_el0);
    if (inUserMode(k, cpu) || (t != 0 && Long.compareUnsigned(t, userTop()) < 0)) {
      // at EL0, or in kernel_exit after SP_EL0 got the user SP back: the task is __entry_task
      return k.mem.read64(resolved(k).entryTask() + k.perCpuOffset(cpu));
    }
    return t == 0 ? resolved(k).initTask() : t;
  }

  /**
   * What current() asks of the linked kernel on every call, worked out once per kernel (each
   * machine has its own arch): __entry_task's link address and init_task's address.
   */
  private record Resolved(Kernel k, long entryTask, long initTask) {}

  private Resolved resolved;

  private Resolved resolved(Kernel k) {
    Resolved r = resolved;
    if (r == null || r.k() != k) {
      r = new Resolved(k, k.perCpuLink("__entry_task"), k.image.symbol("init_task"));
      resolved = r;
    }
    return r;
  }

  /** task_pt_regs: (struct pt_regs *)(THREAD_SIZE + task_stack_page(p)) - 1 (no padding). */
  @Override
  public long taskPtRegs(Kernel k, long task) {
    return k.stacks.taskStackPage(task) + k.threadSize - 320;
  }

  @Override
  public long taskTopOfStack(Kernel k, long task) {
    return k.stacks.taskStackPage(task) + k.threadSize;
  }

  @Override
  public void userSyscall(Exec x, int nr) {
    x.set(Regs.x8, nr);
    syscallInstruction(x);
  }

  /**
   * [ARCH] SVC from EL0: ELR_EL1 = the next instruction, SPSR_EL1 = PSTATE, DAIF masked, the stack
   * pointer becomes SP_EL1 (SP_EL0 keeps the user SP), the vector at VBAR_EL1 + 0x400 runs.
   */
  @Override
  public void syscallInstruction(Exec x) {
    takeException(x.cpu(), x.nextPc(), 0x400, 0x15L << 26);
    x.jumpTo(x.reg(Regs.pc));
  }

  @Override
  public void setSyscallRegisters(Cpu cpu, int nr, long[] args) {
    cpu.set(Regs.x8, nr);
    for (int i = 0; i < args.length; i++) {
      cpu.set(Regs.x0 + i, args[i]);
    }
  }

  /** ELF_PLAT_INIT: (_r)->regs[0] = 0 (asm/elf.h@4.16.13:138); "regs" is regs[0]'s offset. */
  @Override
  public java.util.List<kstack.layout.Member> elfPlatInitRegs(Kernel k) {
    return java.util.List.of(PtRegs.regs.in(k));
  }

  @Override
  public boolean userModeRegs(Kernel k, long regs) {
    return (k.mem.read64(regs + Arm64Entry.S_PSTATE) & 0xf) == PSR_MODE_EL0T;
  }

  @Override
  public boolean inUserMode(Kernel k, int cpu) {
    return (k.cpu(cpu).get(Regs.pstate) & 0xf) == PSR_MODE_EL0T && k.cpu(cpu).get(Regs.pc) != 0
        && Long.compareUnsigned(k.cpu(cpu).get(Regs.pc), userTop()) < 0;
  }

  @Override
  public List<Frame> unwind(Kernel k, long task, boolean running, int cpu) {
    return new Arm64Unwind(k, this).unwind(task, running, cpu);
  }

  @Override
  public List<kstack.stack.StackRange> stackRanges(Kernel k, long task, boolean running, int cpu) {
    return new Arm64Unwind(k, this).ranges(task, cpu, running);
  }

  @Override
  public List<StackWord> describeStack(Kernel k, long task, boolean running, int cpu) {
    return new Arm64Unwind(k, this).describe(task, running, cpu);
  }

  /**
   * arm64's PHYS_OFFSET (memstart_addr): RAM starts at 0x40000000, as on QEMU's virt board, and the
   * image is loaded at its start (kimage_voffset = KIMAGE_VADDR - PHYS_OFFSET). A modelling choice:
   * the boot loader decides it on a real machine.
   */
  private static final long PHYS_OFFSET = 0x40000000L;

  /** __virt_to_phys_nodebug: the linear map, or the kernel image through kimage_voffset. */
  @Override
  public long pa(Kernel k, long va) {
    long pageOffset = k.image.constant("PAGE_OFFSET");
    return layout.inLinearMap(va, pageOffset) ? layout.linearOffset(va, pageOffset) + PHYS_OFFSET
        : va - (k.image.constant("KIMAGE_VADDR") - PHYS_OFFSET);
  }
}
