package kstack.kernel;

/**
 * exec at 2.6.32 (fs/exec.c@2.6.32:1297-1446; fs/binfmt_elf.c@2.6.32): do_execve →
 * search_binary_handler → load_elf_binary → start_thread, all with the system call's pt_regs;
 * flush_old_exec does set_fs(USER_DS) and drops PF_KTHREAD, setup_new_exec names the task.
 */
public final class Exec2632 extends ExecveWithRegs {
  public Exec2632() {
    super(new LoadElfBinary("fs/binfmt_elf.c", true,
        LoadElfBinary.flushText("flush_old_exec(bprm)",
            "set_fs(USER_DS); current->flags &= ~(PF_KTHREAD | ...); "), true, false,
        "setup_new_exec(bprm): __set_task_comm(current, kbasename(filename))", true, ", load_addr",
        null));
  }
}
