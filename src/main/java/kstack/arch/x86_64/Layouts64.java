package kstack.arch.x86_64;

import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Module;
import kstack.profile.Profile;

/**
 * One generation's x86_64 data layout: the size of a task stack, where the direct map and vmalloc
 * start (asm/page_64_types.h, pgtable_64_types.h), the per-CPU stacks' sizes, and the structs whose
 * shape changed (thread_info at the stack base or in task_struct, thread_struct, the TSS's I/O
 * bitmap). X86Layouts holds what every generation shares.
 */
public interface Layouts64 extends Module {
  /** THREAD_SIZE (THREAD_SIZE_ORDER, doubled by KASAN where the generation has it). */
  long threadSize(Profile p);

  /** PAGE_OFFSET: the direct map's base. */
  long pageOffset();

  /** VMALLOC_START. */
  long vmallocStart();

  /** IRQ_STACK_SIZE. */
  long irqStackSize(long threadSize);

  /** The size of the cpu_entry_area's entry stack (ENTRY_STACK_SIZE, the SYSENTER stack before). */
  long entryStackSize();

  /** Constants only this generation has, placed after IRQ_STACK_SIZE. */
  default void addConstants(Map<String, Long> c) {}

  /** thread_info, thread_struct and the switch frames, in the order the layouts list them. */
  void addTaskLayouts(Map<String, StructLayout> m, Profile p, Types t, StructLayout ptRegs);

  /** tss_struct's io_bitmap member. */
  void addIoBitmap(StructLayout.Builder tss, Types t);
}
