package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * 6.19's head.S: primary_entry → __primary_switch → __primary_switched, whose init_cpu_task
 * (head.S@6.19:195-213) sets SP_EL0 to the task, leaves a pt_regs gap at the top of its stack
 * with a FINAL frame record, and calls start_kernel; an AP runs init_cpu_task on its idle task.
 */
public final class BootInitCpuTask619 implements BootPath {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.ARM64_ENTRY_COMMON, Feature.ARM64_FINAL_FRAME_RECORD);
  }

  @Override
  public String entrySymbol() {
    return "primary_entry";
  }

  @Override
  public void buildPrimary(Kernel k) {
    k.image.add(k.image.asm("primary_entry", Arm64Boot.HEAD)
        .step("record_mmu_state; preserve_boot_args; SP = early_init_stack; x29 = 0 (early C "
            + "code runs there: not modelled)", x -> x.setFp(0))
        .step("b __primary_switch", k.image.jump("__primary_switch")).build());
    k.image.add(k.image.asm("__primary_switch", Arm64Boot.HEAD)
        .step("__enable_mmu; __pi_early_map_kernel (not modelled); ldr x8, =__primary_switched; "
            + "br x8", k.image.jump("__primary_switched")).build());
    k.image.add(k.image.asm("__primary_switched", Arm64Boot.HEAD)
        .step("adr_l x4, init_task; init_cpu_task x4: msr sp_el0, x4; sp = init_task.stack + "
            + "THREAD_SIZE - PT_REGS_SIZE; stackframe = {0, 0, FINAL}; x29 = &stackframe; "
            + "TPIDR_EL1 = this CPU's per-CPU offset", x -> initCpuTask(k, x, k.image.symbol("init_task")))
        .step("msr vbar_el1 = vectors", x -> x.set(Regs.vbar_el1, k.image.symbol("vectors")))
        .call("bl start_kernel", "start_kernel", Args.inPlace())
        .step("ASM_BUG()", x -> { }).build());
  }

  /** init_cpu_task (head.S@6.19:195-213). */
  private static void initCpuTask(Kernel k, Exec x, long task) {
    x.set(Regs.sp_el0, task);
    long sp = k.stacks.stack(task) + k.threadSize - 320;
    x.setSp(sp);
    int sf = Arm64Entry.stackframe(k);
    x.write(sp + sf, 0);
    x.write(sp + sf + 8, 0);
    x.write(sp + sf + 16, FrameRecord.META_FINAL);
    x.setFp(sp + sf);
    x.set(Regs.tpidr_el1, k.perCpuOffset(x.cpu().id()));
    k.timeline.emit(new Event.InitCpuTask(x.cpu().id(), k.tasks.pid(task), sp, sp + sf));
  }

  @Override
  public String cpuUpText() {
    return "secondary_data.task = idle; boot_secondary(cpu, idle): PSCI CPU_ON at secondary_entry";
  }

  @Override
  public void secondarySwitched(Kernel k, RoutineBuilder s) {
    s.step("ldr x2, [secondary_data + CPU_BOOT_TASK]; init_cpu_task x2",
        x -> initCpuTask(k, x, x.read(k.image.symbol("secondary_data") + 8)))
        .call("bl secondary_start_kernel", "secondary_start_kernel", Args.inPlace());
  }
}
