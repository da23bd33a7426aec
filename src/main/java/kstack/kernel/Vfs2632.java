package kstack.kernel;

import kstack.kernel.VfsCommon.L;
import java.util.Set;
import kstack.profile.Feature;

/**
 * The VFS path of 2.6.32 (fs/read_write.c, fs/pipe.c @2.6.32.67): vfs_read → do_sync_read, whose
 * kiocb goes to the pipe's ->aio_read; pipe2 makes the pipe with do_pipe_flags.
 */
public final class Vfs2632 extends VfsSync {
  public Vfs2632() {
    super("do_sync_", "do_sync_", "pipe_", "do_pipe_flags",
        "error = do_pipe_flags(fd, flags): create_write_pipe(), create_read_pipe()");
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  String syncCall(String dir, String pipeFn) {
    return "ret = filp->f_op->aio_" + dir + "(&kiocb, &iov, 1, kiocb.ki_pos) -> " + pipeFn;
  }
}
