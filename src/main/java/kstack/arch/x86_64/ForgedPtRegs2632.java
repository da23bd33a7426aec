package kstack.arch.x86_64;

import static kstack.arch.x86_64.PartialFrame2632.*;

import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;
import kstack.trace.Event;

/**
 * 2.6.32's entry_64.S code that forges pt_regs (entry_64.S@2.6.32:1187-1265): ret_from_fork, which
 * leaves through int_ret_from_sys_call's IRET; kernel_thread, which builds a full pt_regs on the
 * caller's stack for child_rip; kernel_execve, which does the same for pid 1's exec. Linked with
 * system_call (SystemCall2632).
 */
final class ForgedPtRegs2632 {
  private ForgedPtRegs2632() {}

  static void build(Kernel k) {
    k.image.add(k.image.asm("ret_from_fork", ENTRY)
        .step("LOCK; btr $TIF_FORK, TI_flags(%r8); push kernel_eflags(%rip); popf", x -> {
          long ti = x.reg(Regs.r8);
          x.write(ti + k.tasks.tiOff(ThreadInfoMember.flags), 4,
              x.read(ti + k.tasks.tiOff(ThreadInfoMember.flags), 4) & ~(1L << TIF_FORK));
          x.set(Regs.eflags, 0x2);
        })
        .call("call schedule_tail (rdi = prev)", "schedule_tail", Args.of(x -> x.reg(Regs.rdi)))
        .step("GET_THREAD_INFO(%rcx); RESTORE_REST: r15..rbx from pt_regs; rsp += 48", x -> {
          restoreRest(k, x, x.sp());
          x.setSp(x.sp() + 48);
        })
        .step("testl $3, CS-ARGOFFSET(%rsp); je int_ret_from_sys_call; jmp int_ret_from_sys_call "
            + "(either way: it cannot know which entry built these pt_regs)",
            k.image.jump("int_ret_from_sys_call")).build());
    // kernel_thread, child_rip, kernel_execve: entry_64.S@2.6.32:1187-1265
    RoutineBuilder kt = fakeStackFrame(k, k.image.asm("kernel_thread", ENTRY), "$child_rip",
        x -> k.image.symbol("child_rip"));
    kt.step("SAVE_ALL: the argument and callee-saved registers; a full pt_regs on this stack "
            + "(fn in its rdi slot, arg in rsi, 0 in ax)", x -> {
              x.setSp(x.sp() - 120);
              saveArgs(k, x, x.sp(), true);
              saveRest(k, x, x.sp());
            })
        .step("movq %rdx, %rdi; orq kernel_thread_flags(%rip), %rdi (CLONE_VM | CLONE_UNTRACED); "
            + "movq $-1, %rsi; movq %rsp, %rdx; xorl %r8d, %r8d; xorl %r9d, %r9d", x -> {
              x.set(Regs.rdi, x.reg(Regs.rdx) | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED);
              x.set(Regs.rsi, -1);
              x.set(Regs.rdx, x.sp());
              x.set(Regs.r8, 0);
              x.set(Regs.r9, 0);
            })
        .call("call do_fork", "do_fork", Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi), x -> x.reg(Regs.rdx),
            x -> 0, x -> 0, x -> 0))
        .step("movq %rax, RAX(%rsp); xorl %edi, %edi; RESTORE_ALL; UNFAKE_STACK_FRAME", x -> {
          long regs = x.sp();
          x.write(regs + PtRegs.ax.off(k), x.reg(Regs.rax));
          long rax = x.reg(Regs.rax);
          restoreArgs(k, x, regs, false);
          restoreRest(k, x, regs);
          x.set(Regs.rax, rax);
          x.setSp(regs + 168);
        })
        .step("ret", x -> x.ret(x.pop()));
    k.image.add(kt.build());
    k.image.add(k.image.asm("child_rip", ENTRY)
        .step("pushq $0: a fake return address", x -> x.push(0))
        .step("movq %rdi, %rax; movq %rsi, %rdi", x -> {
          x.set(Regs.rax, x.reg(Regs.rdi));
          x.set(Regs.rdi, x.reg(Regs.rsi));
        })
        .callVia("call *%rax: fn(arg)", x -> x.reg(Regs.rax), Args.of(x -> x.reg(Regs.rdi)), null)
        .step("mov %eax, %edi", x -> x.set(Regs.rdi, x.reg(Regs.rax)))
        .call("call do_exit", "do_exit", Args.of(x -> x.reg(Regs.rdi)))
        .step("ud2", x -> {
          throw new IllegalStateException("do_exit returned");
        }).build());
    k.image.add(fakeStackFrame(k, k.image.asm("kernel_execve", ENTRY), "$0", x -> 0)
        .step("SAVE_ALL: a full pt_regs in the middle of this kernel stack", x -> {
          x.setSp(x.sp() - 120);
          saveArgs(k, x, x.sp(), true);
          saveRest(k, x, x.sp());
          k.timeline.emit(new Event.ExecveRegsBuilt(x.cpu().id(), k.tasks.pid(k.current(x)), x.sp()));
        })
        .call("movq %rsp, %rcx; call sys_execve", "sys_execve",
            Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi), x -> x.reg(Regs.rdx), x -> x.sp()))
        .step("movq %rax, RAX(%rsp); RESTORE_REST", x -> {
          x.write(x.sp() + PtRegs.ax.off(k), x.reg(Regs.rax));
          restoreRest(k, x, x.sp());
          x.setSp(x.sp() + 48);
        })
        .branchIf("failed", "testq %rax, %rax; je int_ret_from_sys_call", x -> x.reg(Regs.rax) != 0)
        .step("jmp int_ret_from_sys_call: to user mode with the pt_regs exec wrote",
            k.image.jump("int_ret_from_sys_call"))
        .label("failed")
        .step("RESTORE_ARGS: r11..rdi back, addq $ARG_SKIP, %rsp; UNFAKE_STACK_FRAME: addq $8*6, "
            + "%rsp", x -> {
              restoreArgs(k, x, x.sp(), false);
              x.setSp(x.sp() + 120);
            })
        .step("ret", x -> x.ret(x.pop())).build());
  }
}
