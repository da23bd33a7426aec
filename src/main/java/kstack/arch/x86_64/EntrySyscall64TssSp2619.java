package kstack.arch.x86_64;

import java.util.Map;
import java.util.Set;
import kstack.arch.x86.EntryCommon;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's entry_SYSCALL_64 (entry_64.S@6.19:88-160): the user rsp parked in cpu_tss_rw's sp2,
 * PUSH_REGS then CLEAR_REGS, do_syscall_64(regs, nr) in arch/x86/entry/syscall_64.c returning
 * whether SYSRET may be used, x64_sys_call dispatching to the __x64_sys_ pt_regs wrappers (a
 * sibling call, Feature.SIBLING_CALLS); clone3 in the table (5.3+).
 */
public final class EntrySyscall64TssSp2619 extends EntrySyscall64 {
  enum L implements Local { nr, regs }

  /** The system calls syscall_64.tbl@6.19 marks noreturn. */
  private static final Set<String> NORETURN = Set.of("exit", "exit_group");

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SYSCALL_SCRATCH_TSS_SP2, Feature.SYSCALL_NR_ARG_AND_BOOL,
        Feature.SYSCALL_PTREGS_WRAPPERS, Feature.SIBLING_CALLS);
  }

  @Override
  boolean ptregsWrappers() {
    return true;
  }

  @Override
  String scratch() {
    return "cpu_tss_rw + TSS_sp2";
  }

  @Override
  String loadTopOfStack() {
    return "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp: the top of current's stack";
  }

  @Override
  boolean clearsAsPushed() {
    return false;
  }

  @Override
  void callSetup(Kernel k, EntryFrame f, RoutineBuilder b) {
    int[] cleared = java.util.Arrays.stream(new String[] {"rsi", "rdx", "rcx", "r8", "r9", "r10",
        "r11", "rbx", "rbp", "r12", "r13", "r14", "r15"}).mapToInt(k.arch.registers()::of).toArray();
    b.step("CLEAR_REGS: xor si, dx, cx, r8-r15, bx, bp (no user values linger)", x -> {
      for (int r : cleared) {
        x.set(r, 0);
      }
    });
    b.step("movq %rsp, %rdi; movslq %eax, %rsi: do_syscall_64(regs, nr)", x -> {
      x.set(Regs.rdi, x.sp());
      x.set(Regs.rsi, (long) (int) x.reg(Regs.rax));
      f.entered(x);
    });
  }

  /** bool do_syscall_64(struct pt_regs *regs, int nr): arch/x86/entry/syscall_64.c@6.19:87. */
  @Override
  Args doSyscallArgs() {
    return Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi));
  }

  @Override
  void sysretOrIret(Kernel k, EntryFrame f, RoutineBuilder b) {
    b.branchIf("iret", "testb %al, %al; jz swapgs_restore_regs_and_return_to_usermode",
        x -> (x.retval() & 0xff) == 0);
  }

  @Override
  boolean skipsRcxR11Pops() {
    return false;
  }

  /**
   * do_syscall_64 and x64_sys_call (syscall_64.c@6.19). The table's noreturn entries
   * (syscall_64.tbl: exit, exit_group) are declared __noreturn, so gcc calls them
   * (syscall_64.c@6.19:12-13,31-38); every other case is "return __x64_sys_NAME(regs)" with nothing
   * left to do: a sibling call.
   */
  @Override
  void buildDoSyscall(Kernel k) {
    String src = "arch/x86/entry/syscall_64.c";
    EntryFrame f = new EntryFrame(k);
    int ax = PtRegs.ax.off(k);
    java.util.Map<String, Integer> numbers = k.arch.syscallNumbers();
    long[] noreturn = NORETURN.stream().filter(numbers::containsKey).mapToLong(numbers::get).toArray();
    // bool do_syscall_64(struct pt_regs *regs, int nr): arch/x86/entry/syscall_64.c@6.19:87
    k.image.add(k.image.c("do_syscall_64", src).params(L.regs, L.nr)
        .step("add_random_kstack_offset() (RANDOMIZE_KSTACK_OFFSET not modelled: offset 0); "
            + "nr = syscall_enter_from_user_mode(regs, nr) [inline]: local_irq_enable()",
            x -> k.arch.irqEnable(x))
        .call("do_syscall_x64(regs, nr) [inline]: regs->ax = x64_sys_call(regs, "
            + "array_index_nospec(nr))", "x64_sys_call", Args.of(x -> x.get(L.regs), x -> x.get(L.nr)))
        .step("regs->ax = returned value", x -> x.write(x.get(L.regs) + ax,
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
            x -> f.sysretOk(x) ? 1 : 0).build());
    k.image.add(k.image.c("x64_sys_call", src).params(L.regs, L.nr)
        .branchIf("noreturn", "switch (nr): is case nr a __noreturn entry (exit, exit_group)?",
            x -> isNoreturn(noreturn, x.get(L.nr)))
        .tailCallVia("case N: return __x64_sys_NAME(regs): a sibling call (gcc -O2): leave; jmp "
                + "__x64_sys_NAME. No frame of x64_sys_call stays: the callee returns to "
                + "do_syscall_64", x -> target(k, x), Args.of(x -> x.get(L.regs)))
        .label("noreturn")
        .callVia("case N: __x64_sys_NAME(regs) is __noreturn: call (never a sibling call), the "
            + "frame of x64_sys_call stays", x -> target(k, x),
            Args.of(x -> x.get(L.regs)), null)
        .step("__builtin_unreachable()", x -> {
          throw new IllegalStateException("a __noreturn system call returned");
        }).build());
    k.image.add(k.image.c("__x64_sys_ni_syscall", "kernel/sys_ni.c").params(L.regs)
        .ret("return -ENOSYS", x -> X86_64.ENOSYS).build());
  }

  /** Whether nr is one of the table's noreturn entries (numbered when the routine is built). */
  private static boolean isNoreturn(long[] noreturn, long nr) {
    for (long n : noreturn) {
      if (n == nr) {
        return true;
      }
    }
    return false;
  }

  private static long target(Kernel k, Exec x) {
    return X86Entry.target(k, x.get(L.nr), "__x64_sys_ni_syscall");
  }

  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    super.addNumbers(numbers);
    numbers.put("clone3", 435); // 5.3+
  }
}
