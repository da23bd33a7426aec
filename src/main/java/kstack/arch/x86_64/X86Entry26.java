package kstack.arch.x86_64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * arch/x86/kernel/entry_64.S at 2.6.32 (docs/research/i386-and-2.x.md §7.2-7.5): system_call saves
 * only the argument registers (SAVE_ARGS) below kernel_stack = top - 40, so the first C frame
 * overlaps the unsaved part of pt_regs; the stub_ paths complete the frame (save_rest,
 * FIXUP_TOP_OF_STACK); ret_from_fork leaves through int_ret_from_sys_call's IRET; kernel_thread
 * forges a full pt_regs on the caller's stack for child_rip; kernel_execve does the same for pid 1.
 */
final class X86Entry26 {
  private X86Entry26() {}

  static final String ENTRY = "arch/x86/kernel/entry_64.S";
  static final int TIF_FORK = 18; // thread_info.h@2.6.32
  static final int ARGOFFSET = 48; // R11 in calling.h@2.6.32:55-83
  static final String[] ARGS = {"r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di"};
  static final String[] REST = {"r15", "r14", "r13", "r12", "bp", "bx"};

  static long gs(Kernel k, Exec x, String var) {
    return X86Entry.gs(k, x, var);
  }

  static void build(Kernel k) {
    RoutineBuilder b = k.image.asm("system_call", ENTRY)
        .step("SWAPGS_UNSAFE_STACK: GS base <-> KERNEL_GS_BASE", X86Entry::swapgs)
        .globalLabel("system_call_after_swapgs")
        .step("movq %rsp, PER_CPU_VAR(old_rsp); movq PER_CPU_VAR(kernel_stack), %rsp: top - 40, "
            + "the address of pt_regs->ip", x -> {
              x.write(gs(k, x, "old_rsp"), x.sp());
              x.setSp(x.read(gs(k, x, "kernel_stack")));
            })
        .step("ENABLE_INTERRUPTS; SAVE_ARGS 8,1: subq $80, %rsp; store rdi, rsi, rdx, rax, r8-r11 "
            + "(not rcx; and not rbx, rbp, r12-r15: C code saves those)", x -> {
              k.arch.irqEnable(x);
              x.setSp(x.sp() - 80);
              saveArgs(k, x, x.sp() - ARGOFFSET, false);
            })
        .step("movq %rax, ORIG_RAX-ARGOFFSET(%rsp); movq %rcx, RIP-ARGOFFSET(%rsp): the number and "
            + "the user rip (cs, flags, sp, ss and cx stay unwritten)", x -> {
              long regs = x.sp() - ARGOFFSET;
              x.write(regs + k.image.off("pt_regs", "orig_ax"), x.reg("rax"));
              x.write(regs + k.image.off("pt_regs", "ip"), x.reg("rcx"));
              k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(k.current(x)),
                  kstack.arch.x86.EntryCommon.syscallName(k, x.reg("rax")), x.reg("rax"), x.read(gs(k, x, "old_rsp")),
                  regs));
            })
        .step("GET_THREAD_INFO(%rcx); testl $_TIF_WORK_SYSCALL_ENTRY, TI_flags(%rcx) (no tracing)",
            x -> x.set("rcx", threadInfo(k, x)))
        .globalLabel("system_call_fastpath")
        .step("cmpq $__NR_syscall_max, %rax; ja badsys; movq %r10, %rcx", x -> x.set("rcx", x.reg("r10")))
        .callVia("call *sys_call_table(,%rax,8): its return address lands in the pt_regs->bx slot",
            x -> target(k, x.reg("rax")),
            Args.of(x -> x.reg("rdi"), x -> x.reg("rsi"), x -> x.reg("rdx"), x -> x.reg("rcx"), x -> x.reg("r8"),
                x -> x.reg("r9")), null)
        .step("movq %rax, RAX-ARGOFFSET(%rsp)",
            x -> x.write(x.sp() - ARGOFFSET + k.image.off("pt_regs", "ax"), x.reg("rax")))
        .globalLabel("ret_from_sys_call")
        .step("movl $_TIF_ALLWORK_MASK, %edi", x -> { })
        .globalLabel("sysret_check")
        .step("GET_THREAD_INFO(%rcx); DISABLE_INTERRUPTS; movl TI_flags(%rcx), %edx", x -> {
          x.set("rcx", threadInfo(k, x));
          k.arch.irqDisable(x);
        })
        .branchIf("careful", "andl %edi, %edx; jnz sysret_careful", x -> k.rq.needResched(k.current(x)))
        .step("movq RIP-ARGOFFSET(%rsp), %rcx; RESTORE_ARGS 0,-ARG_SKIP,1 (all but rcx)", x -> {
          long regs = x.sp() - ARGOFFSET;
          x.set("rcx", x.read(regs + k.image.off("pt_regs", "ip")));
          restoreArgs(k, x, regs, true);
        })
        .step("movq PER_CPU_VAR(old_rsp), %rsp; USERGS_SYSRET64: swapgs; sysretq (rip = rcx, "
            + "rflags = r11)", x -> {
              long regs = x.sp() - ARGOFFSET;
              x.setSp(x.read(gs(k, x, "old_rsp")));
              X86Entry.swapgs(x);
              x.set("eflags", x.reg("r11") | 0x2);
              x.set("cs", X86_64.USER_CS);
              x.set("ss", X86_64.USER_DS);
              long task = k.current(x);
              long nr = x.read(regs + k.image.off("pt_regs", "orig_ax"));
              k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task),
                  kstack.arch.x86.EntryCommon.syscallName(k, nr), x.reg("rax")));
              x.jumpTo(x.reg("rcx"));
            })
        .label("careful")
        .globalLabel("sysret_careful")
        .step("bt $TIF_NEED_RESCHED, %edx (no signals modelled); ENABLE_INTERRUPTS; pushq %rdi",
            x -> {
              k.arch.irqEnable(x);
              x.push(x.reg("rdi"));
            })
        .call("call schedule", "schedule", Args.inPlace())
        .step("popq %rdi", x -> x.set("rdi", x.pop()))
        .jump("sysret_check_again", "jmp sysret_check")
        .label("sysret_check_again")
        .step("(sysret_check)", x -> x.jumpTo(k.image.symbol("sysret_check")));
    k.image.add(b.build());
    buildIretPath(k);
    buildStubs(k);
    buildForkAndThreads(k);
  }

  /** rsp = kernel_stack... : the thread_info is kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE. */
  static long threadInfo(Kernel k, Exec x) {
    return x.read(gs(k, x, "kernel_stack")) + 40 - k.threadSize;
  }

  static void saveArgs(Kernel k, Exec x, long regs, boolean withCx) {
    for (String r : ARGS) {
      if (!r.equals("cx") || withCx) {
        x.write(regs + k.image.off("pt_regs", r), x.reg(X86Entry.reg64(r)));
      }
    }
  }

  static void restoreArgs(Kernel k, Exec x, long regs, boolean skipCx) {
    for (String r : ARGS) {
      if (!r.equals("cx") || !skipCx) {
        x.set(X86Entry.reg64(r), x.read(regs + k.image.off("pt_regs", r)));
      }
    }
  }

  private static void saveRest(Kernel k, Exec x, long regs) {
    for (String r : REST) {
      x.write(regs + k.image.off("pt_regs", r), x.reg(X86Entry.reg64(r)));
    }
  }

  private static void restoreRest(Kernel k, Exec x, long regs) {
    for (String r : REST) {
      x.set(X86Entry.reg64(r), x.read(regs + k.image.off("pt_regs", r)));
    }
  }

  /** FIXUP_TOP_OF_STACK (entry_64.S@2.6.32:197-205): the words the fast path left undefined. */
  private static void fixupTopOfStack(Kernel k, Exec x, long regs) {
    x.write(regs + k.image.off("pt_regs", "sp"), x.read(gs(k, x, "old_rsp")));
    x.write(regs + k.image.off("pt_regs", "ss"), X86_64.USER_DS);
    x.write(regs + k.image.off("pt_regs", "cs"), X86_64.USER_CS);
    x.write(regs + k.image.off("pt_regs", "cx"), -1);
    x.write(regs + k.image.off("pt_regs", "flags"), x.read(regs + k.image.off("pt_regs", "r11")));
  }

  /**
   * RESTORE_TOP_OF_STACK %r11 (entry_64.S@2.6.32:207-212): old_rsp = regs->sp; regs->r11 =
   * regs->flags, through %r11, which is left holding the flags.
   */
  private static void restoreTopOfStack(Kernel k, Exec x, long regs) {
    x.write(gs(k, x, "old_rsp"), x.read(regs + k.image.off("pt_regs", "sp")));
    x.set("r11", x.read(regs + k.image.off("pt_regs", "flags")));
    x.write(regs + k.image.off("pt_regs", "r11"), x.reg("r11"));
  }

  /**
   * FAKE_STACK_FRAME (entry_64.S@2.6.32:214-234): xorl %eax, %eax, then an iret frame with rsp 0,
   * and orig_ax 0, both pushed from the cleared %rax.
   */
  private static RoutineBuilder fakeStackFrame(Kernel k, RoutineBuilder b, String rip,
      java.util.function.ToLongFunction<Exec> ripValue) {
    return b.step("FAKE_STACK_FRAME " + rip + ": xorl %eax, %eax; pushq $__KERNEL_DS (ss); pushq "
        + "%rax (rsp); pushq $X86_EFLAGS_IF; pushq $__KERNEL_CS; pushq " + rip + " (rip); pushq %rax "
        + "(orig_ax)", x -> {
          x.set("rax", 0);
          for (long v : new long[] {X86_64.KERNEL_DS, 0, X86_64.EFLAGS_IF, X86_64.KERNEL_CS,
              ripValue.applyAsLong(x), 0}) {
            x.push(v);
          }
        });
  }

  private static long target(Kernel k, long nr) {
    String s = k.image.sysCallTable.get((int) nr);
    return k.image.symbol(s == null ? "sys_ni_syscall" : s);
  }

  /** int_ret_from_sys_call and the interrupt return tail (entry_64.S@2.6.32:617-681, 846-865). */
  private static void buildIretPath(Kernel k) {
    k.image.add(k.image.asm("int_ret_from_sys_call", ENTRY)
        .step("DISABLE_INTERRUPTS", x -> k.arch.irqDisable(x))
        .branchIf("kernel", "testl $3, CS-ARGOFFSET(%rsp); je retint_restore_args",
            x -> (x.read(x.sp() - ARGOFFSET + k.image.off("pt_regs", "cs")) & 3) == 0)
        .step("movl $_TIF_ALLWORK_MASK, %edi", x -> { })
        .label("check")
        .step("int_with_check: GET_THREAD_INFO(%rcx); movl TI_flags(%rcx), %edx",
            x -> x.set("rcx", threadInfo(k, x)))
        .branchIf("swapgs", "andl %edi, %edx; jnz int_careful", x -> !k.rq.needResched(k.current(x)))
        .step("int_careful: bt $TIF_NEED_RESCHED; ENABLE_INTERRUPTS; pushq %rdi", x -> {
          k.arch.irqEnable(x);
          x.push(x.reg("rdi"));
        })
        .call("call schedule", "schedule", Args.inPlace())
        .step("popq %rdi; DISABLE_INTERRUPTS", x -> {
          x.set("rdi", x.pop());
          k.arch.irqDisable(x);
        })
        .jump("check", "jmp int_with_check")
        .label("swapgs")
        .step("andl $~TS_COMPAT, TI_status(%rcx); jmp retint_swapgs",
            x -> x.jumpTo(k.image.symbol("retint_swapgs")))
        .label("kernel")
        .step("jmp retint_restore_args", x -> x.jumpTo(k.image.symbol("retint_restore_args"))).build());
    k.image.add(k.image.asm("retint_swapgs", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_IRETQ; SWAPGS", X86Entry::swapgs)
        .step("jmp restore_args", x -> x.jumpTo(k.image.symbol("restore_args"))).build());
    k.image.add(k.image.asm("retint_restore_args", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_IRETQ", x -> k.arch.irqDisable(x))
        .globalLabel("restore_args")
        .step("RESTORE_ARGS 0,8,0: r11..rdi back; addq $ARG_SKIP+8, %rsp: past them and orig_ax",
            x -> {
          long regs = x.sp() - ARGOFFSET;
          restoreArgs(k, x, regs, false);
          x.setSp(regs + k.image.off("pt_regs", "ip"));
        })
        .globalLabel("irq_return")
        .step("INTERRUPT_RETURN: jmp native_iret: (SS is not from the LDT: no espfix) "
            + "native_irq_return_iret: iretq", x -> iret(k, x)).build());
  }

  /** iretq; going back to user mode, note what is left behind on the kernel stack. */
  static void iret(Kernel k, Exec x) {
    long regs = x.sp() - k.image.off("pt_regs", "ip");
    X86Irq.iret(x);
    if ((x.reg("cs") & 3) != 3) {
      return;
    }
    long task = k.current(x);
    long top = k.arch.taskTopOfStack(k, task);
    if (regs + 168 != top && Long.compareUnsigned(regs - k.stacks.stack(task), k.threadSize) < 0) {
      k.timeline.emit(new Event.ExecveRegsLeft(x.cpu().id(), Event.ReturnPath.IRETQ,
          k.tasks.pid(task), regs, false, "", 0));
    }
    long ip = x.reg("rip");
    long nr = x.read(regs + k.image.off("pt_regs", "orig_ax"));
    if (ip == k.image.symbol("_start")) {
      k.timeline.emit(new Event.ExecStart(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
    } else if (nr < 0) {
      k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.IRETQ));
    } else {
      k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task),
          kstack.arch.x86.EntryCommon.syscallName(k, nr), x.reg("rax")));
    }
  }

  /** stub_fork, stub_clone, save_rest, ptregscall_common, stub_execve (entry_64.S@2.6.32:345-733). */
  private static void buildStubs(Kernel k) {
    k.image.add(k.image.asm("save_rest", ENTRY)
        .step("movq 5*8+16(%rsp), %r11: system_call's return address (in the rbx slot); store rbx, "
            + "rbp, r12-r15 into pt_regs; movq %r11, 8(%rsp): the return address just below "
            + "pt_regs; FIXUP_TOP_OF_STACK %r11, 16", x -> {
              long regs = x.sp() + 16;
              x.set("r11", x.read(x.sp() + 56));
              saveRest(k, x, regs);
              x.write(x.sp() + 8, x.reg("r11"));
              fixupTopOfStack(k, x, regs);
            })
        .step("ret", x -> x.ret(x.pop())).build());
    String[][] calls = {{"stub_fork", "sys_fork", "rdi"}, {"stub_clone", "sys_clone", "r8"}};
    for (String[] c : calls) {
      k.image.add(k.image.asm(c[0], ENTRY)
          .step("PTREGSCALL: subq $REST_SKIP, %rsp", x -> x.setSp(x.sp() - 48))
          .call("call save_rest", "save_rest", Args.inPlace())
          .step("leaq 8(%rsp), %" + c[2] + ": the complete pt_regs", x -> x.set(c[2], x.sp() + 8))
          .callVia("call " + c[1], x -> k.image.symbol(c[1]), Args.of(x -> x.reg("rdi"),
              x -> x.reg("rsi"), x -> x.reg("rdx"), x -> x.reg("rcx"), x -> x.reg("r8")), null)
          .step("jmp ptregscall_common", x -> x.jumpTo(k.image.symbol("ptregscall_common"))).build());
    }
    k.image.add(k.image.asm("ptregscall_common", ENTRY)
        .step("RESTORE_TOP_OF_STACK %r11, 8 (the pt_regs lie above the return address save_rest "
            + "moved); reload r15..rbx from R15+8(%rsp)..RBX+8(%rsp)", x -> {
              long regs = x.sp() + 8;
              restoreTopOfStack(k, x, regs);
              restoreRest(k, x, regs);
            })
        .step("ret $REST_SKIP: back into system_call, over the rest part", x -> {
          long ret = x.pop();
          x.setSp(x.sp() + 48);
          x.ret(ret);
        }).build());
    k.image.add(k.image.asm("stub_execve", ENTRY)
        .step("popq %r11 (our return address: sys_execve goes back through the IRET path); "
            + "SAVE_REST; FIXUP_TOP_OF_STACK %r11", x -> {
              x.set("r11", x.pop());
              x.setSp(x.sp() - 48);
              saveRest(k, x, x.sp());
              fixupTopOfStack(k, x, x.sp());
            })
        .call("movq %rsp, %rcx; call sys_execve", "sys_execve",
            Args.of(x -> x.reg("rdi"), x -> x.reg("rsi"), x -> x.reg("rdx"), x -> x.sp()))
        .step("RESTORE_TOP_OF_STACK %r11; movq %rax, RAX(%rsp); RESTORE_REST", x -> {
          long regs = x.sp();
          restoreTopOfStack(k, x, regs);
          x.write(regs + k.image.off("pt_regs", "ax"), x.reg("rax"));
          restoreRest(k, x, regs);
          x.setSp(regs + 48);
        })
        .step("jmp int_ret_from_sys_call", x -> x.jumpTo(k.image.symbol("int_ret_from_sys_call"))).build());
  }

  private static void buildForkAndThreads(Kernel k) {
    k.image.add(k.image.asm("ret_from_fork", ENTRY)
        .step("LOCK; btr $TIF_FORK, TI_flags(%r8); push kernel_eflags(%rip); popf", x -> {
          long ti = x.reg("r8");
          x.write(ti + k.image.off("thread_info", "flags"), 4,
              x.read(ti + k.image.off("thread_info", "flags"), 4) & ~(1L << TIF_FORK));
          x.set("eflags", 0x2);
        })
        .call("call schedule_tail (rdi = prev)", "schedule_tail", Args.of(x -> x.reg("rdi")))
        .step("GET_THREAD_INFO(%rcx); RESTORE_REST: r15..rbx from pt_regs; rsp += 48", x -> {
          restoreRest(k, x, x.sp());
          x.setSp(x.sp() + 48);
        })
        .step("testl $3, CS-ARGOFFSET(%rsp); je int_ret_from_sys_call; jmp int_ret_from_sys_call "
            + "(either way: it cannot know which entry built these pt_regs)",
            x -> x.jumpTo(k.image.symbol("int_ret_from_sys_call"))).build());
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
              x.set("rdi", x.reg("rdx") | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED);
              x.set("rsi", -1);
              x.set("rdx", x.sp());
              x.set("r8", 0);
              x.set("r9", 0);
            })
        .call("call do_fork", "do_fork", Args.of(x -> x.reg("rdi"), x -> x.reg("rsi"), x -> x.reg("rdx"),
            x -> 0, x -> 0, x -> 0))
        .step("movq %rax, RAX(%rsp); xorl %edi, %edi; RESTORE_ALL; UNFAKE_STACK_FRAME", x -> {
          long regs = x.sp();
          x.write(regs + k.image.off("pt_regs", "ax"), x.reg("rax"));
          long rax = x.reg("rax");
          restoreArgs(k, x, regs, false);
          restoreRest(k, x, regs);
          x.set("rax", rax);
          x.setSp(regs + 168);
        })
        .step("ret", x -> x.ret(x.pop()));
    k.image.add(kt.build());
    k.image.add(k.image.asm("child_rip", ENTRY)
        .step("pushq $0: a fake return address", x -> x.push(0))
        .step("movq %rdi, %rax; movq %rsi, %rdi", x -> {
          x.set("rax", x.reg("rdi"));
          x.set("rdi", x.reg("rsi"));
        })
        .callVia("call *%rax: fn(arg)", x -> x.reg("rax"), Args.of(x -> x.reg("rdi")), null)
        .step("mov %eax, %edi", x -> x.set("rdi", x.reg("rax")))
        .call("call do_exit", "do_exit", Args.of(x -> x.reg("rdi")))
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
            Args.of(x -> x.reg("rdi"), x -> x.reg("rsi"), x -> x.reg("rdx"), x -> x.sp()))
        .step("movq %rax, RAX(%rsp); RESTORE_REST", x -> {
          x.write(x.sp() + k.image.off("pt_regs", "ax"), x.reg("rax"));
          restoreRest(k, x, x.sp());
          x.setSp(x.sp() + 48);
        })
        .branchIf("failed", "testq %rax, %rax; je int_ret_from_sys_call", x -> x.reg("rax") != 0)
        .step("jmp int_ret_from_sys_call: to user mode with the pt_regs exec wrote",
            x -> x.jumpTo(k.image.symbol("int_ret_from_sys_call")))
        .label("failed")
        .step("RESTORE_ARGS: r11..rdi back, addq $ARG_SKIP, %rsp; UNFAKE_STACK_FRAME: addq $8*6, "
            + "%rsp", x -> {
              restoreArgs(k, x, x.sp(), false);
              x.setSp(x.sp() + 120);
            })
        .step("ret", x -> x.ret(x.pop())).build());
  }
}
