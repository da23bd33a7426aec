package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.trace.Event;

/**
 * What every scheduler generation shares: the FIFO run queue's pick, a new task's first state, the
 * switch's bookkeeping (rq->curr, the mm switch that loads __pa(next->mm->pgd)) and the wake-up
 * routines whose words only some generations change. Generations pass their words and rules in.
 */
final class SchedCommon {
  enum L implements Local {
    clone_flags, cpu, idle, mode, next, nr, p, preempt, prev, q, ret, rq, state, sync, wake_flags,
    x
  }

  private SchedCommon() {}

  static final String SRC = "kernel/sched/core.c";
  static final String IDLE_SRC = "kernel/sched/idle.c";
  static final long TASK_NEW = 0x800;

  /**
   * How a generation's schedule() treats prev: whether a running prev may already be queued (2.6.11's
   * child-runs-first queues the parent behind its child), whether prev is dead, and by which mark.
   */
  interface DeathRule {
    boolean queuesRunningParent();

    boolean dead(Kernel k, long task);

    /** Whether the dead task is known by PF_DEAD (2.6.11) rather than by its state. */
    boolean pfDead();
  }

  /** TASK_DEAD set by do_exit/do_task_dead: the rule of every generation but 2.6.11. */
  static final DeathRule TASK_DEAD_STATE = new DeathRule() {
    @Override
    public boolean queuesRunningParent() {
      return false;
    }

    @Override
    public boolean dead(Kernel k, long task) {
      return k.tasks.state(task) == Kernel.TASK_DEAD;
    }

    @Override
    public boolean pfDead() {
      return false;
    }
  };

  /**
   * A task that is no longer TASK_RUNNING leaves the run queue (deactivate_task); a running one that
   * yields goes to the tail; the next task is the head of the queue, or the CPU's idle task.
   */
  static long pickNext(Kernel k, Exec x, long prev, DeathRule rule) {
    int cpu = x.cpu().id();
    long idle = k.rq.idleTask(cpu);
    var rq = k.rq.runQueue(cpu);
    boolean queued = rule.queuesRunningParent() && rq.contains(prev);
    if (k.tasks.state(prev) == Kernel.TASK_RUNNING && prev != idle && !rq.isEmpty()) {
      if (!queued) {
        rq.addLast(prev);
      }
    } else if (k.tasks.state(prev) != Kernel.TASK_RUNNING) {
      if (queued) {
        rq.remove(prev);
      }
      k.rq.setOnRunqueue(prev, false);
      if (rule.dead(k, prev)) {
        k.timeline.emit(new Event.LastSwitchOut(cpu, k.tasks.pid(prev), rule.pfDead()));
      }
    }
    if (rq.isEmpty()) {
      return k.tasks.state(prev) == Kernel.TASK_RUNNING ? prev : idle;
    }
    return rq.removeFirst();
  }

  /**
   * The scheduler tick as the model keeps it: the running task's slice is over whenever another
   * task waits on its run queue (the idle task has no slice).
   */
  static void tick(Kernel k, Exec x) {
    long cur = k.current(x);
    int cpu = x.cpu().id();
    if (cur != k.rq.idleTask(cpu) && !k.rq.runQueue(cpu).isEmpty()) {
      k.rq.setNeedResched(cur, true);
    }
  }

  /** The new task is TASK_RUNNING, on the CPU the caller picked for it if it picked one. */
  static void newTaskRunning(Kernel k, Exec x, long p) {
    k.tasks.setState(p, Kernel.TASK_RUNNING);
    int cpu = k.rq.takeNextChildCpu(k.current(x));
    if (cpu >= 0) {
      k.tasks.setTaskCpu(p, cpu);
    }
  }

  /** prev == next: nothing to switch, the run-queue lock is dropped with interrupts back on. */
  static boolean noSwitch(Kernel k, Exec x) {
    if (x.get(L.prev) == x.get(L.next)) {
      k.arch.irqEnable(x);
      return true;
    }
    return false;
  }

  static void prepareSwitch(Kernel k, Exec x, long prev, long next) {
    int cpu = x.cpu().id();
    k.tasks.setTaskCpu(next, cpu);
    k.tasks.taskWrite(next, TaskMember.on_cpu, 1);
    long mm = k.tasks.taskRead(next, TaskMember.mm);
    if (mm == 0) {
      k.tasks.taskWrite(next, TaskMember.active_mm, k.tasks.taskRead(prev, TaskMember.active_mm));
    } else {
      k.tasks.taskWrite(next, TaskMember.active_mm, mm);
      x.set(k.mmRegister, PageTableRoot.of(k, mm)); // switch_mm: __pa(mm->pgd)
    }
    k.timeline.emit(new Event.ContextSwitch(cpu, k.tasks.pid(prev), k.tasks.comm(prev), k.tasks.pid(next),
        k.tasks.comm(next)));
  }

  /** wake_up_process calling try_to_wake_up and returning its result. */
  static void wakeUpProcess(Kernel k, String src, String ttwu, long state) {
    k.image.add(k.image.c("wake_up_process", src).params(L.p).locals(L.ret)
        .callInto(L.ret, ttwu, "try_to_wake_up", Args.of(x -> x.get(L.p), x -> state, x -> 0))
        .ret("return ret", x -> x.retval()).build());
  }

