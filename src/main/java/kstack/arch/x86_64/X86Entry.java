package kstack.arch.x86_64;

import kstack.arch.x86.EntryCommon;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * arch/x86/entry/entry_64.S and the C entry code (entry/common.c in 4.16, entry/syscall_64.c in
 * 6.19): the SYSCALL entry that builds pt_regs at the top of the task stack, the two ways back to
 * user mode (SYSRET and IRET through the per-CPU entry stack), the switch of stacks in
 * __switch_to_asm, and ret_from_fork. Page-table isolation is off (the "nopti" path): its CR3
 * switches change no stack byte. Sequences: docs/research/x86_64-call-chains.md §2, linux-facts §5.1.
 */
public final class X86Entry {
  enum L implements Local { nr, regs }

  private X86Entry() {}

  static final String ENTRY = "arch/x86/entry/entry_64.S";
  /** PUSH_AND_CLEAR_REGS push order after orig_ax (calling.h@4.16.13:100-143, @6.19:68-129). */
  static final String[] PUSH_ORDER = {"di", "si", "dx", "cx", "ax", "r8", "r9", "r10", "r11", "bx",
      "bp", "r12", "r13", "r14", "r15"};

  static String reg64(String ptRegsName) {
    return switch (ptRegsName) {
      case "di", "si", "dx", "cx", "ax", "bx", "bp" -> "r" + ptRegsName;
      default -> ptRegsName;
    };
  }

  /** A per-CPU variable as %gs-relative code reaches it: GS base plus the symbol. */
  static long gs(Kernel k, Exec x, String var) {
    return x.reg("gs_base") + k.image.symbol(var);
  }

  static long gsMacro(Kernel k, Exec x, String name) {
    return x.reg("gs_base") + X86Boot.perCpuMacro(k, name);
  }

  static void build(Kernel k) {
    buildSyscallEntry(k);
    buildDoSyscall(k);
    buildIretExit(k);
    X86SwitchEntry.buildSwitchToAsm(k);
    X86SwitchEntry.buildRetFromFork(k);
  }

