package kstack.arch.x86;

import kstack.exec.Args;
import kstack.kernel.Kernel;

/** The local APIC timer: its vector and local_apic_timer_interrupt (arch/x86/kernel/apic/apic.c). */
public final class ApicTimer {
  private ApicTimer() {}

  /**
   * LOCAL_TIMER_VECTOR, which moved down as vectors were added above it:
   * arch/x86/include/asm/irq_vectors.h@2.6.32.67:104 (0xef), @4.16.13:111 (0xed), @6.19:98 (0xec).
   */
  public static int localTimerVector(kstack.profile.Profile p) {
    return switch (p.kernel()) {
      case "2.6", "2.6.11" -> 0xef; // 2.6.11: include/asm-i386/mach-default/irq_vectors.h@2.6.11:58
      case "4.16" -> 0xed;
      default -> 0xec;
    };
  }

  /** local_apic_timer_interrupt (arch/x86/kernel/apic/apic.c), shared by i386 and x86_64. */
  public static void buildLocalApicTimerInterrupt(Kernel k) {
    k.image.add(k.image.c("local_apic_timer_interrupt", "arch/x86/kernel/apic/apic.c").params()
        .step("evt = this_cpu_ptr(&lapic_events)", x -> { })
        .call("evt->event_handler(evt) = hrtimer_interrupt", "hrtimer_interrupt", Args.of(x -> 0))
        .retVoid().build());
  }
}
