package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * What the VFS generations share: the system call body that looks the descriptor up and calls
 * vfs_read/vfs_write, vfs_read/vfs_write's mode check, and the pipe's data movement in and out of
 * user memory. Each generation passes its words in.
 */
final class VfsCommon {
  enum L implements Local {
    buf, count, fd, fildes, file, files, filp, flags, from, inode, iocb, iov, key, kiocb, len,
    mode, nr_exclusive, nr_segs, pipe, pos, ppos, q, ret, to, wq_head
  }

  private VfsCommon() {}

  static final String RW = "fs/read_write.c";

  /** The words of a read or write system call's body: lookup, check, call and return. */
  record BodyWords(String lookup, String check, String call, String ret) {}

  /** fd → struct file, -EBADF if there is none, else ret = vfs_DIR(file, buf, count, &pos). */
  static kstack.exec.Routine body(Kernel k, RoutineBuilder e, String dir, BodyWords w) {
    return e.locals(L.file)
        .step(w.lookup(), x -> x.set(L.file, Files.fileOf(k, k.current(x), x.get(L.fd))))
        .branchIf("ok", w.check(), x -> x.get(L.file) != 0)
        .ret("return -EBADF", x -> Syscalls.EBADF)
        .label("ok")
        .call(w.call(), "vfs_" + dir,
            Args.of(x -> x.get(L.file), x -> x.get(L.buf), x -> x.get(L.count), x -> 0))
        .ret(w.ret(), Exec::retval).build();
  }

  /** vfs_read/vfs_write: the file must be open for the direction; then the verify step and inner. */
  static kstack.exec.Routine vfsRw(Kernel k, String dir, String src, String verify, String call,
      String inner, String ret) {
    boolean wantWrite = dir.equals("write");
    return k.image.c("vfs_" + dir, src)
        .params(L.file, L.buf, L.count, L.pos)
        .branchIf("mode", "if (!(file->f_mode & FMODE_" + dir.toUpperCase() + ")) return -EBADF",
            x -> {
              Files.OpenFile f = Files.file(k, x.get(L.file));
              return f.console() || f.writeEnd() == wantWrite;
            })
        .ret("return -EBADF", x -> Syscalls.EBADF)
        .label("mode")
        .step(verify, x -> { })
        .call(call, inner,
            Args.of(x -> x.get(L.file), x -> x.get(L.buf), x -> x.get(L.count), x -> x.get(L.pos)))
        .ret(ret, Exec::retval).build();
  }

  /** rw_verify_area's words for a direction. */
  static String verify(String dir) {
    return "rw_verify_area(" + dir.toUpperCase() + ", file, pos, count)";
  }

  /** The pipe a read reads: the struct file's pipe, 0 for the console. */
  static void openPipe(Kernel k, Exec x, long file) {
    Files.OpenFile f = Files.file(k, file);
    x.set(L.pipe, f.console() ? 0 : f.pipe());
  }

  /** Moves up to the iovec's length of the pipe's bytes into user memory; ret -1 if empty. */
  static void copyOut(Kernel k, Exec x, long iov) {
    long pipe = x.get(L.pipe);
    if (Files.available(k, pipe) == 0) {
      x.set(L.ret, -1);
      return;
    }
    long buf = x.read(iov);
    int len = (int) x.read(iov + x.word());
    byte[] d = Files.take(k, pipe, len);
    x.space().writeBytes(buf, d);
    x.set(L.ret, d.length);
  }

  /** End of file: no writer holds the pipe open any more. */
  static void eofIfNoWriters(Kernel k, Exec x) {
    if (!Files.writersExist(k, x.get(L.pipe))) {
      x.set(L.ret, 0);
    }
  }

  /** Copies the iovec's bytes into the pipe, or to the console; pipe is 0 for the console. */
  static void copyIn(Kernel k, Exec x, long file, long iov) {
    Files.OpenFile f = Files.file(k, file);
    long buf = x.read(iov);
    int len = (int) x.read(iov + x.word());
    byte[] d = x.space().readBytes(buf, len);
    if (f.console()) {
      k.files.consoleLog.addLast(Files.text(d));
      k.timeline.emit(new kstack.trace.Event.Console(x.cpu().id(), Files.text(d).strip()));
      x.set(L.pipe, 0);
    } else {
      Files.put(k, f.pipe(), d);
      x.set(L.pipe, f.pipe());
    }
    x.set(L.ret, len);
  }

  /** pipe's end: the pipe and its two files, installed as the two lowest free descriptors. */
  static long[] newPipeFiles(Kernel k) {
    long pipe = Files.newPipe(k);
    long r = Files.newFile(k, new Files.OpenFile(pipe, false, false, false), "pipe read end");
    long w = Files.newFile(k, new Files.OpenFile(pipe, true, false, false), "pipe write end");
    return new long[] {r, w};
  }

  /**
   * sys_pipe → do_pipe(fd), the pair 2.4 and 2.6.11 share (there is no pipe2 before 2.6.27):
   * do_pipe makes both files and both descriptors, sys_pipe copies fd[] out to user space.
   */
  static void buildDoPipe(Kernel k, String sysSrc, String pipeSrc, String create) {
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
          long[] f = newPipeFiles(k);
          long cur = k.current(x);
          x.write(x.get(L.fd), 4, Files.install(k, cur, f[0]));
          x.write(x.get(L.fd) + 4, 4, Files.install(k, cur, f[1]));
        })
        .ret("fd[0] = i; fd[1] = j; return 0", x -> 0).build());
  }
}
