package kstack.kernel;

import kstack.kernel.VfsCommon.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The VFS path of 2.6.11 (Feature.VFS_2611): sys_read looks the file up with fget_light and keeps a
 * local copy of f_pos (fs/read_write.c@2.6.11:222-250,270-345); vfs_read calls file->f_op->read,
 * pipe_read, which puts one iovec on the stack for pipe_readv (fs/pipe.c@2.6.11:117-215,217-353);
 * a reader of an empty pipe sleeps in pipe_wait(inode) under PIPE_SEM; there is no pipe2 (2.6.27):
 * sys_pipe calls do_pipe(fd) itself.
 */
public final class Vfs2611 implements Vfs {

  private static final String RW = VfsCommon.RW;
  private static final String PIPE = "fs/pipe.c@2.6.11";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.VFS_2611);
  }

  @Override
  public void buildReadWrite(Kernel k) {
    boolean read = true;
    for (String dir : new String[] {"read", "write"}) {
      k.image.add(VfsCommon.body(k, Syscalls.entry(k, dir, RW + (read ? "@2.6.11:312-327"
              : "@2.6.11:330-345"), L.fd, L.buf, L.count), dir, new VfsCommon.BodyWords(
          "file = fget_light(fd, &fput_needed)", "if (file)",
          "pos = file_pos_read(file); ret = vfs_" + dir + "(file, buf, count, &pos)",
          "file_pos_write(file, pos); fput_light(file, fput_needed); return ret")));
      String inner = "pipe_" + dir;
      String up = dir.toUpperCase();
      k.image.add(VfsCommon.vfsRw(k, dir, RW + (read ? "@2.6.11:222-250" : "@2.6.11:270-298"),
          "access_ok(" + (read ? "VERIFY_WRITE" : "VERIFY_READ") + ", buf, count); ret = "
              + VfsCommon.verify(dir) + "; security_file_permission(file, MAY_" + up + ")",
          "ret = file->f_op->" + dir + "(file, buf, count, pos) = " + inner, inner,
          "if (ret > 0) { dnotify_parent(file->f_dentry, " + (read ? "DN_ACCESS" : "DN_MODIFY")
              + "); current->" + dir.charAt(0) + "char += ret } current->sysc" + dir.charAt(0)
              + "++; return ret"));
      read = false;
      // fs/pipe.c@2.6.11:210-215,348-353: one iovec on the stack, then the v-variant
      k.image.add(k.image.c(inner, PIPE).params(L.filp, L.buf, L.count, L.ppos)
          .localArea(L.iov, 2 * k.t.word)
          .step("struct iovec iov = { .iov_base = buf, .iov_len = count }", x -> {
            x.write(x.addr(L.iov), x.get(L.buf));
            x.write(x.addr(L.iov) + x.word(), x.get(L.count));
          })
          .call("return pipe_" + dir + "v(filp, &iov, 1, ppos)", "pipe_" + dir + "v",
              Args.of(x -> x.get(L.filp), x -> x.addr(L.iov), x -> 1, x -> x.get(L.ppos)))
          .ret("return ret", Exec::retval).build());
    }
    buildPipeRead(k);
    buildPipeWrite(k);
  }

  private static void buildPipeRead(Kernel k) {
    k.image.add(k.image.c("pipe_readv", "fs/pipe.c@2.6.11:117-208").params(L.filp, L.to, L.nr_segs, L.ppos)
        .locals(L.pipe, L.ret)
        .step("inode = filp->f_dentry->d_inode; down(PIPE_SEM(*inode))",
            x -> VfsCommon.openPipe(k, x, x.get(L.filp)))
        .branchIf("console", "(the console: no input, read returns 0)", x -> x.get(L.pipe) == 0)
        .label("retry")
        .step("info = inode->i_pipe; if (info->nrbufs): ops->map(), pipe_iov_copy_to_user(iov, "
                + "addr + buf->offset, chars); an emptied buffer is released (do_wakeup = 1)",
            x -> VfsCommon.copyOut(k, x, x.get(L.to)))
        .branchIf("done", "if (!total_len) break; if (ret) break (no writer is waiting)",
            x -> x.signed(x.get(L.ret)) >= 0)
        .step("if (!PIPE_WRITERS(*inode)) (end of file: ret stays 0)",
            x -> VfsCommon.eofIfNoWriters(k, x))
        .branchIf("done", "  break", x -> x.get(L.ret) == 0)
        .call("pipe_wait(inode)", "pipe_wait", Args.of(x -> x.get(L.pipe)))
        .jump("retry", "retry")
        .label("console").step("ret = 0", x -> x.set(L.ret, 0))
        .label("done")
        .ret("up(PIPE_SEM(*inode)); if (do_wakeup) wake_up_interruptible(PIPE_WAIT(*inode)) "
            + "(no writer sleeps in the model); if (ret > 0) file_accessed(filp); return ret",
            x -> x.get(L.ret)).build());
    // pipe_wait(inode) sleeps on PIPE_WAIT(*inode) under PIPE_SEM (fs/pipe.c@2.6.11:38-47)
    k.image.add(k.image.c("pipe_wait", "fs/pipe.c@2.6.11:38-47").params(L.inode)
        .step("DEFINE_WAIT(wait); prepare_to_wait(PIPE_WAIT(*inode), &wait, TASK_INTERRUPTIBLE); "
            + "up(PIPE_SEM(*inode))", x -> Syscalls.sleepOn(k, x,
                Files.readQueue(x.get(L.inode)), "pipe is empty"))
        .call("schedule()", "schedule", Args.inPlace())
        .step("finish_wait(PIPE_WAIT(*inode), &wait); down(PIPE_SEM(*inode))",
            x -> k.rq.removeWaiter(Files.readQueue(x.get(L.inode)), k.current(x)))
        .retVoid().build());
  }

  /** fs/pipe.c@2.6.11:337-345: up() first; the _sync wake-up is only for a writer about to sleep. */
  private static void buildPipeWrite(Kernel k) {
    k.image.add(k.image.c("pipe_writev", "fs/pipe.c@2.6.11:217-346").params(L.filp, L.from, L.nr_segs, L.ppos)
        .locals(L.pipe, L.ret)
        .step("down(PIPE_SEM(*inode)); merge into the last buffer if it has room, else "
                + "pipe_iov_copy_from_user() into a new page: do_wakeup = 1",
            x -> VfsCommon.copyIn(k, x, x.get(L.filp), x.get(L.from)))
        .label("out")
        .step("out: up(PIPE_SEM(*inode))", x -> { })
        .branchIf("done", "if (do_wakeup) (the console: no readers to wake)",
            x -> x.get(L.pipe) == 0)
        .call("  wake_up_interruptible(PIPE_WAIT(*inode)) = __wake_up(q, TASK_INTERRUPTIBLE, 1, "
            + "NULL)", "__wake_up", Args.of(x -> Files.readQueue(x.get(L.pipe)), x -> 1, x -> 1, x -> 0))
        .label("done")
        .ret("if (ret > 0) inode_update_time(inode, 1); return ret", x -> x.get(L.ret))
        .build());
    // wake_up_interruptible's __wake_up is kernel/sched.c's (sched.c@2.6.11:2960-2968)
    k.image.add(k.image.c("__wake_up", "kernel/sched.c@2.6.11:2960-2968")
        .params(L.q, L.mode, L.nr_exclusive, L.key)
        .step("spin_lock_irqsave(&q->lock); __wake_up_common(q, mode, nr_exclusive, 0, key) "
            + "[static]: each waiter's autoremove_wake_function -> try_to_wake_up", x -> k.rq.wakeAll(
                x.get(L.q), x.cpu().id(), "a pipe write (wake_up_interruptible)"))
        .retVoid().build());
  }

  /** sys_pipe (arch/i386/kernel/sys_i386.c@2.6.11:30-40) → do_pipe (fs/pipe.c@2.6.11:713-792). */
  @Override
  public void buildPipe(Kernel k) {
    VfsCommon.buildDoPipe(k, "arch/i386/kernel/sys_i386.c@2.6.11:30-40",
        "fs/pipe.c@2.6.11:713-792",
        "error = -ENFILE; f1 = get_empty_filp(); f2 = get_empty_filp(); inode = "
            + "get_pipe_inode(); i = get_unused_fd(); j = get_unused_fd(); dentry \"[ino]\" in "
            + "pipefs; f1: O_RDONLY, read_pipe_fops; f2: O_WRONLY, write_pipe_fops; "
            + "fd_install(i, f1); fd_install(j, f2)");
  }
}
