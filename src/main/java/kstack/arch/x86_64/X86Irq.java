package kstack.arch.x86_64;

import kstack.arch.x86.ApicTimer;
import kstack.arch.x86.DoIrq;
import kstack.arch.x86.EntryCommon;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * x86_64 interrupt entry and exit. 4.16 (entry_64.S@4.16.13:556-700): the vector stub pushes the
 * vector's complement, interrupt_entry copies the hardware frame from the entry stack to the task
 * stack when the interrupt came from user mode, builds pt_regs, and ENTER_IRQ_STACK moves to the
 * per-CPU IRQ stack unless already on it (irq_count): from user and kernel mode alike. 6.19
 * (idtentry, asm/irq_stack.h@6.19): error_entry builds pt_regs and sync_regs moves it to the task
 * stack for user-mode interrupts; the C handler then calls call_on_irqstack_cond, which stays on
 * the task stack when the interrupt came from user mode or the IRQ stack is in use.
 */
public final class X86Irq {
  enum L implements Local { desc, eregs, error_code, regs, state, vector }

  private X86Irq() {}

  static final String ENTRY = "arch/x86/entry/entry_64.S";
  static final int FIRST_EXTERNAL_VECTOR = 0x20;
  static final int STUBS = 32;

  static void build(Kernel k) {
    if (k.profile.has(Feature.IRQENTRY)) {
      build619(k);
    } else {
      build416(k);
    }
    ApicTimer.buildLocalApicTimerInterrupt(k);
  }

  // ---- 4.16 ---------------------------------------------------------------------------------

