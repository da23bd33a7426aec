package kstack.arch.x86_64;

import java.util.List;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How one generation switches stacks and forges a new task's first frame: 2.6.32's switch_to
 * inline in schedule() with thread_return, or __switch_to_asm's inactive_task_frame with
 * ret_from_fork (6.x: ret_from_fork_asm and the C ret_from_fork); __switch_to, copy_thread and
 * start_thread of process_64.c. Its build adds the process_64.c half; the entry_64.S half links
 * with the entry code.
 */
public interface SwitchFrame64 extends Module, X86Routines {
  /** The entry_64.S half (__switch_to_asm, ret_from_fork), linked with the entry code. */
  default void buildEntryHalf(Kernel k) {}

  /** switch_to's steps inside schedule(), where the generation inlines it. */
  void inlineSwitch(Kernel k, RoutineBuilder b);

  /** The arch hook kernel/fork.c calls: copy_thread, or 4.16's copy_thread_tls. */
  String copyThreadSymbol();

  /** ELF_PLAT_INIT's cleared registers (asm/elf.h elf_common_init). */
  List<PtRegs> elfPlatInitRegs();

  /** Why copy_thread cannot give a CLONE_SETTLS child its TLS in this model, or null. */
  default String copyThreadTlsMissing() {
    return null;
  }
}
