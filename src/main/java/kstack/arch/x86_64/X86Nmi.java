package kstack.arch.x86_64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * The NMI entry with its nested-NMI protocol (entry_64.S@4.16.13:1330-1663 ENTRY(nmi),
 * @6.19:1106-1469 asm_exc_nmi; research x86_64-nmi-db-mc.md §C). The CPU always delivers an NMI at
 * the top T of the NMI IST stack, so a nested NMI overwrites the outer one's hardware frame. The
 * entry therefore keeps, below that frame: the saved rdx (T-48), the "NMI executing" word (T-56), an
 * "iret" frame (T-96..T-64) that the final iretq uses, and an "outermost" copy of the original frame
 * (T-136..T-104, which is also pt_regs->ip..ss). A nested NMI only rewrites the iret frame to point
 * at repeat_nmi and returns; the outer NMI then runs its handler once more. From user mode the NMI
 * moves to the task stack and none of this is used.
 */
final class X86Nmi {
  private X86Nmi() {}

  private static final String ENTRY = "arch/x86/entry/entry_64.S";
  private static final long EFLAGS_DF = 0x400;
  private static final String[] PT_REGS_PUSH_ORDER = {"di", "si", "dx", "cx", "ax", "r8", "r9",
      "r10", "r11", "bx", "bp", "r12", "r13", "r14", "r15"};

  static void build(Kernel k, IstExceptions e) {
    String handler = e.handlerPrefix() + "nmi";
    long stackSize = e.exceptionStackSize(); // the NMI stack's size
    String errorCodeArg = e.handlersTakeErrorCode() ? "; movq $-1, %rsi" : "";
    RoutineBuilder b = k.image.asm(e.handlerName(X86Exceptions.NMI_VECTOR), ENTRY)
        .step(e.nmiEntryPrologue() + "pushq %rdx: T-48",
            x -> x.push(x.reg(Regs.rdx)))
        .branchIf("nmi_from_kernel", "testb $3, CS-RIP+8(%rsp): from user mode?",
            x -> (x.read(x.sp() + 16) & 3) == 0);
    fromUser(k, e, b, errorCodeArg, handler);
    b.label("nmi_from_kernel")
        .branchIf("nested_nmi_out", "movq $repeat_nmi, %rdx; cmpq 8(%rsp), %rdx; ...: the "
            + "interrupted RIP in [repeat_nmi, end_repeat_nmi)? then leave everything as it is",
            x -> inRepeatWindow(k, x.read(x.sp() + 8)))
        .branchIf("nested_nmi", "cmpl $1, -8(%rsp): \"NMI executing\" set?",
            x -> x.read(x.sp() - 8) == 1)
        .branchIf("first_nmi", "lea 6*8(%rsp), %rdx; the interrupted RSP outside "
            + "[T - EXCEPTION_STKSZ, T]? then this is a first NMI", x -> {
              long top = x.sp() + 48;
              long rsp = x.read(x.sp() + 32);
              return Long.compareUnsigned(rsp, top) > 0
                  || Long.compareUnsigned(rsp, top - stackSize) < 0;
            })
        .branchIf("first_nmi", "testb $(X86_EFLAGS_DF >> 8), (3*8+1)(%rsp): DF clear means "
            + "that RSP was not ours (a first NMI)", x -> (x.read(x.sp() + 24) & EFLAGS_DF) == 0)
        .label("nested_nmi")
        .step("subq $8, %rsp; leaq -10*8(%rsp), %rdx; pushq $__KERNEL_DS; pushq %rdx; pushfq; "
            + "pushq $__KERNEL_CS; pushq $repeat_nmi: the outer NMI's iret frame now leads to "
            + "repeat_nmi", x -> {
              x.setSp(x.sp() - 8);
              long rdx = x.sp() - 80;
              x.push(X86_64.KERNEL_DS);
              x.push(rdx);
              x.push(x.reg(Regs.eflags));
              x.push(X86_64.KERNEL_CS);
              x.push(k.image.symbol("repeat_nmi"));
            })
        .step("addq $(6*8), %rsp", x -> x.setSp(x.sp() + 48))
        .label("nested_nmi_out")
        .step("popq %rdx", x -> x.set(Regs.rdx, x.pop()))
        .step("iretq: back into the interrupted (outer) NMI code", X86Irq::iret)
        .label("first_nmi")
        .step("movq (%rsp), %rdx; pushq $0: \"NMI executing\" = 0 at T-56; subq $(5*8), %rsp: "
            + "room for the iret frame", x -> {
              x.set(Regs.rdx, x.read(x.sp()));
              x.push(0);
              x.setSp(x.sp() - 40);
            })
        .step(".rept 5; pushq 11*8(%rsp): the original frame copied to the outermost frame",
            x -> {
              for (int i = 0; i < 5; i++) {
                x.push(x.read(x.sp() + 88));
              }
            })
        .globalLabel("repeat_nmi")
        .step("movq $1, 10*8(%rsp): \"NMI executing\" = 1", x -> x.write(x.sp() + 80, 1))
        .step("addq $(10*8), %rsp; .rept 5; pushq -6*8(%rsp); subq $(5*8), %rsp: the outermost "
            + "frame copied to the iret frame", x -> {
              x.setSp(x.sp() + 80);
              for (int i = 0; i < 5; i++) {
                x.push(x.read(x.sp() - 48));
              }
              x.setSp(x.sp() - 40);
            })
        .globalLabel("end_repeat_nmi")
        .step("pushq $-1: orig_ax", x -> x.push(-1))
        .call("call paranoid_entry", "paranoid_entry", Args.inPlace())
        .step("movq %rsp, %rdi" + errorCodeArg, x -> e.loadHandlerArgs(x, -1))
        .call("call " + handler, handler, e.handlerArgs())
        .step(e.nmiRestoreCr3()
            + "testl %ebx, %ebx; jnz nmi_restore; nmi_swapgs: swapgs", x -> {
              if (x.reg(Regs.rbx) == 0) {
                X86Entry.swapgs(x);
              }
            })
        .label("nmi_restore")
        .step("POP_REGS", X86Nmi::popRegs)
        .step("addq $6*8, %rsp: skip orig_ax and the outermost frame", x -> x.setSp(x.sp() + 48))
        .step("std; movq $0, 5*8(%rsp): \"NMI executing\" = 0 (DF marks the window until iretq)",
            x -> {
              x.set(Regs.eflags, x.reg(Regs.eflags) | EFLAGS_DF);
              x.write(x.sp() + 40, 0);
            })
        .step("iretq: through the iret frame (to the interrupted code, or to repeat_nmi)",
            X86Irq::iret);
    k.image.add(b.build());
  }

