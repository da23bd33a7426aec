package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The pipe system calls of the 2.6 and later generations (fs/pipe.c): pipe/pipe2 making the two
 * files and descriptors, and pipe_read/pipe_write under the VFS read and write paths of
 * {@link Syscalls}, sleeping on the pipe's wait queue when it is empty. 2.4's are in Syscalls24.
 */
final class PipeSyscalls {
  enum L implements Local {
      fd, fildes, files, filp, flags, from, inode, iocb, key, mode, nr_exclusive, nr_segs, pipe,
      ppos, q, ret, to, wq_head
  }

  private PipeSyscalls() {}

  static long pipeOf(Kernel k, Exec x) {
    long file = x.read(x.get(L.iocb));
    return Files.file(k, file).pipe();
  }

  static void buildPipeRead(Kernel k, boolean v6) {
    String src = "fs/pipe.c";
    boolean v2611 = k.profile.has(Feature.VFS_2611);
    RoutineBuilder b = (v2611
        ? k.image.c("pipe_readv", src + "@2.6.11:117-208").params(L.filp, L.to, L.nr_segs, L.ppos)
        : k.image.c(v6 ? "anon_pipe_read" : "pipe_read", src).params(L.iocb, L.to))
        .locals(L.pipe, L.ret)
        .step(v2611 ? "inode = filp->f_dentry->d_inode; down(PIPE_SEM(*inode))"
            : "pipe = filp->private_data; __pipe_lock(pipe)", x -> {
          long file = v2611 ? x.get(L.filp) : x.read(x.get(L.iocb));
          Files.OpenFile f = Files.file(k, file);
          x.set(L.pipe, f.console() ? 0 : f.pipe());
        })
        .branchIf("console", "(the console: no input, read returns 0)", x -> x.get(L.pipe) == 0)
        .label("retry")
        .step(v2611 ? "info = inode->i_pipe; if (info->nrbufs): ops->map(), pipe_iov_copy_to_user(iov, "
                + "addr + buf->offset, chars); an emptied buffer is released (do_wakeup = 1)"
            : "if the pipe holds data: copy_page_to_iter() into the user buffer", x -> {
          long pipe = x.get(L.pipe);
          if (Files.available(k, pipe) == 0) {
            x.set(L.ret, -1);
            return;
          }
          long buf = x.read(x.get(L.to));
          int len = (int) x.read(x.get(L.to) + x.word());
          byte[] d = Files.take(k, pipe, len);
          x.space().writeBytes(buf, d);
          x.set(L.ret, d.length);
        })
        .branchIf("done", v2611 ? "if (!total_len) break; if (ret) break (no writer is waiting)"
            : "if (ret > 0) break", x -> x.signed(x.get(L.ret)) >= 0)
        .step(v2611 ? "if (!PIPE_WRITERS(*inode)) (end of file: ret stays 0)"
            : "if (!pipe->writers) ret = 0 (end of file)", x -> {
          if (!Files.writersExist(k, x.get(L.pipe))) {
            x.set(L.ret, 0);
          }
        })
        .branchIf("done", v2611 ? "  break" : "if (!pipe->writers) break",
            x -> x.get(L.ret) == 0);
    if (v6) {
      b.step("__pipe_unlock(pipe); wait_event_interruptible_exclusive(pipe->rd_wait, "
              + "pipe_readable(pipe)) [macro]: prepare_to_wait_event(TASK_INTERRUPTIBLE)",
              x -> Syscalls.sleepOn(k, x, Files.readQueue(x.get(L.pipe)), "pipe is empty"))
          .call("schedule()", "schedule", Args.inPlace())
          .step("finish_wait(&pipe->rd_wait); __pipe_lock(pipe)",
              x -> k.rq.removeWaiter(Files.readQueue(x.get(L.pipe)), k.current(x)))
          .jump("retry", "retry");
    } else {
      b.call(v2611 ? "pipe_wait(inode)" : "pipe_wait(pipe)", "pipe_wait",
              Args.of(x -> x.get(L.pipe)))
          .jump("retry", "retry");
    }
    b.label("console").step("ret = 0", x -> x.set(L.ret, 0))
        .label("done")
        .ret(v2611 ? "up(PIPE_SEM(*inode)); if (do_wakeup) wake_up_interruptible(PIPE_WAIT(*inode)) "
                + "(no writer sleeps in the model); if (ret > 0) file_accessed(filp); return ret"
            : "__pipe_unlock(pipe); return ret", x -> x.get(L.ret));
    k.image.add(b.build());
    if (!v6) {
      // 2.6.11's pipe_wait(inode) sleeps on PIPE_WAIT(*inode) under PIPE_SEM (fs/pipe.c@2.6.11:38-47)
      Local param = v2611 ? L.inode : L.pipe;
      k.image.add(k.image.c("pipe_wait", v2611 ? src + "@2.6.11:38-47" : src).params(param)
          .step(v2611 ? "DEFINE_WAIT(wait); prepare_to_wait(PIPE_WAIT(*inode), &wait, "
                  + "TASK_INTERRUPTIBLE); up(PIPE_SEM(*inode))"
              : "DEFINE_WAIT(wait); prepare_to_wait(&pipe->wait, &wait, TASK_INTERRUPTIBLE); "
              + "pipe_unlock(pipe)", x -> Syscalls.sleepOn(k, x, Files.readQueue(x.get(param)),
                  "pipe is empty"))
          .call("schedule()", "schedule", Args.inPlace())
          .step(v2611 ? "finish_wait(PIPE_WAIT(*inode), &wait); down(PIPE_SEM(*inode))"
              : "finish_wait(&pipe->wait, &wait); pipe_lock(pipe)",
              x -> k.rq.removeWaiter(Files.readQueue(x.get(param)), k.current(x)))
          .retVoid().build());
    }
  }

