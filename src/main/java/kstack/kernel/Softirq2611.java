package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;

/**
 * Softirqs at 2.6.11 (Feature.IRQ_2611). irq_enter is a macro (include/linux/hardirq.h@2.6.11:
 * 98-102), so do_IRQ raises HARDIRQ_OFFSET in its own frame; irq_exit subtracts IRQ_EXIT_OFFSET
 * (HARDIRQ_OFFSET - 1 with CONFIG_PREEMPT) and, i386 having no __ARCH_IRQ_EXIT_IRQS_DISABLED, calls
 * do_softirq, then preempt_enable_no_resched (kernel/softirq.c@2.6.11:155-171). The generic
 * do_softirq is built here only without CONFIG_4KSTACKS (with it, include/asm-i386/irq.h@2.6.11:32
 * defines __ARCH_HAS_DO_SOFTIRQ and the arch's irq_ctx one serves). __do_softirq walks softirq_vec
 * one bit at a time and starts again while new softirqs arrived, at most MAX_SOFTIRQ_RESTART times,
 * then leaves the rest to ksoftirqd (kernel/softirq.c@2.6.11:72-112). TASKLET_SOFTIRQ is 5: there is
 * no BLOCK_SOFTIRQ yet (include/linux/interrupt.h@2.6.11:103-111).
 */
public final class Softirq2611 {
  enum L implements Local { a, pending, restarts }

  private Softirq2611() {}

  public static final long HARDIRQ_OFFSET = Irq.HARDIRQ_OFFSET;
  public static final long SOFTIRQ_OFFSET = Irq.SOFTIRQ_OFFSET;

  static final String SRC = "kernel/softirq.c@2.6.11";
  static final int TASKLET_SOFTIRQ = 5;
  static final int MAX_SOFTIRQ_RESTART = 10;
  /** in_interrupt(): HARDIRQ_MASK | SOFTIRQ_MASK, 12 hardirq bits (include/linux/hardirq.h@2.6.11:25-63). */
  static final long IRQ_MASK = 0x0fffff00L;

  static void build(Kernel k) {
    boolean preempt = k.profile.config("PREEMPT");
    long exitOffset = preempt ? Irq.HARDIRQ_OFFSET - 1 : Irq.HARDIRQ_OFFSET;
    k.image.add(k.image.c("irq_exit", SRC + ":164-171").params()
        .step("account_system_vtime(current) (empty); sub_preempt_count(IRQ_EXIT_OFFSET = "
            + (preempt ? "HARDIRQ_OFFSET - 1: preemption stays off)" : "HARDIRQ_OFFSET)"),
            x -> Irq.preempt(k, x, -exitOffset))
        .branchIf("out", "if (!in_interrupt() && local_softirq_pending())",
            x -> inInterrupt(k, x) || k.timers.softirqPending(x.cpu().id()) == 0)
        .call("  invoke_softirq() = do_softirq(): i386 has no __ARCH_IRQ_EXIT_IRQS_DISABLED",
            "do_softirq", Args.inPlace())
        .label("out")
        .step("preempt_enable_no_resched()" + (preempt ? ": dec_preempt_count()"
            : " (empty without CONFIG_PREEMPT)"), x -> Irq.preempt(k, x, exitOffset - Irq.HARDIRQ_OFFSET))
        .retVoid().build());
    if (!k.profile.config("4KSTACKS")) {
      k.image.add(k.image.c("do_softirq", SRC + ":116-132").params().asmlinkage()
          .branchIf("out", "if (in_interrupt()) return; local_irq_save(flags); "
              + "pending = local_softirq_pending(); if (pending)",
              x -> inInterrupt(k, x) || k.timers.softirqPending(x.cpu().id()) == 0)
          .call("  __do_softirq() on the current stack", "__do_softirq", Args.inPlace())
          .label("out")
          .step("local_irq_restore(flags)", x -> { })
          .retVoid().build());
    }
    buildDoSoftirq(k);
    k.image.add(k.image.c("tasklet_action", SRC + ":249-280").params(L.a)
        .step("local_irq_disable(); list = __get_cpu_var(tasklet_vec).list; "
            + "__get_cpu_var(tasklet_vec).list = NULL; local_irq_enable()", x -> { })
        .call("while (list): tasklet_trylock(t), t->count is 0: clear TASKLET_STATE_SCHED; "
            + "t->func(t->data) = kstack_demo_tasklet", "kstack_demo_tasklet", Args.of(x -> 0))
        .retVoid().build());
  }

