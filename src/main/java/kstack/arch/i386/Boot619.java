package kstack.arch.i386;

import java.util.List;
import java.util.Set;
import kstack.kernel.PerCpuVar;
import kstack.layout.Types;
import kstack.profile.Feature;

/**
 * 6.19's boot: as 4.16's, with the AP started by native_kick_ap since the split startup
 * (HOTPLUG_SPLIT_STARTUP; see X86_64#cpuUpSymbol), TSS.sp0 on the entry stack, no %gs canary.
 */
public final class Boot619 extends BootPerCpu {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK, Feature.HOTPLUG_SPLIT_STARTUP,
        Feature.INIT_STACK_SYMBOLS, Feature.IRQENTRY);
  }

  @Override
  public String cpuUpSymbol() {
    return "native_kick_ap";
  }

  @Override
  String topOfStackNote() {
    return "= TOP_OF_INIT_STACK (cpu/common.c@6.19:2225)";
  }

  @Override
  boolean topOfStackBelowPadding() {
    return true;
  }

  /** __stack_chk_guard (no segment) and the IRQ stack pointers of irq_32.c@6.19. */
  @Override
  void addStackVars(Types t, List<PerCpuVar> v) {
    v.add(new PerCpuVar("__stack_chk_guard", t.ulong, 4, "cpu/common.c@6.19"));
    v.add(new PerCpuVar("hardirq_stack_ptr", t.ptrTo("irq_stack"), 4, "irq_32.c@6.19"));
    v.add(new PerCpuVar("softirq_stack_ptr", t.ptrTo("irq_stack"), 4, "irq_32.c@6.19"));
  }

  /** The linker's __top_init_kernel_stack (head_32.S@6.19:489); 6.19 has no SIZEOF_PTREGS. */
  @Override
  String initialStackText() {
    return "initial_stack = __top_init_kernel_stack";
  }

  /** The stack protector no longer uses a segment (head_32.S@6.19:286-287). */
  @Override
  String gsText() {
    return "xorl %eax, %eax; movl %eax, %gs";
  }

  @Override
  long gs() {
    return 0;
  }

  @Override
  String trapInitTss() {
    return "; cpu_init_exception_handling(true): set_tss_desc(); load_TR_desc()";
  }

  @Override
  String sp0Text() {
    return "load_sp0((unsigned long)(cpu_entry_stack(cpu) + 1)): TSS.sp0 = the top of this "
        + "CPU's entry stack, for good";
  }

  @Override
  boolean sp0OnEntryStack() {
    return true;
  }

  @Override
  String irqStackInit() {
    return "irq_init_percpu_irqstack";
  }

  /** native_kick_ap returns once the AP is kicked: smp_init waits (InitMain.buildSmp). */
  @Override
  boolean cpuUpWaitsOnline() {
    return false;
  }
}
