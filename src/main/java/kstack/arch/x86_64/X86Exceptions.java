package kstack.arch.x86_64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * The exceptions that run on IST stacks and what they share across generations: the double fault
 * that a kernel stack overflow becomes under VMAP_STACK, the NMI's C handler, paranoid_entry and
 * paranoid_exit, PUSH_AND_CLEAR_REGS, the IST index of each vector. Where the stacks lie and the
 * words that differ come from the generation's IstExceptions module.
 */
final class X86Exceptions {
  enum L implements Local { error_code, fault_address, regs }

  private X86Exceptions() {}

  static final int NMI_VECTOR = 2;
  static final int DF_VECTOR = 8;
  static final String[] IST = {"DF", "NMI", "DB", "MCE"};

  /** tss->x86_tss.ist[i] = the top of IST stack i. */
  static void fillIst(Exceptions64 e, Kernel k, Exec x) {
    long tss = X86Entry.gs(k, x, "cpu_tss_rw") + Tss.ist.off(k);
    for (int i = 0; i < IST.length; i++) {
      x.write(tss + 8L * i, e.istStack(k, x.cpu().id(), i)[1]);
    }
  }

  /** The entry of an IST exception vector, the generation's prefix on the entry_64.S name. */
  static String handlerName(String prefix, int vector) {
    return switch (vector) {
      case DF_VECTOR -> prefix + "double_fault";
      case NMI_VECTOR -> prefix + "nmi";
      case X86Traps.DB_VECTOR -> prefix + "debug";
      case X86Traps.MC_VECTOR -> prefix + "machine_check";
      default -> null;
    };
  }

  static int istOf(int vector) {
    return switch (vector) {
      case DF_VECTOR -> 0;
      case NMI_VECTOR -> 1;
      case X86Traps.DB_VECTOR -> 2;
      case X86Traps.MC_VECTOR -> 3;
      default -> -1;
    };
  }

