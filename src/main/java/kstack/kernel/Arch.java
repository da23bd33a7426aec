package kstack.kernel;

import kstack.stack.StackRange;
import java.util.Map;
import kstack.cpu.RegisterSet;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.stack.Frame;
import kstack.profile.Profile;

/**
 * What differs between architectures, behind one small interface: registers and calling convention,
 * address-space constants, the arch structs, how {@code current} and the top of stack are found, and
 * the arch's own routines (entry code, context switch, copy_thread). Generic kernel code never asks
 * which architecture it runs on.
 */
public interface Arch {
  String name();

  RegisterSet registers();

  Abi abi();

  Types types();

  /** First address above user space: the split between a process's mm and the shared kernel. */
  long userTop();

  /**
   * USER_DS, the addr_limit set_fs(USER_DS) gives a task that execs, on the generations that have
   * one: i386 PAGE_OFFSET (asm-i386/uaccess.h@2.6.11:29), x86_64 TASK_SIZE_MAX
   * (asm/uaccess.h@2.6.32.67:28), arm64 TASK_SIZE_64 - 1 (asm/uaccess.h@4.16.13:25).
   */
  default long userDs() {
    return userTop();
  }

  /** Arch struct layouts for a profile: pt_regs, thread_info, thread_struct, switch frames, TSS... */
  Map<String, StructLayout> layouts(Profile p);

  /** Profile constants: THREAD_SIZE, PAGE_SIZE, TOP_OF_KERNEL_STACK_PADDING, PAGE_OFFSET, ... */
  Map<String, Long> constants(Profile p);

  /** System call numbers by name (the arch's syscall table). */
  Map<String, Integer> syscallNumbers();

  /** The symbol a system call's entry has in this profile (SyS_read, sys_getpid, __x64_sys_read). */
  String syscallSymbol(Profile p, String name, int nargs);

  /**
   * A routine for a system call's entry, named as the profile names it, whose body can read the
   * call's arguments as locals named after params.
   */
  kstack.exec.RoutineBuilder syscallRoutine(Kernel k, String name, String source, String... params);

  /** The register that names the loaded user address space (x86 CR3, arm64 TTBR0_EL1). */
  String mmRegister();

  /** What __schedule calls for switch_to (x86_64 __switch_to_asm, arm64 __switch_to), and how. */
  String switchToSymbol();

  String switchToText();

  /**
   * The switch_to macro as inline asm inside schedule() (2.6.32, SCHEDULE_SWITCH_INLINE): the steps
   * that save prev's resume point and stack, take next's, and go through __switch_to; afterwards
   * the return register holds prev. Only generations that have it ask.
   */
  default void inlineSwitch(Kernel k, kstack.exec.RoutineBuilder b) {
    throw new IllegalStateException(name() + " has no 2.6-era profile, so no inline switch_to");
  }

  /** What copy_process calls to forge the child's registers and first frames. */
  String copyThreadSymbol(Profile p);

  /** What smp_init's cpu_up reaches to start a secondary CPU on its idle task. */
  String cpuUpSymbol();

  /** The routine whose first body step is the CPU's halt in the idle loop (hlt, wfi). */
  String idleHaltSymbol();

  /** Where this CPU's preempt_count lives (a per-CPU variable on x86, thread_info on arm64). */
  long preemptCountAddress(Kernel k, int cpu);

  /** Makes the CPU call a user function that returns to ret (push it, or set the link register). */
  void setUserReturn(Kernel k, kstack.cpu.Cpu cpu, kstack.mem.AddressSpace space, long ret);

  /** The order of clone's register arguments (CLONE_BACKWARDS swaps tls and child_tidptr). */
  String[] cloneParams();

  /** Adds the arch's routines (entry, switch, boot, copy_thread, start_thread) to the kernel image. */
  void buildRoutines(Kernel k);

  /** Lays out the arch's objects in the kernel image's .data (head_64.S boot data and the like). */
  void linkData(Kernel k, kstack.image.Linker l);

  /** The per-CPU variables, in .data..percpu order. */
  java.util.List<PerCpuVar> perCpuVars(Kernel k);

  /** Whether .data..percpu is linked at 0 (x86_64 before 6.15: symbols are offsets). */
  boolean perCpuZeroBased(Profile p);

  /** The link address a per-CPU access uses for a name, including names that are macros. */
  long perCpuAddress(Kernel k, String name);

  /** Fills one CPU's per-CPU area with the variables' initial values. */
  void initPerCpu(Kernel k, int cpu);

  /** The arch part of INIT_TASK: init_task.thread. */
  void initThread(Kernel k, long initTask);

