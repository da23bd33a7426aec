package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * 4.16's head.S: stext → __primary_switch → __primary_switched, which puts SP at the very top of
 * init_thread_union (no pt_regs gap), sets SP_EL0 to init_task and branches to start_kernel with
 * FP = LR = 0 (head.S@4.16.13:449-451); an AP takes its stack from secondary_data.stack.
 */
public final class BootPrimarySwitched416 implements BootPath {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public String entrySymbol() {
    return "stext";
  }

  @Override
  public void buildPrimary(Kernel k) {
    k.image.add(k.image.asm("stext", Arm64Boot.HEAD)
        .step("preserve_boot_args; __create_page_tables; __cpu_setup (not modelled)", x -> { })
        .step("b __primary_switch", k.image.jump("__primary_switch")).build());
    k.image.add(k.image.asm("__primary_switch", Arm64Boot.HEAD)
        .step("__enable_mmu; ldr x8, =__primary_switched; br x8",
            k.image.jump("__primary_switched")).build());
    k.image.add(k.image.asm("__primary_switched", Arm64Boot.HEAD)
        .step("adrp x4, init_thread_union; add sp, x4, #THREAD_SIZE: SP = the top of init_stack "
            + "(no pt_regs gap)", x -> {
              x.setSp(k.image.symbol("init_thread_union") + k.threadSize);
              k.timeline.emit(new Event.BootStack(x.cpu().id(), "__primary_switched", "sp",
                  "init_thread_union + THREAD_SIZE", x.sp()));
            })
        .step("adr_l x5, init_task; msr sp_el0, x5: current = init_task", x -> {
          x.set(Regs.sp_el0, k.image.symbol("init_task"));
          x.set(Regs.tpidr_el1, k.perCpuOffset(x.cpu().id()));
        })
        .step("msr vbar_el1 = vectors", x -> x.set(Regs.vbar_el1, k.image.symbol("vectors")))
        .step("stp xzr, x30, [sp, #-16]!; mov x29, sp; clear BSS, kaslr_early_init (not "
            + "modelled); add sp, sp, #16", x -> { })
        .step("mov x29, #0; mov x30, #0; b start_kernel", x -> {
          x.setFp(0);
          x.set(Regs.x30, 0);
          x.jumpTo(k.image.symbol("start_kernel"));
        }).build());
  }

  @Override
  public String cpuUpText() {
    return "secondary_data.task = idle; secondary_data.stack = task_stack_page(idle) + THREAD_SIZE; "
        + "boot_secondary(): PSCI CPU_ON";
  }

  @Override
  public void secondarySwitched(Kernel k, RoutineBuilder s) {
    s.step("ldr x1, [secondary_data + CPU_BOOT_STACK]; mov sp, x1; ldr x2, [... CPU_BOOT_TASK]; "
        + "msr sp_el0, x2; mov x29, #0; mov x30, #0", x -> {
          long sd = k.image.symbol("secondary_data");
          x.setSp(x.read(sd));
          x.set(Regs.sp_el0, x.read(sd + 8));
          x.set(Regs.tpidr_el1, k.perCpuOffset(x.cpu().id()));
          x.setFp(0);
          x.set(Regs.x30, 0);
        })
        .step("b secondary_start_kernel", k.image.jump("secondary_start_kernel"));
  }
}