  static void build(Kernel k, IstExceptions e) {
    String entry = "arch/x86/entry/entry_64.S";
    String doubleFault = e.handlerPrefix() + "double_fault";
    k.image.add(paranoidEntry(k, e));
    k.image.add(k.image.asm(e.handlerName(DF_VECTOR), entry)
        .call("call paranoid_entry: pt_regs on this IST stack", "paranoid_entry", Args.inPlace())
        .step("movq %rsp, %rdi; movq ORIG_RAX(%rsp), %rsi (the error code); movq $-1, ORIG_RAX(%rsp)",
            x -> {
              x.set(Regs.rdi, x.sp());
              x.set(Regs.rsi, x.read(x.sp() + PtRegs.orig_ax.off(k)));
              x.write(x.sp() + PtRegs.orig_ax.off(k), -1);
            })
        .call("call " + doubleFault, doubleFault, Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi)))
        .step("jmp paranoid_exit (not reached: the overflow panics)", x -> { }).build());
    String traps = "arch/x86/kernel/traps.c";
    k.image.add(k.image.c(doubleFault, traps).params(L.regs, L.error_code)
        .step(e.doubleFaultEnter(), x -> { })
        .branchIf("other", "CONFIG_VMAP_STACK: was the fault address in the guard page below "
            + "current's stack?", x -> !guardHit(k, x))
        .call(e.overflowCall(), "handle_stack_overflow",
            Args.of(x -> x.get(L.regs), x -> x.reg(Regs.cr2)))
        .label("other")
        .step("die(\"double fault\", regs, error_code); panic(\"Machine halted.\")",
            x -> panic(k, x, "double fault: Machine halted."))
        .retVoid().build());
    k.image.add(k.image.c("handle_stack_overflow", traps).params(L.regs, L.fault_address)
        .step("printk(KERN_EMERG): the guard page was hit; the stack's bounds", x -> {
          long task = k.current(x);
          long stack = k.stacks.stack(task);
          k.timeline.emit(new Event.GuardPageHit(x.cpu().id(), e.guardPageStackKind(),
              x.get(L.fault_address), stack, e.guardHitStackEnd(stack, k.threadSize)));
          k.timeline.emit(new Event.StackOverflow(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
        })
        .step(e.overflowDie(), x -> panic(k, x, e.overflowPanic()))
        .retVoid().build());
    buildNmi(k, e);
    X86Traps.build(k, e);
  }

  /**
   * PUSH_AND_CLEAR_REGS save_ret=1 (arch/x86/entry/calling.h@4.16.13, @6.19), the start of
   * interrupt_entry, paranoid_entry and error_entry: pt_regs below the hardware frame with the
   * caller's return address kept on top, and rbp encoding pt_regs for the unwinder. 4.16 clears
   * r8..r15, rbx and rbp as it pushes them (xorl after each push); 6.19 pushes everything
   * (PUSH_REGS) and then clears rsi, rdx, rcx, r8..r15, rbx and rbp (CLEAR_REGS).
   */
  static RoutineBuilder regsPush(Kernel k, RoutineBuilder b, boolean clearsAsPushed) {
    b.step("PUSH_AND_CLEAR_REGS save_ret=1: pushq %rsi; movq 8(%rsp), %rsi (the return address); "
        + "movq %rdi, 8(%rsp) (pt_regs->di)", x -> {
          x.push(x.reg(Regs.rsi));
          long ret = x.read(x.sp() + 8);
          x.write(x.sp() + 8, x.reg(Regs.rdi));
          x.set(Regs.rsi, ret);
        });
    for (String r : new String[] {"dx", "cx", "ax", "r8", "r9", "r10", "r11", "bx", "bp", "r12",
        "r13", "r14", "r15"}) {
      String reg = X86Entry.reg64(r);
      boolean clear = clearsAsPushed && !r.equals("dx") && !r.equals("cx") && !r.equals("ax");
      int ri = Regs.of(reg);
      b.step("pushq %" + reg + ": pt_regs->" + r + (clear ? "; xorl %" + reg + ", %" + reg : ""),
          x -> {
            x.push(x.reg(ri));
            if (clear) {
              x.set(ri, 0);
            }
          });
    }
    return b.step("pushq %rsi: the return address, below pt_regs"
            + (clearsAsPushed ? "" : "; CLEAR_REGS"), x -> {
              x.push(x.reg(Regs.rsi));
              if (!clearsAsPushed) {
                for (int r : Regs.CLEAR_REGS) {
                  x.set(r, 0);
                }
              }
            })
        .step("ENCODE_FRAME_POINTER 8: rbp = pt_regs + 1 (bit 0 marks pt_regs for the unwinder)",
            x -> x.setFp(x.sp() + 8 + 1));
  }


  /** paranoid_entry: pt_regs where the CPU put the frame; swapgs only if GS is the user's. */
  private static kstack.exec.Routine paranoidEntry(Kernel k, IstExceptions e) {
    RoutineBuilder b = regsPush(k, k.image.asm("paranoid_entry", "arch/x86/entry/entry_64.S"),
        e.clearsAsPushed());
    return b.step("rdmsr MSR_GS_BASE: negative means kernel GS already; else SWAPGS (ebx says "
            + "which for paranoid_exit)", x -> {
              boolean userGs = x.reg(Regs.gs_base) >= 0;
              if (userGs) {
                X86Entry.swapgs(x);
              }
              x.set(Regs.rbx, userGs ? 0 : 1);
            })
        .step("ret", x -> x.ret(x.pop())).build();
  }

  /** The NMI: its entry (X86Nmi, with the nested-NMI protocol) and its C handler. */
  private static void buildNmi(Kernel k, IstExceptions e) {
    X86Nmi.build(k, e);
    // do_nmi(struct pt_regs *, long) at 4.16, exc_nmi(struct pt_regs *) at 6.19 (handlerArgs)
    RoutineBuilder nmi = k.image.c(e.handlerPrefix() + "nmi", "arch/x86/kernel/nmi.c");
    k.image.add((e.handlersTakeErrorCode() ? nmi.params(L.regs, L.error_code) : nmi.params(L.regs))
        .step(e.nmiEnter() + "; inc_irq_stat(__nmi_count)", x -> { })
        .call("default_do_nmi(regs)", "default_do_nmi", Args.of(x -> x.get(L.regs)))
        .step(e.nmiExit(), x -> { })
        .retVoid().build());
    k.image.add(k.image.c("default_do_nmi", "arch/x86/kernel/nmi.c").params(L.regs)
        .step("nmi_handle(NMI_LOCAL, regs): no handler claims it; unknown_nmi_error()", x ->
            k.timeline.emit(new Event.NmiHandled(x.cpu().id(),
                Event.NmiPath.UNKNOWN_REASON, "rsp", x.sp())))
        .retVoid().build());
  }

  /** paranoid_exit: swapgs back if paranoid_entry swapped, pop pt_regs, iretq. */
  static RoutineBuilder paranoidExit(RoutineBuilder b) {
    return b.step("paranoid_exit: swapgs back if paranoid_entry swapped (ebx == 0)", x -> {
          if (x.reg(Regs.rbx) == 0) {
            X86Entry.swapgs(x);
          }
        })
        .step("POP_REGS; addq $8, %rsp (skip orig_ax)", x -> {
          for (int r : Regs.POP_REGS) {
            x.set(r, x.pop());
          }
          x.setSp(x.sp() + 8);
        })
        .step("iretq", X86Irq::iret);
  }

  private static boolean guardHit(Kernel k, Exec x) {
    long stack = k.stacks.stack(k.current(x));
    long cr2 = x.reg(Regs.cr2);
    return stack - 1 - cr2 < 4096 && Long.compareUnsigned(cr2, stack) < 0;
  }

  private static void panic(Kernel k, Exec x, String why) {
    k.timeline.emit(new Event.Panic(x.cpu().id(), "Kernel panic - not syncing: " + why));
    k.panic("Kernel panic - not syncing: " + why);
    x.stay();
  }
}