  static void buildPipeWrite(Kernel k, boolean v6) {
    String src = "fs/pipe.c";
    boolean v2611 = k.profile.has(Feature.VFS_2611);
    RoutineBuilder w = (v2611
        ? k.image.c("pipe_writev", src + "@2.6.11:217-346").params(L.filp, L.from, L.nr_segs, L.ppos)
        : k.image.c(v6 ? "anon_pipe_write" : "pipe_write", src).params(L.iocb, L.from))
        .locals(L.pipe, L.ret)
        .step((v2611 ? "down(PIPE_SEM(*inode)); merge into the last buffer if it has room, else "
                + "pipe_iov_copy_from_user() into a new page: do_wakeup = 1"
                : "pipe = filp->private_data; __pipe_lock(pipe); copy the user bytes into the buffer"),
            x -> {
              long file = v2611 ? x.get(L.filp) : x.read(x.get(L.iocb));
              Files.OpenFile f = Files.file(k, file);
              long buf = x.read(x.get(L.from));
              int len = (int) x.read(x.get(L.from) + x.word());
              byte[] d = x.space().readBytes(buf, len);
              if (f.console()) {
                k.files.consoleLog.addLast(Files.text(d));
                k.timeline.emit(new Event.Console(x.cpu().id(), Files.text(d).strip()));
                x.set(L.pipe, 0);
              } else {
                Files.put(k, f.pipe(), d);
                x.set(L.pipe, f.pipe());
              }
              x.set(L.ret, len);
            });
    if (v2611) {
      // fs/pipe.c@2.6.11:337-345: up() first; the _sync wake-up is only for a writer about to sleep
      k.image.add(w.label("out")
          .step("out: up(PIPE_SEM(*inode))", x -> { })
          .branchIf("done", "if (do_wakeup) (the console: no readers to wake)",
              x -> x.get(L.pipe) == 0)
          .call("  wake_up_interruptible(PIPE_WAIT(*inode)) = __wake_up(q, TASK_INTERRUPTIBLE, 1, "
              + "NULL)", "__wake_up", Args.of(x -> Files.readQueue(x.get(L.pipe)), x -> 1, x -> 1, x -> 0))
          .label("done")
          .ret("if (ret > 0) inode_update_time(inode, 1); return ret", x -> x.get(L.ret))
          .build());
      k.image.add(k.image.c("__wake_up", Sched2611.SRC + ":2960-2968").params(L.q, L.mode, L.nr_exclusive, L.key)
          .step("spin_lock_irqsave(&q->lock); __wake_up_common(q, mode, nr_exclusive, 0, key) "
              + "[static]: each waiter's autoremove_wake_function -> try_to_wake_up", x -> k.rq.wakeAll(
                  x.get(L.q), x.cpu().id(), "a pipe write (wake_up_interruptible)"))
          .retVoid().build());
      return;
    }
    k.image.add(w.branchIf("out", "(the console has no readers to wake)", x -> x.get(L.pipe) == 0)
        .call(v6 ? "wake_up_interruptible_sync_poll(&pipe->rd_wait, EPOLLIN | EPOLLRDNORM)"
                : "wake_up_interruptible_sync_poll(&pipe->wait, EPOLLIN | EPOLLRDNORM)",
            "__wake_up_sync_key", Args.of(x -> Files.readQueue(x.get(L.pipe)), x -> 1, x -> 1))
        .label("out")
        .ret("__pipe_unlock(pipe); return ret", x -> x.get(L.ret)).build());
    k.image.add(k.image.c("__wake_up_sync_key", "kernel/sched/wait.c").params(L.wq_head, L.mode, L.key)
        .step("__wake_up_common_lock(): each waiter's autoremove_wake_function -> "
            + "try_to_wake_up", x -> k.rq.wakeAll(x.get(L.wq_head), x.cpu().id(),
                "a pipe write (__wake_up_sync_key)"))
        .retVoid().build());
  }