  /** From user mode: the NMI runs on the task stack like any other entry. */
  private static void fromUser(Kernel k, IstExceptions e, RoutineBuilder b, String errorCodeArg,
      String handler) {
    b.step("swapgs; SWITCH_TO_KERNEL_CR3; movq %rsp, %rdx; "
            + "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp", x -> {
              X86Entry.swapgs(x);
              x.set(Regs.rdx, x.sp());
              x.setSp(x.read(X86Entry.gsMacro(k, x, "cpu_current_top_of_stack")));
            })
        .step("pushq 5*8(%rdx) ... 1*8(%rdx): SS, RSP, RFLAGS, CS, RIP onto the task stack; "
            + "pushq $-1: orig_ax", x -> {
              for (int off = 40; off >= 8; off -= 8) {
                x.push(x.read(x.reg(Regs.rdx) + off));
              }
              x.push(-1);
            })
        .step("PUSH_AND_CLEAR_REGS rdx=(%rdx); ENCODE_FRAME_POINTER", x -> {
          long savedRdx = x.read(x.reg(Regs.rdx));
          for (String r : PT_REGS_PUSH_ORDER) {
            x.push(r.equals("dx") ? savedRdx : x.reg(Regs.of(X86Entry.reg64(r))));
          }
          x.setFp(x.sp() + 1);
        })
        .step("movq %rsp, %rdi" + errorCodeArg, x -> e.loadHandlerArgs(x, -1))
        .call("call " + handler, handler, e.handlerArgs())
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            k.image.jump("swapgs_restore_regs_and_return_to_usermode"));
  }

  private static boolean inRepeatWindow(Kernel k, long rip) {
    return Long.compareUnsigned(rip, k.image.symbol("repeat_nmi")) >= 0
        && Long.compareUnsigned(rip, k.image.symbol("end_repeat_nmi")) < 0;
  }

  private static void popRegs(Exec x) {
    for (int i = PT_REGS_PUSH_ORDER.length - 1; i >= 0; i--) {
      x.set(Regs.of(X86Entry.reg64(PT_REGS_PUSH_ORDER[i])), x.pop());
    }
  }
}
