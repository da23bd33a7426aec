package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;

/**
 * The 2.4.22 system calls the stories use (docs/research/i386-and-2.x.md §1.7): read and write go
 * straight from sys_read/sys_write to file->f_op (no vfs_ layer yet), a reader of an empty pipe
 * sleeps in pipe_wait, nanosleep sleeps in schedule_timeout. The console is served by the same
 * pipe_write as in the other profiles (the simulator's console, not the tty layer).
 */
final class Syscalls24 {
  enum L implements Local {
      buf, count, expire, fd, fildes, file, filp, inode, pipe, ppos, ret, rmtp, rqtp, t
  }

  private Syscalls24() {}

  static void build(Kernel k) {
    k.image.add(Syscalls.entry(k, "getpid", "kernel/timer.c")
        .ret("return current->tgid (kernel/timer.c@2.4.22:753-755)",
            x -> k.tasks.taskRead(k.current(x), "tgid")).build());
    buildReadWrite(k);
    buildPipe(k);
    buildNanosleep(k);
  }

  /** sys_read / sys_write (fs/read_write.c@2.4.22:162-211), pipe_read/pipe_write (fs/pipe.c). */
  private static void buildReadWrite(Kernel k) {
    String rw = "fs/read_write.c";
    for (String dir : new String[] {"read", "write"}) {
      k.image.add(Syscalls.entry(k, dir, rw, L.fd, L.buf, L.count).locals(L.file)
          .step("file = fget(fd)", x -> x.set(L.file,
              Files.fileOf(k, k.current(x), x.get(L.fd))))
          .branchIf("ok", "if (file)", x -> x.get(L.file) != 0)
          .ret("return -EBADF", x -> Syscalls.EBADF)
          .label("ok")
          .branchIf("mode", "if (file->f_mode & FMODE_" + dir.toUpperCase() + ")", x -> {
            Files.OpenFile f = Files.file(k, x.get(L.file));
            return f.console() || f.writeEnd() == dir.equals("write");
          })
          .ret("fput(file); return -EBADF", x -> Syscalls.EBADF)
          .label("mode")
          .step("locks_verify_area(); ppos = &file->f_pos", x -> { })
          .call("ret = file->f_op->" + dir + "(file, buf, count, &file->f_pos) -> pipe_" + dir,
              "pipe_" + dir, Args.of(x -> x.get(L.file), x -> x.get(L.buf), x -> x.get(L.count), x -> 0))
          .ret("fput(file); return ret", Exec::retval).build());
    }
    String src = "fs/pipe.c";
    k.image.add(k.image.c("pipe_read", src).params(L.filp, L.buf, L.count, L.ppos).locals(L.pipe, L.ret)
        .step("inode = filp->f_dentry->d_inode; down(PIPE_SEM(*inode))", x -> {
          Files.OpenFile f = Files.file(k, x.get(L.filp));
          x.set(L.pipe, f.console() ? 0 : f.pipe());
        })
        .branchIf("console", "(the console: no input, read returns 0)", x -> x.get(L.pipe) == 0)
        .label("retry")
        .step("if (!PIPE_EMPTY(*inode)) copy_to_user(buf, PIPE_START(*inode), chars)", x -> {
          long pipe = x.get(L.pipe);
          if (Files.available(k, pipe) == 0) {
            x.set(L.ret, -1);
            return;
          }
          byte[] d = Files.take(k, pipe, (int) x.get(L.count));
          x.space().writeBytes(x.get(L.buf), d);
          x.set(L.ret, d.length);
        })
        .branchIf("done", "if (read) break", x -> x.signed(x.get(L.ret)) >= 0)
        .step("if (!PIPE_WRITERS(*inode)) ret = 0 (end of file)", x -> {
          if (!Files.writersExist(k, x.get(L.pipe))) {
            x.set(L.ret, 0);
          }
        })
        .branchIf("done", "if (!PIPE_WRITERS(*inode)) goto out", x -> x.get(L.ret) == 0)
        .step("up(PIPE_SEM(*inode))", x -> { })
        .call("pipe_wait(inode)", "pipe_wait", Args.of(x -> x.get(L.pipe)))
        .step("down_interruptible(PIPE_SEM(*inode))", x -> { })
        .jump("retry", "goto retry (fs/pipe.c@2.4.22:61-80)")
        .label("console").step("ret = 0", x -> x.set(L.ret, 0))
        .label("done")
        .branchIf("out", "(nothing read: straight to out)", x -> x.signed(x.get(L.ret)) <= 0)
        .call("wake_up_interruptible(PIPE_WAIT(*inode)): writers, asynchronously, that there is "
            + "room (fs/pipe.c@2.4.22:122-123)", "__wake_up",
            Args.of(x -> Files.readQueue(x.get(L.pipe)), x -> 1, x -> 1))
        .label("out")
        .ret("up(PIPE_SEM(*inode)); return ret", x -> x.get(L.ret)).build());
    k.image.add(k.image.c("pipe_wait", src).params(L.inode)
        .step("DECLARE_WAITQUEUE(wait, current); current->state = TASK_INTERRUPTIBLE; "
            + "add_wait_queue(PIPE_WAIT(*inode), &wait); up(PIPE_SEM(*inode))",
            x -> Syscalls.sleepOn(k, x, Files.readQueue(x.get(L.inode)), "pipe is empty"))
        .call("schedule()", "schedule", Args.inPlace())
        .step("remove_wait_queue(PIPE_WAIT(*inode), &wait); current->state = TASK_RUNNING; "
            + "down(PIPE_SEM(*inode))", x -> k.rq.removeWaiter(Files.readQueue(x.get(L.inode)),
                k.current(x)))
        .retVoid().build());
    k.image.add(k.image.c("pipe_write", src).params(L.filp, L.buf, L.count, L.ppos).locals(L.pipe, L.ret)
        .step("down(PIPE_SEM(*inode)); copy_from_user(PIPE_END(*inode), buf, chars)", x -> {
          Files.OpenFile f = Files.file(k, x.get(L.filp));
          byte[] d = x.space().readBytes(x.get(L.buf), (int) x.get(L.count));
          if (f.console()) {
            k.files.consoleLog.addLast(Files.text(d));
            k.timeline.emit(new kstack.trace.Event.Console(x.cpu().id(), Files.text(d).strip()));
            x.set(L.pipe, 0);
          } else {
            Files.put(k, f.pipe(), d);
            x.set(L.pipe, f.pipe());
          }
          x.set(L.ret, d.length);
        })
        .branchIf("out", "(the console has no readers to wake)", x -> x.get(L.pipe) == 0)
        .call("wake_up_interruptible(PIPE_WAIT(*inode)): readers, asynchronously "
            + "(fs/pipe.c@2.4.22:230-231)", "__wake_up",
            Args.of(x -> Files.readQueue(x.get(L.pipe)), x -> 1, x -> 1))
        .label("out")
        .ret("up(PIPE_SEM(*inode)); return written", x -> x.get(L.ret)).build());
  }

