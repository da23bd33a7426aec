package kstack.arch.i386;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;
import kstack.profile.Module;

/**
 * How an i386 generation switches and creates tasks and finds current: process.c / process_32.c
 * (__switch_to or switch_to inline in schedule(), copy_thread, start_thread, the idle routine) and
 * get_current(). The profile table picks one per profile.
 */
public interface I386ProcessModel extends Module {
  /** __switch_to, copy_thread, start_thread, the idle routine. */
  void buildProcess(Kernel k);

  /** copy_thread's name in kernel/fork.c's call. */
  String copyThreadSymbol();

  /** switch_to inline in schedule() (the generations before __switch_to_asm). */
  default void inlineSwitch(Kernel k, RoutineBuilder b) {
    throw new IllegalStateException("this generation switches through __switch_to_asm, not inline");
  }

  /**
   * What an inline switch_to pushes below thread.sp, lowest word first (2.6.32: ebp, eflags); empty
   * where __switch_to_asm builds an inactive_task_frame instead.
   */
  default java.util.List<String> switchSaved() {
    return java.util.List.of();
  }

  /** The thread_struct members holding the switched-out stack pointer and resume point. */
  default String threadSp() {
    return "thread.sp";
  }

  default String threadIp() {
    return "thread.ip";
  }

  /** How the unwinder names the user-mode pt_regs at the stack's top. */
  default String ptRegsName() {
    return "task_pt_regs";
  }

  /** get_current(): this_cpu_read_stable(current_task), a %fs-relative load (asm/current.h). */
  default long current(Kernel k, int cpu, boolean userMode) {
    return k.readPtr(k.perCpu("current_task", cpu));
  }

  /** Where preempt_count lives: the per-CPU __preempt_count (asm/preempt.h, 4.x on). */
  default long preemptCountAddress(Kernel k, int cpu) {
    return k.perCpu("__preempt_count", cpu);
  }

  /** current_thread_info()->preempt_count: the esp masked to the stack base (thread_info at base). */
  static long threadInfoPreemptCount(Kernel k, int cpu) {
    return (k.cpu(cpu).get(Regs.esp) & -k.threadSize) + k.tasks.tiOff(ThreadInfoMember.preempt_count);
  }
}
