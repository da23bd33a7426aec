package kstack.kernel;

/**
 * exec at 2.4.22 (fs/exec.c@2.4.22:810-954, fs/binfmt_elf.c@2.4.22): the chain of 2.6.32's frames
 * with the pt_regs handed down; flush_old_exec has no set_fs and there is no PF_KTHREAD; the name
 * is a strcpy; no vDSO is mapped; start_thread is a macro that zeroes %fs and %gs last.
 */
public final class Exec24 extends ExecveWithRegs {
  public Exec24() {
    super(new LoadElfBinary("fs/binfmt_elf.c", true,
        LoadElfBinary.flushText("flush_old_exec(bprm)", ""), false, false,
        "strcpy(current->comm, the file's base name)", false, "",
        LoadElfBinary.startThreadMacro("", "; %fs = %gs = 0")));
  }
}
