package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import kstack.trace.JMap;

/**
 * Open files as far as the stack stories need them: pipes (fs/pipe.c) and the console. A
 * {@code struct file} and a {@code pipe_inode_info} are real allocations in kernel memory (so their
 * addresses appear in registers and frames); their contents are kept here.
 */
final class Files {
  private Files() {}

  /** What a struct file refers to: a pipe end, or the console. */
  record OpenFile(long pipe, boolean writeEnd, boolean console, boolean cloexec) {}

  static JMap<Long, OpenFile> table(Kernel k) {
    return k.files.open;
  }

  static OpenFile file(Kernel k, long file) {
    return k.files.open.get(file);
  }

  static long newFile(Kernel k, OpenFile f, String what) {
    long addr = k.pages.kmalloc(256, "struct file (" + what + ")");
    k.files.open.put(addr, f);
    return addr;
  }

  /** A new pipe_inode_info with its buffer. */
  static long newPipe(Kernel k) {
    long pipe = k.pages.kmalloc(256, "pipe_inode_info");
    k.files.pipes.put(pipe, new FileTables.Pipe(k.timeline, pipe));
    return pipe;
  }

  /** The queue readers sleep on: 4.16 has one pipe->wait, 6.19 a separate rd_wait. */
  static long readQueue(long pipe) {
    return pipe + 8; // an identity for the wait queue (the pipe_inode_info bytes are not modelled)
  }

  static long fileOf(Kernel k, long task, long fd) {
    Long f = k.files.fds(task).get((int) fd);
    return f == null ? 0 : f;
  }

  /** get_unused_fd_flags + fd_install: the lowest free descriptor. */
  static int install(Kernel k, long task, long file) {
    Map<Integer, Long> t = new HashMap<>(k.files.fds(task));
    int fd = 0;
    while (t.containsKey(fd)) {
      fd++;
    }
    t.put(fd, file);
    k.files.setFds(task, t);
    return fd;
  }

  static void closeOnExec(Kernel k, long task) {
    Map<Integer, Long> t = new HashMap<>(k.files.fds(task));
    t.entrySet().removeIf(e -> file(k, e.getValue()).cloexec());
    k.files.setFds(task, t);
  }

  static boolean writersExist(Kernel k, long pipe) {
    if (pipe == k.files.initctl()) {
      return true; // the simulator itself holds the write end of init's control pipe
    }
    FileTables.Pipe p = k.files.pipes.get(pipe);
    return p != null && p.writers.get() > 0;
  }

  static byte[] take(Kernel k, long pipe, int max) {
    FileTables.Pipe p = k.files.pipes.get(pipe);
    byte[] d = p.data.get();
    int n = Math.min(max, d.length);
    p.data.set(Arrays.copyOfRange(d, n, d.length));
    return Arrays.copyOf(d, n);
  }

  static void put(Kernel k, long pipe, byte[] bytes) {
    FileTables.Pipe p = k.files.pipes.get(pipe);
    byte[] d = p.data.get();
    byte[] n = Arrays.copyOf(d, d.length + bytes.length);
    System.arraycopy(bytes, 0, n, d.length, bytes.length);
    p.data.set(n);
  }

  static int available(Kernel k, long pipe) {
    return k.files.pipes.get(pipe).data.get().length;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
