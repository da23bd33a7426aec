package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.Softirq2611;

/**
 * i386 interrupts at 2.6.11 (Feature.IRQ_2611). interrupt[i] is the stub for IRQ i and sits in the
 * IDT at FIRST_EXTERNAL_VECTOR + i = 0x20 + i (i8259.c@2.6.11:363-410, irq_vectors.h@2.6.11:29);
 * it pushes i - 256 and jumps to common_interrupt, which SAVE_ALLs, passes the frame in %eax and
 * calls the fastcall do_IRQ (entry.S@2.6.11:342-362). do_IRQ takes irq from orig_eax's low byte,
 * brackets the work with irq_enter/irq_exit and, with CONFIG_4KSTACKS, moves onto this CPU's
 * hardirq irq_ctx inline before calling __do_IRQ (irq.c@2.6.11:48-107). __do_IRQ acks the line and
 * runs its actions through handle_IRQ_event (kernel/irq/handle.c@2.6.11:78-190). IRQ 0's action is
 * timer_interrupt, the uniprocessor tick (kstack.kernel.Timer2611).
 */
final class I386Irq2611 {
  enum L implements Local { cpu, irq, regs }

  private I386Irq2611() {}

  static final String ENTRY = "arch/i386/kernel/entry.S@2.6.11";
  static final String IRQ = "arch/i386/kernel/irq.c@2.6.11";
  static final String HANDLE = "kernel/irq/handle.c@2.6.11";
  static final String TIME = "arch/i386/kernel/time.c@2.6.11";

