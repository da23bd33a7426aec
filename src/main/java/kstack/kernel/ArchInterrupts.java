package kstack.kernel;

import kstack.exec.Exec;

/**
 * The hardware half of interrupts, exceptions and NMIs: masking, delivery onto the right
 * stack, faults the arch turns into exceptions, and the vectors. Part of the arch
 * port, {@link Arch}.
 */
public interface ArchInterrupts {
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

  /**
   * What a double fault does when the CPU cannot push a trap frame from user mode (TSS.sp0 names
   * no stack): how the handling ends (the typed event's {@link kstack.trace.Event.DoubleFaultEnd})
   * and the panic it ends in (null: it dies through die(), "Fatal exception"). Null where the
   * hardware pushes no frame on exception entry, so no fault happens during delivery (arm64).
   */
  default DoubleFault userDoubleFault() {
    return null;
  }

  /** How a double fault's handling ends, and its panic message (null: die()). */
  record DoubleFault(kstack.trace.Event.DoubleFaultEnd end, String panic) {}

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
}
