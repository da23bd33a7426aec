package kstack.arch.arm64;

import java.util.List;
import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's exception entry, all in entry.S (entry.S@4.16.13:140-240, 631-959): el0_sync reads ESR
 * and branches to el0_svc; kernel_entry 0 sets SP_EL0 to current last; ret_to_user checks
 * _TIF_WORK_MASK itself and branches to work_pending, finish_ret_to_user is its second half.
 */
public final class EntryAsm416 implements ExceptionEntry {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public List<String> vectors() {
    return List.of("el1_sync_invalid", "el1_irq_invalid", "el1_fiq_invalid", "el1_error_invalid",
        "el1_sync", "el1_irq", "el1_fiq_invalid", "el1_error_invalid",
        "el0_sync", "el0_irq", "el0_fiq_invalid", "el0_error_invalid",
        "el0_sync_compat", "el0_irq_compat", "el0_fiq_invalid_compat", "el0_error_compat");
  }

  @Override
  public void el0EntryTask(Kernel k, RoutineBuilder b) {
    b.step("mrs x21, sp_el0 (the user SP); ldr_this_cpu tsk, __entry_task; mov x29, xzr", x -> {
      x.set(Regs.x21, x.reg(Regs.sp_el0));
      x.set(Regs.x28, x.read(k.perCpu("__entry_task", x.cpu().id())));
      x.setFp(0);
    });
  }

  @Override
  public void el0SetCurrentLast(RoutineBuilder b) {
    b.step("msr sp_el0, tsk: current (set last in 4.16)", x -> x.set(Regs.sp_el0, x.reg(Regs.x28)));
  }

  /** el0_sync: kernel_entry 0, then the ESR's exception class picks el0_svc. */
  @Override
  public void buildSyncEntry(Kernel k, Arm64Entry e) {
    k.image.add(e.kernelEntry(k.image.asm("el0_sync", Arm64Entry.ENTRY), 0)
        .step("mrs x25, esr_el1; lsr x24, x25, #ESR_ELx_EC_SHIFT; cmp x24, #ESR_ELx_EC_SVC64; "
            + "b.eq el0_svc", x -> {
              x.set(Regs.x25, x.reg(Regs.esr_el1));
              x.set(Regs.x24, x.reg(Regs.esr_el1) >>> 26);
              x.jumpTo(k.image.symbol("el0_svc"));
            }).build());
  }

  @Override
  public void retToUserWork(Kernel k, RoutineBuilder b) {
    b.step("disable_daif; ldr x1, [tsk, #TSK_TI_FLAGS]; and x2, x1, #_TIF_WORK_MASK; "
        + "cbnz x2, work_pending", x -> {
          k.arch.irqDisable(x);
          if (k.rq.needResched(k.current(x))) {
            x.jumpTo(k.image.symbol("work_pending"));
          }
        });
    b.globalLabel("finish_ret_to_user");
  }

  @Override
  public String enableStepTsk() {
    return "enable_step_tsk x1, x2";
  }

  @Override
  public String badStackSource() {
    return "arch/arm64/kernel/traps.c";
  }
}
