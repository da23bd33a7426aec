package kstack.arch.i386;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.11's SYSENTER path: sysenter_entry, SYSENTER_ESP = tss->esp1 just past init_tss, the
 * vsyscall page's constant SYSENTER_RETURN (entry.S@2.6.11:196-237, sysenter.c@2.6.11:24-65,
 * vsyscall-sysenter.S@2.6.11:14-41).
 */
public final class Sysenter2611 implements I386SysenterModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SYSENTER_2611);
  }

  @Override
  public void buildAfterBoot(Kernel k) {
    I386Sysenter.build(k);
  }

  @Override
  public String entrySymbol() {
    return "sysenter_entry";
  }

  @Override
  public String landingPad() {
    return "SYSENTER_RETURN"; // vsyscall-sysenter.S@2.6.11:32-34
  }

  @Override
  public String vdsoSource() {
    return "arch/i386/kernel/vsyscall-sysenter.S@2.6.11:14-41 (vsyscall page)";
  }

  @Override
  public String vdsoSaveEsp() {
    return "movl %esp, %ebp: the user stack, for the kernel";
  }

  /** Not asked: 2.6.11's restart point re-enters through sysenter (I386Sysenter.buildVdso). */
  @Override
  public String vdsoInt80Note() {
    return null;
  }

  @Override
  public String enableSepSource() {
    return "arch/i386/kernel/sysenter.c@2.6.11:24-35";
  }

  @Override
  public String enableSepText() {
    return "cpu = get_cpu(); tss = &per_cpu(init_tss, cpu); tss->ss1 = __KERNEL_CS; "
        + "tss->esp1 = sizeof(struct tss_struct) + (unsigned long)tss; "
        + "wrmsr(MSR_IA32_SYSENTER_CS, __KERNEL_CS); wrmsr(MSR_IA32_SYSENTER_ESP, tss->esp1): "
        + "just past this CPU's TSS";
  }

  @Override
  public String enableSepEnd() {
    return "; put_cpu()";
  }

  @Override
  public boolean sysenterEspPastTss() {
    return true;
  }

  /**
   * sysenter_entry (entry.S@2.6.11:196-237): sti comes before the pushes, so pushfl saves IF set;
   * pt_regs->eip is the constant $SYSENTER_RETURN (the vsyscall page sits at a fixed address);
   * the 6th argument is loaded into %ebp before pushl %eax and SAVE_ALL, so SAVE_ALL saves it.
   */
  @Override
  public void buildSysenterEntry(Kernel k) {
    RoutineBuilder b = k.image.asm("sysenter_entry", I386Entry2611.ENTRY + "@2.6.11:196-237")
        .step("movl TSS_sysenter_esp0(%esp), %esp: SYSENTER_ESP = tss->esp1 is just past init_tss, "
            + "so this reads tss->esp0, the task's stack top", x -> x.setSp(
                x.read(x.sp() + Tss.sp0.off(k) - k.image.struct("tss_struct").size())))
        .globalLabel("sysenter_past_esp")
        .step("sti", x -> k.arch.irqEnable(x))
        .step("pushl $(__USER_DS): pt_regs->xss", x -> x.push(I386.USER_DS))
        .step("pushl %ebp: pt_regs->esp, the user esp the vsyscall page left in ebp",
            x -> x.push(x.reg(Regs.ebp)))
        .step("pushfl: pt_regs->eflags, IF already set by the sti", x -> x.push(x.reg(Regs.eflags)))
        .step("pushl $(__USER_CS): pt_regs->xcs", x -> x.push(I386.USER_CS))
        .step("pushl $SYSENTER_RETURN: pt_regs->eip", x -> x.push(k.image.symbol(landingPad())))
        .step("cmpl $__PAGE_OFFSET-3, %ebp; jae syscall_fault (a user address); movl (%ebp), %ebp: "
            + "the 6th argument, the user ebp the vsyscall page pushed",
            x -> x.set(Regs.ebp, x.read(x.reg(Regs.ebp))))
        .step("pushl %eax: pt_regs->orig_eax, the system call number", x -> x.push(x.reg(Regs.eax)));
    SaveAll60.saveAll(b, "__USER_DS", I386.USER_DS)
        .step("GET_THREAD_INFO(%ebp); testb $(_TIF_SYSCALL_TRACE|_TIF_SYSCALL_AUDIT), TI_flags(%ebp) "
            + "(no tracing); cmpl $(nr_syscalls), %eax", x -> {
              ThreadInfoEntry.getThreadInfo(k, x);
              I386Entry.entered(k, x);
            })
        .callVia("call *sys_call_table(,%eax,4): the saved ebx, ecx, edx... are the stack arguments",
            x -> k.image.sysCallTarget(x.reg(Regs.eax), "sys_ni_syscall"),
            Args.inPlace(), null)
        .step("movl %eax, EAX(%esp)", x -> x.write(x.sp() + PtRegs.ax.off(k), x.retval()))
        .step("cli; movl TI_flags(%ebp), %ecx", x -> ThreadInfoEntry.loadFlags(k, x))
        .step("testw $_TIF_ALLWORK_MASK, %cx; jne syscall_exit_work: system_call's, which leaves "
            + "by iret (TIF_IRET asks for exactly that)", x -> {
              if ((x.reg(Regs.ecx) & I386Entry2611.ALLWORK_MASK) != 0) {
                x.jumpTo(k.image.symbol("syscall_exit_work"));
              }
            })
        .step("movl EIP(%esp), %edx; movl OLDESP(%esp), %ecx; xorl %ebp, %ebp", x -> {
          x.set(Regs.edx, x.read(x.sp() + PtRegs.ip.off(k)));
          x.set(Regs.ecx, x.read(x.sp() + PtRegs.sp.off(k)));
          x.setFp(0);
        })
        .step("sti; sysexit", x -> I386Sysenter.sysexit(k, x));
    k.image.add(b.build());
    k.image.add(k.image.c("sysenter_setup", "arch/i386/kernel/sysenter.c@2.6.11:43-65").params()
        .step("page = get_zeroed_page(); __set_fixmap(FIX_VSYSCALL, ...); the CPU has SEP: copy "
            + "vsyscall_sysenter_start..end into the page", x -> { })
        .call("on_each_cpu(enable_sep_cpu, NULL, 1, 1) (one CPU here)", "enable_sep_cpu", Args.inPlace())
        .ret("return 0", x -> 0).build());
  }
}
