package kstack.kernel;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The pipe system calls of the 2.6 and later generations (fs/pipe.c): pipe/pipe2 making the two
 * files and descriptors, and pipe_read/pipe_write under the VFS read and write paths of
 * {@link Syscalls}, sleeping on the pipe's wait queue when it is empty. 2.4's are in Syscalls24.
 */
final class PipeSyscalls {
  private PipeSyscalls() {}

  static long pipeOf(Kernel k, Exec x) {
    long file = x.read(x.local("iocb"));
    return Files.file(k, file).pipe();
  }

  static void buildPipeRead(Kernel k, boolean v6) {
    String src = "fs/pipe.c";
    boolean v2611 = k.profile.has(Feature.VFS_2611);
    RoutineBuilder b = (v2611
        ? k.image.c("pipe_readv", src + "@2.6.11:117-208").params("filp", "to", "nr_segs", "ppos")
        : k.image.c(v6 ? "anon_pipe_read" : "pipe_read", src).params("iocb", "to"))
        .locals("pipe", "ret")
        .step(v2611 ? "inode = filp->f_dentry->d_inode; down(PIPE_SEM(*inode))"
            : "pipe = filp->private_data; __pipe_lock(pipe)", x -> {
          long file = v2611 ? x.local("filp") : x.read(x.local("iocb"));
          Files.OpenFile f = Files.file(k, file);
          x.setLocal("pipe", f.console() ? 0 : f.pipe());
        })
        .branchIf("console", "(the console: no input, read returns 0)", x -> x.local("pipe") == 0)
        .label("retry")
        .step(v2611 ? "info = inode->i_pipe; if (info->nrbufs): ops->map(), pipe_iov_copy_to_user(iov, "
                + "addr + buf->offset, chars); an emptied buffer is released (do_wakeup = 1)"
            : "if the pipe holds data: copy_page_to_iter() into the user buffer", x -> {
          long pipe = x.local("pipe");
          if (Files.available(k, pipe) == 0) {
            x.setLocal("ret", -1);
            return;
          }
          long buf = x.read(x.local("to"));
          int len = (int) x.read(x.local("to") + x.word());
          byte[] d = Files.take(k, pipe, len);
          x.space().writeBytes(buf, d);
          x.setLocal("ret", d.length);
        })
        .branchIf("done", v2611 ? "if (!total_len) break; if (ret) break (no writer is waiting)"
            : "if (ret > 0) break", x -> x.signed(x.local("ret")) >= 0)
        .step(v2611 ? "if (!PIPE_WRITERS(*inode)) (end of file: ret stays 0)"
            : "if (!pipe->writers) ret = 0 (end of file)", x -> {
          if (!Files.writersExist(k, x.local("pipe"))) {
            x.setLocal("ret", 0);
          }
        })
        .branchIf("done", v2611 ? "  break" : "if (!pipe->writers) break",
            x -> x.local("ret") == 0);
    if (v6) {
      b.step("__pipe_unlock(pipe); wait_event_interruptible_exclusive(pipe->rd_wait, "
              + "pipe_readable(pipe)) [macro]: prepare_to_wait_event(TASK_INTERRUPTIBLE)",
              x -> Syscalls.sleepOn(k, x, Files.readQueue(x.local("pipe")), "pipe is empty"))
          .call("schedule()", "schedule", null)
          .step("finish_wait(&pipe->rd_wait); __pipe_lock(pipe)",
              x -> k.rq.removeWaiter(Files.readQueue(x.local("pipe")), k.current(x)))
          .jump("retry", "retry");
    } else {
      b.call(v2611 ? "pipe_wait(inode)" : "pipe_wait(pipe)", "pipe_wait",
              x -> new long[] {x.local("pipe")})
          .jump("retry", "retry");
    }
    b.label("console").step("ret = 0", x -> x.setLocal("ret", 0))
        .label("done")
        .ret(v2611 ? "up(PIPE_SEM(*inode)); if (do_wakeup) wake_up_interruptible(PIPE_WAIT(*inode)) "
                + "(no writer sleeps in the model); if (ret > 0) file_accessed(filp); return ret"
            : "__pipe_unlock(pipe); return ret", x -> x.local("ret"));
    k.image.add(b.build());
    if (!v6) {
      // 2.6.11's pipe_wait(inode) sleeps on PIPE_WAIT(*inode) under PIPE_SEM (fs/pipe.c@2.6.11:38-47)
      String param = v2611 ? "inode" : "pipe";
      k.image.add(k.image.c("pipe_wait", v2611 ? src + "@2.6.11:38-47" : src).params(param)
          .step(v2611 ? "DEFINE_WAIT(wait); prepare_to_wait(PIPE_WAIT(*inode), &wait, "
                  + "TASK_INTERRUPTIBLE); up(PIPE_SEM(*inode))"
              : "DEFINE_WAIT(wait); prepare_to_wait(&pipe->wait, &wait, TASK_INTERRUPTIBLE); "
              + "pipe_unlock(pipe)", x -> Syscalls.sleepOn(k, x, Files.readQueue(x.local(param)),
                  "pipe is empty"))
          .call("schedule()", "schedule", null)
          .step(v2611 ? "finish_wait(PIPE_WAIT(*inode), &wait); down(PIPE_SEM(*inode))"
              : "finish_wait(&pipe->wait, &wait); pipe_lock(pipe)",
              x -> k.rq.removeWaiter(Files.readQueue(x.local(param)), k.current(x)))
          .retVoid().build());
    }
  }

