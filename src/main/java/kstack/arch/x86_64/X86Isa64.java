package kstack.arch.x86_64;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.cpu.RegisterSet;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.kernel.Arch;
import kstack.kernel.Kernel;
import kstack.layout.Types;

/**
 * What x86_64 fixes for every kernel generation: the registers, the SysV and system call ABIs,
 * the SYSCALL instruction, the interrupt flag and NMI blocking, the segment selectors, the
 * 4-level address space's user half, and the task accessors every generation defines the same
 * way (asm/current.h, asm/processor.h task_pt_regs). X86_64 wires the generation's modules on top.
 */
abstract class X86Isa64 extends kstack.arch.x86.X86Cpu {
  static final long USER_CS = 0x33; // __USER_CS: GDT entry 6, RPL 3 (asm/segment.h)
  static final long USER_DS = 0x2b; // __USER_DS: GDT entry 5, RPL 3
  static final long KERNEL_CS = 0x10;
  static final long KERNEL_DS = 0x18;
  static final long ENOSYS = -38;

  private final RegisterSet regs = new RegisterSet(
      Regs.NAMES,
      "rsp", "rbp", "rip", "rax", List.of("rdi", "rsi", "rdx", "rcx", "r8", "r9"),
      List.of("rbx", "rbp", "r12", "r13", "r14", "r15")).hide("nmi_blocked");

  X86Isa64() {
    super(Regs.eflags, Regs.cs, Regs.nmi_blocked);
  }

  private final Abi abi = new X86Abi();
  final Types types = new Types(8);

  /** The system call numbers the generation's table adds to the common ones. */
  abstract void addNumbers(Map<String, Integer> numbers);

  @Override
  public String name() {
    return "x86_64";
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

  /** TASK_SIZE_MAX + PAGE_SIZE: the first non-canonical address of the lower half (4-level). */
  @Override
  public long userDs() {
    return userTop() - 4096; // TASK_SIZE_MAX
  }

  @Override
  public long userTop() {
    return 0x0000800000000000L;
  }

  /**
   * arch/x86/entry/syscalls/syscall_64.tbl (same numbers in 4.16 and 6.19;
   * include/asm/unistd_64.h@2.6.32.67 too); clone3 from 5.3.
   */
  @Override
  public Map<String, Integer> syscallNumbers() {
    if (syscallNumbers == null) { // built once: the run loop asks for names on every system call
      syscallNumbers = java.util.Collections.unmodifiableMap(buildSyscallNumbers());
    }
    return syscallNumbers;
  }

  private Map<String, Integer> syscallNumbers;

  private Map<String, Integer> buildSyscallNumbers() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("read", 0);
    m.put("write", 1);
    m.put("pipe", 22);
    m.put("sched_yield", 24);
    m.put("nanosleep", 35);
    m.put("getpid", 39);
    m.put("clone", 56);
    m.put("fork", 57);
    m.put("execve", 59);
    m.put("exit", 60);
    m.put("wait4", 61);
    m.put("pipe2", 293);
    m.put("clock_nanosleep", 230);
    m.put("exit_group", 231);
    addNumbers(m);
    return m;
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
    return "switch_to(prev, next, prev) [macro]: last = __switch_to_asm(prev, next)";
  }

  @Override
  public String idleHaltSymbol() {
    return "default_idle";
  }

  @Override
  public void setUserReturn(Kernel k, kstack.cpu.Cpu cpu, kstack.mem.AddressSpace space, long ret) {
    long sp = cpu.sp() - 8;
    space.write(sp, 8, ret);
    cpu.set(Regs.rsp, sp);
  }

  /** kernel/fork.c: the non-CLONE_BACKWARDS order (x86 selects CLONE_BACKWARDS only on 32-bit). */
  @Override
  public String[] cloneParams() {
    return new String[] {"clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls"};
  }

  /** Power-on state: the BSP starts at startup_64 with no usable stack; APs wait for INIT/SIPI. */
  @Override
  public void powerOn(Kernel k, int cpu) {
    var c = k.cpu(cpu);
    c.set(Regs.cs, KERNEL_CS);
    c.set(Regs.ss, KERNEL_DS);
    c.set(Regs.eflags, 0x2);
    c.set(Regs.cr3, kstack.kernel.PageTableRoot.ofInitMm(k));
    c.set(Regs.rip, cpu == 0 ? k.image.symbol("startup_64") : 0);
  }