  private static void buildDoSoftirq(Kernel k) {
    k.image.add(k.image.c("__do_softirq", SRC + ":74-112").params().asmlinkage().locals(L.pending, L.restarts)
        .step("pending = local_softirq_pending(); local_bh_disable(): add_preempt_count"
            + "(SOFTIRQ_OFFSET); cpu = smp_processor_id(); max_restart = MAX_SOFTIRQ_RESTART", x -> {
              x.set(L.pending, k.timers.softirqPending(x.cpu().id()));
              x.set(L.restarts, MAX_SOFTIRQ_RESTART);
              Irq.preempt(k, x, Irq.SOFTIRQ_OFFSET);
            })
        .label("restart")
        .step("restart: local_softirq_pending() = 0; local_irq_enable(); h = softirq_vec", x -> {
          k.timers.setSoftirqPending(x.cpu().id(), 0);
          k.arch.irqEnable(x);
        })
        .branchIf("notimer", "do { if (pending & 1) ...; h++; pending >>= 1 } while (pending): "
            + "TIMER_SOFTIRQ (bit 1)?", x -> (x.get(L.pending) & (1 << Irq.TIMER_SOFTIRQ)) == 0)
        .call("  h->action(h) = run_timer_softirq(h); rcu_bh_qsctr_inc(cpu)", "run_timer_softirq",
            Args.inPlace())
        .label("notimer")
        .branchIf("done", "  TASKLET_SOFTIRQ (bit 5)?",
            x -> (x.get(L.pending) & (1 << TASKLET_SOFTIRQ)) == 0)
        .call("  h->action(h) = tasklet_action(h); rcu_bh_qsctr_inc(cpu)", "tasklet_action", Args.inPlace())
        .label("done")
        .step("local_irq_disable(); pending = local_softirq_pending()", x -> {
          k.arch.irqDisable(x);
          x.set(L.pending, k.timers.softirqPending(x.cpu().id()));
        })
        .branchIf("restart", "if (pending && --max_restart) goto restart", x -> {
          if (x.get(L.pending) == 0) {
            return false;
          }
          x.set(L.restarts, x.get(L.restarts) - 1);
          return x.get(L.restarts) != 0;
        })
        .branchIf("end", "if (pending) wakeup_softirqd(): tsk = __get_cpu_var(ksoftirqd); if (tsk "
            + "&& tsk->state != TASK_RUNNING)", x -> x.get(L.pending) == 0
                || k.readPtr(k.image.symbol("per_cpu__ksoftirqd")) == 0)
        .call("  wake_up_process(tsk)", "wake_up_process",
            Args.of(x -> k.readPtr(k.image.symbol("per_cpu__ksoftirqd"))))
        .label("end")
        .step("__local_bh_enable(): sub_preempt_count(SOFTIRQ_OFFSET)",
            x -> Irq.preempt(k, x, -Irq.SOFTIRQ_OFFSET))
        .retVoid().build());
  }

  /** in_interrupt() on 2.6.11: hardirq or softirq count in this stack's preempt_count. */
  public static boolean inInterrupt(Kernel k, Exec x) {
    return (Irq.preemptCount(k, x) & IRQ_MASK) != 0;
  }

  /** add_preempt_count(delta) (a negative delta: sub_preempt_count). */
  public static void addPreemptCount(Kernel k, Exec x, long delta) {
    Irq.preempt(k, x, delta);
  }
}
