package kstack.arch.x86_64;

import java.util.Set;
import kstack.arch.x86.EntryCommon;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's entry_SYSCALL_64 (entry_64.S@4.16.13:206-237): the user rsp parked in the per-CPU
 * rsp_scratch, the stack top read from cpu_tss_rw.x86_tss.sp1, registers cleared as they are
 * pushed, the SYSRET test in assembly; do_syscall_64(regs) in arch/x86/entry/common.c calling
 * sys_call_table[nr] with the C arguments.
 */
public final class EntrySyscall64RspScratch416 extends EntrySyscall64 {
  enum L implements Local { nr, regs }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SYSCALL_SCRATCH_RSP_SCRATCH);
  }

  @Override
  boolean ptregsWrappers() {
    return false;
  }

  @Override
  String scratch() {
    return "rsp_scratch";
  }

  @Override
  String loadTopOfStack() {
    return "movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp (= cpu_tss_rw.x86_tss.sp1): "
        + "the top of current's stack";
  }

  @Override
  boolean clearsAsPushed() {
    return true;
  }

  @Override
  void callSetup(Kernel k, EntryFrame f, RoutineBuilder b) {
    b.step("movq %rsp, %rdi: do_syscall_64(regs)", x -> {
      x.set(Regs.rdi, x.sp());
      f.entered(x);
    });
  }

  /** do_syscall_64(struct pt_regs *regs): arch/x86/entry/common.c@4.16.13:269. */
  @Override
  Args doSyscallArgs() {
    return Args.of(x -> x.reg(Regs.rdi));
  }

  @Override
  void sysretOrIret(Kernel k, EntryFrame f, RoutineBuilder b) {
    b.branchIf("iret", "movq RCX(%rsp), %rcx; movq R11(%rsp), %r11; SYSRET allowed? rcx == rip, "
        + "canonical rip, cs == __USER_CS, r11 == flags, no RF/TF, ss == __USER_DS; else IRET",
        x -> {
          x.set(Regs.rcx, x.read(x.sp() + PtRegs.cx.off(k)));
          x.set(Regs.r11, x.read(x.sp() + PtRegs.r11.off(k)));
          return !f.sysretOk(x);
        });
  }

  @Override
  boolean skipsRcxR11Pops() {
    return true;
  }

  /** do_syscall_64 (arch/x86/entry/common.c@4.16.13:269-298) and sys_ni_syscall. */
  @Override
  void buildDoSyscall(Kernel k) {
    String src = "arch/x86/entry/common.c";
    // void do_syscall_64(struct pt_regs *regs): arch/x86/entry/common.c@4.16.13:269
    k.image.add(k.image.c("do_syscall_64", src).params(L.regs).locals(L.nr)
        .step("enter_from_user_mode(); local_irq_enable(); nr = regs->orig_ax", x -> {
          k.arch.irqEnable(x);
          x.set(L.nr, x.read(x.get(L.regs) + PtRegs.orig_ax.off(k)));
        })
        .callVia("regs->ax = sys_call_table[nr](regs->di, regs->si, regs->dx, regs->r10, "
            + "regs->r8, regs->r9)", x -> X86Entry.target(k, x.get(L.nr), "sys_ni_syscall"), Args.computed(x -> {
              long r = x.get(L.regs);
              return new long[] {x.read(r + PtRegs.di.off(k)), x.read(r + PtRegs.si.off(k)),
                  x.read(r + PtRegs.dx.off(k)), x.read(r + PtRegs.r10.off(k)),
                  x.read(r + PtRegs.r8.off(k)), x.read(r + PtRegs.r9.off(k))};
            }), null)
        .step("regs->ax = returned value", x -> x.write(x.get(L.regs) + PtRegs.ax.off(k),
            x.retval()))
        .call("syscall_return_slowpath(regs)", "syscall_return_slowpath",
            Args.of(x -> x.get(L.regs)))
        .retVoid().build());
    EntryCommon.buildSyscallReturnSlowpath(k);
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params()
        .ret("return -ENOSYS", x -> X86_64.ENOSYS).build());
  }
}
