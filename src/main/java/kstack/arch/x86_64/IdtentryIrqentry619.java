package kstack.arch.x86_64;

import kstack.stack.StackKind;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;
import kstack.arch.x86.ApicTimer;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's interrupts (idtentry in entry_64.S@6.19, asm/idtentry.h@6.19, asm/irq_stack.h@6.19):
 * error_entry and sync_regs, irqentry_enter, and call_on_irqstack_cond, which stays on the task
 * stack for a user-mode interrupt.
 */
public final class IdtentryIrqentry619 implements IrqEntry64 {
  enum L implements Local { error_code, regs, state, vector }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void build(Kernel k) {
    buildIdtentry(k);
    ApicTimer.buildLocalApicTimerInterrupt(k);
  }

  @Override
  public String timerEntry() {
    return "asm_sysvec_apic_timer_interrupt";
  }

  @Override
  public int localTimerVector() {
    return 0xec;
  }

  private static void buildIdtentry(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", X86Irq.ENTRY);
    for (int v = X86Irq.FIRST_EXTERNAL_VECTOR; v < X86Irq.FIRST_EXTERNAL_VECTOR + X86Irq.STUBS; v++) {
      int vec = v;
      stubs.step("pushq $0x" + Integer.toHexString(vec) + ": the vector, in the error-code slot",
              x -> x.push(vec))
          .step("jmp asm_common_interrupt", k.image.jump("asm_common_interrupt"));
    }
    k.image.add(stubs.build());
    k.image.add(idtentry(k, "asm_common_interrupt", "common_interrupt", true));
    k.image.add(idtentry(k, "asm_sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt", false));
    k.image.add(X86Exceptions.regsPush(k, k.image.asm("error_entry", X86Irq.ENTRY), false)
        .branchIf("kernel", "testb $3, CS+8(%rsp): from kernel mode?",
            x -> (x.read(x.sp() + 8 + PtRegs.cs.off(k)) & 3) == 0)
        .step("swapgs; SWITCH_TO_KERNEL_CR3 (no PTI); leaq 8(%rsp), %rdi: eregs", x -> {
          X86Entry.swapgs(x);
          x.set(Regs.rdi, x.sp() + 8);
        })
        .step("jmp sync_regs (a tail call: it returns to our caller)",
            k.image.jump("sync_regs"))
        .label("kernel")
        .step("leaq 8(%rsp), %rax: pt_regs stays where it is", x -> x.setRetval(x.sp() + 8))
        .step("ret", x -> x.ret(x.pop())).build());
    k.image.add(X86Irq.syncRegs(k));
    k.image.add(k.image.asm("error_return", X86Irq.ENTRY)
        .branchIf("kernel", "testb $3, CS(%rsp): back to kernel mode?",
            x -> (x.read(x.sp() + PtRegs.cs.off(k)) & 3) == 0)
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            k.image.jump("swapgs_restore_regs_and_return_to_usermode"))
        .label("kernel")
        .step("jmp restore_regs_and_return_to_kernel",
            k.image.jump("restore_regs_and_return_to_kernel")).build());
    X86Irq.buildReturnToKernel(k);
    String idt = "arch/x86/include/asm/idtentry.h (DEFINE_IDTENTRY_SYSVEC / _IRQ)";
    k.image.add(onIrqStack(k, k.image.c("sysvec_apic_timer_interrupt", idt).params(L.regs).locals(L.state)
            .step("state = irqentry_enter(regs)", x -> { }),
        "run_sysvec_on_irqstack_cond(__sysvec_apic_timer_interrupt, regs)",
        "__sysvec_apic_timer_interrupt", x -> new long[] {x.get(L.regs)})
        .build());
    k.image.add(k.image.c("__sysvec_apic_timer_interrupt", "arch/x86/kernel/apic/apic.c").params(L.regs)
        .step("apic_eoi(); trace_local_timer_entry(); inc_irq_stat(apic_timer_irqs)", x -> { })
        .call("local_apic_timer_interrupt()", "local_apic_timer_interrupt", Args.inPlace())
        .retVoid().build());
    k.image.add(onIrqStack(k, k.image.c("common_interrupt", idt).params(L.regs, L.error_code)
            .locals(L.state)
            .step("state = irqentry_enter(regs); vector = (u8)error_code", x -> { }),
        "run_irq_on_irqstack_cond(__common_interrupt, regs, vector)", "__common_interrupt",
        x -> new long[] {x.get(L.regs), x.get(L.error_code) & 0xff})
        .build());
    k.image.add(k.image.c("__common_interrupt", "arch/x86/kernel/irq.c").params(L.regs, L.vector)
        .call("desc = __this_cpu_read(vector_irq[vector]); call_irq_handler() -> handle_irq() -> "
            + "generic_handle_irq_desc() [all inline]: desc->handle_irq(desc) = handle_edge_irq",
            "handle_edge_irq", Args.of(x -> x.get(L.vector)))
        .retVoid().build());
  }

  /**
   * An idtentry stub (idtentry / idtentry_body in entry_64.S@6.19:290-318): pt_regs in rdi, and
   * with an error code that code in rsi, so cfunc takes two arguments exactly when errorCode:
   * DEFINE_IDTENTRY_IRQ's func(struct pt_regs *regs, unsigned long error_code), DEFINE_IDTENTRY_SYSVEC's
   * func(struct pt_regs *regs) (arch/x86/include/asm/idtentry.h@6.19:206,248).
   */
  private static kstack.exec.Routine idtentry(Kernel k, String asm, String cfunc, boolean errorCode) {
    RoutineBuilder b = k.image.asm(asm, X86Irq.ENTRY);
    if (!errorCode) {
      b.step("ENDBR; ASM_CLAC; cld; pushq $-1: orig_ax, no syscall to restart", x -> x.push(-1));
    }
    b.call("call error_entry", "error_entry", Args.inPlace())
        .step("movq %rax, %rsp: onto the task stack if it came from user space", x -> x.setSp(x.retval()))
        .step("ENCODE_FRAME_POINTER: rbp = pt_regs + 1; movq %rsp, %rdi", x -> {
          x.setFp(x.sp() + 1);
          x.set(Regs.rdi, x.sp());
        });
    if (errorCode) {
      b.step("movq ORIG_RAX(%rsp), %rsi: the error code; movq $-1, ORIG_RAX(%rsp)", x -> {
        x.set(Regs.rsi, x.read(x.sp() + PtRegs.orig_ax.off(k)));
        x.write(x.sp() + PtRegs.orig_ax.off(k), -1);
      });
    }
    Args args = errorCode ? Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi)) : Args.of(x -> x.reg(Regs.rdi));
    return b.call("call " + cfunc, cfunc, args)
        .step("jmp error_return", k.image.jump("error_return")).build();
  }

  /**
   * call_on_irqstack_cond (asm/irq_stack.h@6.19): from user mode, or with hardirq_stack_inuse set,
   * the handler runs where it is; otherwise the top word of the IRQ stack gets the old rsp, rsp
   * moves to it, and popq %rsp comes back. irq_enter_rcu/irq_exit_rcu run on the same stack.
   */
  private static RoutineBuilder onIrqStack(Kernel k, RoutineBuilder b, String text, String fn,
      java.util.function.Function<Exec, long[]> args) {
    return b.branchIf("here", text + ": from user mode or hardirq_stack_inuse? stay on this stack",
            x -> (x.read(x.get(L.regs) + PtRegs.cs.off(k)) & 3) != 0
                || x.read(X86Entry.gs(k, x, "hardirq_stack_inuse"), 1) != 0)
        .step("hardirq_stack_inuse = true; call_on_stack(): movq %rsp, (tos); movq tos, %rsp "
            + "(tos = hardirq_stack_ptr)", x -> {
              x.write(X86Entry.gs(k, x, "hardirq_stack_inuse"), 1, 1);
              long tos = x.read(X86Entry.gs(k, x, "hardirq_stack_ptr"));
              StackKind from = kstack.kernel.StackKinds.of(k, x.cpu().id(), x.sp());
              x.write(tos, x.sp());
              x.setSp(tos);
              k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "call_on_irqstack", from,
                  StackKind.IRQ, "IRQ stack", "rsp", tos, Event.BackLink.NONE, 0));
            })
        .call("call irq_enter_rcu", "irq_enter_rcu", Args.inPlace())
        .call("call " + fn, fn, Args.computed(args))
        .call("call irq_exit_rcu", "irq_exit_rcu", Args.inPlace())
        .step("popq %rsp: back on the task stack; hardirq_stack_inuse = false", x -> {
          x.setSp(x.pop());
          x.write(X86Entry.gs(k, x, "hardirq_stack_inuse"), 1, 0);
        })
        .jump("exit", "jmp 1f")
        .label("here")
        .call("irq_enter_rcu()", "irq_enter_rcu", Args.inPlace())
        .call(fn + "(...) on the current stack", fn, Args.computed(args))
        .call("irq_exit_rcu()", "irq_exit_rcu", Args.inPlace())
        .label("exit")
        .call("irqentry_exit(regs, state)", "irqentry_exit", Args.of(x -> x.get(L.regs), x -> 0))
        .retVoid();
  }
}
