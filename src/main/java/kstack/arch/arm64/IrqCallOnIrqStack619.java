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
 * 6.19: el0t_64_irq / el1h_64_irq → el0_interrupt / el1_interrupt in entry-common.c
 * (irq_enter_rcu, do_interrupt_handler, irq_exit_rcu on the task stack); do_interrupt_handler
 * moves to the IRQ stack with call_on_irq_stack when on the thread stack (entry.S@6.19,
 * entry-common.c@6.19); softirqs get there through do_softirq_own_stack (irq.c@6.19:65-75).
 */
public final class IrqCallOnIrqStack619 implements IrqEntry {
  enum L implements Local { handler, irqnr, regs }

  private static final String IRQ_C = "arch/arm64/kernel/irq.c";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.ARM64_ENTRY_COMMON, Feature.SOFTIRQ_ON_OWN_STACK);
  }

  @Override
  public void build(Kernel k, Arm64Entry e) {
    for (int el : new int[] {0, 1}) {
      String asm = el == 0 ? "el0t_64_irq" : "el1h_64_irq";
      String handler = asm + "_handler";
      RoutineBuilder b = e.kernelEntry(k.image.asm(asm, Arm64Entry.ENTRY), el)
          .call("mov x0, sp; bl " + handler, handler, Args.of(x -> x.sp()));
      if (el == 0) {
        k.image.add(b.step("b ret_to_user", k.image.jump("ret_to_user")).build());
      } else {
        k.image.add(e.kernelExit(b, 1).build());
      }
    }
    buildHandlers(k);
    buildOnIrqStack(k);
    buildGic(k);
  }

  /** el{0t,1h}_64_irq_handler → el{0,1}_interrupt → do_interrupt_handler. */
  private static void buildHandlers(Kernel k) {
    String ec = Arm64Entry.ENTRY_COMMON;
    k.image.add(k.image.c("el0t_64_irq_handler", ec).params(L.regs)
        .call("__el0_irq_handler_common(regs) -> el0_interrupt(regs, handle_arch_irq)",
            "el0_interrupt", Args.of(x -> x.get(L.regs), x -> k.image.symbol("gic_handle_irq")))
        .retVoid().build());
    k.image.add(k.image.c("el1h_64_irq_handler", ec).params(L.regs)
        .call("el1_interrupt(regs, handle_arch_irq)", "el1_interrupt",
            Args.of(x -> x.get(L.regs), x -> k.image.symbol("gic_handle_irq")))
        .retVoid().build());
    for (int el : new int[] {0, 1}) {
      String fn = el == 0 ? "el0_interrupt" : "el1_interrupt";
      RoutineBuilder b = k.image.c(fn, ec).params(L.regs, L.handler)
          .step(el == 0 ? "arm64_enter_from_user_mode(regs); write_sysreg(DAIF_PROCCTX_NOIRQ)"
              : "write_sysreg(DAIF_PROCCTX_NOIRQ); __el1_irq() [inline]: state = "
                  + "enter_from_kernel_mode(regs)", x -> { })
          .call("irq_enter_rcu()", "irq_enter_rcu", Args.inPlace())
          .call("do_interrupt_handler(regs, handler)", "do_interrupt_handler",
              Args.of(x -> x.get(L.regs), x -> x.get(L.handler)))
          .call("irq_exit_rcu()", "irq_exit_rcu", Args.inPlace());
      if (el == 0) {
        b.branchIf("nowork", "arm64_exit_to_user_mode(regs) [inline]: work pending?",
                x -> !k.rq.needResched(k.current(x)))
            .call("exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
                Args.of(x -> x.get(L.regs), x -> 0))
            .label("nowork");
      } else {
        b.call("exit_to_kernel_mode(regs, state) -> irqentry_exit(regs, state)", "irqentry_exit",
            Args.of(x -> x.get(L.regs), x -> 0));
      }
      k.image.add(b.retVoid().build());
    }
    k.image.add(k.image.c("do_interrupt_handler", ec).params(L.regs, L.handler)
        .branchIf("here", "old_regs = set_irq_regs(regs); if (on_thread_stack())",
            x -> !Arm64Irq.onThreadStack(k, x))
        .call("  call_on_irq_stack(regs, handler)", "call_on_irq_stack",
            Args.of(x -> x.get(L.regs), x -> x.get(L.handler)))
        .jump("done", "else")
        .label("here")
        .callVia("  handler(regs)", x -> x.get(L.handler), Args.of(x -> x.get(L.regs)), null)
        .label("done")
        .step("set_irq_regs(old_regs)", x -> { })
        .retVoid().build());
  }

  /** call_on_irq_stack (entry.S@6.19) and do_softirq_own_stack, which uses it. */
  private static void buildOnIrqStack(Kernel k) {
    k.image.add(k.image.asm("call_on_irq_stack", Arm64Entry.ENTRY)
        .step("save_and_disable_daif x9; stp x29, x30, [sp, #-16]!; mov x29, sp: a frame record "
            + "on the interrupted stack", x -> {
              long sp = x.sp() - 16;
              x.write(sp, x.fp());
              x.write(sp + 8, x.reg(Regs.x30));
              x.setSp(sp);
              x.setFp(sp);
            })
        .step("ldr_this_cpu x16, irq_stack_ptr; add sp, x16, #IRQ_STACK_SIZE", x -> {
          long top = Arm64Irq.irqStackTop(k, x);
          StackKind from = kstack.kernel.StackKinds.of(k, x.cpu().id(), x.sp());
          x.setSp(top);
          k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "call_on_irq_stack", from,
              StackKind.IRQ, "IRQ stack", "sp", top, Event.BackLink.NONE, 0));
        })
        .callVia("restore_irq x9; blr x1", x -> x.reg(Regs.x1), Args.of(x -> x.reg(Regs.x0)), null)
        .step("save_and_disable_daif x9; mov sp, x29; ldp x29, x30, [sp], #16", x -> {
          x.setSp(x.fp());
          x.setFp(x.read(x.sp()));
          x.set(Regs.x30, x.read(x.sp() + 8));
          x.setSp(x.sp() + 16);
        })
        .step("restore_irq x9; ret", x -> x.ret(x.reg(Regs.x30))).build());
    // arch/arm64/kernel/irq.c@6.19:65-75: softirqs move to the IRQ stack unless already off the
    // thread stack; ____do_softirq(regs) only calls __do_softirq().
    k.image.add(k.image.c("do_softirq_own_stack", IRQ_C).params()
        .branchIf("here", "if (on_thread_stack())", x -> !Arm64Irq.onThreadStack(k, x))
        .call("  call_on_irq_stack(NULL, ____do_softirq)", "call_on_irq_stack",
            Args.of(x -> 0, x -> k.image.symbol("____do_softirq")))
        .jump("done", "  return")
        .label("here")
        .call("__do_softirq()", "__do_softirq", Args.inPlace())
        .label("done")
        .retVoid().build());
    k.image.add(k.image.c("____do_softirq", IRQ_C).params(L.regs)
        .call("__do_softirq()", "__do_softirq", Args.inPlace()).retVoid().build());
  }

  /** gic_handle_irq → __gic_handle_irq_from_irqson → __gic_handle_irq → the flow handler. */
  private static void buildGic(Kernel k) {
    k.image.add(k.image.c("gic_handle_irq", Arm64Irq.GIC).params(L.regs)
        .call("__gic_handle_irq_from_irqson(regs)", "__gic_handle_irq_from_irqson",
            Args.of(x -> x.get(L.regs)))
        .retVoid().build());
    k.image.add(k.image.c("__gic_handle_irq_from_irqson", Arm64Irq.GIC).params(L.regs)
        .call("irqnr = gic_read_iar(); __gic_handle_irq(irqnr, regs)", "__gic_handle_irq",
            Args.of(x -> 0, x -> x.get(L.regs)))
        .retVoid().build());
    k.image.add(k.image.c("__gic_handle_irq", Arm64Irq.GIC).params(L.irqnr, L.regs)
        .callVia("generic_handle_domain_irq(gic_data.domain, irqnr) -> handle_irq_desc(desc) -> "
            + "desc->handle_irq(desc)", x -> Arm64Irq.flowHandler(k, x),
            Args.of(x -> x.reg(Regs.gic_iar)), null)
        .retVoid().build());
  }
}
