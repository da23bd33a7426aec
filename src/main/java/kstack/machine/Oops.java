package kstack.machine;

import kstack.kernel.Arch;
import kstack.kernel.Kernel;
import kstack.kernel.TaskExit;
import kstack.mem.MemoryFault;
import kstack.trace.Event;

/**
 * What the kernel does when a step of its code touches memory nobody mapped or jumps where no code
 * is: the CPU raises a page fault (an instruction abort on arm64), the fault handler finds no
 * exception-table fixup for a kernel address, and the kernel oopses. The model then panics, as
 * every kernel fault does here (die() followed by panic("Fatal exception"): arch/x86/kernel/
 * dumpstack.c@4.16.13:303-325 oops_end, arch/arm64/kernel/traps.c@4.16.13:284-300 die). After a
 * stack overflow this is how the corruption finally shows: a return address, a saved frame
 * pointer or a task pointer that the recursion overwrote is followed, and the kernel faults.
 */
final class Oops {
  /** The signal a user-mode fault forces on the task: SIGSEGV, 11 on x86 and arm64 (asm/signal.h). */
  private static final long SIGSEGV = 11;

  private Oops() {}

  /**
   * A fault in kernel mode: the arch's exception path (a guard-page hit becomes #DF on x86_64, an
   * overflowing SP goes to arm64's overflow stack) or the oops. Returns false for a user-mode fault.
   * When the handler itself reads memory the overflow has overwritten (current's task_struct, say),
   * the kernel faults again inside its fault handler: that is an oops too.
   */
  static boolean fault(Kernel k, Arch arch, int cpu, MemoryFault f) {
    if (arch.inUserMode(k, cpu)) {
      return false;
    }
    String where = k.symbols.describeOrHex(k.cpu(cpu).pc());
    try {
      return arch.takeFault(k, cpu, f);
    } catch (MemoryFault again) {
      k.timeline.emit(new Event.RecursiveFault(cpu, f.address(), f.isWrite(), where,
          again.address()));
      panic(k, cpu);
      return true;
    }
  }

  /**
   * A kernel-mode step left the CPU at an address that holds no code: a return through a return
   * address the overflow overwrote, or a jump through a clobbered pointer. The instruction fetch
   * faults at that address.
   */
  static void badJump(Kernel k, Arch arch, int cpu, String from, long to) {
    k.timeline.emit(new Event.WildJump(cpu, from, to));
    if (!fault(k, arch, cpu, new MemoryFault(to, false, null)) || k.panicked() == null) {
      k.timeline.emit(new Event.FetchOops(cpu, to));
      panic(k, cpu);
    }
  }

  /**
   * A fault in a user-mode step. At a kernel address it is the CPU itself failing to push the
   * trap frame of an int $0x80 or an interrupt onto the kernel stack that TSS.esp0 names, which a
   * context switch loaded from a task_struct the overflow had overwritten. The page fault that
   * follows needs the same stack, so the CPU raises a double fault, which the arch handles as its
   * generation does ({@link Arch#userDoubleFault}: x86_64's handler dies on its IST stack; i386's
   * double-fault task spins forever, 6.19's doublefault_shim dies, 2.4 triple-faults). At a user
   * address the kernel would send the process SIGSEGV, which this model does not deliver: the
   * command says so.
   */
  static void userFault(Kernel k, Arch arch, int cpu, MemoryFault f) {
    Arch.DoubleFault df = arch.userDoubleFault();
    if (!f.isDelivery() || df == null) {
      segv(k, cpu, f);
      return;
    }
    k.timeline.emit(new Event.UserTrapDoubleFault(cpu,
        k.symbols.describeOrHex(k.cpu(cpu).pc()), f.address()));
    k.timeline.emit(new Event.DoubleFault(cpu, df.end()));
    if (df.panic() == null) {
      panic(k, cpu); // die()
    } else {
      k.panic(df.panic());
    }
  }

  /**
   * A user-mode fault (the return to user mode took an ip or sp the overflow had overwritten, in
   * the task's saved pt_regs): the kernel forces SIGSEGV on the task. For init that is fatal to the
   * kernel: it panics "Attempted to kill init!" in the generation's words (TaskExit's
   * initKilledPanic, kernel/exit.c; 4.16 and later add the exit code). For any other task the model,
   * which delivers no signals, says what the kernel would do and stops the command.
   */
  private static void segv(Kernel k, int cpu, MemoryFault f) {
    long task = k.current(cpu);
    String where = k.symbols.describeOrHex(k.cpu(cpu).pc());
    Event.Access access = f.isWrite() ? Event.Access.WRITE
        : f.address() == k.cpu(cpu).pc() ? Event.Access.FETCH : Event.Access.READ;
    String at = String.format("%s (%s 0x%x)", k.symbols.describeOrHex(k.cpu(cpu).pc()),
        f.isWrite() ? "write to" : f.address() == k.cpu(cpu).pc() ? "instruction fetch at"
            : "read of", f.address());
    int pid = k.tasks.pid(task);
    if (pid == 1) {
      String why = k.profile.module(TaskExit.class).initKilledPanic(SIGSEGV);
      k.timeline.emit(new Event.InitKilled(cpu, where, access, f.address()));
      k.timeline.emit(new Event.Panic(cpu, "Kernel panic - not syncing: " + why));
      k.panic("Kernel panic - not syncing: " + why);
      return;
    }
    throw new IllegalStateException(String.format("pid %d faults in user mode at %s (its saved "
        + "registers were overwritten?): the kernel would kill it with SIGSEGV, which this model "
        + "does not deliver", pid, at));
  }

  /**
   * The console's write to init's control pipe wakes init (pipe_write -> wake_up_interruptible ->
   * try_to_wake_up), which reads the sleeper's task_struct and thread_info; when an overflow has
   * overwritten them, that read faults and the kernel oopses.
   */
  static void wakeFault(Kernel k, int cpu, MemoryFault f) {
    k.timeline.emit(new Event.WakeupOops(cpu, f.address()));
    panic(k, cpu);
  }

  private static void panic(Kernel k, int cpu) {
    k.timeline.emit(new Event.Panic(cpu, "Kernel panic - not syncing: Fatal exception"));
    k.panic("Kernel panic - not syncing: Fatal exception");
  }
}
