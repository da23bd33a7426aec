package kstack.kernel;

import kstack.kernel.VfsCommon.L;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;

/**
 * The read and write path from 2.6.32 on: the system call looks the file up with fdget_pos,
 * vfs_read/vfs_write check the mode and reach a helper that wraps the user buffer in a synchronous
 * kiocb and an iovec for the pipe's method (fs/read_write.c, fs/pipe.c); a reader of an empty pipe
 * sleeps on the pipe's wait queue, a writer wakes it with __wake_up_sync_key; pipe makes the files
 * through (__)do_pipe_flags. The generations differ in the helpers' names, in whether the body is
 * ksys_read (6.x), in 4.16's __vfs_read layer and in how a reader waits (6.x without pipe_wait).
 */
abstract class VfsSync implements Vfs {

  static final String PIPE = "fs/pipe.c";

  private final String innerPrefix;
  private final String syncPrefix;
  private final String pipePrefix;
  private final String pipeFlags;
  private final String pipeFlagsCall;

  /**
   * @param innerPrefix what vfs_read calls: do_sync_, __vfs_ or new_sync_
   * @param syncPrefix the kiocb helper: do_sync_ or new_sync_
   * @param pipePrefix the pipe's methods: pipe_ or anon_pipe_
   * @param pipeFlags the function that makes a pipe's files and descriptors
   * @param pipeFlagsCall pipe2's words for calling it
   */
  VfsSync(String innerPrefix, String syncPrefix, String pipePrefix, String pipeFlags,
      String pipeFlagsCall) {
    this.innerPrefix = innerPrefix;
    this.syncPrefix = syncPrefix;
    this.pipePrefix = pipePrefix;
    this.pipeFlags = pipeFlags;
    this.pipeFlagsCall = pipeFlagsCall;
  }

  @Override
  public void buildReadWrite(Kernel k) {
    CallShape calls = CallShape.of(k);
    for (String dir : new String[] {"read", "write"}) {
      k.image.add(VfsCommon.body(k, bodyOf(k, calls, dir), dir, new VfsCommon.BodyWords(
          "struct fd f = fdget_pos(fd)", "if (f.file)",
          "ret = vfs_" + dir + "(f.file, buf, count, &pos)", "fdput_pos(f); return ret")));
      String inner = innerPrefix + dir;
      k.image.add(VfsCommon.vfsRw(k, dir, VfsCommon.RW, VfsCommon.verify(dir),
          inner + "(file, buf, count, pos)", inner, "return ret"));
      buildVfsLayer(k, calls, dir);
      String pipeFn = pipePrefix + dir;
      k.image.add(k.image.c(syncPrefix + dir, VfsCommon.RW).params(L.filp, L.buf, L.len, L.ppos)
          .localArea(L.kiocb, 48).localArea(L.iov, 16)
          .step("init_sync_kiocb(&kiocb, filp); struct iovec iov = { buf, len }; iov_iter_init(&iter)",
              x -> {
                x.write(x.addr(L.kiocb), x.get(L.filp));
                x.write(x.addr(L.iov), x.get(L.buf));
                x.write(x.addr(L.iov) + x.word(), x.get(L.len));
              })
          .call(syncCall(dir, pipeFn), pipeFn,
              Args.of(x -> x.addr(L.kiocb), x -> x.addr(L.iov)))
          .ret("return ret", Exec::retval).build());
    }
    buildPipeRead(k);
    buildPipeWrite(k);
  }

  /** The routine that holds the system call's body: the system call itself. */
  RoutineBuilder bodyOf(Kernel k, CallShape calls, String dir) {
    return Syscalls.entry(k, dir, VfsCommon.RW, L.fd, L.buf, L.count);
  }

  /** A layer between vfs_read and the kiocb helper: none. */
  void buildVfsLayer(Kernel k, CallShape calls, String dir) {
  }

  /** How the kiocb helper calls the pipe's method: ->read_iter. */
  String syncCall(String dir, String pipeFn) {
    return "ret = filp->f_op->" + dir + "_iter(&kiocb, &iter) -> " + pipeFn;
  }

  private void buildPipeRead(Kernel k) {
    RoutineBuilder b = k.image.c(pipePrefix + "read", PIPE).params(L.iocb, L.to)
        .locals(L.pipe, L.ret)
        .step("pipe = filp->private_data; __pipe_lock(pipe)",
            x -> VfsCommon.openPipe(k, x, x.read(x.get(L.iocb))))
        .branchIf("console", "(the console: no input, read returns 0)", x -> x.get(L.pipe) == 0)
        .label("retry")
        .step("if the pipe holds data: copy_page_to_iter() into the user buffer",
            x -> VfsCommon.copyOut(k, x, x.get(L.to)))
        .branchIf("done", "if (ret > 0) break", x -> x.signed(x.get(L.ret)) >= 0)
        .step("if (!pipe->writers) ret = 0 (end of file)", x -> VfsCommon.eofIfNoWriters(k, x))
        .branchIf("done", "if (!pipe->writers) break", x -> x.get(L.ret) == 0);
    waitForData(k, b);
    b.label("console").step("ret = 0", x -> x.set(L.ret, 0))
        .label("done")
        .ret("__pipe_unlock(pipe); return ret", x -> x.get(L.ret));
    k.image.add(b.build());
    buildPipeWait(k);
  }

