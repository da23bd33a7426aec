package kstack.arch.i386;

import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How an i386 generation takes #DB and #MC (and on 2.6.11 NMI): their entries, do_debug and
 * do_machine_check, and the kind of IDT gate each has. The profile table picks one per profile.
 */
public interface I386TrapsModel extends Module {
  void buildTraps(Kernel k);

  /** The IDT entry of #DB or #MC; null for other vectors. */
  default String handlerName(int vector) {
    return switch (vector) {
      case I386Traps.DB_VECTOR -> "debug";
      case I386Traps.MC_VECTOR -> "machine_check";
      default -> null;
    };
  }

  /** Whether the vector's IDT gate is a trap gate (IF left as it was) rather than an interrupt gate. */
  default boolean trapGate(int vector) {
    return false;
  }

  /** Whether the trap entries are built right after the entry code (2.4's entry.S order). */
  default boolean builtWithEntry() {
    return false;
  }

  /**
   * The double fault from user mode: between 2.4 and 6.x a task gate into doublefault_fn, which
   * prints "PANIC: double fault" and spins forever (arch/x86/kernel/doublefault_32.c, read in a
   * 2.6.39 snapshot).
   */
  default kstack.kernel.ArchInterrupts.DoubleFault userDoubleFault() {
    return new kstack.kernel.ArchInterrupts.DoubleFault(
        kstack.trace.Event.DoubleFaultEnd.DOUBLEFAULT_TASK,
        "PANIC: double fault: doublefault_fn spins forever, the CPU is wedged");
  }
}