  /** sys_pipe (arch/i386/kernel/sys_i386.c@2.4.22:29-40) -> do_pipe (fs/pipe.c@2.4.22:504). */
  private static void buildPipe(Kernel k) {
    buildPipe(k, "arch/i386/kernel/sys_i386.c", "fs/pipe.c", "f1 = get_empty_filp(); "
        + "f2 = get_empty_filp(); inode = get_pipe_inode(); i = get_unused_fd(); j = get_unused_fd(); "
        + "fd_install(i, f1); fd_install(j, f2)"); // fs/pipe.c@2.4.22:514-564
  }

  /**
   * sys_pipe -> do_pipe(fd), the pair 2.4 and 2.6.11 share (there is no pipe2 before 2.6.27):
   * do_pipe makes both files and both descriptors, sys_pipe copies fd[] out to user space.
   */
  static void buildPipe(Kernel k, String sysSrc, String pipeSrc, String create) {
    k.image.add(Syscalls.entry(k, "pipe", sysSrc, L.fildes).localArea(L.fd, 8)
        .call("error = do_pipe(fd)", "do_pipe", Args.of(x -> x.addr(L.fd)))
        .step("if (!error) copy_to_user(fildes, fd, 2 * sizeof(int))", x -> {
          long fd = x.addr(L.fd);
          x.write(x.get(L.fildes), 4, x.read(fd, 4));
          x.write(x.get(L.fildes) + 4, 4, x.read(fd + 4, 4));
        })
        .ret("return error", x -> 0).build());
    k.image.add(k.image.c("do_pipe", pipeSrc).params(L.fd)
        .step(create, x -> {
          long pipe = Files.newPipe(k);
          long r = Files.newFile(k, new Files.OpenFile(pipe, false, false, false), "pipe read end");
          long w = Files.newFile(k, new Files.OpenFile(pipe, true, false, false), "pipe write end");
          long cur = k.current(x);
          x.write(x.get(L.fd), 4, Files.install(k, cur, r));
          x.write(x.get(L.fd) + 4, 4, Files.install(k, cur, w));
        })
        .ret("fd[0] = i; fd[1] = j; return 0", x -> 0).build());
  }

  private static void buildNanosleep(Kernel k) {
    buildNanosleep(k, "kernel/timer.c");
  }

  /** sys_nanosleep (kernel/timer.c@2.4.22:836-875, @2.6.11:1159-1190: the same path). */
  static void buildNanosleep(Kernel k, String src) {
    k.image.add(Syscalls.entry(k, "nanosleep", src, L.rqtp, L.rmtp).locals(L.expire)
        .localArea(L.t, 8)
        .step("copy_from_user(&t, rqtp, sizeof(struct timespec)); (a SCHED_OTHER task never "
            + "busy-waits); expire = timespec_to_jiffies(&t) + (t.tv_sec || t.tv_nsec)", x -> {
              long t = x.addr(L.t);
              x.write(t, x.read(x.get(L.rqtp)));
              x.write(t + 4, x.read(x.get(L.rqtp) + 4));
              long ns = x.read(t) * 1_000_000_000L + x.read(t + 4);
              long jif = (ns + Sched24.jiffyNs(k) - 1) / Sched24.jiffyNs(k);
              x.set(L.expire, jif + (ns != 0 ? 1 : 0));
            })
        .step("current->state = TASK_INTERRUPTIBLE", x -> {
          long cur = k.current(x);
          k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new kstack.trace.Event.Blocked(x.cpu().id(), k.tasks.pid(cur),
              "nanosleep for " + x.get(L.expire) + " jiffies"));
        })
        .callInto(L.expire, "expire = schedule_timeout(expire)", "schedule_timeout",
            Args.of(x -> x.get(L.expire)))
        .ret("if (expire) return -EINTR (with the rest in *rmtp); return 0",
            x -> x.get(L.expire) != 0 ? -4 : 0).build());
  }
}