  // ---- pipe / pipe2 -------------------------------------------------------------------------

  static void buildPipe(Kernel k, boolean v6) {
    if (k.profile.has(Feature.VFS_2611)) {
      // 2.6.11's table has no pipe2 (2.6.27): asmlinkage sys_pipe calls do_pipe(fd) itself
      Syscalls24.buildPipe(k, "arch/i386/kernel/sys_i386.c@2.6.11:30-40",
          "fs/pipe.c@2.6.11:713-792",
          "error = -ENFILE; f1 = get_empty_filp(); f2 = get_empty_filp(); inode = "
              + "get_pipe_inode(); i = get_unused_fd(); j = get_unused_fd(); dentry \"[ino]\" in "
              + "pipefs; f1: O_RDONLY, read_pipe_fops; f2: O_WRONLY, write_pipe_fops; "
              + "fd_install(i, f1); fd_install(j, f2)");
      return;
    }
    String src = "fs/pipe.c";
    String doPipe2 = v6 ? "do_pipe2" : "SyS_pipe2";
    if (v6) {
      k.image.add(SiblingCall.ret(k, Syscalls.entry(k, "pipe2", src, L.fildes, L.flags),
          "return do_pipe2(fildes, flags)", "do_pipe2",
          Args.of(x -> x.get(L.fildes), x -> x.get(L.flags))).build());
      k.image.add(SiblingCall.ret(k, Syscalls.entry(k, "pipe", src, L.fildes), "return do_pipe2(fildes, 0)",
          "do_pipe2", Args.of(x -> x.get(L.fildes), x -> 0)).build());
    } else {
      k.image.add(SiblingCall.ret(k, Syscalls.entry(k, "pipe", src, L.fildes), "return sys_pipe2(fildes, 0)",
          k.arch.syscallSymbol(k.profile, "pipe2", 2), Args.of(x -> x.get(L.fildes), x -> 0))
          .build());
    }
    RoutineBuilder p2 = v6 ? k.image.c("do_pipe2", src).params(L.fildes, L.flags)
        : Syscalls.entry(k, "pipe2", src, L.fildes, L.flags);
    k.image.add(p2.localArea(L.files, 2 * k.t.word).localArea(L.fd, 8)
        .call(Syscalls.v26(k) ? "error = do_pipe_flags(fd, flags): create_write_pipe(), create_read_pipe()"
                : "error = __do_pipe_flags(fd, files, flags)", Syscalls.v26(k) ? "do_pipe_flags" : "__do_pipe_flags",
            Args.of(x -> x.addr(L.fd), x -> x.addr(L.files), x -> x.get(L.flags)))
        .step("copy_to_user(fildes, fd, sizeof(fd))", x -> {
          long fd = x.addr(L.fd);
          x.write(x.get(L.fildes), 4, x.read(fd, 4));
          x.write(x.get(L.fildes) + 4, 4, x.read(fd + 4, 4));
        })
        .step("fd_install(fd[0], files[0]); fd_install(fd[1], files[1])", x -> { })
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c(Syscalls.v26(k) ? "do_pipe_flags" : "__do_pipe_flags", src).params(L.fd, L.files, L.flags)
        .step("create_pipe_files(files, flags): get_pipe_inode() -> alloc_pipe_info(); "
            + "two struct file, read end and write end", x -> {
              long pipe = Files.newPipe(k);
              long r = Files.newFile(k, new Files.OpenFile(pipe, false, false, false), "pipe read end");
              long w = Files.newFile(k, new Files.OpenFile(pipe, true, false, false), "pipe write end");
              x.write(x.get(L.files), r);
              x.write(x.get(L.files) + x.word(), w);
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
}
