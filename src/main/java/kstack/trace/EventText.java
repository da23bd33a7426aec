package kstack.trace;

import kstack.mem.MemoryFault;
import kstack.trace.Event.*;

/**
 * The one place events become story lines: "[cpuN] routine: what happened". Each record's
 * describe() calls the overload for its type here, so the wording of every line lives in this class
 * and the records hold only data.
 */
public final class EventText {
  private EventText() {
  }

  private static String at(int cpu, String routine, String text) {
    return "[cpu" + cpu + "] " + routine + ": " + text;
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  // ---- tasks and the scheduler --------------------------------------------------------------

  static String line(TaskCreated e) {
    return String.format("[cpu%d] task created: pid %d (%s), parent %d, task_struct 0x%x, stack 0x%x",
        e.cpu(), e.pid(), e.comm(), e.ppid(), e.task(), e.stack());
  }

  static String line(ContextSwitch e) {
    return String.format("[cpu%d] context switch: %s (%d) -> %s (%d)", e.cpu(), e.from(), e.fromPid(),
        e.to(), e.toPid());
  }

  static String line(Blocked e) {
    return String.format("[cpu%d] pid %d blocks: %s", e.cpu(), e.pid(), e.why());
  }

  static String line(Woken e) {
    return String.format("[cpu%d] pid %d woken by %s", e.cpu(), e.pid(), e.by());
  }

  static String line(TaskExited e) {
    return String.format("[cpu%d] pid %d exits with code %d", e.cpu(), e.pid(), e.code());
  }

  static String line(LastSwitchOut e) {
    return at(e.cpu(), e.pfDead() ? "schedule" : "do_task_dead", "pid " + e.pid()
        + " leaves the CPU for the last time" + (e.pfDead() ? " (PF_DEAD)" : ""));
  }

  static String line(ThreadAutoreaped e) {
    return at(e.cpu(), "exit_notify", "pid " + e.pid() + " (a thread of " + e.leader()
        + ") is autoreaped: release_task, no zombie");
  }

  static String line(YieldForCommand e) {
    return at(e.cpu(), "sched_yield", "pid " + e.pid() + " (" + e.comm()
        + ") waits for a command: it yields the CPU to queued work");
  }

  // ---- system calls and the return to user mode ---------------------------------------------

  static String line(SyscallEntry e) {
    return String.format("[cpu%d] pid %d enters %s (nr %d): user sp 0x%x, pt_regs at 0x%x", e.cpu(),
        e.pid(), e.name(), e.nr(), e.userSp(), e.ptRegs());
  }

  static String line(SyscallFromKernel e) {
    return at(e.cpu(), "system_call", String.format("pid %d enters %s (nr %d) from kernel mode: the "
        + "CPU pushed no ss/esp, so pt_regs at 0x%x lie inside the kernel stack, not at its top",
        e.pid(), e.name(), e.nr(), e.ptRegs()));
  }

  static String line(SyscallExit e) {
    return String.format("[cpu%d] pid %d returns to user from %s = %d", e.cpu(), e.pid(), e.name(),
        e.result());
  }

  static String line(ReturnToUser e) {
    String what = switch (e.path()) {
      case ERET -> " returns to EL0";
      case SYSEXIT -> " leaves by SYSEXIT: nothing popped from the kernel stack, esp = ecx, eip = edx";
      default -> " returns to user mode from an interrupt";
    };
    return at(e.cpu(), e.path().insn(), "pid " + e.pid() + what);
  }

  static String line(ExecStart e) {
    return at(e.cpu(), "execve", "pid " + e.pid() + " (" + e.comm() + ") starts in user mode at _start");
  }

  static String line(CorruptReturn e) {
    boolean eret = e.path() == ReturnPath.ERET;
    return at(e.cpu(), eret ? "kernel_exit" : e.path().insn(), "the return to user mode goes on "
        + "although current's " + e.overwritten() + (eret ? ": nothing on this path reads it"
            : ": the iret pops only what the stack holds"));
  }

  static String line(ExecveRegsBuilt e) {
    return at(e.cpu(), "kernel_execve", String.format("pid %d builds pt_regs at 0x%x, inside its "
        + "kernel stack, for sys_execve to rewrite", e.pid(), e.ptRegs()));
  }

  static String line(ExecveRegsLeft e) {
    if (e.path() == ReturnPath.IRETQ) {
      return at(e.cpu(), "iretq", String.format("pid %d leaves for user mode from the pt_regs that "
          + "kernel_execve built at 0x%x, inside its kernel stack; the rest of that stack is "
          + "abandoned: the next entry starts at kernel_stack again", e.pid(), e.ptRegs()));
    }
    return at(e.cpu(), e.path().insn(), String.format("pid %d leaves for user mode from the pt_regs "
        + "that %s int $0x80 built at 0x%x, inside its kernel stack; start_thread wrote the user esp "
        + "and ss just above them. The rest of that stack is abandoned: the next entry starts at "
        + "TSS.%s (0x%x) again", e.pid(), e.initStub() ? "init()'s execve stub" : "kernel_execve's",
        e.ptRegs(), e.tssField(), e.tssSp()));
  }

  // ---- stacks --------------------------------------------------------------------------------

  static String line(StackSwitch e) {
    String link = switch (e.link()) {
      case NONE -> "";
      case FIRST_WORD -> ", its first word links back to " + hex(e.backLink());
      case TOP_WORD -> ", the top word links back to " + hex(e.backLink());
      case LOWEST_WORD -> ", its lowest word links back to " + hex(e.backLink());
      case PREVIOUS_ESP -> "; its thread_info's previous_esp = " + hex(e.backLink());
    };
    return at(e.cpu(), e.routine(), "onto the " + e.stackName() + ": " + e.spReg() + " = "
        + hex(e.sp()) + link);
  }

  static String line(OverflowStackEntry e) {
    return at(e.cpu(), "kernel_ventry", String.format("SP 0x%x has bit THREAD_SHIFT set: off the "
        + "stack; onto the overflow stack (0x%x)", e.sp(), e.overflowTop()));
  }

  static String line(SoftirqWork e) {
    return at(e.cpu(), "kstack_demo_tasklet", "softirq work runs with " + e.spReg() + " "
        + hex(e.sp()));
  }

  static String line(BadStack e) {
    return at(e.cpu(), "handle_bad_stack", String.format("Insufficient stack space to handle "
        + "exception! ESR: 0x%x, FAR: 0x%016x; task stack [0x%016x..0x%016x], IRQ stack "
        + "[0x%016x..0x%016x], overflow stack [0x%016x..0x%016x]; pid %d (%s)", e.esr(), e.far(),
        e.taskLow(), e.taskHigh(), e.irqLow(), e.irqHigh(), e.overflowLow(), e.overflowHigh(),
        e.pid(), e.comm()));
  }

  static String line(GuardPageHit e) {
    return at(e.cpu(), "handle_stack_overflow", String.format("BUG: %sstack guard page was hit at "
        + "0x%x (stack is 0x%x..0x%x)", e.stackType().isEmpty() ? "" : e.stackType() + " ",
        e.address(), e.low(), e.high()));
  }

  static String line(StackOverflow e) {
    return at(e.cpu(), "handle_stack_overflow", String.format("kernel stack overflow (double-fault) "
        + "in pid %d (%s)", e.pid(), e.comm()));
  }

  // ---- boot ----------------------------------------------------------------------------------

  static String line(BootStack e) {
    return at(e.cpu(), e.routine(), e.spReg() + " = " + e.source() + " = " + hex(e.sp()));
  }

  static String line(BootStackTaskUnion e) {
    return at(e.cpu(), "startup_32", String.format("esp = stack_start = 0x%x; current = esp & ~8191 "
        + "= init_task at 0x%x", e.sp(), e.task()));
  }

  static String line(InitCpuTask e) {
    return at(e.cpu(), "init_cpu_task", String.format("sp_el0 = pid %d; sp = task_pt_regs = 0x%x; "
        + "the FINAL frame record at 0x%x", e.pid(), e.sp(), e.finalFrame()));
  }

  static String line(InitTaskCurrent e) {
    return at(e.cpu(), "start_kernel", e.taskUnion()
        ? "current = esp & ~8191 = &init_task (pid 0), at the base of init_task_union"
        : "per-CPU areas in place; current = &init_task (pid 0) on init_stack");
  }

  static String line(CpuOnline e) {
    return at(e.cpu(), "smp_init", "CPU " + e.online() + " is online on its idle task's stack");
  }

  static String line(EntryStackSet e) {
    return at(e.cpu(), "cpu_init", "cpu_tss_rw.x86_tss.sp0 = " + hex(e.sp0()) + " (entry stack)");
  }

  static String line(SyscallEntrySet e) {
    return at(e.cpu(), "syscall_init", "MSR_LSTAR = entry_SYSCALL_64 (" + hex(e.entry()) + ")");
  }

  // ---- interrupts, NMIs and traps ------------------------------------------------------------

  static String line(InterruptDelivered e) {
    return at(e.cpu(), e.handler(), e.source() + ": vector 0x" + Integer.toHexString(e.vector())
        + " interrupts " + e.at() + " (" + e.who() + ")");
  }

  static String line(InterruptPending e) {
    String why = e.held() == Held.IRQS_DISABLED ? "interrupts are disabled"
        : "NMIs are blocked until the running NMI handler's iretq";
    return at(e.cpu(), "pending", e.source() + " is pending: " + why + " at " + e.at());
  }

  static String line(NmiHandled e) {
    String sp = e.spReg() + " " + hex(e.sp());
    return switch (e.path()) {
      case IST_STACK -> at(e.cpu(), "do_nmi", "NMI handled on the NMI IST stack, " + sp);
      case INTERRUPTED_STACK -> at(e.cpu(), "do_nmi", "NMI handled on the interrupted stack, " + sp);
      case EXC_NMI -> at(e.cpu(), "exc_nmi", "NMI handled, " + sp);
      case UNKNOWN_REASON -> at(e.cpu(), "unknown_nmi_error",
          "Uhhuh. NMI received for unknown reason on CPU " + e.cpu() + " (" + sp + ")");
      case UNKNOWN_REASON_CONTINUE -> at(e.cpu(), "do_nmi", "an NMI for unknown reason 00 on CPU "
          + e.cpu() + ", handled on the stack it interrupted (running on " + sp + ")");
    };
  }

  static String line(TrapHandled e) {
    String running = " (running on " + e.spReg() + " " + hex(e.sp()) + ")";
    return switch (e.outcome()) {
      case DB_UNCLAIMED -> at(e.cpu(), "#DB", "DR6 = 0: no breakpoint, single step or task switch "
          + "condition; nothing claims it" + running);
      case DB_USER_ICEBP -> at(e.cpu(), "#DB", "DR6 = 0 from user mode looks like an icebp (int1): "
          + "send_sigtrap() queues SIGTRAP for pid " + e.pid() + " (signal delivery is not modelled)"
          + running);
      case DB_SIGTRAP_ANY_MODE -> at(e.cpu(), "#DB", "DR6 = 0: " + e.release() + " sends SIGTRAP to "
          + "pid " + e.pid() + " whatever the mode (signal delivery is not modelled)" + running);
      case MC_NOTHING_TO_RECOVER -> at(e.cpu(), "#MC", "MCG_STATUS has RIPV and no MCA bank holds a "
          + "valid error: nothing to recover; the handler returns" + running);
      case DB_HANDLED -> at(e.cpu(), "do_debug", "#DB handled on " + e.spReg() + " " + hex(e.sp()));
      case MC_HANDLED -> at(e.cpu(), "intel_machine_check", "#MC handled on " + e.spReg() + " "
          + hex(e.sp()));
    };
  }

  // ---- faults, oopses and panics -------------------------------------------------------------

  static String line(Panic e) {
    return at(e.cpu(), "panic", e.message());
  }

  static String line(Console e) {
    return at(e.cpu(), "console", e.line());
  }

  static String line(PageFaultOops e) {
    String text = switch (e.form()) {
      case X86_64 -> String.format("BUG: unable to handle page fault for address: 0x%x, at %s (%s)",
          e.address(), e.at(), e.who());
      case I386 -> String.format("BUG: unable to handle kernel paging request at %08x, at %s (%s)",
          e.address(), e.at(), e.who());
      case ARM64 -> String.format("Unable to handle kernel paging request at virtual address %016x, "
          + "at %s; Internal error: Oops", e.address(), e.at());
    };
    String ram = switch (e.form()) {
      case X86_64 -> "a real x86_64 maps all of RAM in the direct map";
      case I386 -> "a real i386 maps all of lowmem";
      case ARM64 -> "a real arm64 maps all of RAM in the linear map";
    };
    return at(e.cpu(), "page_fault_oops", text + (!e.realRam() ? "" : "; the model holds no memory "
        + "there, where " + ram + ": a real overflow would go on silently overwriting another "
        + "allocation"));
  }

  static String line(DataAbort e) {
    return at(e.cpu(), "data abort", (e.write() ? "write" : "read") + " at " + e.at() + ": "
        + MemoryFault.describe(e.address(), e.write(), e.guard()));
  }

  static String line(WriteDoubleFault e) {
    String below = e.stackKnown() ? String.format(", below the stack at 0x%x,", e.stack())
        : " (current's task_struct is overwritten: its stack cannot be named)";
    return at(e.cpu(), "page fault", String.format("a write to 0x%x%s faults; the #PF frame cannot "
        + "be pushed there either: double fault", e.address(), below));
  }

  static String line(RecursiveFault e) {
    return at(e.cpu(), "page_fault_oops", String.format("BUG: unable to handle kernel paging request "
        + "at 0x%x (%s at %s); handling it faults in its turn at 0x%x (the overflow overwrote what "
        + "the handler needs: current's task_struct, the per-CPU data)", e.address(),
        e.write() ? "write" : "read", e.at(), e.again()));
  }

  static String line(WildJump e) {
    return at(e.cpu(), "oops", String.format("%s sent the CPU to 0x%x, where there is no code: the "
        + "address it took was overwritten (by a stack overflow?); the instruction fetch faults",
        e.via(), e.to()));
  }

  static String line(FetchOops e) {
    return at(e.cpu(), "page_fault_oops", String.format("BUG: unable to handle kernel paging request "
        + "at 0x%x (instruction fetch)", e.address()));
  }

  static String line(UserTrapDoubleFault e) {
    return at(e.cpu(), "double fault", String.format("the trap from user mode at %s cannot push its "
        + "frame at 0x%x: the kernel stack pointer in the TSS came from an overwritten task_struct; "
        + "the page fault needs the same stack: double fault", e.at(), e.address()));
  }

  static String line(DoubleFault e) {
    return switch (e.end()) {
      case IST_DIE -> at(e.cpu(), "do_double_fault",
          "double fault on its IST stack: die(\"double fault\")");
      case TRIPLE_FAULT -> at(e.cpu(), "triple fault", "vector 8 is a plain trap gate on 2.4, whose "
          + "frame needs the same stack: triple fault, the CPU shuts down");
      case DOUBLEFAULT_SHIM -> at(e.cpu(), "exc_double_fault", "double fault: doublefault_shim "
          + "builds pt_regs from the TSS and calls exc_double_fault, which dies");
      case DOUBLEFAULT_TASK -> at(e.cpu(), "doublefault_fn", "PANIC: double fault (the "
          + "double-fault task's handler prints this and spins forever)");
    };
  }

  static String line(InitKilled e) {
    String access = switch (e.access()) {
      case WRITE -> "write to";
      case FETCH -> "instruction fetch at";
      case READ -> "read of";
    };
    return at(e.cpu(), "do_exit", String.format("init faults in user mode at %s (%s 0x%x): SIGSEGV "
        + "kills it, and the kernel cannot go on without init", e.at(), access, e.address()));
  }

  static String line(WakeupOops e) {
    return at(e.cpu(), "page_fault_oops", String.format("BUG: unable to handle kernel paging request "
        + "at 0x%x, in try_to_wake_up: waking init for the request reads a task_struct or wait "
        + "queue the overflow overwrote", e.address()));
  }
}
