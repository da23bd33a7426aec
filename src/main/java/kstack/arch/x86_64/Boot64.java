package kstack.arch.x86_64;

import java.util.List;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * One generation's boot and per-CPU data: head_64.S's way onto the first stack (2.6.32's
 * stack_start, 4.16's initial_stack, 6.19's init task's thread.sp), trap_init and cpu_init, the
 * secondary CPUs' bring-up, and the per-CPU variables the stack mechanisms use with their
 * initial values.
 */
public interface Boot64 extends Module, X86Routines {
  /** The per-CPU variables, in .data..percpu order. */
  List<PerCpuVar> perCpuVars(Kernel k);

  /** head_64.S's boot data (initial_code and the generation's stack and GS words). */
  void linkData(Kernel k, Linker l);

  /** The values each CPU's per-CPU area starts with (the DEFINE_PER_CPU initialisers). */
  void initPerCpu(Kernel k, int cpu);

  /** INIT_THREAD's stack fields of init_task. */
  void initThread(Kernel k, long initTask);

  /** The link address a %gs-relative access to a per-CPU name reaches (a symbol or a macro). */
  long perCpuAddress(Kernel k, String name);

  /** Where a CPU's preempt count lives. */
  long preemptCountAddress(Kernel k, int cpu);

  /** Whether .data..percpu links at 0 (the per-CPU offsets are the areas' addresses). */
  boolean perCpuZeroBased();

  /** The per-CPU TSS: init_tss, later cpu_tss_rw. */
  String tssSymbol();

  /** The bring-up hook the hotplug state machine calls (native_cpu_up, native_kick_ap). */
  String cpuUpSymbol();

  /** The IRQ stack of a CPU as [low, high), or null before it is mapped. */
  long[] irqStack(Kernel k, int cpu);

  /** The cpu_entry_area's entry (trampoline) stack of a CPU as [low, high), or null: none. */
  long[] entryStack(Kernel k, int cpu);
}
