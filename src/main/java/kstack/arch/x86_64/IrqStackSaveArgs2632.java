package kstack.arch.x86_64;

import kstack.stack.StackKind;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * x86_64 interrupts at 2.6.32 (entry_64.S@2.6.32:305-343, 795-865; irq_64.c@2.6.32): the stub
 * leaves ~vector, the interrupt macro makes room for the argument registers and calls save_args,
 * which stores them, links rbp into the frame and, on the first interrupt level (irq_count -1 → 0),
 * moves to this CPU's IRQ stack with a back-link word. From user and kernel mode alike, do_IRQ runs
 * on the IRQ stack; ret_from_intr's leaveq returns to the task stack. Softirqs go through
 * do_softirq → call_softirq, which stays on (or moves to) the IRQ stack.
 */
public final class IrqStackSaveArgs2632 implements IrqEntry64 {
  enum L implements Local { irq, regs }


  static final String ENTRY = "arch/x86/kernel/entry_64.S";

  static void build(Kernel k, IrqEntry64 irq) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY);
    for (int v = X86Irq.FIRST_EXTERNAL_VECTOR; v < X86Irq.FIRST_EXTERNAL_VECTOR + X86Irq.STUBS; v++) {
      int vec = v;
      stubs.step("pushq $(~0x" + Integer.toHexString(vec) + " + 0x80): the vector", x -> x.push(~vec + 0x80))
          .step("jmp common_interrupt", k.image.jump("common_interrupt"));
    }
    k.image.add(stubs.build());
    k.image.add(interrupt(k, k.image.asm("common_interrupt", ENTRY)
        .step("addq $-0x80, (%rsp): orig_ax = ~vector", x -> x.write(x.sp(), x.read(x.sp()) - 0x80)),
        "do_IRQ", "(ret_from_intr follows)"));
    k.image.add(interrupt(k, k.image.asm("apic_timer_interrupt", ENTRY)
        .step("apicinterrupt: pushq $~(LOCAL_TIMER_VECTOR): orig_ax", x -> x.push(~irq.localTimerVector())),
        "smp_apic_timer_interrupt", "jmp ret_from_intr"));
    k.image.add(k.image.asm("save_args", ENTRY)
        .step("cld; store rdi, rsi, rdx, rcx, rax, r8-r11 into pt_regs (rsp - 32 + ...); leaq "
            + "-ARGOFFSET+16(%rsp), %rdi: pt_regs, the handler's argument", x -> {
              long regs = x.sp() - 32;
              PartialFrame2632.saveArgs(k, x, regs, true);
              x.set(Regs.rdi, regs);
            })
        .step("movq %rbp, 8(%rsp); leaq 8(%rsp), %rbp: a frame record inside pt_regs", x -> {
          x.write(x.sp() + 8, x.fp());
          x.setFp(x.sp() + 8);
        })
        .step("testl $3, CS(%rdi); je 1f; SWAPGS", x -> {
          if ((x.read(x.reg(Regs.rdi) + PtRegs.cs.off(k)) & 3) == 3) {
            X86Entry.swapgs(x);
          }
        })
        .step("1: incl PER_CPU_VAR(irq_count); jne 2f (already on the IRQ stack); popq %rax; "
            + "mov PER_CPU_VAR(irq_stack_ptr), %rsp; pushq %rbp (back-link); pushq %rax", x -> {
              long cnt = X86Entry.gs(k, x, "irq_count");
              long n = (x.read(cnt, 4) + 1) & 0xffffffffL;
              x.write(cnt, 4, n);
              if (n == 0) {
                long ret = x.pop();
                x.set(Regs.rax, ret);
                x.setSp(x.read(X86Entry.gs(k, x, "irq_stack_ptr")));
                x.push(x.fp());
                x.push(ret);
                k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "save_args",
                    kstack.kernel.StackKinds.of(k, x.cpu().id(), x.fp()), StackKind.IRQ,
                    "IRQ stack", "rsp",
                    x.sp() + 8, Event.BackLink.FIRST_WORD, x.fp()));
              }
            })
        .step("2: TRACE_IRQS_OFF; ret", x -> x.ret(x.pop())).build());
    k.image.add(k.image.asm("ret_from_intr", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF; decl PER_CPU_VAR(irq_count); leaveq: back to "
            + "the task stack through rbp", x -> {
              k.arch.irqDisable(x);
              long cnt = X86Entry.gs(k, x, "irq_count");
              x.write(cnt, 4, x.read(cnt, 4) - 1);
              x.setSp(x.fp());
              x.setFp(x.pop());
            })
        .globalLabel("exit_intr")
        .step("GET_THREAD_INFO(%rcx)", x -> x.set(Regs.rcx, PartialFrame2632.threadInfo(k, x)))
        .branchIf("kernel", "testl $3, CS-ARGOFFSET(%rsp); je retint_kernel",
            x -> (x.read(x.sp() - PartialFrame2632.ARGOFFSET + PtRegs.cs.off(k)) & 3) == 0)
        .globalLabel("retint_check")
        .branchIf("swapgs", "retint_with_reschedule: movl $_TIF_WORK_MASK, %edi; retint_check: "
            + "movl TI_flags(%rcx), %edx; andl %edi, %edx; jnz retint_careful",
            x -> !k.rq.needResched(k.current(x)))
        .step("retint_careful: bt $TIF_NEED_RESCHED; ENABLE_INTERRUPTS; pushq %rdi", x -> {
          k.arch.irqEnable(x);
          x.push(x.reg(Regs.rdi));
        })
        .call("call schedule", "schedule", Args.inPlace())
        .step("popq %rdi; GET_THREAD_INFO(%rcx); DISABLE_INTERRUPTS", x -> {
          x.set(Regs.rdi, x.pop());
          x.set(Regs.rcx, PartialFrame2632.threadInfo(k, x));
          k.arch.irqDisable(x);
        })
        .jump("recheck", "jmp retint_check")
        .label("recheck")
        .step("(retint_check)", k.image.jump("retint_check"))
        .label("swapgs")
        .step("jmp retint_swapgs", k.image.jump("retint_swapgs"))
        .label("kernel")
        .step("retint_kernel (no CONFIG_PREEMPT): jmp retint_restore_args",
            k.image.jump("retint_restore_args")).build());
    kstack.arch.x86.DoIrq.buildExitIdle(k);
    // handle_irq, do_softirq: irq_64.c@2.6.32:51-63, 126-142; call_softirq: entry_64.S@2.6.32:1268-1285
    k.image.add(k.image.c("handle_irq", "arch/x86/kernel/irq_64.c").params(L.irq, L.regs)
        .step("stack_overflow_check(regs); desc = irq_to_desc(irq) (there is one)", x -> { })
        // handle_edge_irq(unsigned int irq, struct irq_desc *desc): kernel/irq/chip.c@2.6.32.67:565;
        // no irq_desc table is modelled, so desc is passed as 0 (as handle_IRQ_event's action is)
        .call("generic_handle_irq_desc(irq, desc) [inline]: desc->handle_irq(irq, desc) = "
            + "handle_edge_irq", "handle_edge_irq", Args.of(x -> x.get(L.irq), x -> 0))
        .ret("return true", x -> 1).build());
    kstack.arch.x86.ApicTimer.buildLocalApicTimerInterrupt(k);
    k.image.add(k.image.c("do_softirq", "arch/x86/kernel/irq_64.c").params().asmlinkage()
        .branchIf("out", "if (in_interrupt()) return; local_irq_save(flags); "
            + "pending = local_softirq_pending(); if (pending) {", x -> k.timers.softirqPending(x.cpu().id()) == 0)
        .call("  call_softirq(): onto the interrupt stack; WARN_ON_ONCE(softirq_count())",
            "call_softirq", Args.inPlace())
        .label("out")
        .step("local_irq_restore(flags)", x -> { })
        .retVoid().build());
    k.image.add(k.image.asm("call_softirq", ENTRY)
        .step("push %rbp; mov %rsp, %rbp; incl PER_CPU_VAR(irq_count); cmove "
            + "PER_CPU_VAR(irq_stack_ptr), %rsp (only if not on it yet); push %rbp", x -> {
              x.push(x.fp());
              x.setFp(x.sp());
              long cnt = X86Entry.gs(k, x, "irq_count");
              long n = (x.read(cnt, 4) + 1) & 0xffffffffL;
              x.write(cnt, 4, n);
              if (n == 0) {
                x.setSp(x.read(X86Entry.gs(k, x, "irq_stack_ptr")));
              }
              x.push(x.fp());
            })
        .call("call __do_softirq", "__do_softirq", Args.inPlace())
        .step("leaveq; decl PER_CPU_VAR(irq_count)", x -> {
          x.setSp(x.fp());
          x.setFp(x.pop());
          long cnt = X86Entry.gs(k, x, "irq_count");
          x.write(cnt, 4, x.read(cnt, 4) - 1);
        })
        .step("ret", x -> x.ret(x.pop())).build());
  }

  /**
   * The interrupt macro (entry_64.S@2.6.32:802-808): subq $10*8, %rsp; call save_args; call the
   * handler; then ret_from_intr: apicinterrupt jumps there, common_interrupt runs into it.
   */
  private static kstack.exec.Routine interrupt(Kernel k, RoutineBuilder b, String handler,
      String then) {
    return b.step("interrupt: subq $10*8, %rsp", x -> x.setSp(x.sp() - 80))
        .call("call save_args", "save_args", Args.inPlace())
        .call("call " + handler + " (rdi = pt_regs)", handler, Args.of(x -> x.reg(Regs.rdi)))
        .step(then, k.image.jump("ret_from_intr")).build();
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SOFTIRQ_VIA_DO_SOFTIRQ);
  }

  @Override
  public void build(Kernel k) {
    IrqStackSaveArgs2632.build(k, this);
  }

  @Override
  public String timerEntry() {
    return "apic_timer_interrupt";
  }

  @Override
  public int localTimerVector() {
    return 0xef;
  }
}
