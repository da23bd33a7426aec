package kstack.kernel;

import kstack.kernel.VfsCommon.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The VFS path of 6.x (fs/read_write.c, fs/pipe.c @6.19): the system call returns ksys_read (a
 * sibling call on the x86_64 ORC build), vfs_read → new_sync_read → anon_pipe_read; a reader of an
 * empty pipe waits with wait_event_interruptible_exclusive on pipe->rd_wait (pipe_wait is gone);
 * pipe and pipe2 both return do_pipe2, which makes the pipe with __do_pipe_flags.
 */
public final class Vfs6 extends VfsSync {

  public Vfs6() {
    super("new_sync_", "new_sync_", "anon_pipe_", "__do_pipe_flags",
        "error = __do_pipe_flags(fd, files, flags)");
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  RoutineBuilder bodyOf(Kernel k, CallShape calls, String dir) {
    String body = "ksys_" + dir;
    k.image.add(calls.ret(Syscalls.entry(k, dir, VfsCommon.RW, L.fd, L.buf, L.count),
        "return ksys_" + dir + "(fd, buf, count)", body,
        Args.of(x -> x.get(L.fd), x -> x.get(L.buf), x -> x.get(L.count))).build());
    return k.image.c(body, VfsCommon.RW).params(L.fd, L.buf, L.count);
  }

  @Override
  void waitForData(Kernel k, RoutineBuilder b) {
    b.step("__pipe_unlock(pipe); wait_event_interruptible_exclusive(pipe->rd_wait, "
            + "pipe_readable(pipe)) [macro]: prepare_to_wait_event(TASK_INTERRUPTIBLE)",
            x -> Syscalls.sleepOn(k, x, Files.readQueue(x.get(L.pipe)), "pipe is empty"))
        .call("schedule()", "schedule", Args.inPlace())
        .step("finish_wait(&pipe->rd_wait); __pipe_lock(pipe)",
            x -> k.rq.removeWaiter(Files.readQueue(x.get(L.pipe)), k.current(x)))
        .jump("retry", "retry");
  }

  /** No pipe_wait: the reader waited in place. */
  @Override
  void buildPipeWait(Kernel k) {
  }

  @Override
  String readWaitQueue() {
    return "&pipe->rd_wait";
  }

  /** pipe2 and pipe, each returning do_pipe2, whose body is returned to be finished. */
  @Override
  RoutineBuilder buildPipeEntries(Kernel k, CallShape calls) {
    k.image.add(calls.ret(Syscalls.entry(k, "pipe2", PIPE, L.fildes, L.flags),
        "return do_pipe2(fildes, flags)", "do_pipe2",
        Args.of(x -> x.get(L.fildes), x -> x.get(L.flags))).build());
    k.image.add(calls.ret(Syscalls.entry(k, "pipe", PIPE, L.fildes), "return do_pipe2(fildes, 0)",
        "do_pipe2", Args.of(x -> x.get(L.fildes), x -> 0)).build());
    return k.image.c("do_pipe2", PIPE).params(L.fildes, L.flags);
  }
}
