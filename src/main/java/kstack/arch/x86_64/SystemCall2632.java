package kstack.arch.x86_64;

import static kstack.arch.x86_64.PartialFrame2632.*;

import java.util.Map;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * arch/x86/kernel/entry_64.S at 2.6.32 (docs/research/i386-and-2.x.md §7.2-7.5): system_call saves
 * only the argument registers (SAVE_ARGS) below kernel_stack = top - 40, so the first C frame
 * overlaps the unsaved part of pt_regs; the stub_ paths complete the frame (save_rest,
 * FIXUP_TOP_OF_STACK); ret_from_fork leaves through int_ret_from_sys_call's IRET; kernel_thread
 * forges a full pt_regs on the caller's stack for child_rip; kernel_execve does the same for pid 1.
 */
public final class SystemCall2632 implements SyscallEntry64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.FORK_PASSES_REGS);
  }

  /** sys_ni_syscall links after the arch code; the pt_regs calls enter through their stubs. */
  @Override
  public void buildLast(Kernel k) {
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params().ret("return -ENOSYS", x -> X86_64.ENOSYS)
        .build());
    Map<String, Integer> nr = k.arch.syscallNumbers();
    for (String n : new String[] {"fork", "clone", "execve"}) {
      k.image.sysCallTable.put(nr.get(n), "stub_" + n);
    }
  }

  /** No HAVE_SYSCALL_WRAPPERS on x86 2.6.32 (syscalls.h@2.6.32:297-318). */
  @Override
  public String syscallSymbol(String name, int nargs) {
    return "sys_" + name;
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return k.image.c(syscallSymbol(name, params.length), source).params(params);
  }

  /** 2.6.32 has no finit_module (3.8): unistd_64.h@2.6.32.67:404-405. */
  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    numbers.put("init_module", 175);
  }

  @Override
  public void build(Kernel k) {
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
              x.write(regs + PtRegs.orig_ax.off(k), x.reg(Regs.rax));
              x.write(regs + PtRegs.ip.off(k), x.reg(Regs.rcx));
              k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(k.current(x)),
                  k.syscallName(x.reg(Regs.rax)), x.reg(Regs.rax), x.read(gs(k, x, "old_rsp")),
                  regs));
            })
        .step("GET_THREAD_INFO(%rcx); testl $_TIF_WORK_SYSCALL_ENTRY, TI_flags(%rcx) (no tracing)",
            x -> x.set(Regs.rcx, threadInfo(k, x)))
        .globalLabel("system_call_fastpath")
        .step("cmpq $__NR_syscall_max, %rax; ja badsys; movq %r10, %rcx", x -> x.set(Regs.rcx, x.reg(Regs.r10)))
        .callVia("call *sys_call_table(,%rax,8): its return address lands in the pt_regs->bx slot",
            x -> target(k, x.reg(Regs.rax)),
            Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi), x -> x.reg(Regs.rdx), x -> x.reg(Regs.rcx), x -> x.reg(Regs.r8),
                x -> x.reg(Regs.r9)), null)
        .step("movq %rax, RAX-ARGOFFSET(%rsp)",
            x -> x.write(x.sp() - ARGOFFSET + PtRegs.ax.off(k), x.reg(Regs.rax)))
        .globalLabel("ret_from_sys_call")
        .step("movl $_TIF_ALLWORK_MASK, %edi", x -> { })
        .globalLabel("sysret_check")
        .step("GET_THREAD_INFO(%rcx); DISABLE_INTERRUPTS; movl TI_flags(%rcx), %edx", x -> {
          x.set(Regs.rcx, threadInfo(k, x));
          k.arch.irqDisable(x);
        })
        .branchIf("careful", "andl %edi, %edx; jnz sysret_careful", x -> k.rq.needResched(k.current(x)))
        .step("movq RIP-ARGOFFSET(%rsp), %rcx; RESTORE_ARGS 0,-ARG_SKIP,1 (all but rcx)", x -> {
          long regs = x.sp() - ARGOFFSET;
          x.set(Regs.rcx, x.read(regs + PtRegs.ip.off(k)));
          restoreArgs(k, x, regs, true);
        })
        .step("movq PER_CPU_VAR(old_rsp), %rsp; USERGS_SYSRET64: swapgs; sysretq (rip = rcx, "
            + "rflags = r11)", x -> {
              long regs = x.sp() - ARGOFFSET;
              x.setSp(x.read(gs(k, x, "old_rsp")));
              X86Entry.swapgs(x);
              x.set(Regs.eflags, x.reg(Regs.r11) | 0x2);
              x.set(Regs.cs, X86_64.USER_CS);
              x.set(Regs.ss, X86_64.USER_DS);
              long task = k.current(x);
              long nr = x.read(regs + PtRegs.orig_ax.off(k));
              k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task),
                  k.syscallName(nr), x.reg(Regs.rax)));
              x.jumpTo(x.reg(Regs.rcx));
            })
        .label("careful")
        .globalLabel("sysret_careful")
        .step("bt $TIF_NEED_RESCHED, %edx (no signals modelled); ENABLE_INTERRUPTS; pushq %rdi",
            x -> {
              k.arch.irqEnable(x);
              x.push(x.reg(Regs.rdi));
            })
        .call("call schedule", "schedule", Args.inPlace())
        .step("popq %rdi", x -> x.set(Regs.rdi, x.pop()))
        .jump("sysret_check_again", "jmp sysret_check")
        .label("sysret_check_again")
        .step("(sysret_check)", k.image.jump("sysret_check"));
    k.image.add(b.build());
    buildIretPath(k);
    buildStubs(k);
    ForgedPtRegs2632.build(k);
  }

  private static long target(Kernel k, long nr) {
    return k.image.sysCallTarget(nr, "sys_ni_syscall");
  }

  /** int_ret_from_sys_call and the interrupt return tail (entry_64.S@2.6.32:617-681, 846-865). */
  private static void buildIretPath(Kernel k) {
    k.image.add(k.image.asm("int_ret_from_sys_call", ENTRY)
        .step("DISABLE_INTERRUPTS", x -> k.arch.irqDisable(x))
        .branchIf("kernel", "testl $3, CS-ARGOFFSET(%rsp); je retint_restore_args",
            x -> (x.read(x.sp() - ARGOFFSET + PtRegs.cs.off(k)) & 3) == 0)
        .step("movl $_TIF_ALLWORK_MASK, %edi", x -> { })
        .label("check")
        .step("int_with_check: GET_THREAD_INFO(%rcx); movl TI_flags(%rcx), %edx",
            x -> x.set(Regs.rcx, threadInfo(k, x)))
        .branchIf("swapgs", "andl %edi, %edx; jnz int_careful", x -> !k.rq.needResched(k.current(x)))
        .step("int_careful: bt $TIF_NEED_RESCHED; ENABLE_INTERRUPTS; pushq %rdi", x -> {
          k.arch.irqEnable(x);
          x.push(x.reg(Regs.rdi));
        })
        .call("call schedule", "schedule", Args.inPlace())
        .step("popq %rdi; DISABLE_INTERRUPTS", x -> {
          x.set(Regs.rdi, x.pop());
          k.arch.irqDisable(x);
        })
        .jump("check", "jmp int_with_check")
        .label("swapgs")
        .step("andl $~TS_COMPAT, TI_status(%rcx); jmp retint_swapgs",
            k.image.jump("retint_swapgs"))
        .label("kernel")
        .step("jmp retint_restore_args", k.image.jump("retint_restore_args")).build());
    k.image.add(k.image.asm("retint_swapgs", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_IRETQ; SWAPGS", X86Entry::swapgs)
        .step("jmp restore_args", k.image.jump("restore_args")).build());
    k.image.add(k.image.asm("retint_restore_args", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_IRETQ", x -> k.arch.irqDisable(x))
        .globalLabel("restore_args")
        .step("RESTORE_ARGS 0,8,0: r11..rdi back; addq $ARG_SKIP+8, %rsp: past them and orig_ax",
            x -> {
          long regs = x.sp() - ARGOFFSET;
          restoreArgs(k, x, regs, false);
          x.setSp(regs + PtRegs.ip.off(k));
        })
        .globalLabel("irq_return")
        .step("INTERRUPT_RETURN: jmp native_iret: (SS is not from the LDT: no espfix) "
            + "native_irq_return_iret: iretq", x -> iret(k, x)).build());
  }

  /** stub_fork, stub_clone, save_rest, ptregscall_common, stub_execve (entry_64.S@2.6.32:345-733). */
  private static void buildStubs(Kernel k) {
    k.image.add(k.image.asm("save_rest", ENTRY)
        .step("movq 5*8+16(%rsp), %r11: system_call's return address (in the rbx slot); store rbx, "
            + "rbp, r12-r15 into pt_regs; movq %r11, 8(%rsp): the return address just below "
            + "pt_regs; FIXUP_TOP_OF_STACK %r11, 16", x -> {
              long regs = x.sp() + 16;
              x.set(Regs.r11, x.read(x.sp() + 56));
              saveRest(k, x, regs);
              x.write(x.sp() + 8, x.reg(Regs.r11));
              fixupTopOfStack(k, x, regs);
            })
        .step("ret", x -> x.ret(x.pop())).build());
    String[][] calls = {{"stub_fork", "sys_fork", "rdi"}, {"stub_clone", "sys_clone", "r8"}};
    for (String[] c : calls) {
      int into = Regs.of(c[2]);
      k.image.add(k.image.asm(c[0], ENTRY)
          .step("PTREGSCALL: subq $REST_SKIP, %rsp", x -> x.setSp(x.sp() - 48))
          .call("call save_rest", "save_rest", Args.inPlace())
          .step("leaq 8(%rsp), %" + c[2] + ": the complete pt_regs", x -> x.set(into, x.sp() + 8))
          .callVia("call " + c[1], x -> k.image.symbol(c[1]), Args.of(x -> x.reg(Regs.rdi),
              x -> x.reg(Regs.rsi), x -> x.reg(Regs.rdx), x -> x.reg(Regs.rcx), x -> x.reg(Regs.r8)), null)
          .step("jmp ptregscall_common", k.image.jump("ptregscall_common")).build());
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
              x.set(Regs.r11, x.pop());
              x.setSp(x.sp() - 48);
              saveRest(k, x, x.sp());
              fixupTopOfStack(k, x, x.sp());
            })
        .call("movq %rsp, %rcx; call sys_execve", "sys_execve",
            Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi), x -> x.reg(Regs.rdx), x -> x.sp()))
        .step("RESTORE_TOP_OF_STACK %r11; movq %rax, RAX(%rsp); RESTORE_REST", x -> {
          long regs = x.sp();
          restoreTopOfStack(k, x, regs);
          x.write(regs + PtRegs.ax.off(k), x.reg(Regs.rax));
          restoreRest(k, x, regs);
          x.setSp(regs + 48);
        })
        .step("jmp int_ret_from_sys_call", k.image.jump("int_ret_from_sys_call")).build());
  }
}
