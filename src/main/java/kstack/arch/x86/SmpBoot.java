package kstack.arch.x86;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/** arch/x86/kernel/smpboot.c pieces the same on i386 and x86_64. */
public final class SmpBoot {
  enum L implements Local { cpu, idle }

  private SmpBoot() {}

  /**
   * start_secondary's middle, the same on x86_64 and i386 from 2.6.32 to 6.19: the AP marks itself
   * online, then enables interrupts before it enters the idle loop, so a device interrupt or a tick
   * can reach an idle AP (smpboot.c@2.6.32.67:350-356, @4.16.13:255-262, @6.19:301-307).
   */
  public static RoutineBuilder online(Kernel k, RoutineBuilder b) {
    return b.step("smp_callin(); set_cpu_online(smp_processor_id(), true)", x -> {
      long mask = k.image.symbol("__cpu_online_mask");
      x.write(mask, x.read(mask) | (1L << x.cpu().id()));
    }).step("local_irq_enable()", k.arch::irqEnable);
  }

  /**
   * The start of do_boot_cpu when the idle task is forked on the spot (smpboot.c@2.6.32.67:696-735):
   * no cached idle task yet, and keventd is not up while kernel_init runs smp_init, so the work
   * function do_fork_idle runs right here and forks the idle task (fork_idle).
   */
  public static RoutineBuilder forkIdle(Kernel k, RoutineBuilder b) {
    k.image.add(k.image.c("do_fork_idle", "arch/x86/kernel/smpboot.c").params(L.cpu).locals(L.idle)
        .callInto(L.idle, "c_idle->idle = fork_idle(c_idle->cpu)", "fork_idle",
            Args.of(x -> x.get(L.cpu)))
        .ret("complete(&c_idle->done) (the task reaches do_boot_cpu through c_idle)",
            x -> x.get(L.idle)).build());
    return b.callInto(L.idle, "do_boot_cpu(): c_idle.idle = get_idle_for_cpu(cpu) (none yet); "
        + "!keventd_up(): c_idle.work.func(&c_idle.work), do_fork_idle", "do_fork_idle",
        Args.of(x -> x.get(L.cpu)));
  }
}
