package kstack.arch.x86_64;

import kstack.stack.StackKind;
import java.util.Set;
import kstack.arch.x86.DoIrq;
import kstack.arch.x86.EntryCommon;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.trace.Event;
import kstack.arch.x86.ApicTimer;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's interrupts (entry_64.S@4.16.13:556-700): the vector stubs into common_interrupt,
 * interrupt_entry moving a user-mode frame to the task stack, ENTER_IRQ_STACK onto the per-CPU
 * IRQ stack by irq_count, ret_from_intr.
 */
public final class InterruptEntry416 implements IrqEntry64 {
  enum L implements Local { desc, regs }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void build(Kernel k) {
    buildInterruptEntry(k);
    ApicTimer.buildLocalApicTimerInterrupt(k);
  }

  @Override
  public String timerEntry() {
    return "apic_timer_interrupt";
  }

  @Override
  public int localTimerVector() {
    return 0xed;
  }

  private void buildInterruptEntry(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", X86Irq.ENTRY);
    for (int v = X86Irq.FIRST_EXTERNAL_VECTOR; v < X86Irq.FIRST_EXTERNAL_VECTOR + X86Irq.STUBS; v++) {
      int vec = v;
      stubs.step("pushq $(~0x" + Integer.toHexString(vec) + " + 0x80): the vector", x -> x.push(~vec + 0x80))
          .step("jmp common_interrupt", k.image.jump("common_interrupt"));
    }
    k.image.add(stubs.build());
    k.image.add(k.image.asm("common_interrupt", X86Irq.ENTRY)
        .step("addq $-0x80, (%rsp): orig_ax = ~vector", x -> x.write(x.sp(), x.read(x.sp()) - 0x80))
        .call("call interrupt_entry", "interrupt_entry", Args.inPlace())
        .call("call do_IRQ: rdi = pt_regs", "do_IRQ", Args.of(x -> x.reg(Regs.rdi)))
        .step("jmp ret_from_intr", k.image.jump("ret_from_intr")).build());
    k.image.add(k.image.asm("apic_timer_interrupt", X86Irq.ENTRY)
        .step("ASM_CLAC; pushq $~(LOCAL_TIMER_VECTOR): orig_ax", x -> x.push(~localTimerVector()))
        .call("call interrupt_entry", "interrupt_entry", Args.inPlace())
        .call("call smp_apic_timer_interrupt: rdi = pt_regs", "smp_apic_timer_interrupt",
            Args.of(x -> x.reg(Regs.rdi)))
        .step("jmp ret_from_intr", k.image.jump("ret_from_intr")).build());
    RoutineBuilder e = k.image.asm("interrupt_entry", X86Irq.ENTRY)
        .branchIf("kernel", "ASM_CLAC; cld; testb $3, CS-ORIG_RAX+8(%rsp): from kernel mode?",
            x -> (x.read(x.sp() + 8 + 8 * 2) & 3) == 0)
        .step("SWAPGS; pushq %rdi; movq %rsp, %rdi; SWITCH_TO_KERNEL_CR3 (no PTI); "
            + "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp: onto the task stack", x -> {
              X86Entry.swapgs(x);
              x.push(x.reg(Regs.rdi));
              x.set(Regs.rdi, x.sp());
              x.setSp(x.read(X86Entry.gsMacro(k, x, "cpu_current_top_of_stack")));
            })
        .step("pushq 7*8(%rdi) .. 2*8(%rdi): ss, rsp, eflags, cs, ip, orig_ax; pushq 8(%rdi): the "
            + "return address; movq (%rdi), %rdi", x -> {
              long rdi = x.reg(Regs.rdi);
              for (int i = 7; i >= 1; i--) {
                x.push(x.read(rdi + 8L * i));
              }
              x.set(Regs.rdi, x.read(rdi));
            })
        .label("kernel");
    k.image.add(X86Exceptions.regsPush(k, e, true)
        .step("ENTER_IRQ_STACK old_rsp=%rdi save_ret=1: leaq 8(%rsp), %rdi; incl irq_count; if it "
            + "was -1: the link word at the IRQ stack's top = old rsp; rsp = irq_stack_ptr; then "
            + "pushq %rdi; pushq -8(%rdi) (the return address)", x -> enterIrqStack(k, x))
        .step("ret (TRACE_IRQS_OFF)", x -> x.ret(x.pop())).build());
    k.image.add(k.image.asm("ret_from_intr", X86Irq.ENTRY)
        .step("DISABLE_INTERRUPTS; LEAVE_IRQ_STACK: popq %rsp (back to pt_regs); decl irq_count",
            x -> {
              x.setSp(x.pop());
              long cnt = X86Entry.gs(k, x, "irq_count");
              x.write(cnt, 4, x.read(cnt, 4) - 1);
            })
        .branchIf("retint_kernel", "testb $3, CS(%rsp): back to kernel mode?",
            x -> (x.read(x.sp() + PtRegs.cs.off(k)) & 3) == 0)
        .globalLabel("retint_user")
        .call("movq %rsp, %rdi; call prepare_exit_to_usermode", "prepare_exit_to_usermode",
            Args.of(x -> x.sp()))
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            k.image.jump("swapgs_restore_regs_and_return_to_usermode"))
        .globalLabel("retint_kernel")
        .branchIf("noresched", "CONFIG_PREEMPT: preempt_count == 0, IF was set, need_resched?",
            x -> !preemptHere(k, x))
        .call("call preempt_schedule_irq", "preempt_schedule_irq", Args.inPlace())
        .label("noresched")
        .step("jmp restore_regs_and_return_to_kernel",
            k.image.jump("restore_regs_and_return_to_kernel")).build());
    EntryCommon.buildPrepareExitToUsermode(k);
    X86Irq.buildReturnToKernel(k);
    DoIrq.buildEnteringIrq(k);
    k.image.add(k.image.c("handle_irq", "arch/x86/kernel/irq_64.c").params(L.desc, L.regs)
        .call("generic_handle_irq_desc(desc) [inline]: desc->handle_irq(desc) = handle_edge_irq",
            "handle_edge_irq", Args.of(x -> x.get(L.desc)))
        .ret("return true", x -> 1).build());
  }

  /** ENTER_IRQ_STACK (entry_64.S@4.16.13:451-520). */
  private static void enterIrqStack(Kernel k, Exec x) {
    long oldRsp = x.sp() + 8;
    x.set(Regs.rdi, oldRsp);
    long cnt = X86Entry.gs(k, x, "irq_count");
    long n = (x.read(cnt, 4) + 1) & 0xffffffffL;
    x.write(cnt, 4, n);
    if (n == 0) {
      long top = X86Entry.gs(k, x, "irq_stack_union") + k.image.constant("IRQ_STACK_SIZE");
      x.write(top - 8, oldRsp);
      x.setSp(x.read(X86Entry.gs(k, x, "irq_stack_ptr")));
      k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "interrupt_entry",
          kstack.kernel.StackKinds.of(k, x.cpu().id(), oldRsp), StackKind.IRQ, "IRQ stack",
          "rsp", x.sp(), Event.BackLink.TOP_WORD, oldRsp));
    }
    x.push(oldRsp);
    x.push(x.read(oldRsp - 8));
  }

  private static boolean preemptHere(Kernel k, Exec x) {
    if (!k.profile.config("PREEMPT")) {
      return false;
    }
    long count = k.mem.read(k.perCpu("__preempt_count", x.cpu().id()), 4) & 0x7fffffffL;
    long flags = x.read(x.sp() + PtRegs.flags.off(k));
    return count == 0 && (flags & X86_64.EFLAGS_IF) != 0 && k.rq.needResched(k.current(x));
  }
}