  private static void build416(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY);
    for (int v = FIRST_EXTERNAL_VECTOR; v < FIRST_EXTERNAL_VECTOR + STUBS; v++) {
      int vec = v;
      stubs.step("pushq $(~0x" + Integer.toHexString(vec) + " + 0x80): the vector", x -> x.push(~vec + 0x80))
          .step("jmp common_interrupt", x -> x.jumpTo(k.image.symbol("common_interrupt")));
    }
    k.image.add(stubs.build());
    k.image.add(k.image.asm("common_interrupt", ENTRY)
        .step("addq $-0x80, (%rsp): orig_ax = ~vector", x -> x.write(x.sp(), x.read(x.sp()) - 0x80))
        .call("call interrupt_entry", "interrupt_entry", Args.inPlace())
        .call("call do_IRQ: rdi = pt_regs", "do_IRQ", Args.of(x -> x.reg("rdi")))
        .step("jmp ret_from_intr", x -> x.jumpTo(k.image.symbol("ret_from_intr"))).build());
    k.image.add(k.image.asm("apic_timer_interrupt", ENTRY)
        .step("ASM_CLAC; pushq $~(LOCAL_TIMER_VECTOR): orig_ax", x -> x.push(~ApicTimer.localTimerVector(k.profile)))
        .call("call interrupt_entry", "interrupt_entry", Args.inPlace())
        .call("call smp_apic_timer_interrupt: rdi = pt_regs", "smp_apic_timer_interrupt",
            Args.of(x -> x.reg("rdi")))
        .step("jmp ret_from_intr", x -> x.jumpTo(k.image.symbol("ret_from_intr"))).build());
    RoutineBuilder e = k.image.asm("interrupt_entry", ENTRY)
        .branchIf("kernel", "ASM_CLAC; cld; testb $3, CS-ORIG_RAX+8(%rsp): from kernel mode?",
            x -> (x.read(x.sp() + 8 + 8 * 2) & 3) == 0)
        .step("SWAPGS; pushq %rdi; movq %rsp, %rdi; SWITCH_TO_KERNEL_CR3 (no PTI); "
            + "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp: onto the task stack", x -> {
              X86Entry.swapgs(x);
              x.push(x.reg("rdi"));
              x.set("rdi", x.sp());
              x.setSp(x.read(X86Entry.gsMacro(k, x, "cpu_current_top_of_stack")));
            })
        .step("pushq 7*8(%rdi) .. 2*8(%rdi): ss, rsp, eflags, cs, ip, orig_ax; pushq 8(%rdi): the "
            + "return address; movq (%rdi), %rdi", x -> {
              long rdi = x.reg("rdi");
              for (int i = 7; i >= 1; i--) {
                x.push(x.read(rdi + 8L * i));
              }
              x.set("rdi", x.read(rdi));
            })
        .label("kernel");
    k.image.add(X86Exceptions.regsPush(k, e)
        .step("ENTER_IRQ_STACK old_rsp=%rdi save_ret=1: leaq 8(%rsp), %rdi; incl irq_count; if it "
            + "was -1: the link word at the IRQ stack's top = old rsp; rsp = irq_stack_ptr; then "
            + "pushq %rdi; pushq -8(%rdi) (the return address)", x -> enterIrqStack(k, x))
        .step("ret (TRACE_IRQS_OFF)", x -> x.ret(x.pop())).build());
    k.image.add(k.image.asm("ret_from_intr", ENTRY)
        .step("DISABLE_INTERRUPTS; LEAVE_IRQ_STACK: popq %rsp (back to pt_regs); decl irq_count",
            x -> {
              x.setSp(x.pop());
              long cnt = X86Entry.gs(k, x, "irq_count");
              x.write(cnt, 4, x.read(cnt, 4) - 1);
            })
        .branchIf("retint_kernel", "testb $3, CS(%rsp): back to kernel mode?",
            x -> (x.read(x.sp() + k.image.off("pt_regs", "cs")) & 3) == 0)
        .globalLabel("retint_user")
        .call("movq %rsp, %rdi; call prepare_exit_to_usermode", "prepare_exit_to_usermode",
            Args.of(x -> x.sp()))
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            x -> x.jumpTo(k.image.symbol("swapgs_restore_regs_and_return_to_usermode")))
        .globalLabel("retint_kernel")
        .branchIf("noresched", "CONFIG_PREEMPT: preempt_count == 0, IF was set, need_resched?",
            x -> !preemptHere(k, x))
        .call("call preempt_schedule_irq", "preempt_schedule_irq", Args.inPlace())
        .label("noresched")
        .step("jmp restore_regs_and_return_to_kernel",
            x -> x.jumpTo(k.image.symbol("restore_regs_and_return_to_kernel"))).build());
    EntryCommon.buildPrepareExitToUsermode(k);
    buildReturnToKernel(k);
    DoIrq.buildEnteringIrq(k);
    k.image.add(k.image.c("handle_irq", "arch/x86/kernel/irq_64.c").params(L.desc, L.regs)
        .call("generic_handle_irq_desc(desc) [inline]: desc->handle_irq(desc) = handle_edge_irq",
            "handle_edge_irq", Args.of(x -> x.get(L.desc)))
        .ret("return true", x -> 1).build());
  }

  /** ENTER_IRQ_STACK (entry_64.S@4.16.13:451-520). */
  private static void enterIrqStack(Kernel k, Exec x) {
    long oldRsp = x.sp() + 8;
    x.set("rdi", oldRsp);
    long cnt = X86Entry.gs(k, x, "irq_count");
    long n = (x.read(cnt, 4) + 1) & 0xffffffffL;
    x.write(cnt, 4, n);
    if (n == 0) {
      long top = X86Entry.gs(k, x, "irq_stack_union") + k.image.constant("IRQ_STACK_SIZE");
      x.write(top - 8, oldRsp);
      x.setSp(x.read(X86Entry.gs(k, x, "irq_stack_ptr")));
      k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "interrupt_entry", "IRQ stack",
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
    long flags = x.read(x.sp() + k.image.off("pt_regs", "flags"));
    return count == 0 && (flags & X86_64.EFLAGS_IF) != 0 && k.rq.needResched(k.current(x));
  }

  private static void buildReturnToKernel(Kernel k) {
    RoutineBuilder b = k.image.asm("restore_regs_and_return_to_kernel", ENTRY);
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
        "r8", "rax", "rcx", "rdx", "rsi", "rdi"}) {
      b.step("popq %" + r + " (POP_REGS)", x -> x.set(r, x.pop()));
    }
    k.image.add(b.step("addq $8, %rsp: skip orig_ax", x -> x.setSp(x.sp() + 8))
        .step("iretq: pop rip, cs, rflags, rsp, ss: back to the interrupted kernel code", X86Irq::iret)
        .build());
  }

  /** iretq: pops the hardware frame; any IRET also ends NMI blocking ([ARCH] SDM 6.7.1). */
  static void iret(Exec x) {
    x.set("nmi_blocked", 0);
    long ip = x.pop();
    x.set("cs", x.pop());
    x.set("eflags", x.pop());
    long sp = x.pop();
    x.set("ss", x.pop());
    x.setSp(sp);
    x.jumpTo(ip);
  }

  // ---- 6.19 ---------------------------------------------------------------------------------

  private static void build619(Kernel k) {
    RoutineBuilder stubs = k.image.asm("irq_entries_start", ENTRY);
    for (int v = FIRST_EXTERNAL_VECTOR; v < FIRST_EXTERNAL_VECTOR + STUBS; v++) {
      int vec = v;
      stubs.step("pushq $0x" + Integer.toHexString(vec) + ": the vector, in the error-code slot",
              x -> x.push(vec))
          .step("jmp asm_common_interrupt", x -> x.jumpTo(k.image.symbol("asm_common_interrupt")));
    }
    k.image.add(stubs.build());
    k.image.add(idtentry(k, "asm_common_interrupt", "common_interrupt", true));
    k.image.add(idtentry(k, "asm_sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt", false));
    k.image.add(X86Exceptions.regsPush(k, k.image.asm("error_entry", ENTRY))
        .branchIf("kernel", "testb $3, CS+8(%rsp): from kernel mode?",
            x -> (x.read(x.sp() + 8 + k.image.off("pt_regs", "cs")) & 3) == 0)
        .step("swapgs; SWITCH_TO_KERNEL_CR3 (no PTI); leaq 8(%rsp), %rdi: eregs", x -> {
          X86Entry.swapgs(x);
          x.set("rdi", x.sp() + 8);
        })
        .step("jmp sync_regs (a tail call: it returns to our caller)",
            x -> x.jumpTo(k.image.symbol("sync_regs")))
        .label("kernel")
        .step("leaq 8(%rsp), %rax: pt_regs stays where it is", x -> x.setRetval(x.sp() + 8))
        .step("ret", x -> x.ret(x.pop())).build());
    k.image.add(syncRegs(k));
    k.image.add(k.image.asm("error_return", ENTRY)
        .branchIf("kernel", "testb $3, CS(%rsp): back to kernel mode?",
            x -> (x.read(x.sp() + k.image.off("pt_regs", "cs")) & 3) == 0)
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            x -> x.jumpTo(k.image.symbol("swapgs_restore_regs_and_return_to_usermode")))
        .label("kernel")
        .step("jmp restore_regs_and_return_to_kernel",
            x -> x.jumpTo(k.image.symbol("restore_regs_and_return_to_kernel"))).build());
    buildReturnToKernel(k);
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
   * sync_regs (arch/x86/kernel/traps.c@4.16.13 and @6.19): pt_regs built on an entry or IST stack
   * is copied to the top of the task stack, cpu_current_top_of_stack - sizeof(pt_regs).
   */
  static kstack.exec.Routine syncRegs(Kernel k) {
    return k.image.c("sync_regs", "arch/x86/kernel/traps.c").params(L.eregs).locals(L.regs)
        .step("regs = (struct pt_regs *)current_top_of_stack() - 1: the top of the task stack",
            x -> x.set(L.regs, x.read(X86Entry.gsMacro(k, x, "cpu_current_top_of_stack"))
                - k.image.struct("pt_regs").size()))
        .step("if (regs != eregs) *regs = *eregs: the frame moves to the task stack", x -> {
          if (x.get(L.regs) != x.get(L.eregs)) {
            k.mem.copy(x.get(L.regs), x.get(L.eregs), k.image.struct("pt_regs").size());
          }
        })
        .ret("return regs", x -> x.get(L.regs)).build();
  }

  /** An idtentry stub (idtentry / idtentry_body in entry_64.S@6.19). */
  private static kstack.exec.Routine idtentry(Kernel k, String asm, String cfunc, boolean errorCode) {
    RoutineBuilder b = k.image.asm(asm, ENTRY);
    if (!errorCode) {
      b.step("ENDBR; ASM_CLAC; cld; pushq $-1: orig_ax, no syscall to restart", x -> x.push(-1));
    }
    b.call("call error_entry", "error_entry", Args.inPlace())
        .step("movq %rax, %rsp: onto the task stack if it came from user space", x -> x.setSp(x.retval()))
        .step("ENCODE_FRAME_POINTER: rbp = pt_regs + 1; movq %rsp, %rdi", x -> {
          x.setFp(x.sp() + 1);
          x.set("rdi", x.sp());
        });
    if (errorCode) {
      b.step("movq ORIG_RAX(%rsp), %rsi: the error code; movq $-1, ORIG_RAX(%rsp)", x -> {
        x.set("rsi", x.read(x.sp() + k.image.off("pt_regs", "orig_ax")));
        x.write(x.sp() + k.image.off("pt_regs", "orig_ax"), -1);
      });
    }
    return b.call("call " + cfunc, cfunc, Args.of(x -> x.reg("rdi"), x -> x.reg("rsi")).unchecked())
        .step("jmp error_return", x -> x.jumpTo(k.image.symbol("error_return"))).build();
  }

  /**
   * call_on_irqstack_cond (asm/irq_stack.h@6.19): from user mode, or with hardirq_stack_inuse set,
   * the handler runs where it is; otherwise the top word of the IRQ stack gets the old rsp, rsp
   * moves to it, and popq %rsp comes back. irq_enter_rcu/irq_exit_rcu run on the same stack.
   */
  private static RoutineBuilder onIrqStack(Kernel k, RoutineBuilder b, String text, String fn,
      java.util.function.Function<Exec, long[]> args) {
    return b.branchIf("here", text + ": from user mode or hardirq_stack_inuse? stay on this stack",
            x -> (x.read(x.get(L.regs) + k.image.off("pt_regs", "cs")) & 3) != 0
                || x.read(X86Entry.gs(k, x, "hardirq_stack_inuse"), 1) != 0)
        .step("hardirq_stack_inuse = true; call_on_stack(): movq %rsp, (tos); movq tos, %rsp "
            + "(tos = hardirq_stack_ptr)", x -> {
              x.write(X86Entry.gs(k, x, "hardirq_stack_inuse"), 1, 1);
              long tos = x.read(X86Entry.gs(k, x, "hardirq_stack_ptr"));
              x.write(tos, x.sp());
              x.setSp(tos);
              k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "call_on_irqstack",
                  "IRQ stack", "rsp", tos, Event.BackLink.NONE, 0));
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

  /** The IDT: which entry a vector reaches. */
  static String handler(Kernel k, int vector) {
    if (vector == ApicTimer.localTimerVector(k.profile)) {
      return k.profile.has(Feature.IRQENTRY) ? "asm_sysvec_apic_timer_interrupt"
          : "apic_timer_interrupt";
    }
    if (vector >= FIRST_EXTERNAL_VECTOR && vector < FIRST_EXTERNAL_VECTOR + STUBS) {
      return "irq_entries_start";
    }
    throw new IllegalArgumentException("no IDT entry is modelled for vector " + vector);
  }

  static long handlerAddress(Kernel k, int vector) {
    long a = k.image.symbol(handler(k, vector));
    if (vector != ApicTimer.localTimerVector(k.profile)) {
      a += 8L * (vector - FIRST_EXTERNAL_VECTOR);
    }
    return a;
  }
}
