package kstack.stack;

/**
 * A pointer between the pieces of a snapshot, as a picture draws it with an arrow: a CPU's stack
 * pointer register, the per-CPU {@code current_task} (or arm64's {@code sp_el0}), the TSS's
 * {@code sp0}/{@code sp1}, a task_struct's {@code stack}, a thread_info's {@code task}, the user
 * stack pointer saved in pt_regs.
 *
 * @param name  the C name of what holds it, as the generation spells it ("rsp",
 *              "current_task", "cpu_tss_rw.x86_tss.sp0", "task->stack", "thread_info->task")
 * @param cpu   the CPU whose register or per-CPU variable it is, or -1
 * @param at    the address of the word that holds it, 0 for a register
 * @param value where it points
 */
public record Pointer(String name, int cpu, long at, long value) {

  /** Whether it is held in a CPU register (not in memory). */
  public boolean inRegister() {
    return at == 0;
  }
}
