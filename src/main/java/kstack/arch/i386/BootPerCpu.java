package kstack.arch.i386;

import java.util.List;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.Types;

/**
 * The boot of the generations with thread_info in task_struct (4.16, 6.19): head_32.S, the per-CPU
 * TSS and IRQ stacks (I386Boot); the generations' modules extend it and give what differs: texts,
 * per-CPU variable names, the segment loaded into %gs, where TSS.sp0 points.
 */
public abstract class BootPerCpu implements I386BootModel {
  /** The note on per-CPU cpu_current_top_of_stack: its initial value, cited. */
  abstract String topOfStackNote();

  /** Whether the boot CPU's cpu_current_top_of_stack stops below TOP_OF_KERNEL_STACK_PADDING. */
  abstract boolean topOfStackBelowPadding();

  /** The stack-protector canary and the IRQ stack pointers, as the generation names them. */
  abstract void addStackVars(Types t, List<PerCpuVar> v);

  /** How startup_32 describes initial_stack. */
  abstract String initialStackText();

  /** What head_32.S loads into %gs, as text, and the value. */
  abstract String gsText();

  abstract long gs();

  /** What trap_init adds after idt_setup_traps ("" if nothing). */
  abstract String trapInitTss();

  /** cpu_init's step about TSS.sp0. */
  abstract String sp0Text();

  /** Whether cpu_init points TSS.sp0 at the CPU's entry stack for good. */
  abstract boolean sp0OnEntryStack();

  /** The routine that allocates a CPU's IRQ stacks. */
  abstract String irqStackInit();

  /** Whether the routine that starts an AP waits until the AP is online. */
  abstract boolean cpuUpWaitsOnline();

  @Override
  public void buildBoot(Kernel k) {
    I386Boot.build(k, this);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    I386Boot.linkData(k, l);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return I386Boot.perCpuVars(k, this);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    I386Boot.initPerCpu(k, cpu, this);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    I386Boot.initThread(k, initTask);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    I386Boot.powerOn(k, cpu);
  }
}
