package kstack.arch.arm64;

import kstack.stack.StackKind;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * 4.16: el0_irq / el1_irq → irq_handler in entry.S: irq_stack_entry switches to the IRQ stack only
 * if SP is in the task stack; the GIC driver's handle_domain_irq does irq_enter/irq_exit there, so
 * softirqs run on the IRQ stack; el1_irq may preempt (entry.S@4.16.13; irq-gic-v3.c; irqdesc.c).
 */
public final class IrqStackEntry416 implements IrqEntry {
  enum L implements Local { domain, hwirq, lookup, regs }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k, Arm64Entry e) {
    for (int el : new int[] {0, 1}) {
      RoutineBuilder b = e.kernelEntry(k.image.asm(el == 0 ? "el0_irq" : "el1_irq", Arm64Entry.ENTRY), el);
      if (el == 0) {
        b.globalLabel("el0_irq_naked");
      }
      irqHandler(k, b);
      if (el == 0) {
        b.step("b ret_to_user", k.image.jump("ret_to_user"));
        k.image.add(b.build());
      } else {
        b.branchIf("nopreempt", "CONFIG_PREEMPT: preempt count 0 and TIF_NEED_RESCHED? "
            + "bl el1_preempt", x -> !k.profile.config("PREEMPT") || !k.rq.needResched(k.current(x))
                || k.mem.read(k.arch.preemptCountAddress(k, x.cpu().id()), 4) != 0)
            .call("bl preempt_schedule_irq (el1_preempt)", "preempt_schedule_irq", Args.inPlace())
            .label("nopreempt");
        k.image.add(e.kernelExit(b, 1).build());
      }
    }
    buildGic(k);
  }

  /** The irq_handler macro: irq_stack_entry, blr handle_arch_irq, irq_stack_exit. */
  private static void irqHandler(Kernel k, RoutineBuilder b) {
    b.step("enable_da_f; irq_handler: ldr_l x1, handle_arch_irq; mov x0, sp", x -> {
      x.set(Regs.x1, k.image.symbol("gic_handle_irq"));
      x.set(Regs.x0, x.sp());
    })
        .step("irq_stack_entry: mov x19, sp; if SP is in current's task stack, "
            + "sp = irq_stack_ptr + IRQ_STACK_SIZE", x -> {
              x.set(Regs.x19, x.sp());
              long stack = k.stacks.stack(k.current(x));
              if (((x.sp() ^ stack) & -k.threadSize) == 0) {
                long top = Arm64Irq.irqStackTop(k, x);
                StackKind from = kstack.kernel.StackKinds.of(k, x.cpu().id(), x.sp());
                x.setSp(top);
                k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "irq_stack_entry", from,
                    StackKind.IRQ, "IRQ stack", "sp", top, Event.BackLink.NONE, 0));
              }
            })
        .callVia("blr x1 (handle_arch_irq = gic_handle_irq)", x -> x.reg(Regs.x1),
            Args.of(x -> x.reg(Regs.x0)), null)
        .step("irq_stack_exit: mov sp, x19", x -> x.setSp(x.reg(Regs.x19)));
  }

  /** gic_handle_irq → __handle_domain_irq: irq_enter, the flow handler, irq_exit. */
  private static void buildGic(Kernel k) {
    k.image.add(k.image.c("gic_handle_irq", Arm64Irq.GIC).params(L.regs)
        .step("irqnr = gic_read_iar(); handle_domain_irq(gic_data.domain, irqnr, regs) [inline]",
            x -> { })
        .call("__handle_domain_irq(domain, hwirq, true, regs)", "__handle_domain_irq",
            Args.of(x -> 0, x -> 0, x -> 1, x -> x.get(L.regs)))
        .retVoid().build());
    k.image.add(k.image.c("__handle_domain_irq", "kernel/irq/irqdesc.c").params(L.domain, L.hwirq, L.lookup, L.regs)
        .call("set_irq_regs(regs); irq_enter()", "irq_enter", Args.inPlace())
        .callVia("generic_handle_irq(irq) -> desc->handle_irq(desc): handle_percpu_devid_irq for "
            + "the timer's PPI, handle_edge_irq for a device", x -> Arm64Irq.flowHandler(k, x),
            Args.of(x -> x.reg(Regs.gic_iar)), null)
        .call("irq_exit(): softirqs run here, on this stack", "irq_exit", Args.inPlace())
        .ret("set_irq_regs(old_regs); return 0", x -> 0).build());
  }
}
