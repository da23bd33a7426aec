package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * i386 interrupts at 4.16.13 (docs/research/i386-and-2.x.md §4.7, §6): device vectors enter
 * common_interrupt, which builds pt_regs where the CPU left it (the task stack top from user mode,
 * the interrupted stack from kernel mode); handle_irq then stays there for a user-mode interrupt
 * and otherwise moves to the per-CPU hardirq stack, leaving the old esp in its lowest word
 * (irq_32.c@4.16.13:72-106,149-163). Softirqs always go to the softirq stack
 * (do_softirq_own_stack, :132-147). The local APIC timer and the NMI never switch stacks.
 */
final class I386Irq {
  enum L implements Local { cpu, desc, error_code, regs }

  private I386Irq() {}

  static final String ENTRY = "arch/x86/entry/entry_32.S";
  static final String IRQ32 = "arch/x86/kernel/irq_32.c";
  static final int NMI_VECTOR = 2;
  static final int FIRST_EXTERNAL_VECTOR = 0x20;
  static final int STUBS = 32;

  static void build(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY);
    for (int v = FIRST_EXTERNAL_VECTOR; v < FIRST_EXTERNAL_VECTOR + STUBS; v++) {
      int vec = v;
      stubs.step("pushl $(~0x" + Integer.toHexString(vec) + " + 0x80): the vector", x -> x.push(~vec + 0x80))
          .step("jmp common_interrupt", k.image.jump("common_interrupt"));
    }
    k.image.add(stubs.build());
    k.image.add(entry(k, k.image.asm("common_interrupt", ENTRY)
        .step("ASM_CLAC; addl $-0x80, (%esp): orig_ax = ~vector", x -> x.write(x.sp(), x.read(x.sp()) - 0x80)),
        "do_IRQ"));
    k.image.add(entry(k, k.image.asm("apic_timer_interrupt", ENTRY)
        .step("ASM_CLAC; pushl $~(LOCAL_TIMER_VECTOR): orig_ax", x -> x.push(~k.arch.timerVector())),
        "smp_apic_timer_interrupt"));
    k.image.add(I386Entry.saveAll(k, k.image.asm("nmi", ENTRY)
            .step("ASM_CLAC; (ESPFIX stack? no); pushl %eax: pt_regs->orig_ax", x -> x.push(x.reg(Regs.eax))),
            false)
        .step("ENCODE_FRAME_POINTER; xorl %edx, %edx (error code 0); movl %esp, %eax; not on the "
            + "SYSENTER entry stack: stay here", x -> encode(x))
        .call("call do_nmi", "do_nmi", Args.of(x -> x.reg(Regs.eax), x -> 0))
        .step("jmp .Lrestore_all_notrace", x -> x.jumpTo(k.image.symbol("restore_all") + 4)).build());
    k.image.add(k.image.c("do_nmi", "arch/x86/kernel/nmi.c").params(L.regs, L.error_code)
        .step("nmi_nesting_preprocess: this_cpu_write(nmi_state, NMI_EXECUTING); nmi_enter()", x -> { })
        .call("default_do_nmi(regs)", "default_do_nmi", Args.of(x -> x.get(L.regs)))
        .step("nmi_exit(); this_cpu_dec_return(nmi_state): no NMI latched meanwhile", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("default_do_nmi", "arch/x86/kernel/nmi.c").params(L.regs)
        .step("nmi_handle(NMI_LOCAL, regs): no handler claims it; the reason port shows nothing "
            + "(unknown_nmi_error is not modelled)", x -> k.timeline.emit(new Event.NmiHandled(
                x.cpu().id(), Event.NmiPath.INTERRUPTED_STACK, "esp", x.sp())))
        .retVoid().build());
    k.image.add(k.image.asm("ret_from_intr", ENTRY)
        .branchIf("kernel", "movl PT_CS(%esp), %eax; andl $SEGMENT_RPL_MASK, %eax; "
            + "cmpl $USER_RPL, %eax; jb resume_kernel", x ->
            (x.read(x.sp() + PtRegs.cs.off(k)) & 3) != 3)
        .globalLabel("resume_userspace")
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF; movl %esp, %eax", x -> {
          k.arch.irqDisable(x);
          x.set(Regs.eax, x.sp());
        })
        .call("call prepare_exit_to_usermode", "prepare_exit_to_usermode", Args.of(x -> x.sp()))
        .step("jmp restore_all", k.image.jump("restore_all"))
        .label("kernel")
        .branchIf("norsch", "resume_kernel (CONFIG_PREEMPT): __preempt_count == 0, IF was on, "
            + "need_resched?", x -> !preemptHere(k, x))
        .call("call preempt_schedule_irq", "preempt_schedule_irq", Args.inPlace())
        .label("norsch")
        .step("jmp restore_all", k.image.jump("restore_all")).build());
    kstack.arch.x86.EntryCommon.buildPrepareExitToUsermode(k);
    kstack.arch.x86.DoIrq.buildEnteringIrq(k);
    kstack.arch.x86.ApicTimer.buildLocalApicTimerInterrupt(k);
    buildHandleIrq(k, "handle_irq", "hardirq_stack");
    buildSoftirqStack(k, "softirq_stack");
    k.image.add(k.image.c("irq_ctx_init", IRQ32).params(L.cpu)
        .step("per_cpu(hardirq_stack, cpu) = page_address(alloc_pages_node(cpu_to_node(cpu), "
            + "THREADINFO_GFP, THREAD_SIZE_ORDER)); the same for softirq_stack",
            x -> irqCtxInit(k, (int) x.get(L.cpu), "hardirq_stack", "softirq_stack"))
        .retVoid().build());
  }

  /** The common tail of an interrupt entry: SAVE_ALL, ENCODE_FRAME_POINTER, the C handler. */
  private static kstack.exec.Routine entry(Kernel k, RoutineBuilder b, String handler) {
    return I386Entry.saveAll(k, b, false)
        .step("ENCODE_FRAME_POINTER: movl %esp, %ebp; andl $0x7fffffff, %ebp; TRACE_IRQS_OFF; "
            + "movl %esp, %eax", I386Irq::encode)
        .call("call " + handler, handler, Args.of(x -> x.reg(Regs.eax)))
        .step("jmp ret_from_intr", k.image.jump("ret_from_intr")).build();
  }

  /** ENCODE_FRAME_POINTER (entry_32.S@4.16.13:187-192): a cleared top bit marks a pt_regs link. */
  private static void encode(Exec x) {
    x.setFp(x.sp() & 0x7fffffffL);
    x.set(Regs.eax, x.sp());
  }

  /** irqctx stacks: alloc_pages of THREAD_SIZE, aligned to it (irq_32.c@4.16.13:111-130). */
  static void irqCtxInit(Kernel k, int cpu, String hard, String soft) {
    if (k.readPtr(k.perCpu(hard, cpu)) != 0) {
      return;
    }
    k.writePtr(k.perCpu(hard, cpu), k.pages.allocPagesAligned(k.threadSize, "hardirq stack of CPU " + cpu));
    k.writePtr(k.perCpu(soft, cpu), k.pages.allocPagesAligned(k.threadSize, "softirq stack of CPU " + cpu));
  }

  /** handle_irq with execute_on_irq_stack inlined (irq_32.c@4.16.13:72-106,149-163). */
  /** handle_irq (4.16) / __handle_irq (6.19): execute_on_irq_stack inlined; var holds the stack. */
  static void buildHandleIrq(Kernel k, String name, String var) {
    k.image.add(k.image.c(name, IRQ32).params(L.desc, L.regs)
        .step("overflow = check_stack_overflow() (CONFIG_DEBUG_STACKOVERFLOW off)", x -> { })
        .branchIf("here", "if (user_mode(regs) || !execute_on_irq_stack(overflow, desc)): "
            + "from user mode, or already on this CPU's hardirq stack (curstk == irqstk)?", x ->
            k.arch.userModeRegs(k, x.get(L.regs))
                || (x.sp() & -k.threadSize) == k.readPtr(I386Entry.fs(k, x, var)))
        .step("execute_on_irq_stack [inline]: isp = irqstk + sizeof(*irqstk); prev_esp = "
            + "(u32 *)irqstk; *prev_esp = current_stack_pointer; xchgl %ebx, %esp",
            x -> onStack(k, x, var, "execute_on_irq_stack"))
        .callVia("CALL_NOSPEC: desc->handle_irq(desc) = handle_edge_irq", x -> k.image.symbol("handle_edge_irq"),
            Args.of(x -> x.get(L.desc)), null)
        .step("movl %ebx, %esp: back on the interrupted stack", x -> x.setSp(x.reg(Regs.ebx)))
        .ret("return true", x -> 1)
        .label("here")
        .call("generic_handle_irq_desc(desc) [inline]: desc->handle_irq(desc) = handle_edge_irq, "
            + "on the current stack", "handle_edge_irq", Args.of(x -> x.get(L.desc)))
        .ret("return true", x -> 1).build());
  }

  static void buildSoftirqStack(Kernel k, String var) {
    k.image.add(k.image.c("do_softirq_own_stack", IRQ32).params()
        .step("irqstk = __this_cpu_read(softirq_stack); isp = irqstk + sizeof(*irqstk); "
            + "*(u32 *)irqstk = current_stack_pointer; call_on_stack: xchgl %ebx, %esp",
            x -> onStack(k, x, var, "do_softirq_own_stack"))
        .call("CALL_NOSPEC %edi = __do_softirq", "__do_softirq", Args.inPlace())
        .step("movl %ebx, %esp: back", x -> x.setSp(x.reg(Regs.ebx)))
        .retVoid().build());
  }

  /**
   * The switch both irq_32.c paths make: the old esp into the lowest word of this CPU's stack named
   * by var (the back-link an unwinder follows), ebx keeps it, esp = the stack's top.
   */
  private static void onStack(Kernel k, Exec x, String var, String who) {
    long irqstk = k.readPtr(I386Entry.fs(k, x, var));
    x.write(irqstk, x.sp());
    x.set(Regs.ebx, x.sp());
    x.setSp(irqstk + k.threadSize);
    k.timeline.emit(new Event.StackSwitch(x.cpu().id(), who,
        kstack.kernel.StackKinds.of(k, x.cpu().id(), x.reg(Regs.ebx)), IrqCtx.toKind(var),
        var.replace("_ptr", "").replace('_', ' '), "esp", x.sp(), Event.BackLink.LOWEST_WORD,
        x.reg(Regs.ebx)));
  }

  private static boolean preemptHere(Kernel k, Exec x) {
    if (!k.profile.config("PREEMPT")) {
      return false;
    }
    long count = k.mem.read(k.perCpu("__preempt_count", x.cpu().id()), 4) & 0x7fffffffL;
    long flags = x.read(x.sp() + PtRegs.flags.off(k));
    return count == 0 && (flags & I386.EFLAGS_IF) != 0 && k.rq.needResched(k.current(x));
  }

  /** The IDT: which entry a vector reaches. */
  static String handler(int vector) {
    if (vector == NMI_VECTOR) {
      return "nmi";
    }
    if (vector == I386.SYSCALL_VECTOR) {
      return "entry_INT80_32";
    }
    if (vector >= FIRST_EXTERNAL_VECTOR && vector < FIRST_EXTERNAL_VECTOR + STUBS) {
      return "irq_entries_start";
    }
    throw new IllegalArgumentException("no IDT entry is modelled for vector " + vector);
  }

  /** Where a vector's stub starts inside its entry (8 bytes per irq_entries_start stub). */
  static long stubOffset(int vector) {
    return vector >= FIRST_EXTERNAL_VECTOR && vector < FIRST_EXTERNAL_VECTOR + STUBS
        ? 8L * (vector - FIRST_EXTERNAL_VECTOR) : 0;
  }
}
