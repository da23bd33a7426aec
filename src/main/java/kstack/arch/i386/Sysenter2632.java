package kstack.arch.i386;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;
import kstack.profile.Feature;

/**
 * 2.6.32's SYSENTER path: ia32_sysenter_target reads tss.sp0 through SYSENTER_ESP just past the
 * per-CPU init_tss and takes pt_regs->ip from thread_info->sysenter_return
 * (entry_32.S@2.6.32.67:391-466; vdso32-setup.c@2.6.32.67:226-242, 363).
 */
public final class Sysenter2632 implements I386SysenterModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildAfterBoot(Kernel k) {
    I386Sysenter.build(k);
  }

  @Override
  public String entrySymbol() {
    return "ia32_sysenter_target";
  }

  @Override
  public String landingPad() {
    return "VDSO32_SYSENTER_RETURN";
  }

  @Override
  public String vdsoSource() {
    return "arch/x86/vdso/vdso32/sysenter.S@2.6.32 (vDSO)";
  }

  @Override
  public String vdsoSaveEsp() {
    return "movl %esp, %ebp: the user stack, for the kernel";
  }

  @Override
  public String vdsoInt80Note() {
    return "the restart point, " + landingPad() + " - 2)";
  }

  @Override
  public String enableSepSource() {
    return "arch/x86/vdso/vdso32-setup.c";
  }

  @Override
  public String enableSepText() {
    return "tss->x86_tss.ss1 = __KERNEL_CS; tss->x86_tss.sp1 = sizeof(struct tss_struct) + "
        + "(unsigned long)tss; wrmsr(MSR_IA32_SYSENTER_CS, __KERNEL_CS); "
        + "wrmsr(MSR_IA32_SYSENTER_ESP, tss->x86_tss.sp1): just past this CPU's TSS";
  }

  @Override
  public boolean sysenterEspPastTss() {
    return true;
  }

  /** thread_info->sysenter_return = VDSO32_SYMBOL(addr, SYSENTER_RETURN) (vdso32-setup.c@2.6.32.67:363). */
  @Override
  public void setupAdditionalPages(Kernel k, kstack.exec.Exec x) {
    k.tasks.tiWrite(k.current(x), ThreadInfoMember.sysenter_return, k.image.symbol(landingPad()));
  }

  @Override
  public void buildSysenterEntry(Kernel k) {
    String entry = I386Entry2632.ENTRY;
    RoutineBuilder b = k.image.asm("ia32_sysenter_target", entry)
        .step("movl TSS_sysenter_sp0(%esp), %esp: SYSENTER_ESP is just past init_tss, so this "
            + "reads tss.x86_tss.sp0, the task's stack top", x -> x.setSp(
                x.read(x.sp() + Tss.sp0.off(k) - k.image.struct("tss_struct").size())))
        .globalLabel("sysenter_past_esp");
    I386Sysenter.frame(k, b, "pushl %ebp: pt_regs->sp, the user esp the vDSO left in ebp",
        "pushl (TI_sysenter_return-THREAD_SIZE+8+4*4)(%esp): pt_regs->ip = "
            + "thread_info->sysenter_return, found from the stack top (sp0 = top - 8)",
        x -> x.push(x.read(x.sp() + k.tasks.tiOff(ThreadInfoMember.sysenter_return) - k.threadSize + 8 + 16)), false);
    I386Entry.saveAll(k, b, false)
        .step("ENABLE_INTERRUPTS; cmpl $__PAGE_OFFSET-3, %ebp (a user address); movl (%ebp), %ebp: "
            + "the 6th argument, the user ebp the vDSO pushed; movl %ebp, PT_EBP(%esp)", x -> {
              k.arch.irqEnable(x);
              long v = x.read(x.reg(Regs.ebp));
              x.set(Regs.ebp, v);
              x.write(x.sp() + PtRegs.bp.off(k), v);
            })
        .step("GET_THREAD_INFO(%ebp); testl $_TIF_WORK_SYSCALL_ENTRY, TI_flags(%ebp) (no tracing); "
            + "cmpl $(nr_syscalls), %eax", x -> {
              x.setFp(x.sp() & -k.threadSize);
              I386Entry.entered(k, x);
            })
        .callVia("call *sys_call_table(,%eax,4): the saved bx, cx, dx... are the stack arguments",
            x -> k.image.sysCallTarget(x.reg(Regs.eax), "sys_ni_syscall"),
            Args.inPlace(), null)
        .globalLabel("sysenter_after_call")
        .step("movl %eax, PT_EAX(%esp)", x -> x.write(x.sp() + PtRegs.ax.off(k), x.retval()))
        .step("LOCKDEP_SYS_EXIT; DISABLE_INTERRUPTS; movl TI_flags(%ebp), %ecx",
            x -> k.arch.irqDisable(x))
        .branchIf("work", "testl $_TIF_ALLWORK_MASK, %ecx; jne sysexit_audit",
            x -> k.rq.needResched(k.current(x)))
        .globalLabel("sysenter_exit")
        .step("movl PT_EIP(%esp), %edx; movl PT_OLDESP(%esp), %ecx; xorl %ebp, %ebp", x -> {
          x.set(Regs.edx, x.read(x.sp() + PtRegs.ip.off(k)));
          x.set(Regs.ecx, x.read(x.sp() + PtRegs.sp.off(k)));
          x.setFp(0);
        })
        .step("mov PT_FS(%esp), %fs; PTGS_TO_GS", x -> I386Sysenter.restoreFsGs(k, x))
        .step("ENABLE_INTERRUPTS_SYSEXIT: sti; sysexit", x -> I386Sysenter.sysexit(k, x))
        .label("work")
        .step("sysexit_audit = syscall_exit_work (no audit): jmp work_pending",
            k.image.jump("work_pending"));
    k.image.add(b.build());
  }
}
