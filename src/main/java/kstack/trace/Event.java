package kstack.trace;

import kstack.stack.StackKind;

/**
 * What happened, in the words of the mechanism: the story the CLI prints and a UI would draw. Events
 * are derived facts; the state itself is memory and registers. Every event holds data only (numbers,
 * enums, names), never prose, except the lines the kernel itself prints (a panic, a printk); its text
 * is rendered in one place, {@link EventText}, which each record's {@link #describe} calls.
 */
public sealed interface Event {
  /** One line for the story output. */
  String describe();

  /** The CPU the event happened on. */
  int cpu();

  // ---- tasks and the scheduler --------------------------------------------------------------

  /** A task came into existence with its stack. */
  record TaskCreated(int cpu, int pid, String comm, int ppid, long task, long stack) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The CPU moved from one task's stack to another's. */
  record ContextSwitch(int cpu, int fromPid, String from, int toPid, String to) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A task stopped running until something wakes it; why names what it waits for. */
  record Blocked(int cpu, int pid, String why) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A task was made runnable; by names the waker. */
  record Woken(int cpu, int pid, String by) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A task exited; its stack was released. */
  record TaskExited(int cpu, int pid, long code) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A dead task leaves the CPU for the last time: in schedule with PF_DEAD, or do_task_dead. */
  record LastSwitchOut(int cpu, int pid, boolean pfDead) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** exit_notify: a non-leader thread is released at once, leaving no zombie. */
  record ThreadAutoreaped(int cpu, int pid, int leader) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The machine's idle user loop: a task asks for a command by yielding the CPU. */
  record YieldForCommand(int cpu, int pid, String comm) implements Event {
    public String describe() { return EventText.line(this); }
  }

  // ---- system calls and the return to user mode ---------------------------------------------

  /** Entry into the kernel through the system-call instruction. */
  record SyscallEntry(int cpu, int pid, String name, long nr, long userSp, long ptRegs)
      implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** i386 int $0x80 from kernel mode: no ss/esp pushed, so pt_regs lie inside the stack. */
  record SyscallFromKernel(int cpu, int pid, String name, long nr, long ptRegs) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** Return to user mode with the syscall's result. */
  record SyscallExit(int cpu, int pid, String name, long result) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The instruction that leaves the kernel for user mode. */
  enum ReturnPath {
    IRET("iret"), IRETQ("iretq"), ERET("eret"), SYSEXIT("sysexit");

    private final String insn;

    ReturnPath(String insn) {
      this.insn = insn;
    }

    public String insn() {
      return insn;
    }
  }

  /** A return to user mode that is not a syscall's: from an interrupt, or by SYSEXIT. */
  record ReturnToUser(int cpu, int pid, ReturnPath path) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A task's first return to user mode after execve: it starts at _start. */
  record ExecStart(int cpu, int pid, String comm) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The return to user mode goes on although current's named part was overwritten. */
  record CorruptReturn(int cpu, ReturnPath path, String overwritten) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** x86_64 2.6 kernel_execve builds pt_regs inside the kernel stack for sys_execve. */
  record ExecveRegsBuilt(int cpu, int pid, long ptRegs) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /**
   * A kernel thread's execve leaves for user mode from pt_regs inside its stack: built by x86_64
   * kernel_execve (path IRETQ), or on i386 by init()'s execve stub (initStub) or kernel_execve,
   * the next entry starting at tssField (its address tssSp).
   */
  record ExecveRegsLeft(int cpu, ReturnPath path, int pid, long ptRegs, boolean initStub,
      String tssField, long tssSp) implements Event {
    public String describe() { return EventText.line(this); }
  }

  // ---- stacks --------------------------------------------------------------------------------

  /** How the new stack records the way back: nothing, a word at its top, thread_info. */
  enum BackLink {
    NONE, FIRST_WORD, TOP_WORD, LOWEST_WORD, PREVIOUS_ESP
  }

  /**
   * A routine moved the stack pointer (register spReg) onto a per-CPU stack (the kernel's
   * stackName) at sp; link says where that stack keeps backLink, the way back.
   */
  record StackSwitch(int cpu, String routine, StackKind from, StackKind to, String stackName,
      String spReg, long sp, BackLink link, long backLink) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** arm64 kernel_ventry: SP has left its stack; onto the overflow stack. */
  record OverflowStackEntry(int cpu, long sp, long overflowTop) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The demo tasklet's body: where softirq work runs. */
  record SoftirqWork(int cpu, String spReg, long sp) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** arm64 handle_bad_stack's report: ESR, FAR and the three stacks' bounds. */
  record BadStack(int cpu, long esr, long far, long taskLow, long taskHigh, long irqLow, long irqHigh,
      long overflowLow, long overflowHigh, int pid, String comm) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** x86_64 handle_stack_overflow's printk; stackType is 6.x's stack name ("TASK") or empty. */
  record GuardPageHit(int cpu, String stackType, long address, long low, long high)
      implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** x86_64 handle_stack_overflow: the task whose stack overflowed. */
  record StackOverflow(int cpu, int pid, String comm) implements Event {
    public String describe() { return EventText.line(this); }
  }

