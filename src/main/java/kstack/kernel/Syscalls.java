package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * The system calls the stories use, each as the chain of C functions a frame-pointer backtrace shows
 * (docs/research/x86_64-call-chains.md §3): 4.16 enters {@code SyS_NAME} with the arguments in
 * registers, 6.19 enters {@code __x64_sys_NAME(regs)} through x64_sys_call. The arch supplies the
 * entry routine (name and argument unpacking); the bodies are generic.
 */
final class Syscalls {
  private Syscalls() {}

  static final long EBADF = -9;
  /** fork with no free pid (do_fork@2.6.11, alloc_pid@6.19), include/asm-generic/errno-base.h. */
  static final long EAGAIN = -11;
  static final long ECHILD = -10;
  static final long EFAULT = -14;
  static final long EPIPE = -32;
  static final long ENOENT = -2;

  static RoutineBuilder entry(Kernel k, String name, String source, Local... params) {
    Integer nr = k.arch.syscallNumbers().get(name);
    RoutineBuilder b = k.arch.syscallRoutine(k, name, source, params);
    if (nr != null) { // built but not in the table: e.g. pipe on arm64, which only has pipe2
      k.image.sysCallTable.put(nr, k.arch.syscallSymbol(k.profile, name, params.length));
    }
    return b;
  }

  /** Where the kernel's build order adds the generic system calls: the profile's table. */
  static void build(Kernel k) {
    k.profile.module(SyscallTable.class).build(k);
  }

  /** sys_getpid: the thread group's id. */
  static void buildGetpid(Kernel k, String src, String text) {
    k.image.add(entry(k, "getpid", src).ret(text, x -> k.tasks.taskRead(k.current(x), TaskMember.tgid)).build());
  }

  /** read, write and pipe through the profile's VFS, then nanosleep through its timers. */
  static void buildFilesAndSleep(Kernel k) {
    Vfs vfs = k.profile.module(Vfs.class);
    vfs.buildReadWrite(k);
    vfs.buildPipe(k);
    k.profile.module(Nanosleep.class).buildNanosleep(k);
  }

  /** set_current_state(TASK_INTERRUPTIBLE) and join a wait queue: the first half of sleeping. */
  static void sleepOn(Kernel k, Exec x, long queue, String why) {
    long cur = k.current(x);
    k.tasks.setState(cur, Kernel.TASK_INTERRUPTIBLE);
    k.rq.addWaiter(queue, cur);
    k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), why));
  }

  static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  static Map<String, Integer> numbers(Kernel k) {
    return k.arch.syscallNumbers();
  }
}