  /** Resets a CPU to its power-on state pointing at the boot entry; per-CPU areas exist already. */
  void powerOn(Kernel k, int cpu);

  /** {@code get_current()} as the profile finds it. */
  long current(Kernel k, int cpu);

  /** {@code task_pt_regs(task)} */
  long taskPtRegs(Kernel k, long task);

  /** {@code task_top_of_stack(task)}, the value entry code loads as the stack top. */
  long taskTopOfStack(Kernel k, long task);

  /** The user-mode instructions of a libc system-call wrapper (nr into the arch register, trap). */
  void userSyscall(Exec x, int nr);

  /**
   * The user function of the vDSO that enters the kernel by the CPU's fast system-call
   * instruction (i386: __kernel_vsyscall, through SYSENTER), or null where the model has none.
   */
  default String vdsoSyscallEntry() {
    return null;
  }

  /**
   * arch_setup_additional_pages() during exec: map the vDSO. Per-task effects (i386 2.6.32:
   * thread_info->sysenter_return) happen here; the vDSO's code is part of the user image.
   */
  default void setupAdditionalPages(Kernel k, Exec x) {}

  /**
   * The pt_regs members ELF_PLAT_INIT clears before start_thread (asm/elf.h): the new program
   * starts with no register values left from the old one.
   */
  default java.util.List<String> elfPlatInitRegs(Kernel k) {
    return java.util.List.of();
  }

  /** The system-call instruction alone (SYSCALL on x86_64): the registers are already set. */
  void syscallInstruction(Exec x);

  /** Puts a system call's number and arguments where the arch's syscall ABI wants them. */
  void setSyscallRegisters(kstack.cpu.Cpu cpu, int nr, long[] args);

  /** local_irq_enable(): the CPU takes maskable interrupts again. */
  void irqEnable(Exec x);

  /** local_irq_disable() */
  void irqDisable(Exec x);

  /** Whether maskable interrupts are enabled on the CPU. */
  boolean irqsEnabled(Kernel k, int cpu);

  /**
   * The hardware half of taking an interrupt or exception (vector): the stack the CPU switches to,
   * the frame it pushes, and the handler it jumps to through the IDT. Returns the handler's name.
   */
  String deliverInterrupt(Kernel k, int cpu, int vector);

  /**
   * A memory fault in a step: returns true when the arch turns it into an exception the simulated
   * kernel handles (x86_64: a stack overflow into the guard page becomes #DF), false to report it.
   */
  boolean takeFault(Kernel k, int cpu, kstack.mem.MemoryFault f);

  /**
   * The vector of a synchronous exception the {@code exception} command can raise by its short
   * name ({@code db}, {@code mc} on x86_64), or -1.
   */
  int exceptionVector(String name);

  /** The names {@link #exceptionVector} knows, for messages. */
  java.util.List<String> exceptionNames();

  /** Whether the CPU holds back NMIs now (x86: from NMI delivery until the next IRET). */
  boolean nmiBlocked(Kernel k, int cpu);

  /**
   * Why an {@code exception} on vector cannot be injected where the CPU is now, or null. x86_64:
   * the CPU is already below the top of that vector's IST stack, so the new frame would overwrite
   * the one the running handler returns through (the kernel keeps breakpoints out of entry code).
   */
  default String exceptionRefusal(Kernel k, int cpu, int vector) {
    return null;
  }

  /** Why the arch takes no {@code nmi} command, or null when it has a modelled NMI. */
  String noNmiReason();

  /** The NMI's vector. */
  int nmiVector();

  /** The vector a device interrupt line uses, or -1 if the line has none. */
  int irqVector(int irq);

  /** The vector of the local timer interrupt. */
  int timerVector();

  /** What the timer interrupt is called in messages. */
  default String timerName() {
    return "local timer";
  }

  /** user_mode(regs): whether a saved frame returns to user mode. */
  boolean userModeRegs(Kernel k, long regs);

  /** Whether the CPU is executing in user mode now. */
  boolean inUserMode(Kernel k, int cpu);

  /** Frames of a task, innermost first, found by reading the simulated stack bytes. */
  java.util.List<Frame> unwind(Kernel k, long task, boolean running, int cpu);

  /**
   * The stacks a task's frames can be on (its own; while it runs, its CPU's IRQ, exception, entry
   * and overflow stacks), each with this generation's rule for its edges (StackRange).
   */
  java.util.List<StackRange> stackRanges(Kernel k, long task, boolean running, int cpu);

  /** Labels for each word of a task's kernel stack (pt_regs fields, frames, switch frame...). */
  java.util.List<kstack.stack.StackWord> describeStack(Kernel k, long task, boolean running,
      int cpu);
}
