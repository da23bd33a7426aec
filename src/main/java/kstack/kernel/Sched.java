package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The scheduler's stack mechanics: kernel/sched/core.c and kernel/sched/idle.c. The run queue is a
 * FIFO per CPU (CFS's rb-tree order is not what this simulator is about); what is modelled exactly
 * is the call chain and what each step leaves on the stacks. context_switch is always-inline in both
 * 4.16 (core.c@4.16.13:2822) and 6.19 (core.c@6.19:5201), so it is a step of __schedule, not a frame;
 * switch_to is a macro around the arch's switch (x86_64 __switch_to_asm, arm64 __switch_to).
 */
final class Sched {
  enum L implements Local { cpu, idle, next, p, preempt, prev, ret, rq, state, sync, wake_flags }

  private Sched() {}

  static final String SRC = "kernel/sched/core.c";
  static final String IDLE_SRC = "kernel/sched/idle.c";
  static final long TASK_NEW = 0x800;

  static void build(Kernel k) {
    if (k.profile.has(Feature.SCHEDULE_SWITCH_INLINE)) {
      build26(k);
      return;
    }
    // schedule(): 6.19 loops in the always-inline __schedule_loop (core.c@6.19:6945-6954).
    k.image.add(k.image.c("schedule", SRC).params()
        .step(k.profile.has(Feature.SCHEDULE_LOOP)
            ? "sched_submit_work(current); __schedule_loop(SM_NONE) [inlined]"
            : "sched_submit_work(current)", x -> { })
        .label("again")
        .call("preempt_disable(); __schedule(false)", "__schedule", Args.of(x -> 0))
        .branchIf("again", "sched_preempt_enable_no_resched(); loop while need_resched()",
            x -> k.rq.needResched(k.current(x)))
        .retVoid().build());
    k.image.add(k.image.c("schedule_preempt_disabled", SRC).params()
        .call("sched_preempt_enable_no_resched(); schedule()", "schedule", Args.inPlace())
        .step("preempt_disable()", x -> { }).retVoid().build());
    k.image.add(k.image.c("schedule_idle", SRC).params()
        .label("again")
        .call("__schedule(false)", "__schedule", Args.of(x -> 0))
        .branchIf("again", "loop while need_resched()", x -> k.rq.needResched(k.current(x)))
        .retVoid().build());
    k.image.add(k.image.c("__schedule", SRC).params(L.preempt).locals(L.prev, L.next)
        .step("local_irq_disable(); rq_lock(rq); prev = rq->curr (current)", x -> {
          k.arch.irqDisable(x);
          x.set(L.prev, k.current(x));
        })
        .step("deactivate prev if it sleeps, or requeue it; next = pick_next_task(rq, prev)",
            x -> x.set(L.next, pickNext(k, x, x.get(L.prev))))
        .step("clear_tsk_need_resched(prev)", x -> k.rq.setNeedResched(x.get(L.prev), false))
        .branchIf("same", "if (prev == next) no switch", x -> noSwitch(k, x))
        .step("rq->curr = next; context_switch(rq, prev, next) [inlined]: switch_mm to next's mm",
            x -> prepareSwitch(k, x, x.get(L.prev), x.get(L.next)))
        .call(k.arch.switchToText(), k.arch.switchToSymbol(),
            Args.of(x -> x.get(L.prev), x -> x.get(L.next)))
        .call("finish_task_switch(prev) [prev = the task we switched away from, in rax]",
            "finish_task_switch", Args.of(x -> x.retval()))
        .label("same")
        .retVoid().build());
    k.image.add(k.image.c("finish_task_switch", SRC).params(L.prev)
        .step("prev->on_cpu = 0; finish_lock_switch(): rq unlock, local_irq_enable()", x -> {
          k.tasks.taskWrite(x.get(L.prev), "on_cpu", 0);
          k.arch.irqEnable(x);
        })
        .branchIf("alive", "if (prev->state != TASK_DEAD) done",
            x -> k.tasks.state(x.get(L.prev)) != Kernel.TASK_DEAD)
        .call("put_task_stack(prev): the dead task's stack is released", "put_task_stack",
            Args.of(x -> x.get(L.prev)))
        .label("alive")
        .ret("return this_rq()", x -> 0).build());
    // asmlinkage __visible (core.c@4.16.13): on i386 prev arrives on the stack
    k.image.add(k.image.c("schedule_tail", SRC).params(L.prev).asmlinkage()
        .call("finish_task_switch(prev)", "finish_task_switch", Args.of(x -> x.get(L.prev)))
        .retVoid().build());
    buildWakeups(k);
    buildIdle(k);
  }

  /**
   * 2.6.32 (kernel/sched.c@2.6.32:5697-5766, 2897-2974, 2999-3047): schedule() picks the next task
   * and runs context_switch inline, whose switch_to is the arch's inline asm; the switched-out task
   * resumes inside schedule() at the address switch_to saved in its thread.ip.
   */
  private static void build26(Kernel k) {
    if (Sched2611.on(k)) {
      Sched2611.build(k);
      buildWakeups(k);
      return;
    }
    String src = "kernel/sched.c";
    RoutineBuilder b = k.image.c("schedule", src).params().asmlinkage().locals(L.prev, L.next)
        .label("need_resched")
        .step("preempt_disable(); rq = cpu_rq(cpu); prev = rq->curr; release_kernel_lock(prev); "
            + "spin_lock_irq(&rq->lock); update_rq_clock(rq); clear_tsk_need_resched(prev)", x -> {
              k.arch.irqDisable(x);
              x.set(L.prev, k.current(x));
              k.rq.setNeedResched(x.get(L.prev), false);
            })
        .step("if (prev->state) deactivate_task(rq, prev); put_prev_task(rq, prev); "
            + "next = pick_next_task(rq)", x -> x.set(L.next, pickNext(k, x, x.get(L.prev))))
        .branchIf("same", "if (likely(prev != next)) {", x -> noSwitch(k, x))
        .step("  rq->curr = next; context_switch(rq, prev, next) [inline]: prepare_task_switch(); "
            + "switch_mm() or enter_lazy_tlb()", x -> prepareSwitch(k, x, x.get(L.prev), x.get(L.next)));
    k.arch.inlineSwitch(k, b);
    b.call("  barrier(); finish_task_switch(this_rq(), prev) [prev: the task switched away from, "
            + "as switch_to returned it]", "finish_task_switch", Args.of(x -> 0, x -> x.retval()))
        .label("same")
        .step("post_schedule(rq); reacquire_kernel_lock(current); preempt_enable_no_resched()", x -> { })
        .branchIf("need_resched", "if (need_resched()) goto need_resched", x -> k.rq.needResched(k.current(x)))
        .retVoid();
    k.image.add(b.build());
    k.image.add(k.image.c("finish_task_switch", src).params(L.rq, L.prev)
        .step("prev_state = prev->state; finish_lock_switch(rq, prev): spin_unlock_irq", x -> {
          k.tasks.taskWrite(x.get(L.prev), "on_cpu", 0);
          k.arch.irqEnable(x);
        })
        .branchIf("alive", "if (unlikely(prev_state == TASK_DEAD))",
            x -> k.tasks.state(x.get(L.prev)) != Kernel.TASK_DEAD)
        .step("  put_task_struct(prev) [inline]: drop the reference the task held on itself",
            x -> Fork.putTaskStruct(k, x.get(L.prev)))
        .label("alive")
        .retVoid().build());
    k.image.add(k.image.c("schedule_tail", src).params(L.prev).asmlinkage()
        .call("finish_task_switch(rq, prev)", "finish_task_switch",
            Args.of(x -> 0, x -> x.get(L.prev)))
        .step("post_schedule(rq); if (current->set_child_tid) put_user(task_pid_vnr(current), ...)",
            x -> { })
        .retVoid().build());
    buildWakeups(k);
  }

  /** Wake-ups, new tasks and the idle task's setup: the same calls in every generation. */
  private static void buildWakeups(Kernel k) {
    boolean o1 = Sched2611.on(k);
    String o1Src = Sched2611.SRC;
    if (SiblingCall.on(k)) { // kernel/sched/core.c@6.19:4347-4350: return try_to_wake_up(...)
      k.image.add(SiblingCall.ret(k, k.image.c("wake_up_process", SRC).params(L.p),
          "return try_to_wake_up(p, TASK_NORMAL, 0)", "try_to_wake_up",
          Args.of(x -> x.get(L.p), x -> 3, x -> 0)).build());
    } else {
      k.image.add(k.image.c("wake_up_process", o1 ? o1Src + ":1123-1127" : SRC).params(L.p).locals(L.ret)
          .callInto(L.ret, o1 ? "try_to_wake_up(p, TASK_STOPPED | TASK_TRACED | "
                  + "TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE, 0)"
                  : "try_to_wake_up(p, TASK_NORMAL, 0)", "try_to_wake_up",
              Args.of(x -> x.get(L.p), x -> o1 ? 15 : 3, x -> 0))
          .ret("return ret", x -> x.retval()).build());
    }
    k.image.add(k.image.c("try_to_wake_up", o1 ? o1Src + ":985-1121" : SRC).params(L.p, L.state,
            o1 ? L.sync : L.wake_flags)
        .ret(o1 ? "rq = task_rq_lock(p); if (p->state & state) { activate_task(p, rq): onto its "
                + "priority list of rq->active; p->state = TASK_RUNNING } (equal priorities in the "
                + "model: TASK_PREEMPTS_CURR never holds)"
                : "if p's state matches: p->state = TASK_RUNNING; ttwu_queue onto its CPU's rq",
            x -> k.rq.wakeUp(x.get(L.p), x.cpu().id(), "wake_up_process") ? 1 : 0)
        .build());
    if (o1) {
      Sched2611.buildWakeUpNewTask(k);
    } else {
      k.image.add(k.image.c("wake_up_new_task", SRC).params(L.p)
          .step("p->state = TASK_RUNNING; select_task_rq(); activate_task(rq, p)", x -> {
            long p = x.get(L.p);
            newTaskRunning(k, x, p);
            k.rq.enqueue(k.tasks.taskCpuChecked(p), p);
          })
          .retVoid().build());
    }
    k.image.add(k.image.c("sched_init", o1 ? o1Src + ":4952-5000" : SRC).params()
        .step(o1 ? "for each CPU's runqueue: rq->active = rq->arrays, rq->expired = rq->arrays + "
                + "1, every priority list empty; enter_lazy_tlb(&init_mm, current)"
                : "init the per-CPU run queues", x -> { })
        .call("init_idle(current, smp_processor_id())", "init_idle",
            Args.of(x -> k.current(x), x -> x.cpu().id()))
        .retVoid().build());
    // 2.6.32's init_idle (sched.c@2.6.32.67) sets no PF_IDLE (4.10) and keeps the comm the idle
    // task was forked with ("swapper"); the swapper/N names came later
    boolean v26 = k.profile.has(Feature.THREAD_INFO_AT_BASE);
    k.image.add(k.image.c("init_idle", o1 ? o1Src + ":4052-4074" : v26 ? "kernel/sched.c" : SRC)
        .params(L.idle, L.cpu)
        .step(o1 ? "idle->array = NULL; idle->prio = MAX_PRIO; idle->state = TASK_RUNNING; "
                + "set_task_cpu(idle, cpu); rq->curr = rq->idle = idle; set_tsk_need_resched(idle) "
                + "(not modelled); idle->thread_info->preempt_count = 0"
                : v26 ? "__sched_fork(idle); idle->state = TASK_RUNNING; __set_task_cpu(idle, cpu); "
                + "rq->curr = rq->idle = idle; task_thread_info(idle)->preempt_count = 0"
                : "idle->state = TASK_RUNNING; idle->flags |= PF_IDLE; __set_task_cpu(idle, cpu); "
                + "rq->curr = rq->idle = idle; sprintf(idle->comm, \"swapper/%d\", cpu)", x -> {
              long idle = x.get(L.idle);
              int cpu = (int) x.get(L.cpu);
              k.tasks.setState(idle, Kernel.TASK_RUNNING);
              if (!v26) {
                k.tasks.taskWrite(idle, "flags", k.tasks.taskRead(idle, "flags") | Kernel.PF_IDLE);
                k.tasks.setComm(idle, "swapper/" + cpu);
              }
              k.tasks.setTaskCpu(idle, cpu);
              k.tasks.taskWrite(idle, "on_cpu", 1);
              k.rq.setIdleTask(cpu, idle);
              if (k.profile.has(Feature.THREAD_INFO_AT_BASE)) {
                k.tasks.tiWrite(idle, "preempt_count", 0); // sched.c@2.6.32: !CONFIG_PREEMPT
              }
            })
        .retVoid().build());
  }

  /** cpu_startup_entry → do_idle → cpuidle_idle_call → default_idle_call → arch_cpu_idle. */
  private static void buildIdle(Kernel k) {
    k.image.add(k.image.c("cpu_startup_entry", IDLE_SRC).params(L.state)
        .label("loop")
        .call("while (1) do_idle()", "do_idle", Args.inPlace())
        .jump("loop", "loop").build());
    k.image.add(k.image.c("do_idle", IDLE_SRC).params()
        .label("check")
        .branchIf("resched", "while (!need_resched()) {", x -> k.rq.needResched(k.current(x)))
        .call("  cpuidle_idle_call()", "cpuidle_idle_call", Args.inPlace())
        .jump("check", "}")
        .label("resched")
        .call("schedule_idle()", "schedule_idle", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpuidle_idle_call", IDLE_SRC).params()
        .call("no cpuidle driver: default_idle_call()", "default_idle_call", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("default_idle_call", IDLE_SRC).params()
        .call("arch_cpu_idle()", "arch_cpu_idle", Args.inPlace())
        .retVoid().build());
  }

  /**
   * The bookkeeping half of __schedule: a task that is no longer TASK_RUNNING leaves the run queue
   * (deactivate_task); a running one that yields goes to the tail; the next task is the head of the
   * queue, or the CPU's idle task.
   */
  static long pickNext(Kernel k, Exec x, long prev) {
    int cpu = x.cpu().id();
    long idle = k.rq.idleTask(cpu);
    var rq = k.rq.runQueue(cpu);
    // 2.6.11's child-runs-first queues a running parent behind its child (Sched2611)
    boolean queued = Sched2611.on(k) && rq.contains(prev);
    if (k.tasks.state(prev) == Kernel.TASK_RUNNING && prev != idle && !rq.isEmpty()) {
      if (!queued) {
        rq.addLast(prev);
      }
    } else if (k.tasks.state(prev) != Kernel.TASK_RUNNING) {
      if (queued) {
        rq.remove(prev);
      }
      k.rq.setOnRunqueue(prev, false);
      if (Sched2611.on(k) ? Sched2611.dead(k, prev) : k.tasks.state(prev) == Kernel.TASK_DEAD) {
        k.timeline.emit(new Event.LastSwitchOut(cpu, k.tasks.pid(prev), Sched2611.on(k)));
      }
    }
    if (rq.isEmpty()) {
      return k.tasks.state(prev) == Kernel.TASK_RUNNING ? prev : idle;
    }
    long next = rq.removeFirst();
    return next;
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
    k.tasks.taskWrite(next, "on_cpu", 1);
    long mm = k.tasks.taskRead(next, "mm");
    if (mm == 0) {
      k.tasks.taskWrite(next, "active_mm", k.tasks.taskRead(prev, "active_mm"));
    } else {
      k.tasks.taskWrite(next, "active_mm", mm);
      x.set(k.arch.mmRegister(), PageTableRoot.of(k, mm)); // switch_mm: __pa(mm->pgd)
    }
    k.timeline.emit(new Event.ContextSwitch(cpu, k.tasks.pid(prev), k.tasks.comm(prev), k.tasks.pid(next),
        k.tasks.comm(next)));
  }
}