  /** An empty pipe with writers: pipe_wait(pipe), then try again. */
  void waitForData(Kernel k, RoutineBuilder b) {
    b.call("pipe_wait(pipe)", "pipe_wait", Args.of(x -> x.get(L.pipe)))
        .jump("retry", "retry");
  }

  /** pipe_wait(pipe): sleep on pipe->wait with the pipe unlocked. */
  void buildPipeWait(Kernel k) {
    k.image.add(k.image.c("pipe_wait", PIPE).params(L.pipe)
        .step("DEFINE_WAIT(wait); prepare_to_wait(&pipe->wait, &wait, TASK_INTERRUPTIBLE); "
            + "pipe_unlock(pipe)", x -> Syscalls.sleepOn(k, x, Files.readQueue(x.get(L.pipe)),
                "pipe is empty"))
        .call("schedule()", "schedule", Args.inPlace())
        .step("finish_wait(&pipe->wait, &wait); pipe_lock(pipe)",
            x -> k.rq.removeWaiter(Files.readQueue(x.get(L.pipe)), k.current(x)))
        .retVoid().build());
  }

  /** The queue pipe_write wakes readers on. */
  String readWaitQueue() {
    return "&pipe->wait";
  }

  private void buildPipeWrite(Kernel k) {
    k.image.add(k.image.c(pipePrefix + "write", PIPE).params(L.iocb, L.from)
        .locals(L.pipe, L.ret)
        .step("pipe = filp->private_data; __pipe_lock(pipe); copy the user bytes into the buffer",
            x -> VfsCommon.copyIn(k, x, x.read(x.get(L.iocb)), x.get(L.from)))
        .branchIf("out", "(the console has no readers to wake)", x -> x.get(L.pipe) == 0)
        .call("wake_up_interruptible_sync_poll(" + readWaitQueue() + ", EPOLLIN | EPOLLRDNORM)",
            "__wake_up_sync_key", Args.of(x -> Files.readQueue(x.get(L.pipe)), x -> 1, x -> 1))
        .label("out")
        .ret("__pipe_unlock(pipe); return ret", x -> x.get(L.ret)).build());
    k.image.add(k.image.c("__wake_up_sync_key", "kernel/sched/wait.c").params(L.wq_head, L.mode, L.key)
        .step("__wake_up_common_lock(): each waiter's autoremove_wake_function -> "
            + "try_to_wake_up", x -> k.rq.wakeAll(x.get(L.wq_head), x.cpu().id(),
                "a pipe write (__wake_up_sync_key)"))
        .retVoid().build());
  }

  @Override
  public void buildPipe(Kernel k) {
    RoutineBuilder p2 = buildPipeEntries(k, CallShape.of(k));
    k.image.add(p2.localArea(L.files, 2 * k.t.word).localArea(L.fd, 8)
        .call(pipeFlagsCall, pipeFlags,
            Args.of(x -> x.addr(L.fd), x -> x.addr(L.files), x -> x.get(L.flags)))
        .step("copy_to_user(fildes, fd, sizeof(fd))", x -> {
          long fd = x.addr(L.fd);
          x.write(x.get(L.fildes), 4, x.read(fd, 4));
          x.write(x.get(L.fildes) + 4, 4, x.read(fd + 4, 4));
        })
        .step("fd_install(fd[0], files[0]); fd_install(fd[1], files[1])", x -> { })
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c(pipeFlags, PIPE).params(L.fd, L.files, L.flags)
        .step("create_pipe_files(files, flags): get_pipe_inode() -> alloc_pipe_info(); "
            + "two struct file, read end and write end", x -> {
              long[] f = VfsCommon.newPipeFiles(k);
              x.write(x.get(L.files), f[0]);
              x.write(x.get(L.files) + x.word(), f[1]);
            })
        .step("fd[0] = get_unused_fd_flags(flags); fd[1] = get_unused_fd_flags(flags)", x -> {
          long cur = k.current(x);
          int r = Files.install(k, cur, x.read(x.get(L.files)));
          int w = Files.install(k, cur, x.read(x.get(L.files) + x.word()));
          x.write(x.get(L.fd), 4, r);
          x.write(x.get(L.fd) + 4, 4, w);
        })
        .ret("return 0", x -> 0).build());
  }

  /**
   * sys_pipe, which returns sys_pipe2(fildes, 0), then sys_pipe2 itself, whose body is returned
   * for the caller to finish.
   */
  RoutineBuilder buildPipeEntries(Kernel k, CallShape calls) {
    k.image.add(calls.ret(Syscalls.entry(k, "pipe", PIPE, L.fildes), "return sys_pipe2(fildes, 0)",
        k.arch.syscallSymbol(k.profile, "pipe2", 2), Args.of(x -> x.get(L.fildes), x -> 0))
        .build());
    return Syscalls.entry(k, "pipe2", PIPE, L.fildes, L.flags);
  }
}
