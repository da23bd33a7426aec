package kstack.arch.arm64;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * The frame record in pt_regs (pt_regs->stackframe) as one generation writes and reads it: what
 * kernel_entry stores there, what start_thread adds, and how the unwinder treats a {0, 0} record
 * that is not the task's final one. The record's offset is the pt_regs layout's (Arm64Layout).
 */
interface FrameRecord extends Module {
  /** frame_record_meta.type of a task's last record (asm/stacktrace/frame.h@6.19). */
  long META_FINAL = 1;

  /** frame_record_meta.type of an EL1 exception's record. */
  long META_PT_REGS = 2;

  /** kernel_entry's step that fills pt_regs->stackframe and points x29 at it (sf: its offset). */
  void entryRecord(RoutineBuilder b, int el, int sf);

  /** What start_thread's step says after regs->pc = pc. */
  String startThreadText();

  /** start_thread's write to regs' record (none by default). */
  default void startThreadRecord(Kernel k, long regs) {}

  /** Whether the {0, 0} record at fp stands for an exception's pt_regs, which the walk crosses. */
  boolean crossesPtRegs(Kernel k, long fp);
}
