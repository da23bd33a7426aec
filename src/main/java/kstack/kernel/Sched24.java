package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;

/**
 * The 2.4.22 scheduler's stack mechanics (kernel/sched.c@2.4.22; docs/research/i386-and-2.x.md
 * §1.4, §1.7): schedule() does the mm switch and the inline switch_to itself (no context_switch),
 * a task that slept resumes at switch_to's label 1 inside schedule(), a new one in ret_from_fork;
 * sched_yield only asks for a reschedule, which ret_from_sys_call performs. The goodness() loop
 * over the run queue is replaced by FIFO order, as the other profiles replace CFS: what is
 * modelled exactly is the call chain and what each step leaves on the stacks.
 */
final class Sched24 {
  enum L implements Local { __data, expire, mode, next, nr, p, prev, q, timeout, timer, x }

  private Sched24() {}

  static final String SRC = "kernel/sched.c";
  /** NICE_TO_TICKS(nice) at HZ 100: ((20 - nice) >> 2) + 1 (kernel/sched.c@2.4.22:58-71). */
  static long niceToTicks(long nice) {
    return ((20 - nice) >> 2) + 1;
  }

  static void build(Kernel k) {
    RoutineBuilder b = k.image.c("schedule", SRC).params().asmlinkage().locals(L.prev, L.next)
        .step("pushl %ebx: gcc saves the callee-saved register switch_to's \"=b\" output "
            + "overwrites (system_call keeps current in it)", x -> x.push(x.reg("ebx")))
        .label("need_resched_back")
        .step("prev = current; this_cpu = prev->processor; release_kernel_lock(); "
            + "spin_lock_irq(&runqueue_lock)", x -> {
              k.arch.irqDisable(x);
              x.set(L.prev, k.current(x));
            })
        .step("switch (prev->state): a sleeping prev leaves the run queue (del_from_runqueue); "
            + "prev->need_resched = 0", x -> k.rq.setNeedResched(x.get(L.prev), false))
        .step("repeat_schedule: next = the task goodness() prefers (here: the run queue's head, "
            + "else idle_task(this_cpu)); counters all spent: recalculate", x ->
            x.set(L.next, pickNext(k, x, x.get(L.prev))))
        .step("sched_data->curr = next; task_set_cpu(next, this_cpu); spin_unlock_irq()", x -> {
          k.tasks.setTaskCpu(x.get(L.next), x.cpu().id());
          k.arch.irqEnable(x);
        })
        .branchIf("same", "if (prev == next) { prev->policy &= ~SCHED_YIELD; goto same_process; }",
            x -> x.get(L.prev) == x.get(L.next))
        .step("kstat.context_swtch++; prepare_to_switch(); next->mm ? switch_mm(oldmm, mm) : "
            + "(next->active_mm = oldmm; enter_lazy_tlb()); if (!prev->mm) prev->active_mm = NULL",
            x -> switchMm(k, x, x.get(L.prev), x.get(L.next)));
    k.arch.inlineSwitch(k, b);
    k.image.add(b.step("__schedule_tail(prev) [static inline]: prev->policy &= ~SCHED_YIELD", x -> { })
        .label("same")
        .step("same_process: reacquire_kernel_lock(current)", x -> { })
        .branchIf("need_resched_back", "if (current->need_resched) goto need_resched_back",
            x -> k.rq.needResched(k.current(x)))
        .step("popl %ebx", x -> x.set("ebx", x.pop()))
        .retVoid().build());
    k.image.add(k.image.c("schedule_tail", SRC).params(L.prev).asmlinkage()
        .step("__schedule_tail(prev) [inline]: prev->policy &= ~SCHED_YIELD", x -> { })
        .retVoid().build());
    buildWakeups(k);
  }

