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
    if (!k.profile.has(Feature.NO_HRTIMERS)) { // 2.6.11: Timer2611
      buildNanosleep(k, v6);
    }
    if (!v26(k)) {
      Clone.build(k, v6); // 2.6: sys_fork and sys_clone take pt_regs and are the arch's
    }
    k.profile.module(Scheduler.class).buildYield(k);
    Exit.build(k);
  }

  // ---- nanosleep ----------------------------------------------------------------------------

  /** struct hrtimer_sleeper: the hrtimer (node.expires at 24, function at 40) then task at 64. */
  static final int SLEEPER_SIZE = 72;
  static final int SLEEPER_EXPIRES = 24;
  static final int SLEEPER_FUNCTION = 40;
  static final int SLEEPER_TASK = 64;

  /** set_current_state(TASK_INTERRUPTIBLE) and join a wait queue: the first half of sleeping. */
  static void sleepOn(Kernel k, Exec x, long queue, String why) {
    long cur = k.current(x);
    k.setState(cur, Kernel.TASK_INTERRUPTIBLE);
    k.addWaiter(queue, cur);
    k.timeline.emit(new Event.Blocked(x.cpu().id(), k.pid(cur), why));
  }

  private static void buildNanosleep(Kernel k, boolean v6) {
    String src = "kernel/time/hrtimer.c";
    RoutineBuilder e = entry(k, "nanosleep", src, "rqtp", "rmtp").locals("ns");
    if (v6) {
      e.step("get_timespec64(&tu, rqtp): the duration from user memory",
          x -> x.setLocal("ns", timespecNs(x, x.local("rqtp"))))
          .call("hrtimer_nanosleep(timespec64_to_ktime(tu), HRTIMER_MODE_REL, CLOCK_MONOTONIC)",
              "hrtimer_nanosleep", x -> new long[] {x.local("ns"), 1, 1});
    } else {
      e.localArea("tu", 16)
          .step("get_timespec64(&tu, rqtp): the duration from user memory", x -> {
            x.write(x.localAddress("tu"), 8, x.read(x.local("rqtp"), x.word()));
            x.write(x.localAddress("tu") + 8, 8, x.read(x.local("rqtp") + x.word(), x.word()));
          })
          .call("hrtimer_nanosleep(&tu, HRTIMER_MODE_REL, CLOCK_MONOTONIC)", "hrtimer_nanosleep",
              x -> new long[] {x.localAddress("tu"), 1, 1});
    }
    k.add(e.ret("return ret", Exec::retval).build());
    k.add(k.c("hrtimer_nanosleep", src).params("rqtp", "mode", "clockid").localArea("t", SLEEPER_SIZE)
        .step(v6 ? "hrtimer_setup_sleeper_on_stack(&t, clockid, mode); set expiry"
                : "hrtimer_init_on_stack(&t.timer, clockid, mode); hrtimer_set_expires_range_ns()",
            x -> {
              long ns = v6 ? x.local("rqtp") : timespec64Ns(x, x.local("rqtp"));
              x.write(x.localAddress("t") + SLEEPER_EXPIRES, k.now() + ns);
              x.write(x.localAddress("t") + SLEEPER_FUNCTION, k.symbol("hrtimer_wakeup"));
            })
        .call("ret = do_nanosleep(&t, mode)", "do_nanosleep",
            x -> new long[] {x.localAddress("t"), x.local("mode")})
        .ret("destroy_hrtimer_on_stack(&t.timer); return ret", Exec::retval).build());
    RoutineBuilder d = k.c("do_nanosleep", src).params("t", "mode")
        .step("hrtimer_init_sleeper(t, current): t->task = current",
            x -> x.write(x.local("t") + SLEEPER_TASK, k.current(x)))
        .label("again")
        .step("set_current_state(TASK_INTERRUPTIBLE); hrtimer_start_expires(&t->timer, mode)",
            x -> {
              long t = x.local("t");
              sleepOn(k, x, t, "nanosleep until t=" + x.read(t + SLEEPER_EXPIRES) + "ns");
              k.addTimer(x.read(t + SLEEPER_EXPIRES), k.current(x), t);
            });
    d.call(v6 ? "schedule()" : "freezable_schedule() [inline]: schedule()", "schedule", null)
        .step("hrtimer_cancel(&t->timer)", x -> {
          for (Kernel.Timer tm : k.pendingTimers()) {
            if (tm.sleeper() == x.local("t")) {
              k.removeTimer(tm);
            }
          }
        })
        .branchIf("again", "while (t->task && !signal_pending(current))",
            x -> x.read(x.local("t") + SLEEPER_TASK) != 0)
        .step("__set_current_state(TASK_RUNNING)", x -> { })
        .ret("return 0", x -> 0);
    k.add(d.build());
  }

  /** A user struct timespec (two longs: 8 bytes each on 64-bit, 4 on i386). */
  static long timespecNs(Exec x, long ts) {
    return x.read(ts) * 1_000_000_000L + x.read(ts + x.word());
  }

  /** A kernel struct timespec64 (two 64-bit members on every arch). */
  static long timespec64Ns(Exec x, long ts) {
    return x.read(ts, 8) * 1_000_000_000L + x.read(ts + 8, 8);
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