  // ---- boot ----------------------------------------------------------------------------------

  /** A boot routine set a CPU's stack pointer spReg from source (symbols, an expression). */
  record BootStack(int cpu, String routine, String spReg, String source, long sp) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** 2.4 startup_32: esp = stack_start, and current is the task_union at its base. */
  record BootStackTaskUnion(int cpu, long sp, long task) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** arm64 init_cpu_task: sp_el0 = the task, sp = its pt_regs, the final frame record above. */
  record InitCpuTask(int cpu, int pid, long sp, long finalFrame) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** start_kernel: current is init_task, found from esp (taskUnion, 2.4) or per-CPU. */
  record InitTaskCurrent(int cpu, boolean taskUnion) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** smp_init: an application processor is online on its idle task's stack. */
  record CpuOnline(int cpu, long online) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** x86_64 cpu_init: TSS sp0 points at the entry stack. */
  record EntryStackSet(int cpu, long sp0) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** x86_64 syscall_init: MSR_LSTAR = entry_SYSCALL_64. */
  record SyscallEntrySet(int cpu, long entry) implements Event {
    public String describe() { return EventText.line(this); }
  }

  // ---- interrupts, NMIs and traps ------------------------------------------------------------

  /** A vector was delivered: handler runs for source, interrupting at (the task who). */
  record InterruptDelivered(int cpu, String handler, String source, int vector, String at,
      String who) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** Why an interrupt cannot be delivered yet. */
  enum Held {
    IRQS_DISABLED, NMI_BLOCKED
  }

  /** An interrupt was raised but is held. */
  record InterruptPending(int cpu, String source, Held held, String at) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** Which NMI handler ran, and where. */
  enum NmiPath {
    IST_STACK, INTERRUPTED_STACK, EXC_NMI, UNKNOWN_REASON, UNKNOWN_REASON_CONTINUE
  }

  /** An NMI was handled on the stack spReg = sp. */
  record NmiHandled(int cpu, NmiPath path, String spReg, long sp) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** What a #DB or #MC handler concluded. */
  enum TrapOutcome {
    DB_UNCLAIMED, DB_USER_ICEBP, DB_SIGTRAP_ANY_MODE, MC_NOTHING_TO_RECOVER, DB_HANDLED,
    MC_HANDLED
  }

  /**
   * A #DB or #MC handler ran on spReg = sp; pid is current's (a SIGTRAP's target), release the
   * kernel release whose rule sends SIGTRAP whatever the mode.
   */
  record TrapHandled(int cpu, TrapOutcome outcome, int pid, String release, String spReg, long sp)
      implements Event {
    public String describe() { return EventText.line(this); }
  }

  // ---- faults, oopses and panics -------------------------------------------------------------

  /** The kernel panics with this message (what panic() prints). */
  record Panic(int cpu, String message) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A line the kernel writes to the console. */
  record Console(int cpu, String line) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The oops line's form: each arch's page fault handler prints its own. */
  enum OopsForm {
    X86_64, I386, ARM64
  }

  /**
   * The page fault handler's oops: address, at (the faulting code), who (current); realRam says
   * the model holds no memory where the real kernel maps RAM.
   */
  record PageFaultOops(int cpu, OopsForm form, long address, String at, String who,
      boolean realRam) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** arm64: a data abort from the kernel; fault is the memory fault it met. */
  record DataAbort(int cpu, boolean write, String at, long address, String guard) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** x86_64: a write below the stack whose #PF frame cannot be pushed either: #DF. */
  record WriteDoubleFault(int cpu, long address, boolean stackKnown, long stack) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The fault handler faulted in its turn at again (the overflow overwrote what it needs). */
  record RecursiveFault(int cpu, long address, boolean write, String at, long again)
      implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A step (via) sent the CPU to an address holding no code. */
  record WildJump(int cpu, String via, long to) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The instruction fetch at a wild jump's target oopses. */
  record FetchOops(int cpu, long address) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** A trap from user mode cannot push its frame (the TSS stack pointer was overwritten). */
  record UserTrapDoubleFault(int cpu, String at, long address) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** Where a double fault ends. */
  enum DoubleFaultEnd {
    IST_DIE, TRIPLE_FAULT, DOUBLEFAULT_SHIM, DOUBLEFAULT_TASK
  }

  /** The double fault's handling. */
  record DoubleFault(int cpu, DoubleFaultEnd end) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** The access that faulted in user mode. */
  enum Access {
    WRITE, FETCH, READ
  }

  /** init faults in user mode (at, by access of address): SIGSEGV kills it. */
  record InitKilled(int cpu, String at, Access access, long address) implements Event {
    public String describe() { return EventText.line(this); }
  }

  /** try_to_wake_up, waking init for a request, reads what the overflow overwrote. */
  record WakeupOops(int cpu, long address) implements Event {
    public String describe() { return EventText.line(this); }
  }
}
