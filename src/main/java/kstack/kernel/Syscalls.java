package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
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
  static final long ECHILD = -10;
  static final long EFAULT = -14;
  static final long EPIPE = -32;
  static final long ENOENT = -2;

  /** 2.6.32's VFS and process-creation paths (FORK_PASSES_REGS marks the generation). */
  static boolean v26(Kernel k) {
    return k.profile.has(Feature.FORK_PASSES_REGS);
  }

  static RoutineBuilder entry(Kernel k, String name, String source, String... params) {
    Integer nr = k.arch.syscallNumbers().get(name);
    RoutineBuilder b = k.arch.syscallRoutine(k, name, source, params);
    if (nr != null) { // built but not in the table: e.g. pipe on arm64, which only has pipe2
      k.sysCallTable.put(nr, k.arch.syscallSymbol(k.profile, name, params.length));
    }
    return b;
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.KERNEL_CLONE);
    // sys_getpid sat in kernel/timer.c until it moved to kernel/sys.c in the 3.x series
    boolean v2611 = k.profile.has(Feature.PT_REGS_60);
    k.add(entry(k, "getpid", v2611 ? "kernel/timer.c@2.6.11:967-970"
            : v26(k) ? "kernel/timer.c@2.6.32.67:1293-1296" : "kernel/sys.c")
        .ret(v2611 ? "return current->tgid" : "return task_tgid_vnr(current)",
            x -> k.taskRead(k.current(x), "tgid")).build());
    if (v26(k)) {
      k.add(k.c("do_no_restart_syscall", v2611 ? "kernel/signal.c@2.6.11:1973-1976"
              : "kernel/signal.c@2.6.32.67:2006-2009").params("param")
          .ret("return -EINTR: restart_block.fn while no interrupted call is to be restarted",
              x -> -4).build());
    }
    Vfs vfs = k.profile.module(Vfs.class);
    vfs.buildReadWrite(k);
    vfs.buildPipe(k);
    k.profile.module(Timers.class).buildNanosleep(k);
    if (!v26(k)) {
      Clone.build(k, v6); // 2.6: sys_fork and sys_clone take pt_regs and are the arch's
    }
    k.profile.module(Scheduler.class).buildYield(k);
    Exit.build(k);
  }

  /** set_current_state(TASK_INTERRUPTIBLE) and join a wait queue: the first half of sleeping. */
  static void sleepOn(Kernel k, Exec x, long queue, String why) {
    long cur = k.current(x);
    k.setState(cur, Kernel.TASK_INTERRUPTIBLE);
    k.addWaiter(queue, cur);
    k.timeline.emit(new Event.Blocked(x.cpu().id(), k.pid(cur), why));
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
