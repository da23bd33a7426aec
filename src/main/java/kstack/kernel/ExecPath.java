package kstack.kernel;

import kstack.profile.Module;

/**
 * execve down to load_elf_binary and start_thread as one generation builds it (fs/exec.c,
 * fs/binfmt_elf.c): with the caller's pt_regs handed down (2.4, 2.6), through do_execveat_common
 * (4.x), or through bprm_execve with kernel_execve beside it (5.9+). The profile table picks one;
 * {@link Execve} and {@link LoadElfBinary} hold what they share.
 */
public interface ExecPath extends Module {
  /** The exec chain from the system call (or do_execve) down to load_elf_binary, in the image's order. */
  void build(Kernel k);
}