  private static void buildSyscallEntry(Kernel k) {
    boolean v6 = k.profile.has(Feature.SYSCALL_SCRATCH_TSS_SP2);
    String scratch = v6 ? "cpu_tss_rw + TSS_sp2" : "rsp_scratch";
    RoutineBuilder b = k.image.asm("entry_SYSCALL_64", ENTRY)
        .step("swapgs: GS base <-> KERNEL_GS_BASE; %gs now reaches this CPU's per-CPU area", X86Entry::swapgs)
        .step("movq %rsp, PER_CPU_VAR(" + scratch + "): park the user rsp",
            x -> x.write(gsMacro(k, x, scratch), x.sp()))
        .step(v6 ? "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp: the top of current's stack"
                : "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp (= cpu_tss_rw.x86_tss.sp1): "
                    + "the top of current's stack",
            x -> x.setSp(x.read(gsMacro(k, x, "cpu_current_top_of_stack"))))
        .step("pushq $__USER_DS: pt_regs->ss", x -> x.push(X86_64.USER_DS))
        .step("pushq PER_CPU_VAR(" + scratch + "): pt_regs->sp, the user rsp",
            x -> x.push(x.read(gsMacro(k, x, scratch))))
        .step("pushq %r11: pt_regs->flags (the user rflags SYSCALL saved)", x -> x.push(x.reg("r11")))
        .step("pushq $__USER_CS: pt_regs->cs", x -> x.push(X86_64.USER_CS))
        .step("pushq %rcx: pt_regs->ip (the user rip SYSCALL saved)", x -> x.push(x.reg("rcx")))
        .globalLabel("entry_SYSCALL_64_after_hwframe")
        .step("pushq %rax: pt_regs->orig_ax, the system call number", x -> x.push(x.reg("rax")));
    for (String r : PUSH_ORDER) {
      String reg = reg64(r);
      boolean clears = !v6 && (r.startsWith("r") && !r.equals("r11") || r.equals("bx") || r.equals("bp"))
          || !v6 && r.equals("r11");
      if (r.equals("ax")) {
        b.step("pushq $-ENOSYS: pt_regs->ax (the result until the call returns)",
            x -> x.push(X86_64.ENOSYS));
      } else {
        String clr = clears ? "; xorl %" + reg + ", %" + reg : "";
        b.step("pushq %" + reg + ": pt_regs->" + r + clr, x -> {
          x.push(x.reg(reg));
          if (clears) {
            x.set(reg, 0);
          }
        });
      }
    }
    if (v6) {
      b.step("CLEAR_REGS: xor si, dx, cx, r8-r15, bx, bp (no user values linger)", x -> {
        for (String r : new String[] {"rsi", "rdx", "rcx", "r8", "r9", "r10", "r11", "rbx", "rbp",
            "r12", "r13", "r14", "r15"}) {
          x.set(r, 0);
        }
      });
      b.step("movq %rsp, %rdi; movslq %eax, %rsi: do_syscall_64(regs, nr)", x -> {
        x.set("rdi", x.sp());
        x.set("rsi", (long) (int) x.reg("rax"));
        entered(k, x);
      });
    } else {
      b.step("movq %rsp, %rdi: do_syscall_64(regs)", x -> {
        x.set("rdi", x.sp());
        entered(k, x);
      });
    }
    b.call("call do_syscall_64", "do_syscall_64",
        Args.of(x -> x.reg("rdi"), x -> x.reg("rsi")).unchecked());
    if (v6) {
      b.branchIf("iret", "testb %al, %al; jz swapgs_restore_regs_and_return_to_usermode",
          x -> (x.retval() & 0xff) == 0);
    } else {
      b.branchIf("iret", "movq RCX(%rsp), %rcx; movq R11(%rsp), %r11; SYSRET allowed? rcx == rip, "
          + "canonical rip, cs == __USER_CS, r11 == flags, no RF/TF, ss == __USER_DS; else IRET",
          x -> {
            x.set("rcx", x.read(x.sp() + k.image.off("pt_regs", "cx")));
            x.set("r11", x.read(x.sp() + k.image.off("pt_regs", "r11")));
            return !sysretOk(k, x);
          });
    }
    b.globalLabel("syscall_return_via_sysret");
    String[] pops = {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax",
        "rcx", "rdx", "rsi"};
    for (String r : pops) {
      boolean skip = !v6 && (r.equals("r11") || r.equals("rcx"));
      if (skip) {
        b.step("popq %rsi: skip pt_regs->" + r.substring(1) + " (SYSRET takes " + r
            + " from the register already)", x -> x.set("rsi", x.pop()));
      } else {
        b.step("popq %" + r, x -> x.set(r, x.pop()));
      }
    }
    b.step("movq %rsp, %rdi; movq PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp: onto the entry stack; "
        + "the task stack is empty again", x -> toEntryStack(k, x))
        .step("pushq RSP-RDI(%rdi): the user rsp; pushq (%rdi): the user rdi", x -> {
          long rdi = x.reg("rdi");
          x.push(x.read(rdi + 40));
          x.push(x.read(rdi));
        })
        .step("SWITCH_TO_USER_CR3_STACK (no PTI: nothing); popq %rdi; popq %rsp", x -> {
          x.set("rdi", x.pop());
          x.setSp(x.pop());
        })
        .step("swapgs; sysretq: rip = rcx, rflags = r11, cs = __USER_CS, ss = __USER_DS", x -> {
          swapgs(x);
          x.set("eflags", x.reg("r11"));
          x.set("cs", X86_64.USER_CS);
          x.set("ss", X86_64.USER_DS);
          exited(k, x);
          x.jumpTo(x.reg("rcx"));
        })
        .label("iret")
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            x -> x.jumpTo(k.image.symbol("swapgs_restore_regs_and_return_to_usermode")));
    k.image.add(b.build());
  }

  static void swapgs(Exec x) {
    long gs = x.reg("gs_base");
    x.set("gs_base", x.reg("k_gs_base"));
    x.set("k_gs_base", gs);
  }

  private static void entered(Kernel k, Exec x) {
    long regs = x.sp();
    long nr = x.read(regs + k.image.off("pt_regs", "orig_ax"));
    long task = k.current(x.cpu().id());
    k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(task), EntryCommon.syscallName(k, nr), nr,
        x.read(regs + k.image.off("pt_regs", "sp")), regs));
  }

  private static void exited(Kernel k, Exec x) {
    long task = k.current(x.cpu().id());
    long regs = k.arch.taskPtRegs(k, task);
    long nr = k.mem.read64(regs + k.image.off("pt_regs", "orig_ax"));
    if (nr < 0) {
      k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.IRETQ));
      return;
    }
    if (k.mem.read64(regs + k.image.off("pt_regs", "ip")) == k.image.symbol("_start")) {
      k.timeline.emit(new Event.ExecStart(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
      return;
    }
    k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task), EntryCommon.syscallName(k, nr),
        x.reg("rax")));
  }

  /** The invariant of every return to user mode: nothing of the kernel is left below pt_regs. */
  private static void toEntryStack(Kernel k, Exec x) {
    long task = k.current(x.cpu().id());
    long di = k.arch.taskPtRegs(k, task) + k.image.off("pt_regs", "di");
    if (x.sp() != di) {
      throw new IllegalStateException(String.format(
          "kernel stack not empty on return to user: rsp 0x%x, expected 0x%x", x.sp(), di));
    }
    x.set("rdi", x.sp());
    x.setSp(x.read(gs(k, x, "cpu_tss_rw") + k.image.offPath("tss_struct", "x86_tss.sp0")));
  }

  private static boolean sysretOk(Kernel k, Exec x) {
    long regs = k.arch.taskPtRegs(k, k.current(x.cpu().id()));
    long ip = x.read(regs + k.image.off("pt_regs", "ip"));
    long cx = x.read(regs + k.image.off("pt_regs", "cx"));
    long r11 = x.read(regs + k.image.off("pt_regs", "r11"));
    long flags = x.read(regs + k.image.off("pt_regs", "flags"));
    long cs = x.read(regs + k.image.off("pt_regs", "cs"));
    long ss = x.read(regs + k.image.off("pt_regs", "ss"));
    boolean canonical = (ip >> 47) == 0;
    return ip == cx && canonical && cs == X86_64.USER_CS && r11 == flags
        && (flags & 0x10100) == 0 && ss == X86_64.USER_DS;
  }

  private static void buildDoSyscall(Kernel k) {
    boolean v6 = k.profile.has(Feature.SYSCALL_NR_ARG_AND_BOOL);
    if (v6) {
      String src = "arch/x86/entry/syscall_64.c";
      k.image.add(k.image.c("do_syscall_64", src).params(L.regs, L.nr)
          .step("add_random_kstack_offset() (RANDOMIZE_KSTACK_OFFSET not modelled: offset 0); "
              + "nr = syscall_enter_from_user_mode(regs, nr) [inline]: local_irq_enable()",
              x -> k.arch.irqEnable(x))
          .call("do_syscall_x64(regs, nr) [inline]: regs->ax = x64_sys_call(regs, "
              + "array_index_nospec(nr))", "x64_sys_call", Args.of(x -> x.get(L.regs), x -> x.get(L.nr)))
          .step("regs->ax = returned value", x -> x.write(x.get(L.regs) + k.image.off("pt_regs", "ax"),
              x.retval()))
          .branchIf("nowork", "syscall_exit_to_user_mode(regs) [inline]: "
              + "local_irq_disable_exit_to_user(); work pending?", x -> {
                k.arch.irqDisable(x);
                return !k.rq.needResched(k.current(x));
              })
          .call("exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
              Args.of(x -> x.get(L.regs), x -> 0))
          .label("nowork")
          .ret("return SYSRET allowed (cx == ip, r11 == flags, user cs/ss, canonical ip, no RF/TF)",
              x -> sysretOk(k, x) ? 1 : 0).build());
      // syscall_64.c@6.19:12-13,31-38: the table's noreturn entries (syscall_64.tbl: exit,
      // exit_group) are declared __noreturn, so gcc calls them; every other case is
      // "return __x64_sys_NAME(regs)" with nothing left to do: a sibling call (Feature.SIBLING_CALLS)
      RoutineBuilder sc = k.image.c("x64_sys_call", src).params(L.regs, L.nr)
          .branchIf("noreturn", "switch (nr): is case nr a __noreturn entry (exit, exit_group)?",
              x -> NORETURN.contains(EntryCommon.syscallName(k, x.get(L.nr))));
      if (k.profile.has(Feature.SIBLING_CALLS)) {
        sc.tailCallVia("case N: return __x64_sys_NAME(regs): a sibling call (gcc -O2): leave; jmp "
                + "__x64_sys_NAME. No frame of x64_sys_call stays: the callee returns to "
                + "do_syscall_64", x -> target(k, x.get(L.nr)), Args.of(x -> x.get(L.regs)));
      } else {
        sc.callVia("case N: return __x64_sys_NAME(regs)", x -> target(k, x.get(L.nr)),
            Args.of(x -> x.get(L.regs)), null).ret("return ret", Exec::retval);
      }
      k.image.add(sc.label("noreturn")
          .callVia("case N: __x64_sys_NAME(regs) is __noreturn: call (never a sibling call), the "
              + "frame of x64_sys_call stays", x -> target(k, x.get(L.nr)),
              Args.of(x -> x.get(L.regs)), null)
          .step("__builtin_unreachable()", x -> {
            throw new IllegalStateException("a __noreturn system call returned");
          }).build());
      k.image.add(k.image.c("__x64_sys_ni_syscall", "kernel/sys_ni.c").params(L.regs)
          .ret("return -ENOSYS", x -> X86_64.ENOSYS).build());
    } else {
      String src = "arch/x86/entry/common.c";
      k.image.add(k.image.c("do_syscall_64", src).params(L.regs).locals(L.nr)
          .step("enter_from_user_mode(); local_irq_enable(); nr = regs->orig_ax", x -> {
            k.arch.irqEnable(x);
            x.set(L.nr, x.read(x.get(L.regs) + k.image.off("pt_regs", "orig_ax")));
          })
          .callVia("regs->ax = sys_call_table[nr](regs->di, regs->si, regs->dx, regs->r10, "
              + "regs->r8, regs->r9)", x -> target(k, x.get(L.nr)), Args.computed(x -> {
                long r = x.get(L.regs);
                return new long[] {x.read(r + k.image.off("pt_regs", "di")), x.read(r + k.image.off("pt_regs", "si")),
                    x.read(r + k.image.off("pt_regs", "dx")), x.read(r + k.image.off("pt_regs", "r10")),
                    x.read(r + k.image.off("pt_regs", "r8")), x.read(r + k.image.off("pt_regs", "r9"))};
              }), null)
          .step("regs->ax = returned value", x -> x.write(x.get(L.regs) + k.image.off("pt_regs", "ax"),
              x.retval()))
          .call("syscall_return_slowpath(regs)", "syscall_return_slowpath",
              Args.of(x -> x.get(L.regs)))
          .retVoid().build());
      EntryCommon.buildSyscallReturnSlowpath(k);
      k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params()
          .ret("return -ENOSYS", x -> X86_64.ENOSYS).build());
    }
  }

  /** The system calls syscall_64.tbl@6.19 marks noreturn. */
  private static final java.util.Set<String> NORETURN = java.util.Set.of("exit", "exit_group");

  private static long target(Kernel k, long nr) {
    String s = k.image.sysCallTable.get((int) nr);
    if (s == null) {
      s = k.profile.has(Feature.SYSCALL_PTREGS_WRAPPERS) ? "__x64_sys_ni_syscall" : "sys_ni_syscall";
    }
    return k.image.symbol(s);
  }

  private static void buildIretExit(Kernel k) {
    RoutineBuilder b = k.image.asm("swapgs_restore_regs_and_return_to_usermode", ENTRY);
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
        "r8", "rax", "rcx", "rdx", "rsi"}) {
      b.step("popq %" + r + " (POP_REGS pop_rdi=0)", x -> x.set(r, x.pop()));
    }
    k.image.add(b.step("movq %rsp, %rdi; movq PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp: onto the entry "
            + "stack; the task stack is empty again", x -> toEntryStack(k, x))
        .step("pushq ss, rsp, eflags, cs, rip from 6*8(%rdi) .. 2*8(%rdi): the IRET frame", x -> {
          long rdi = x.reg("rdi");
          for (int i = 6; i >= 2; i--) {
            x.push(x.read(rdi + 8L * i));
          }
        })
        .step("pushq (%rdi): the user rdi; SWITCH_TO_USER_CR3_STACK (no PTI); popq %rdi", x -> {
          x.push(x.read(x.reg("rdi")));
          x.set("rdi", x.pop());
        })
        .step("swapgs", X86Entry::swapgs)
        .step("iretq: pop rip, cs, rflags, rsp, ss: back in user mode", x -> {
          X86Irq.iret(x);
          exited(k, x);
        }).build());
  }
}
