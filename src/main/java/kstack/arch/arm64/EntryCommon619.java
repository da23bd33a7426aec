package kstack.arch.arm64;

import java.util.List;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's exception entry: the vectors named el{0t,1h}_64_* call C handlers in entry-common.c
 * (entry.S@6.19:197-333, 560-620); kernel_entry 0 clears the GP registers and sets SP_EL0 to
 * current first; ret_to_user leaves the work to the C exit path (arm64_exit_to_user_mode).
 */
public final class EntryCommon619 implements ExceptionEntry {
  enum L implements Local { regs }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.ARM64_ENTRY_COMMON);
  }

  @Override
  public List<String> vectors() {
    return List.of("el1t_64_sync", "el1t_64_irq", "el1t_64_fiq", "el1t_64_error",
        "el1h_64_sync", "el1h_64_irq", "el1h_64_fiq", "el1h_64_error",
        "el0t_64_sync", "el0t_64_irq", "el0t_64_fiq", "el0t_64_error",
        "el0t_32_sync", "el0t_32_irq", "el0t_32_fiq", "el0t_32_error");
  }

  @Override
  public void el0EntryTask(Kernel k, RoutineBuilder b) {
    kstack.kernel.LinkedAddress entryTask = k.perCpuRef("__entry_task");
    b.step("clear_gp_regs; mrs x21, sp_el0 (the user SP); ldr_this_cpu tsk, __entry_task; "
        + "msr sp_el0, tsk: current", x -> {
          for (int i = 0; i <= 29; i++) {
            x.set(Regs.x0 + i, 0);
          }
          x.set(Regs.x21, x.reg(Regs.sp_el0));
          long tsk = x.read(entryTask.get() + k.perCpuOffset(x.cpu().id()));
          x.set(Regs.x28, tsk);
          x.set(Regs.sp_el0, tsk);
        });
  }

  /** el0t_64_sync → el0t_64_sync_handler: the ESR's exception class picks el0_svc. */
  @Override
  public void buildSyncEntry(Kernel k, Arm64Entry e) {
    k.image.add(e.kernelEntry(k.image.asm("el0t_64_sync", Arm64Entry.ENTRY), 0)
        .call("mov x0, sp; bl el0t_64_sync_handler", "el0t_64_sync_handler",
            Args.of(x -> x.sp()))
        .step("b ret_to_user", k.image.jump("ret_to_user")).build());
    k.image.add(k.image.c("el0t_64_sync_handler", Arm64Entry.ENTRY_COMMON).params(L.regs)
        .branchIf("abort", "switch (ESR_ELx_EC(read_sysreg(esr_el1))): case ESR_ELx_EC_SVC64",
            x -> (x.reg(Regs.esr_el1) >>> 26) != 0x15)
        .call("  el0_svc(regs)", "el0_svc", Args.of(x -> x.get(L.regs)))
        .label("abort")
        .retVoid().build());
  }

  @Override
  public String enableStepTsk() {
    return "enable_step_tsk x1, x2 (ldr x19, [tsk, #TSK_TI_FLAGS])";
  }

  @Override
  public String badStackSource() {
    return "arch/arm64/kernel/traps.c (panic_bad_stack)";
  }
}
