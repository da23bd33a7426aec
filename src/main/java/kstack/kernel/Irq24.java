package kstack.kernel;

import kstack.kernel.TimerList.L;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * Interrupts and bottom halves at 2.4.22 (arch/i386/kernel/irq.c, arch/i386/kernel/time.c,
 * kernel/timer.c, kernel/softirq.c; docs/research/i386-and-2.x.md §1.7-1.8): do_IRQ takes its
 * pt_regs by value and runs on the interrupted task's stack (2.4 has no IRQ stacks), calls the
 * line's handler through handle_IRQ_event, then do_softirq. IRQ 0 is the tick: timer_interrupt
 * → do_timer → mark_bh(TIMER_BH), whose HI_SOFTIRQ runs bh_action → timer_bh → run_timer_list.
 */
public final class Irq24 implements IrqCore {

  static final int HI_SOFTIRQ = 0;
  static final int TASKLET_SOFTIRQ = 3; // include/linux/interrupt.h@2.4.22:58-63

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TIMER_BH);
  }

  /** The name the machine's tick request carries; IRQ 0's timer_interrupt consumes it. */
  @Override
  public String tickHandler() {
    return "tick_sched_timer";
  }

  @Override
  public void build(Kernel k) {
    buildDoIrq(k);
    buildTimer(k);
    buildSoftirq(k);
    buildDemo(k);
  }

  private static void buildDoIrq(Kernel k) {
    int origEax = InlineMacroRegs.orig_ax.off(k);
    k.image.add(k.image.c("do_IRQ", "arch/i386/kernel/irq.c").params().asmlinkage().locals(L.irq, L.regs)
        .step("irq = regs.orig_eax & 0xff: regs is the frame common_interrupt built, passed by "
            + "value (8(%ebp)); kstat.irqs[cpu][irq]++; desc->handler->ack(irq)", x -> {
              long regs = x.fp() + 8;
              x.set(L.regs, regs);
              x.set(L.irq, x.read(regs + origEax) & 0xff);
            })
        .call("handle_IRQ_event(irq, &regs, desc->action)", "handle_IRQ_event",
            Args.of(x -> x.get(L.irq), x -> x.get(L.regs), x -> 0))
        .step("desc->status &= ~IRQ_INPROGRESS; desc->handler->end(irq)", x -> { })
        .branchIf("out", "if (softirq_pending(cpu))", x -> k.timers.softirqPending(x.cpu().id()) == 0)
        .call("  do_softirq()", "do_softirq", Args.inPlace())
        .label("out")
        .ret("return 1 (irq.c@2.4.22:563-657)", x -> 1).build());
    k.image.add(k.image.c("handle_IRQ_event", "arch/i386/kernel/irq.c").params(L.irq, L.regs, L.action)
        .step("irq_enter(cpu, irq); if (!(action->flags & SA_INTERRUPT)) __sti()", x -> { })
        .callVia("action->handler(irq, action->dev_id, regs): timer_interrupt on IRQ 0, the "
            + "kstack_demo device elsewhere", x -> k.image.symbol(x.get(L.irq) == 0
                ? "timer_interrupt" : "kstack_demo_interrupt"),
            Args.of(x -> x.get(L.irq), x -> 0, x -> x.get(L.regs)), null)
        .step("__cli(); irq_exit(cpu, irq)", k.arch::irqDisable)
        .ret("return status (irq.c@2.4.22:437-460)", x -> 1).build());
  }

  private static void buildTimer(Kernel k) {
    int xcs = InlineMacroRegs.cs.off(k);
    k.image.add(k.image.c("timer_interrupt", "arch/i386/kernel/time.c").params(L.irq, L.dev_id, L.regs)
        .step("write_lock(&xtime_lock); read the TSC offset", x -> TimerList.tickConsumed(k, x))
        .call("do_timer_interrupt(irq, NULL, regs) [static inline]: do_timer(regs)", "do_timer",
            Args.of(x -> x.get(L.regs)))
        .step("write_unlock(&xtime_lock) (time.c@2.4.22:569-713)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("do_timer", "kernel/timer.c").params(L.regs)
        .step("(*(unsigned long *)&jiffies)++", x -> { })
        .call("update_process_times(user_mode(regs)) (UP)", "update_process_times",
            Args.of(x -> (k.readPtr(x.get(L.regs) + xcs) & 3) != 0 ? 1 : 0))
        .step("mark_bh(TIMER_BH): tasklet_hi_schedule(bh_task_vec + TIMER_BH) raises HI_SOFTIRQ "
            + "(kernel/timer.c@2.4.22:699-711)", x -> raise(k, x, HI_SOFTIRQ))
        .retVoid().build());
    k.image.add(k.image.c("update_process_times", "kernel/timer.c").params(L.user_tick)
        .step("update_one_process(); if (p->pid && --p->counter <= 0) { p->counter = 0; "
            + "p->need_resched = 1; } (timer.c@2.4.22:595-615)", x -> {
              long p = k.current(x);
              if (k.tasks.pid(p) == 0) {
                return;
              }
              long c = k.tasks.taskRead(p, TaskMember.counter) - 1;
              if (c <= 0) {
                k.tasks.taskWrite(p, TaskMember.counter, 0);
                k.rq.setNeedResched(p, true);
              } else {
                k.tasks.taskWrite(p, TaskMember.counter, c);
              }
            })
        .retVoid().build());
    RoutineBuilder b = k.image.c("timer_bh", "kernel/timer.c").params().locals(L.timer)
        .step("update_times()", x -> { })
        .label("loop");
    k.image.add(TimerList.runExpired(k, TimerBh24.LAYOUT, b,
            "run_timer_list() [static inline]: the next expired timer_list in tv1")
        .label("done")
        .retVoid().build());
  }

  static void raise(Kernel k, Exec x, int nr) {
    int cpu = x.cpu().id();
    k.timers.setSoftirqPending(cpu, k.timers.softirqPending(cpu) | (1 << nr));
  }

  /** do_softirq (kernel/softirq.c@2.4.22:61-110), HI_SOFTIRQ's bottom halves and tasklets. */
  private static void buildSoftirq(Kernel k) {
    String src = "kernel/softirq.c";
    k.image.add(k.image.c("do_softirq", src).params().asmlinkage().locals(L.pending)
        .step("if (in_interrupt()) return; local_irq_save(flags); pending = softirq_pending(cpu); "
            + "local_bh_disable(); softirq_pending(cpu) = 0; __sti()", x -> {
              x.set(L.pending, k.timers.softirqPending(x.cpu().id()));
              k.timers.setSoftirqPending(x.cpu().id(), 0);
              k.arch.irqEnable(x);
            })
        .branchIf("nohi", "HI_SOFTIRQ pending?", x -> (x.get(L.pending) & (1 << HI_SOFTIRQ)) == 0)
        .call("  h->action(h) = tasklet_hi_action()", "tasklet_hi_action", Args.inPlace())
        .label("nohi")
        .branchIf("done", "TASKLET_SOFTIRQ pending?",
            x -> (x.get(L.pending) & (1 << TASKLET_SOFTIRQ)) == 0)
        .call("  h->action(h) = tasklet_action()", "tasklet_action", Args.inPlace())
        .label("done")
        .step("__cli(); __local_bh_enable(); local_irq_restore(flags)", k.arch::irqDisable)
        .retVoid().build());
    k.image.add(k.image.c("tasklet_hi_action", src).params(L.a)
        .call("t->func(t->data): bh_task_vec[TIMER_BH] -> bh_action(TIMER_BH)", "bh_action",
            Args.of(x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("bh_action", src).params(L.nr)
        .call("if (hardirq_trylock(cpu)) bh_base[nr](): timer_bh (softirq.c@2.4.22:288-306)",
            "timer_bh", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("tasklet_action", src).params(L.a)
        .call("t->func(t->data) = kstack_demo_tasklet", "kstack_demo_tasklet", Args.of(x -> 0))
        .retVoid().build());
  }

  /** The demo device (the simulator's own): its handler schedules a tasklet. */
  private static void buildDemo(Kernel k) {
    String demo = "kstack_demo module (the simulator's own)";
    k.image.add(k.image.c("kstack_demo_interrupt", demo).params(L.irq, L.dev_id, L.regs)
        .step("tasklet_schedule(&kstack_demo_tasklet): raise TASKLET_SOFTIRQ",
            x -> raise(k, x, TASKLET_SOFTIRQ))
        .retVoid().build());
    k.image.add(k.image.c("kstack_demo_tasklet", demo).params(L.data)
        .step("the deferred half of the demo device's interrupt (softirq context, still on the "
            + "interrupted task's stack)", x -> k.timeline.emit(
                new Event.SoftirqWork(x.cpu().id(), "esp", x.sp())))
        .retVoid().build());
  }
}