  /**
   * complete and wait_for_completion, the same in 2.4.22 and 2.6.11 (kernel/sched.c@2.6.11:
   * 3010-3053: fastcall there): the waiter sleeps uninterruptibly until done is non-zero.
   */
  static void buildCompletion(Kernel k, String completeSrc, String waitSrc) {
    k.image.add(k.image.c("complete", completeSrc).params(L.x)
        .step("x->done++; __wake_up_common(&x->wait, TASK_UNINTERRUPTIBLE | "
            + "TASK_INTERRUPTIBLE, 1, 0)", x -> {
              k.mem.write(x.get(L.x), 4, k.mem.read(x.get(L.x), 4) + 1);
              k.rq.wakeAll(x.get(L.x), x.cpu().id(), "complete()");
            })
        .retVoid().build());
    k.image.add(k.image.c("wait_for_completion", waitSrc).params(L.x)
        .label("again")
        .branchIf("done", "if (!x->done) {", x -> k.mem.read(x.get(L.x), 4) != 0)
        .step("  __add_wait_queue_tail(&x->wait, &wait); __set_current_state("
            + "TASK_UNINTERRUPTIBLE)", x -> {
              long cur = k.current(x);
              k.tasks.setState(cur, Kernel.TASK_UNINTERRUPTIBLE);
              k.rq.addWaiter(x.get(L.x), cur);
              k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(cur), "waiting for a completion"));
            })
        .call("  schedule()", "schedule", Args.inPlace())
        .jump("again", "} while (!x->done)")
        .label("done")
        .step("x->done--", x -> k.mem.write(x.get(L.x), 4, k.mem.read(x.get(L.x), 4) - 1))
        .retVoid().build());
  }

  /**
   * FIFO in place of goodness() (Sched.pickNext, the other profiles' choice), then 2.4's
   * recalculation when the task it picks has spent its whole slice.
   */
  private static long pickNext(Kernel k, Exec x, long prev) {
    long next = Sched.pickNext(k, x, prev);
    if (next != k.rq.idleTask(x.cpu().id()) && k.tasks.taskRead(next, "counter") <= 0) {
      // the recalculate pass of schedule() (sched.c@2.4.22:617-626): every counter refilled
      for (long t : k.tasks.taskList()) {
        long nice = (int) k.tasks.taskRead(t, "nice");
        k.tasks.taskWrite(t, "counter", (k.tasks.taskRead(t, "counter") >> 1) + niceToTicks(nice));
      }
    }
    return next;
  }

  private static void switchMm(Kernel k, Exec x, long prev, long next) {
    long mm = k.tasks.taskRead(next, "mm");
    long oldmm = k.tasks.taskRead(prev, "active_mm");
    if (mm == 0) {
      k.tasks.taskWrite(next, "active_mm", oldmm);
    } else {
      x.set(k.arch.mmRegister(), PageTableRoot.of(k, mm)); // switch_mm: __pa(mm->pgd)
    }
    if (k.tasks.taskRead(prev, "mm") == 0) {
      k.tasks.taskWrite(prev, "active_mm", 0);
    }
    k.timeline.emit(new Event.ContextSwitch(x.cpu().id(), k.tasks.pid(prev), k.tasks.comm(prev), k.tasks.pid(next),
        k.tasks.comm(next)));
  }

  /** Wake-ups, completions, schedule_timeout and sched_yield (kernel/sched.c@2.4.22). */
  private static void buildWakeups(Kernel k) {
    // try_to_wake_up is static inline (sched.c@2.4.22:349-373): no frame of its own
    k.image.add(k.image.c("wake_up_process", SRC).params(L.p)
        .ret("try_to_wake_up(p, 0) [inline]: p->state = TASK_RUNNING; add_to_runqueue(p); "
            + "reschedule_idle(p)", x -> k.rq.wakeUp(x.get(L.p), x.cpu().id(), "wake_up_process")
                ? 1 : 0).build());
    // wake_up_interruptible(q) = __wake_up(q, TASK_INTERRUPTIBLE, 1) (sched.h@2.4.22:608)
    k.image.add(k.image.c("__wake_up", SRC).params(L.q, L.mode, L.nr)
        .step("__wake_up_common(q, mode, nr, 0) [inline]: each waiter -> try_to_wake_up(p, 0), "
            + "which may reschedule_idle", x -> k.rq.wakeAll(x.get(L.q), x.cpu().id(),
                "a pipe write (wake_up_interruptible)"))
        .retVoid().build());
    buildCompletion(k, SRC, SRC);
    buildTimeout(k);
    k.image.add(Syscalls.entry(k, "sched_yield", SRC)
        .step("nr_pending = nr_running - 1 (UP: current is on the run queue too); if (nr_pending) "
            + "{ current->policy |= SCHED_YIELD; current->need_resched = 1; move_last_runqueue(current) }",
            x -> {
              long cur = k.current(x);
              if (!k.rq.runQueue(x.cpu().id()).isEmpty()) {
                k.rq.setNeedResched(cur, true);
              }
            })
        .ret("return 0: ret_from_sys_call sees need_resched and calls schedule()", x -> 0).build());
  }

  /**
   * timer_list members: 2.4's list, expires, data, function (include/linux/timer.h@2.4.22:16-21);
   * 2.6.11's entry, expires, lock (empty on UP), magic, function, data, base
   * (include/linux/timer.h@2.6.11:11-21).
   */
  static final int TIMER_SIZE = 20;
  static final int TIMER_EXPIRES = 8;
  static int timerSize(Kernel k) {
    return v24(k) ? TIMER_SIZE : 28;
  }

  static int timerData(Kernel k) {
    return v24(k) ? 12 : 20;
  }

  static int timerFunction(Kernel k) {
    return 16;
  }

  /** HZ 100 on 2.4, one jiffy 10 ms; 1000 on 2.6.11 (include/asm-i386/param.h@2.4.22:5, @2.6.11:5). */
  static long jiffyNs(Kernel k) {
    return v24(k) ? 10_000_000L : 1_000_000L;
  }

  private static boolean v24(Kernel k) {
    return k.profile.has(kstack.profile.Feature.TASK_UNION);
  }

  private static void buildTimeout(Kernel k) {
    buildTimeout(k, SRC, SRC);
  }

  /**
   * schedule_timeout with its on-stack timer_list, and process_timeout: sched.c@2.4.22:375-458;
   * kernel/timer.c@2.6.11:1042-1113 (fastcall there).
   */
  static void buildTimeout(Kernel k, String src, String timeoutSrc) {
    int data = timerData(k);
    int function = timerFunction(k);
    long jiffy = jiffyNs(k);
    k.image.add(k.image.c("schedule_timeout", src).params(L.timeout).locals(L.expire)
        .localArea(L.timer, timerSize(k))
        .step("expire = timeout + jiffies; init_timer(&timer): timer.expires = expire; "
            + "timer.data = (unsigned long) current; timer.function = process_timeout", x -> {
              long t = x.addr(L.timer);
              long expire = jiffies(k) + x.get(L.timeout);
              x.set(L.expire, expire);
              x.write(t, 0);
              x.write(t + 4, 0);
              x.write(t + TIMER_EXPIRES, expire);
              x.write(t + data, k.current(x));
              x.write(t + function, k.image.symbol("process_timeout"));
            })
        .step("add_timer(&timer): into the timer wheel (tv1..tv5)", x -> {
          long t = x.addr(L.timer);
          k.timers.addTimer(x.read(t + TIMER_EXPIRES) * jiffy, k.current(x), t, "process_timeout");
        })
        .call("schedule()", "schedule", Args.inPlace())
        .step("del_timer_sync(&timer); timeout = expire - jiffies", x -> {
          for (Timers.Timer tm : k.timers.pendingTimers()) {
            if (tm.sleeper() == x.addr(L.timer)) {
              k.timers.removeTimer(tm);
            }
          }
          x.set(L.timeout, Math.max(0, x.get(L.expire) - jiffies(k)));
        })
        .ret("return timeout < 0 ? 0 : timeout", x -> x.get(L.timeout)).build());
    k.image.add(k.image.c("process_timeout", timeoutSrc).params(L.__data)
        .call("wake_up_process((struct task_struct *) __data)", "wake_up_process",
            Args.of(x -> x.get(L.__data)))
        .retVoid().build());
  }

  /** jiffies, as the simulated clock gives it. */
  static long jiffies(Kernel k) {
    return k.timers.now() / jiffyNs(k);
  }
}