  static void buildPipeWrite(Kernel k, boolean v6) {
    String src = "fs/pipe.c";
    boolean v2611 = k.profile.has(Feature.VFS_2611);
    RoutineBuilder w = (v2611
        ? k.image.c("pipe_writev", src + "@2.6.11:217-346").params("filp", "from", "nr_segs", "ppos")
        : k.image.c(v6 ? "anon_pipe_write" : "pipe_write", src).params("iocb", "from"))
        .locals("pipe", "ret")
        .step((v2611 ? "down(PIPE_SEM(*inode)); merge into the last buffer if it has room, else "
                + "pipe_iov_copy_from_user() into a new page: do_wakeup = 1"
                : "pipe = filp->private_data; __pipe_lock(pipe); copy the user bytes into the buffer"),
            x -> {
              long file = v2611 ? x.local("filp") : x.read(x.local("iocb"));
              Files.OpenFile f = Files.file(k, file);
              long buf = x.read(x.local("from"));
              int len = (int) x.read(x.local("from") + x.word());
              byte[] d = x.space().readBytes(buf, len);
              if (f.console()) {
                k.files.consoleLog.addLast(Files.text(d));
                k.timeline.emit(new Event.Console(x.cpu().id(), Files.text(d).strip()));
                x.setLocal("pipe", 0);
              } else {
                Files.put(k, f.pipe(), d);
                x.setLocal("pipe", f.pipe());
              }
              x.setLocal("ret", len);
            });
    if (v2611) {
      // fs/pipe.c@2.6.11:337-345: up() first; the _sync wake-up is only for a writer about to sleep
      k.image.add(w.label("out")
          .step("out: up(PIPE_SEM(*inode))", x -> { })
          .branchIf("done", "if (do_wakeup) (the console: no readers to wake)",
              x -> x.local("pipe") == 0)
          .call("  wake_up_interruptible(PIPE_WAIT(*inode)) = __wake_up(q, TASK_INTERRUPTIBLE, 1, "
              + "NULL)", "__wake_up", x -> new long[] {Files.readQueue(x.local("pipe")), 1, 1, 0})
          .label("done")
          .ret("if (ret > 0) inode_update_time(inode, 1); return ret", x -> x.local("ret"))
          .build());
      k.image.add(k.image.c("__wake_up", Sched2611.SRC + ":2960-2968").params("q", "mode", "nr_exclusive",
              "key")
          .step("spin_lock_irqsave(&q->lock); __wake_up_common(q, mode, nr_exclusive, 0, key) "
              + "[static]: each waiter's autoremove_wake_function -> try_to_wake_up", x -> k.rq.wakeAll(
                  x.local("q"), x.cpu().id(), "a pipe write (wake_up_interruptible)"))
          .retVoid().build());
      return;
    }
    k.image.add(w.branchIf("out", "(the console has no readers to wake)", x -> x.local("pipe") == 0)
        .call(v6 ? "wake_up_interruptible_sync_poll(&pipe->rd_wait, EPOLLIN | EPOLLRDNORM)"
                : "wake_up_interruptible_sync_poll(&pipe->wait, EPOLLIN | EPOLLRDNORM)",
            "__wake_up_sync_key", x -> new long[] {Files.readQueue(x.local("pipe")), 1, 1})
        .label("out")
        .ret("__pipe_unlock(pipe); return ret", x -> x.local("ret")).build());
    k.image.add(k.image.c("__wake_up_sync_key", "kernel/sched/wait.c").params("wq_head", "mode", "key")
        .step("__wake_up_common_lock(): each waiter's autoremove_wake_function -> "
            + "try_to_wake_up", x -> k.rq.wakeAll(x.local("wq_head"), x.cpu().id(),
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
      k.image.add(SiblingCall.ret(k, Syscalls.entry(k, "pipe2", src, "fildes", "flags"),
          "return do_pipe2(fildes, flags)", "do_pipe2",
          x -> new long[] {x.local("fildes"), x.local("flags")}).build());
      k.image.add(SiblingCall.ret(k, Syscalls.entry(k, "pipe", src, "fildes"), "return do_pipe2(fildes, 0)",
          "do_pipe2", x -> new long[] {x.local("fildes"), 0}).build());
    } else {
      k.image.add(SiblingCall.ret(k, Syscalls.entry(k, "pipe", src, "fildes"), "return sys_pipe2(fildes, 0)",
          k.arch.syscallSymbol(k.profile, "pipe2", 2), x -> new long[] {x.local("fildes"), 0})
          .build());
    }
    RoutineBuilder p2 = v6 ? k.image.c("do_pipe2", src).params("fildes", "flags")
        : Syscalls.entry(k, "pipe2", src, "fildes", "flags");
    k.image.add(p2.localArea("files", 2 * k.t.word).localArea("fd", 8)
        .call(Syscalls.v26(k) ? "error = do_pipe_flags(fd, flags): create_write_pipe(), create_read_pipe()"
                : "error = __do_pipe_flags(fd, files, flags)", Syscalls.v26(k) ? "do_pipe_flags" : "__do_pipe_flags",
            x -> new long[] {x.localAddress("fd"), x.localAddress("files"), x.local("flags")})
        .step("copy_to_user(fildes, fd, sizeof(fd))", x -> {
          long fd = x.localAddress("fd");
          x.write(x.local("fildes"), 4, x.read(fd, 4));
          x.write(x.local("fildes") + 4, 4, x.read(fd + 4, 4));
        })
        .step("fd_install(fd[0], files[0]); fd_install(fd[1], files[1])", x -> { })
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.c(Syscalls.v26(k) ? "do_pipe_flags" : "__do_pipe_flags", src).params("fd", "files", "flags")
        .step("create_pipe_files(files, flags): get_pipe_inode() -> alloc_pipe_info(); "
            + "two struct file, read end and write end", x -> {
              long pipe = Files.newPipe(k);
              long r = Files.newFile(k, new Files.OpenFile(pipe, false, false, false), "pipe read end");
              long w = Files.newFile(k, new Files.OpenFile(pipe, true, false, false), "pipe write end");
              x.write(x.local("files"), r);
              x.write(x.local("files") + x.word(), w);
            })
        .step("fd[0] = get_unused_fd_flags(flags); fd[1] = get_unused_fd_flags(flags)", x -> {
          long cur = k.current(x);
          int r = Files.install(k, cur, x.read(x.local("files")));
          int w = Files.install(k, cur, x.read(x.local("files") + x.word()));
          x.write(x.local("fd"), 4, r);
          x.write(x.local("fd") + 4, 4, w);
        })
        .ret("return 0", x -> 0).build());
  }
}