  /** try_to_wake_up(p, state, flags): the task becomes TASK_RUNNING on its CPU's run queue. */
  static void tryToWakeUp(Kernel k, String src, Local flags, String text) {
    k.image.add(k.image.c("try_to_wake_up", src).params(L.p, L.state, flags)
        .ret(text, x -> k.rq.wakeUp(x.get(L.p), x.cpu().id(), "wake_up_process") ? 1 : 0)
        .build());
  }

  /** sched_init, which makes the booting task the idle task of the boot CPU. */
  static void schedInit(Kernel k, String src, String text) {
    k.image.add(k.image.c("sched_init", src).params()
        .step(text, x -> { })
        .call("init_idle(current, smp_processor_id())", "init_idle",
            Args.of(x -> k.current(x), x -> x.cpu().id()))
        .retVoid().build());
  }

  /**
   * init_idle(idle, cpu). From 4.10 on it sets PF_IDLE and names the task swapper/N; 2.6's leaves
   * the comm the idle task was forked with and clears the thread_info's preempt_count
   * (sched.c@2.6.32.67, @2.6.11:4052-4074; !CONFIG_PREEMPT).
   */
  static void initIdle(Kernel k, String src, String text, boolean swapperNames) {
    k.image.add(k.image.c("init_idle", src).params(L.idle, L.cpu)
        .step(text, x -> {
          long idle = x.get(L.idle);
          int cpu = (int) x.get(L.cpu);
          k.tasks.setState(idle, Kernel.TASK_RUNNING);
          if (swapperNames) {
            k.tasks.taskWrite(idle, TaskMember.flags, k.tasks.taskRead(idle, TaskMember.flags) | Kernel.PF_IDLE);
            k.tasks.setComm(idle, "swapper/" + cpu);
          }
          k.tasks.setTaskCpu(idle, cpu);
          k.tasks.taskWrite(idle, TaskMember.on_cpu, 1);
          k.rq.setIdleTask(cpu, idle);
          if (!swapperNames) {
            k.tasks.tiWrite(idle, ThreadInfoMember.preempt_count, 0);
          }
        })
        .retVoid().build());
  }

  /**
   * preempt_schedule_irq's loop: interrupts on around a schedule. 2.6 raises PREEMPT_ACTIVE around a
   * plain schedule() (kernel/sched.c@2.6.11:2883-2916, @2.6.32.67:5896-5916); later kernels pass
   * preempt = true to __schedule. args: what the call passes, as its callee's prototype says.
   */
  static void preemptScheduleIrq(Kernel k, String src, String enable, String call, String target,
      Args args, String disable, String loop) {
    k.image.add(k.image.c("preempt_schedule_irq", src).params()
        .label("again")
        .step(enable, k.arch::irqEnable)
        .call(call, target, args)
        .step(disable, k.arch::irqDisable)
        .branchIf("again", loop, x -> k.rq.needResched(k.current(x)))
        .retVoid().build());
  }

  /**
   * The wake-ups and the idle task's setup of 2.6.32 and later (kernel/sched.c@2.6.32.67,
   * kernel/sched/core.c@4.16.13, @6.19). wake_up_process's {@code return try_to_wake_up(...)} is a
   * sibling call in the ORC builds (core.c@6.19:4347-4350). newTaskParams: wake_up_new_task's
   * parameters, which the generation's prototype gives.
   */
  static void buildWakeups(Kernel k, CallShape calls, String idleSrc, String idleText,
      boolean swapperNames, Local... newTaskParams) {
    if (calls.jumps()) {
      k.image.add(calls.ret(k.image.c("wake_up_process", SRC).params(L.p),
          "return try_to_wake_up(p, TASK_NORMAL, 0)", "try_to_wake_up",
          Args.of(x -> x.get(L.p), x -> 3, x -> 0)).build());
    } else {
      wakeUpProcess(k, SRC, "try_to_wake_up(p, TASK_NORMAL, 0)", 3);
    }
    tryToWakeUp(k, SRC, L.wake_flags,
        "if p's state matches: p->state = TASK_RUNNING; ttwu_queue onto its CPU's rq");
    k.image.add(k.image.c("wake_up_new_task", SRC).params(newTaskParams)
        .step("p->state = TASK_RUNNING; select_task_rq(); activate_task(rq, p)", x -> {
          long p = x.get(L.p);
          newTaskRunning(k, x, p);
          k.rq.enqueue(k.tasks.taskCpuChecked(p), p);
        })
        .retVoid().build());
    schedInit(k, SRC, "init the per-CPU run queues");
    initIdle(k, idleSrc, idleText, swapperNames);
  }

  /** sched_yield whose body calls schedule() itself (4.16, 2.6.32, 2.6.11). */
  static void buildYield(Kernel k, String src, String text) {
    k.image.add(Syscalls.entry(k, "sched_yield", src)
        .step(text, x -> { })
        .call("schedule()", "schedule", Args.inPlace()).ret("return 0", x -> 0).build());
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
}
