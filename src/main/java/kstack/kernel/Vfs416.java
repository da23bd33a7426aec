package kstack.kernel;

import kstack.kernel.VfsCommon.L;
import java.util.function.Function;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The VFS path of 4.16 (fs/read_write.c@4.16.13:407-416, fs/pipe.c): vfs_read → __vfs_read, which
 * for a file without ->read returns new_sync_read (a sibling call on the x86_64 ORC build), whose
 * kiocb goes to the pipe's ->read_iter; pipe2 makes the pipe with __do_pipe_flags.
 */
public final class Vfs416 extends VfsSync {

  public Vfs416() {
    super("__vfs_", "new_sync_", "pipe_", "__do_pipe_flags", "error = __do_pipe_flags(fd, files, flags)");
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  void buildVfsLayer(Kernel k, CallShape calls, String dir) {
    RoutineBuilder vfs = k.image.c("__vfs_" + dir, VfsCommon.RW).params(L.file, L.buf, L.count, L.pos);
    String call = "new_sync_" + dir + "(file, buf, count, pos)";
    Function<Exec, long[]> a =
        x -> new long[] {x.get(L.file), x.get(L.buf), x.get(L.count), x.get(L.pos)};
    k.image.add(calls.jumps() ? calls.ret(vfs, "no ->" + dir + ": return " + call, "new_sync_" + dir, Args.computed(a))
        .build()
        : vfs.call("no ->" + dir + ": " + call, "new_sync_" + dir, Args.computed(a))
            .ret("return ret", Exec::retval).build());
  }
}
