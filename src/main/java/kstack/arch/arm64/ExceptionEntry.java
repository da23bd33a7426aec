package kstack.arch.arm64;

import java.util.List;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How one generation enters the kernel from an exception: the names of the 16 vectors, what
 * kernel_entry 0 does about current and the user registers, the synchronous EL0 entry up to the
 * system call, and ret_to_user's work check. {@link Arm64Entry} holds the code every generation
 * shares (kernel_ventry, kernel_entry, kernel_exit, __bad_stack).
 */
interface ExceptionEntry extends Module {
  /** The vector table's 16 targets, in slot order (EL1t, EL1h, EL0 64-bit, EL0 32-bit). */
  List<String> vectors();

  /** The EL0 synchronous vector (slot 8). */
  default String el0Sync() {
    return vectors().get(8);
  }

  /** The EL0 IRQ vector (slot 9). */
  default String el0Irq() {
    return vectors().get(9);
  }

  /** The EL1h IRQ vector (slot 5). */
  default String el1Irq() {
    return vectors().get(5);
  }

  /** kernel_entry 0 after the stp's: the user SP into x21, __entry_task into tsk (and SP_EL0). */
  void el0EntryTask(Kernel k, RoutineBuilder b);

  /** kernel_entry 0's last step: where SP_EL0 becomes current only at the end (none by default). */
  default void el0SetCurrentLast(RoutineBuilder b) {}

  /** The EL0 synchronous vector's code up to el0_svc. */
  void buildSyncEntry(Kernel k, Arm64Entry e);

  /** ret_to_user before enable_step_tsk: the generation's work check, if it is done there. */
  default void retToUserWork(Kernel k, RoutineBuilder b) {}

  /** enable_step_tsk's step text. */
  String enableStepTsk();

  /** The file (and function) handle_bad_stack's report lives in. */
  String badStackSource();
}
