package kstack.kernel;

import kstack.kernel.VfsCommon.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.profile.Feature;

/**
 * The read, write and pipe system calls of 2.4.22 (Feature.VFS_24; docs/research/i386-and-2.x.md
 * §1.7): read and write go straight from sys_read/sys_write to file->f_op (no vfs_ layer yet), a
 * reader of an empty pipe sleeps in pipe_wait, sys_pipe calls do_pipe. The console is served by
 * pipe_write as in the other profiles (the simulator's console, not the tty layer).
 */
public final class Vfs24 implements Vfs {

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.VFS_24);
  }

  /** sys_read / sys_write (fs/read_write.c@2.4.22:162-211), pipe_read/pipe_write (fs/pipe.c). */
  @Override
  public void buildReadWrite(Kernel k) {
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
  @Override
  public void buildPipe(Kernel k) {
    VfsCommon.buildDoPipe(k, "arch/i386/kernel/sys_i386.c", "fs/pipe.c", "f1 = get_empty_filp(); "
        + "f2 = get_empty_filp(); inode = get_pipe_inode(); i = get_unused_fd(); j = get_unused_fd(); "
        + "fd_install(i, f1); fd_install(j, f2)"); // fs/pipe.c@2.4.22:514-564
  }
}
