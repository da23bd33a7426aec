package kstack.kernel;

import kstack.profile.Module;

/**
 * The read, write and pipe system calls as one generation's VFS implements them, from the system
 * call down to the pipe's read and write methods: 2.4 goes straight to file->f_op, 2.6.11 through
 * vfs_read and pipe_readv, 2.6.32 through do_sync_read's kiocb, 4.16 through __vfs_read and
 * new_sync_read, 6.x through ksys_read and anon_pipe_read.
 */
public interface Vfs extends Module {
  /** sys_read and sys_write down to the pipe's methods, in the generation's order. */
  void buildReadWrite(Kernel k);

  /** pipe (and pipe2 where the generation has it): two files and two descriptors. */
  void buildPipe(Kernel k);
}
