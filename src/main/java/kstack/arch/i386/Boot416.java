package kstack.arch.i386;

import java.util.List;
import java.util.Set;
import kstack.kernel.PerCpuVar;
import kstack.layout.Types;
import kstack.profile.Feature;

/** 4.16's boot: head_32.S, the per-CPU cpu_tss_rw and IRQ stacks, native_cpu_up. */
public final class Boot416 extends BootPerCpu {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  String topOfStackNote() {
    return "= &init_thread_union + THREAD_SIZE (cpu/common.c@4.16.13:1551-1552)";
  }

  @Override
  boolean topOfStackBelowPadding() {
    return false;
  }

  /** The canary at %gs:20, and the IRQ stack pointers (irq_32.c@4.16.13:55-56). */
  @Override
  void addStackVars(Types t, List<PerCpuVar> v) {
    v.add(new PerCpuVar("stack_canary", t.array(t.u8, 24), 4,
        "struct stack_canary { char __pad[20]; unsigned long canary; }: %gs:20"));
    v.add(new PerCpuVar("hardirq_stack", t.ptrTo("irq_stack"), 4, "irq_32.c@4.16.13:55"));
    v.add(new PerCpuVar("softirq_stack", t.ptrTo("irq_stack"), 4, "irq_32.c@4.16.13:56"));
  }

  /** head_32.S@4.16.13:568-574 spells the value out. */
  @Override
  String initialStackText() {
    return "initial_stack = init_thread_union + THREAD_SIZE - SIZEOF_PTREGS - "
        + "TOP_OF_KERNEL_STACK_PADDING";
  }

  @Override
  String gsText() {
    return "%gs = __KERNEL_STACK_CANARY";
  }

  @Override
  long gs() {
    return I386Boot.KERNEL_STACK_CANARY;
  }

  @Override
  String trapInitTss() {
    return "";
  }

  @Override
  String sp0Text() {
    return "(TSS.sp0 follows the running task from now on)";
  }

  @Override
  boolean sp0OnEntryStack() {
    return false;
  }

  @Override
  String irqStackInit() {
    return "irq_ctx_init";
  }

  /** native_cpu_up waits for the AP (smpboot.c@4.16.13:890-926). */
  @Override
  boolean cpuUpWaitsOnline() {
    return true;
  }
}
