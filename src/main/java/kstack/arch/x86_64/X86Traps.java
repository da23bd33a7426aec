package kstack.arch.x86_64;

import kstack.arch.x86.DoDebug;
import kstack.arch.x86.DoMachineCheck;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * #DB and #MC: IST exceptions whose entry depends on where they came from. From kernel mode they
 * stay on their IST stack (paranoid_entry, paranoid_exit); from user mode the entry moves pt_regs
 * to the task stack (error_entry → sync_regs) and the handler runs "in process context".
 * 4.16: {@code idtentry debug do_debug paranoid=1 shift_ist=DEBUG_STACK} and {@code idtentry
 * machine_check paranoid=1 do_sym=*machine_check_vector(%rip)} (entry_64.S@4.16.13, the idtentry
 * macro's .Lfrom_usermode_switch_stack); around a kernel-mode do_debug the DB IST entry is lowered
 * by EXCEPTION_STKSZ so a nested #DB gets fresh stack. 6.19: {@code idtentry_mce_db} for
 * asm_exc_debug and asm_exc_machine_check, with the user-mode C entries noist_exc_debug and
 * noist_exc_machine_check (entry_64.S@6.19; idtentry.h@6.19 DEFINE_IDTENTRY_DEBUG/_MCE and their
 * _USER forms). Facts checked in docs/research/x86_64-nmi-db-mc.md §B. The injected events carry nothing to handle: DR6 reads 0 and no MCA bank is
 * valid, so each handler finds no work and returns; what they show is the stacks.
 */
public final class X86Traps {
  enum L implements Local { error_code, regs }

  private X86Traps() {}

  static final int DB_VECTOR = 1;
  static final int MC_VECTOR = 18;
  private static final String ENTRY = "arch/x86/entry/entry_64.S";
  private static final int EXCEPTION_STKSZ = 4096; // page_64_types.h@4.16.13:14-15

  static String handlerName(Kernel k, int vector) {
    boolean v6 = k.profile.has(Feature.IRQENTRY);
    return switch (vector) {
      case DB_VECTOR -> v6 ? "asm_exc_debug" : "debug";
      case MC_VECTOR -> v6 ? "asm_exc_machine_check" : "machine_check";
      default -> null;
    };
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.IRQENTRY);
    if (!v6) {
      buildErrorEntry416(k);
    }
    entry(k, DB_VECTOR, v6 ? "exc_debug" : "do_debug", v6 ? "noist_exc_debug" : "do_debug");
    entry(k, MC_VECTOR, v6 ? "exc_machine_check" : "do_mce",
        v6 ? "noist_exc_machine_check" : "do_mce");
    String traps = "arch/x86/kernel/traps.c";
    if (v6) {
      // traps.c@6.19:1214-1376: exc_debug_kernel and exc_debug_user are static noinstr (noinline)
      k.image.add(k.image.c("exc_debug", traps).params(L.regs)
          .call("exc_debug_kernel(regs, debug_read_reset_dr6())", "exc_debug_kernel",
              Args.of(x -> x.get(L.regs), x -> 0))
          .retVoid().build());
      k.image.add(k.image.c("noist_exc_debug", traps).params(L.regs)
          .call("exc_debug_user(regs, debug_read_reset_dr6())", "exc_debug_user",
              Args.of(x -> x.get(L.regs), x -> 0))
          .retVoid().build());
      DoDebug.buildExcDebugLeaves(k);
      String mce = "arch/x86/kernel/cpu/mce/core.c";
      k.image.add(k.image.c("exc_machine_check", mce).params(L.regs)
          .call("exc_machine_check_kernel(regs) [always inline]: irqentry_nmi_enter; "
              + "do_machine_check(regs)",
              "do_machine_check", Args.of(x -> x.get(L.regs)))
          .retVoid().build());
      k.image.add(k.image.c("noist_exc_machine_check", mce).params(L.regs)
          .call("exc_machine_check_user(regs) [always inline]: irqentry_enter_from_user_mode; "
              + "do_machine_check(regs)", "do_machine_check", Args.of(x -> x.get(L.regs)))
          .retVoid().build());
    } else {
      DoDebug.buildDoDebugUserIcebp(k);
      // mcheck/mce.c@4.16.13:1803-1837: do_mce calls through machine_check_vector, which
      // mcheck_cpu_init points at do_machine_check
      k.image.add(k.image.c("do_mce", "arch/x86/kernel/cpu/mcheck/mce.c").params(L.regs, L.error_code)
          .callVia("machine_check_vector(regs, error_code) = do_machine_check",
              x -> k.image.symbol("do_machine_check"), Args.of(x -> x.get(L.regs), x -> 0), null)
          .retVoid().build());
    }
    DoMachineCheck.build(k, v6 ? DoMachineCheck.MCE_CORE_C : DoMachineCheck.MCHECK_MCE_C);
  }

  /** The entry stub of an IST exception with no error code. */
  private static void entry(Kernel k, int vector, String kernelFn, String userFn) {
    boolean v6 = k.profile.has(Feature.IRQENTRY);
    boolean shift = !v6 && vector == DB_VECTOR;
    int ist = X86Exceptions.istOf(vector);
    RoutineBuilder b = k.image.asm(handlerName(k, vector), ENTRY)
        .step("ASM_CLAC; pushq $-1: orig_ax (no error code)", x -> x.push(-1))
        .branchIf("user", "testb $3, CS-ORIG_RAX(%rsp): from user mode? then switch stacks",
            x -> (x.read(x.sp() + 16) & 3) == 3)
        .call("call paranoid_entry: pt_regs stay on the IST stack", "paranoid_entry", Args.inPlace())
        .step("movq %rsp, %rdi" + (v6 ? "" : "; xorl %esi, %esi"), x -> {
          x.set("rdi", x.sp());
          x.set("rsi", 0);
        });
    if (shift) {
      b.step("subq $EXCEPTION_STKSZ, CPU_TSS_IST(DEBUG_STACK): a nested #DB lands lower",
          x -> shiftIst(k, x, ist, -EXCEPTION_STKSZ));
    }
    b.call("call " + kernelFn, kernelFn, Args.of(x -> x.reg("rdi"), x -> x.reg("rsi")).unchecked());
    if (shift) {
      b.step("addq $EXCEPTION_STKSZ, CPU_TSS_IST(DEBUG_STACK)",
          x -> shiftIst(k, x, ist, EXCEPTION_STKSZ));
    }
    X86Exceptions.paranoidExit(b);
    b.label("user");
    b.call("call error_entry: pt_regs move to the task stack", "error_entry", Args.inPlace());
    if (v6) {
      b.step("movq %rax, %rsp: onto the task stack", x -> x.setSp(x.retval()));
    }
    b.step("ENCODE_FRAME_POINTER; movq %rsp, %rdi" + (v6 ? "" : "; xorl %esi, %esi"), x -> {
      x.setFp(x.sp() + 1);
      x.set("rdi", x.sp());
      x.set("rsi", 0);
    })
        .call("call " + userFn, userFn, Args.of(x -> x.reg("rdi"), x -> x.reg("rsi")).unchecked())
        .step(v6 ? "jmp error_return" : "jmp error_exit",
            x -> x.jumpTo(k.image.symbol(v6 ? "error_return" : "error_exit")));
    k.image.add(b.build());
  }

  private static void shiftIst(Kernel k, kstack.exec.Exec x, int ist, long delta) {
    long slot = X86Entry.gs(k, x, "cpu_tss_rw") + k.image.offPath("tss_struct", "x86_tss.ist") + 8L * ist;
    x.write(slot, x.read(slot) + delta);
  }

  /**
   * 4.16 error_entry / error_exit (entry_64.S@4.16.13): PUSH_AND_CLEAR_REGS below the hardware
   * frame; from user mode SWAPGS, then sync_regs copies pt_regs to the top of the task stack and
   * rsp follows (the return address is carried across in r12). error_exit returns through
   * retint_user or retint_kernel.
   */
  private static void buildErrorEntry416(Kernel k) {
    RoutineBuilder e = X86Exceptions.regsPush(k, k.image.asm("error_entry", ENTRY))
        .branchIf("kernel", "testb $3, CS+8(%rsp): from kernel mode?",
            x -> (x.read(x.sp() + 8 + k.image.off("pt_regs", "cs")) & 3) == 0)
        .step("SWAPGS; SWITCH_TO_KERNEL_CR3 (no PTI)", X86Entry::swapgs)
        .step("popq %r12: the return address; movq %rsp, %rdi", x -> {
          x.set("r12", x.pop());
          x.set("rdi", x.sp());
        })
        .call("call sync_regs", "sync_regs", Args.of(x -> x.reg("rdi")))
        .step("movq %rax, %rsp: onto the task stack; pushq %r12", x -> {
          x.setSp(x.retval());
          x.push(x.reg("r12"));
        })
        .label("kernel")
        .step("ret (TRACE_IRQS_OFF)", x -> x.ret(x.pop()));
    k.image.add(e.build());
    k.image.add(X86Irq.syncRegs(k));
    k.image.add(k.image.asm("error_exit", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF", x -> { })
        .branchIf("kernel", "testb $3, CS(%rsp): back to kernel mode?",
            x -> (x.read(x.sp() + k.image.off("pt_regs", "cs")) & 3) == 0)
        .step("jmp retint_user", x -> x.jumpTo(k.image.symbol("retint_user")))
        .label("kernel")
        .step("jmp retint_kernel", x -> x.jumpTo(k.image.symbol("retint_kernel"))).build());
  }
}
