package kstack.arch.x86_64;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * The two pieces of arch/x86/entry/entry_64.S that move between tasks' stacks: __switch_to_asm,
 * which saves prev's callee-saved registers as an inactive_task_frame, takes next's stack and
 * jumps to __switch_to; and ret_from_fork (6.x: ret_from_fork_asm and the C ret_from_fork of
 * arch/x86/kernel/process.c), where a new task's first switch lands.
 */
final class X86SwitchEntry {
  enum L implements Local { fn, fn_arg, prev, regs }

  private X86SwitchEntry() {}

  static void buildSwitchToAsm(Kernel k) {
    boolean v6 = k.profile.has(Feature.TSS_IO_BITMAP_STRUCT);
    RoutineBuilder b = k.image.asm("__switch_to_asm", X86Entry.ENTRY);
    for (String r : new String[] {"rbp", "rbx", "r12", "r13", "r14", "r15"}) {
      b.step("pushq %" + r + " (inactive_task_frame)", x -> x.push(x.reg(r)));
    }
    b.step("movq %rsp, TASK_threadsp(%rdi): prev->thread.sp",
            x -> k.tasks.taskWrite(x.reg("rdi"), "thread.sp", x.sp()))
        .step("movq TASK_threadsp(%rsi), %rsp: the stack of next", x -> x.setSp(k.tasks.threadSp(x.reg("rsi"))))
        .step(v6 ? "movq TASK_stack_canary(%rsi), %rbx; movq %rbx, PER_CPU_VAR(__stack_chk_guard)"
                : "movq TASK_stack_canary(%rsi), %rbx; movq %rbx, PER_CPU_VAR(irq_stack_union + "
                    + "stack_canary_offset)", x -> {
              long canary = k.tasks.taskRead(x.reg("rsi"), "stack_canary");
              x.set("rbx", canary);
              x.write(v6 ? X86Entry.gs(k, x, "__stack_chk_guard") : X86Entry.gs(k, x, "irq_stack_union") + 40, canary);
            });
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbx", "rbp"}) {
      b.step("popq %" + r, x -> x.set(r, x.pop()));
    }
    k.image.add(b.step("jmp __switch_to", x -> x.jumpTo(k.image.symbol("__switch_to"))).build());
  }

  static void buildRetFromFork(Kernel k) {
    if (k.profile.has(Feature.RET_FROM_FORK_ASM_AND_C)) {
      k.image.add(k.image.asm("ret_from_fork_asm", X86Entry.ENTRY)
          .step("UNWIND_HINT_END_OF_STACK; movq %rax, %rdi (prev); movq %rsp, %rsi (regs); "
              + "movq %rbx, %rdx (fn); movq %r12, %rcx (fn_arg)", x -> {
                x.set("rdi", x.reg("rax"));
                x.set("rsi", x.sp());
                x.set("rdx", x.reg("rbx"));
                x.set("rcx", x.reg("r12"));
              })
          .call("call ret_from_fork", "ret_from_fork",
              Args.of(x -> x.reg("rdi"), x -> x.reg("rsi"), x -> x.reg("rdx"), x -> x.reg("rcx")))
          .step("jmp swapgs_restore_regs_and_return_to_usermode",
              x -> x.jumpTo(k.image.symbol("swapgs_restore_regs_and_return_to_usermode")))
          .build());
      k.image.add(k.image.c("ret_from_fork", "arch/x86/kernel/process.c").params(L.prev, L.regs, L.fn, L.fn_arg)
          .call("schedule_tail(prev)", "schedule_tail", Args.of(x -> x.get(L.prev)))
          .branchIf("user", "if (unlikely(fn)) {", x -> x.get(L.fn) == 0)
          .callVia("  fn(fn_arg): a kernel thread's function (returns only after a successful exec)",
              x -> x.get(L.fn), Args.of(x -> x.get(L.fn_arg)), null)
          .step("  regs->ax = 0", x -> x.write(x.get(L.regs) + k.image.off("pt_regs", "ax"), 0))
          .label("user")
          .step("syscall_exit_to_user_mode(regs) [inline]", x -> { })
          .retVoid().build());
      return;
    }
    k.image.add(k.image.asm("ret_from_fork", X86Entry.ENTRY)
        .step("movq %rax, %rdi: prev", x -> x.set("rdi", x.reg("rax")))
        .call("call schedule_tail", "schedule_tail", Args.of(x -> x.reg("rdi")))
        .branchIf("kthread", "testq %rbx, %rbx: from kernel_thread?", x -> x.reg("rbx") != 0)
        .label("user")
        .step("movq %rsp, %rdi: regs", x -> x.set("rdi", x.sp()))
        .call("call syscall_return_slowpath", "syscall_return_slowpath", Args.of(x -> x.reg("rdi")))
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            x -> x.jumpTo(k.image.symbol("swapgs_restore_regs_and_return_to_usermode")))
        .label("kthread")
        .step("movq %r12, %rdi: the argument", x -> x.set("rdi", x.reg("r12")))
        .callVia("CALL_NOSPEC %rbx: fn(arg)", x -> x.reg("rbx"), Args.of(x -> x.reg("rdi")), null)
        .step("movq $0, RAX(%rsp): a kernel thread that returns (after exec) returns 0 to user mode",
            x -> x.write(x.sp() + k.image.off("pt_regs", "ax"), 0))
        .jump("user", "jmp 2b").build());
  }
}