  /** get_current(): this_cpu_read_stable(current_task) in both 4.16 and 6.19 (asm/current.h). */
  @Override
  public long current(Kernel k, int cpu) {
    return k.mem.read64(resolved(k).currentTask + k.perCpuOffset(cpu));
  }

  /** task_pt_regs: task_stack_page + THREAD_SIZE - TOP_OF_KERNEL_STACK_PADDING - sizeof(pt_regs). */
  @Override
  public long taskPtRegs(Kernel k, long task) {
    return k.stacks.taskStackPage(task) + resolved(k).ptRegsBelowTop;
  }

  /**
   * What every system call's entry and exit and every switch ask of the linked kernel, worked out
   * once per kernel (each machine has its own arch): current_task's link address,
   * THREAD_SIZE - TOP_OF_KERNEL_STACK_PADDING - sizeof(pt_regs), and sizeof(pt_regs).
   */
  private record Resolved(Kernel k, long currentTask, long ptRegsBelowTop, long ptRegsSize) {}

  private Resolved resolved;

  private Resolved resolved(Kernel k) {
    Resolved r = resolved;
    if (r == null || r.k() != k) {
      long size = k.image.struct("pt_regs").size();
      r = new Resolved(k, k.perCpuLink("current_task"),
          k.threadSize - k.image.constant("TOP_OF_KERNEL_STACK_PADDING") - size, size);
      resolved = r;
    }
    return r;
  }

  /** task_top_of_stack: (unsigned long)(task_pt_regs(task) + 1). */
  @Override
  public long taskTopOfStack(Kernel k, long task) {
    return taskPtRegs(k, task) + resolved(k).ptRegsSize();
  }

  /**
   * The user half of a libc wrapper: nr into eax, the fourth argument from rcx to r10 (the syscall
   * ABI uses r10 because SYSCALL overwrites rcx), then SYSCALL itself: rcx = return rip, r11 = rflags,
   * rip = MSR_LSTAR, cs/ss = kernel selectors. The stack is not touched ([ARCH], Intel SDM SYSCALL).
   */
  @Override
  public void userSyscall(Exec x, int nr) {
    x.set(Regs.rax, nr);
    x.set(Regs.r10, x.reg(Regs.rcx));
    syscallInstruction(x);
  }

  private static final int[] SYSCALL_ARGS = {Regs.rdi, Regs.rsi, Regs.rdx, Regs.r10, Regs.r8, Regs.r9};

  /** x86_64 syscall ABI: nr in rax; arguments in rdi, rsi, rdx, r10, r8, r9. */
  @Override
  public void setSyscallRegisters(kstack.cpu.Cpu cpu, int nr, long[] args) {
    int[] r = SYSCALL_ARGS;
    cpu.set(Regs.rax, nr);
    for (int i = 0; i < args.length; i++) {
      cpu.set(r[i], args[i]);
    }
  }

  @Override
  public void syscallInstruction(Exec x) {
    x.set(Regs.rcx, x.nextPc());
    x.set(Regs.r11, x.reg(Regs.eflags));
    x.set(Regs.eflags, x.reg(Regs.eflags) & ~EFLAGS_IF);
    x.set(Regs.cs, KERNEL_CS);
    x.set(Regs.ss, KERNEL_DS);
    x.jumpTo(x.reg(Regs.lstar));
  }

  @Override
  public int exceptionVector(String name) {
    return switch (name) {
      case "db" -> X86Traps.DB_VECTOR;
      case "mc" -> X86Traps.MC_VECTOR;
      default -> -1;
    };
  }

  @Override
  public int nmiVector() {
    return X86Exceptions.NMI_VECTOR;
  }

  /** ISA_IRQ_VECTOR(irq): legacy lines 0-15 at vectors 0x30-0x3f (asm/irq_vectors.h). */
  @Override
  public int irqVector(int irq) {
    return irq >= 0 && irq < 16 ? 0x30 + irq : -1;
  }

  /** x86_64's __START_KERNEL_map (page_64_types.h): the kernel image's virtual base. */
  private static final long START_KERNEL_MAP = 0xffffffff80000000L;

  /** __phys_addr_nodebug: the image above __START_KERNEL_map, else the direct map. */
  @Override
  public long pa(Kernel k, long va) {
    return Long.compareUnsigned(va, START_KERNEL_MAP) >= 0 ? va - START_KERNEL_MAP
        : va - k.image.constant("PAGE_OFFSET");
  }

}