  static void build(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY + ":346-355");
    for (int irq = 0; irq < I386Irq.STUBS; irq++) {
      int n = irq;
      stubs.step(String.format("pushl $%d-256: orig_eax = irq - 256 (this stub is interrupt[%d], "
              + "vector 0x%x)", n, n, I386Irq.FIRST_EXTERNAL_VECTOR + n), x -> x.push(n - 256))
          .step("jmp common_interrupt", k.image.jump("common_interrupt"));
    }
    k.image.add(stubs.build());
    RoutineBuilder ci = k.image.asm("common_interrupt", ENTRY + ":357-362");
    k.image.add(SaveAll60.saveAll(ci, "__USER_DS", I386.USER_DS)
        .step("movl %esp, %eax: the pt_regs, do_IRQ's fastcall argument", x -> x.set(Regs.eax, x.sp()))
        .call("call do_IRQ", "do_IRQ", Args.of(x -> x.reg(Regs.eax)))
        .step("jmp ret_from_intr", k.image.jump("ret_from_intr")).build());
    // without CONFIG_PREEMPT resume_kernel is restore_all (entry.S@2.6.11:77-82)
    k.image.add(ThreadInfoEntry.retFromIntr(k, k.image.asm("ret_from_intr", ENTRY + ":159-188"),
        "movl EFLAGS(%esp), %eax; movb CS(%esp), %al; testl $(VM_MASK | 3), %eax; jz resume_kernel",
        "cli; movl TI_flags(%ebp), %ecx",
        "resume_kernel: cli; cmpl $0, TI_preempt_count(%ebp); jnz restore_all",
        "need_resched: movl TI_flags(%ebp), %ecx; testb $_TIF_NEED_RESCHED, %cl; jz restore_all; "
            + "testl $IF_MASK, EFLAGS(%esp); jz restore_all", I386Entry2611.TIF_WORK).build());
    buildDoIrq(k);
    buildHandlers(k);
    if (k.profile.config("4KSTACKS")) {
      buildIrqCtx(k); // without it irq_ctx_init is an empty macro (irq.h@2.6.11:30-35)
    }
  }

  /**
   * irq_ctx_init fills this CPU's two irq_ctx thread_infos once, the softirq one with
   * preempt_count SOFTIRQ_OFFSET (irq.c@2.6.11:124-151); do_softirq, the arch's own under
   * __ARCH_HAS_DO_SOFTIRQ, calls __do_softirq on the softirq irq_ctx with an inline xchgl, whatever
   * stack it is called on (irq.c@2.6.11:155-187).
   */
  private static void buildIrqCtx(Kernel k) {
    k.image.add(k.image.c("irq_ctx_init", IRQ + ":124-151").params(L.cpu)
        .branchIf("done", "if (hardirq_ctx[cpu]) return", x -> k.readPtr(
            k.perCpu("hardirq_ctx", (int) x.get(L.cpu))) != 0)
        .step("irqctx = &hardirq_stack[cpu * THREAD_SIZE]: tinfo.task = NULL, exec_domain = NULL, "
            + "cpu = cpu, preempt_count = HARDIRQ_OFFSET, addr_limit = MAKE_MM_SEG(0); "
            + "hardirq_ctx[cpu] = irqctx; softirq_stack likewise with preempt_count = SOFTIRQ_OFFSET; "
            + "printk(\"CPU %u irqstacks, ...\")",
            x -> IrqCtx.init(k, (int) x.get(L.cpu), Softirq2611.SOFTIRQ_OFFSET))
        .label("done")
        .retVoid().build());
    k.image.add(k.image.c("do_softirq", IRQ + ":155-187").params().asmlinkage()
        .branchIf("out", "if (in_interrupt()) return; local_irq_save(flags); "
            + "if (local_softirq_pending())", x -> Softirq2611.inInterrupt(k, x)
                || k.timers.softirqPending(x.cpu().id()) == 0)
        .step("  curctx = current_thread_info(); irqctx = softirq_ctx[smp_processor_id()]; "
            + "irqctx->tinfo.task = curctx->task; irqctx->tinfo.previous_esp = "
            + "current_stack_pointer; isp = irqctx + sizeof(*irqctx); xchgl %ebx, %esp",
            x -> IrqCtx.switchTo(k, x, "softirq_ctx", "do_softirq"))
        .call("  call __do_softirq", "__do_softirq", Args.inPlace())
        .step("  movl %ebx, %esp: back on the stack do_softirq was called on",
            x -> x.setSp(x.reg(Regs.ebx)))
        .label("out")
        .step("local_irq_restore(flags)", x -> { })
        .retVoid().build());
  }

  private static void buildDoIrq(Kernel k) {
    RoutineBuilder b = k.image.c("do_IRQ", IRQ + ":48-107").params(L.regs).locals(L.irq)
        .step("fastcall: regs arrives in %eax; irq = regs->orig_eax & 0xff",
            x -> x.set(L.irq, x.read(x.get(L.regs) + PtRegs.orig_ax.off(k)) & 0xff))
        .step("irq_enter() [a macro, hardirq.h@2.6.11:98-102]: account_system_vtime(current); "
            + "add_preempt_count(HARDIRQ_OFFSET)", x -> Softirq2611.addPreemptCount(k, x, Softirq2611.HARDIRQ_OFFSET))
        .step("(CONFIG_DEBUG_STACKOVERFLOW off: no free-space check)", x -> { });
    if (k.profile.config("4KSTACKS")) {
      b.branchIf("here", "curctx = current_thread_info(); irqctx = hardirq_ctx[smp_processor_id()]; "
              + "if (curctx != irqctx): not already on the hardirq stack?",
              x -> (x.sp() & -k.threadSize) == k.readPtr(I386Entry.fs(k, x, "hardirq_ctx")))
          .step("isp = irqctx + sizeof(*irqctx); irqctx->tinfo.task = curctx->tinfo.task; "
              + "irqctx->tinfo.previous_esp = current_stack_pointer; xchgl %ebx, %esp",
              x -> IrqCtx.switchTo(k, x, "hardirq_ctx", "do_IRQ"))
          .call("call __do_IRQ (irq in %eax, regs in %edx)", "__do_IRQ",
              Args.of(x -> x.get(L.irq), x -> x.get(L.regs)))
          .step("movl %ebx, %esp: back on the interrupted stack", x -> x.setSp(x.reg(Regs.ebx)))
          .jump("out", "(skip the else branch)")
          .label("here");
    }
    k.image.add(b.call("__do_IRQ(irq, regs) on the current stack", "__do_IRQ",
            Args.of(x -> x.get(L.irq), x -> x.get(L.regs)))
        .label("out")
        .call("irq_exit()", "irq_exit", Args.inPlace())
        .ret("return 1", x -> 1).build());
  }

  private static void buildHandlers(Kernel k) {
    k.image.add(k.image.c("__do_IRQ", HANDLE + ":106-190").params(L.irq, L.regs)
        .step("desc = irq_desc + irq; kstat_this_cpu.irqs[irq]++; spin_lock(&desc->lock); "
            + "desc->handler->ack(irq); status |= IRQ_INPROGRESS; action = desc->action", x -> { })
        .call("spin_unlock(&desc->lock); action_ret = handle_IRQ_event(irq, regs, action)",
            "handle_IRQ_event", Args.of(x -> x.get(L.irq), x -> x.get(L.regs)))
        .step("spin_lock; note_interrupt(); no IRQ_PENDING: break; desc->status &= "
            + "~IRQ_INPROGRESS; desc->handler->end(irq); spin_unlock(&desc->lock)", x -> { })
        .ret("return 1", x -> 1).build());
    k.image.add(k.image.c("handle_IRQ_event", HANDLE + ":78-100").params(L.irq, L.regs)
        .step("action->flags has SA_INTERRUPT (IRQ 0's irq0 action, mach-default/setup.c@2.6.11:74; "
            + "the demo device asks for it too): interrupts stay off", x -> { })
        .callVia("ret = action->handler(irq, action->dev_id, regs): timer_interrupt on IRQ 0, "
            + "the kstack_demo device elsewhere", x -> k.image.symbol(x.get(L.irq) == 0
                ? "timer_interrupt" : "kstack_demo_interrupt"),
            Args.computed(x -> x.get(L.irq) == 0 ? new long[] {0, 0, x.get(L.regs)}
                : new long[] {x.get(L.irq), 0}), null)
        .step("action = action->next: none; local_irq_disable()", k.arch::irqDisable)
        .ret("return retval", x -> 1).build());
  }
}
