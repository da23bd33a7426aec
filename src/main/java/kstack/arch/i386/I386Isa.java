package kstack.arch.i386;

import java.util.List;
import kstack.cpu.Cpu;
import kstack.cpu.RegisterSet;
import kstack.exec.Exec;
import kstack.kernel.Arch;
import kstack.kernel.Kernel;
import kstack.layout.Types;
import kstack.mem.AddressSpace;
import kstack.mem.MemoryFault;
import kstack.profile.Profile;

/**
 * What no i386 generation changes: the ISA's registers and flat-model selectors, ILP32 types, the
 * 3G/1G split, IF in EFLAGS, user_mode(), the pt_regs arithmetic from the image's constants, the
 * libc int $0x80 wrapper and the NR_CPUS limit. I386 adds the generation's modules.
 */
abstract class I386Isa extends kstack.arch.x86.X86Cpu {
  static final long USER_CS = 0x73; // GDT entry 14, RPL 3 (asm/segment.h@4.16.13:94-125)
  static final long USER_DS = 0x7b;
  static final long KERNEL_CS = 0x60;
  static final long KERNEL_DS = 0x68;
  static final long KERNEL_PERCPU = 0xd8; // GDT_ENTRY_PERCPU 27
  /**
   * CS_FROM_KERNEL (entry_32.S@6.19:103): the mark 6.19's FIXUP_FRAME leaves in the high bits of a
   * saved cs word (a selector is 16 bits, so no older entry sets it); the unwinder tests it too.
   */
  static final long CS_FROM_KERNEL = 1L << 29;
  static final long ENOSYS = -38;
  static final int SYSCALL_VECTOR = 0x80; // IA32_SYSCALL_VECTOR

  private final RegisterSet regs = I386Abi.registers();

  I386Isa() {
    super(Regs.eflags, Regs.cs, Regs.nmi_blocked);
  }
  private final Types types = new Types(4);

  @Override
  public String name() {
    return "i386";
  }

  @Override
  public RegisterSet registers() {
    return regs;
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
  public String idleHaltSymbol() {
    return "default_idle";
  }

  @Override
  public void setUserReturn(Kernel k, Cpu cpu, AddressSpace space, long ret) {
    long sp = cpu.sp() - 4;
    space.write(sp, 4, ret);
    cpu.set(Regs.esp, sp);
  }

  /** CONFIG_CLONE_BACKWARDS (arch/x86/Kconfig@4.16.13:10-16): tls before child_tidptr. */
  @Override
  public String[] cloneParams() {
    return new String[] {"clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr"};
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
  public void setSyscallRegisters(Cpu cpu, int nr, long[] args) {
    I386Abi.setSyscallRegisters(cpu, nr, args);
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
  public int nmiVector() {
    return I386Irq.NMI_VECTOR;
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

  /** copy_thread's TLS is a GDT descriptor from a struct user_desc (do_set_thread_area). */
  @Override
  public String copyThreadTlsMissing() {
    return "copy_thread would install a GDT TLS descriptor from a struct user_desc "
        + "(do_set_thread_area), which the model does not";
  }

  /** __pa: va - PAGE_OFFSET, in 32 bits. */
  @Override
  public long pa(Kernel k, long va) {
    return (va - k.image.constant("PAGE_OFFSET")) & 0xffffffffL;
  }

}
