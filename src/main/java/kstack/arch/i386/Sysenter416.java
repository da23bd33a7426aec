package kstack.arch.i386;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's SYSENTER path: SYSENTER_ESP is the top of the cpu_entry_area entry stack;
 * entry_SYSENTER_32 reads tss.sp0 through it; do_fast_syscall_32 points regs->ip at the vDSO's
 * int80_landing_pad and picks SYSEXIT or IRET (entry_32.S@4.16.13:414-500,
 * common.c@4.16.13:345-423, cpu/common.c@4.16.13:1350-1372).
 */
public final class Sysenter416 extends EntryStackSysenter {
  enum L implements Local { nr, regs }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildSysenterEntry(Kernel k) {
    RoutineBuilder b = k.image.asm("entry_SYSENTER_32", I386Entry.ENTRY)
        .step("movl TSS_sysenter_sp0(%esp), %esp: SYSENTER_ESP is the top of the entry stack; the "
            + "TSS follows it in cpu_entry_area, so this reads tss.x86_tss.sp0, the task's stack top",
            x -> x.setSp(x.read(I386Entry.fs(k, x, "cpu_tss_rw")
                + Tss.sp0.off(k))))
        .label(".Lsysenter_past_esp");
    I386Sysenter.frame(k, b, "pushl %ebp: pt_regs->sp (stashed in ebp by the vDSO)",
        "pushl $0: pt_regs->ip, a placeholder", x -> x.push(0), false);
    I386Entry.saveAll(k, b, true)
        .step("testl $X86_EFLAGS_NT|X86_EFLAGS_AC|X86_EFLAGS_TF, PT_EFLAGS(%esp) (clear); "
            + "TRACE_IRQS_OFF; movl %esp, %eax", x -> {
              x.set(Regs.eax, x.sp());
              I386Entry.entered(k, x);
            })
        .call("call do_fast_syscall_32", "do_fast_syscall_32", Args.of(x -> x.reg(Regs.eax)))
        .branchIf("iret", "testl %eax, %eax; jz .Lsyscall_32_done: IRET instead",
            x -> x.retval() == 0)
        .step("opportunistic SYSEXIT: TRACE_IRQS_ON; movl PT_EIP(%esp), %edx; movl PT_OLDESP(%esp), "
            + "%ecx; mov PT_FS(%esp), %fs; PTGS_TO_GS", x -> {
              x.set(Regs.edx, x.read(x.sp() + PtRegs.ip.off(k)));
              x.set(Regs.ecx, x.read(x.sp() + PtRegs.sp.off(k)));
              I386Sysenter.restoreFsGs(k, x);
            });
    I386Sysenter.popForSysexit(k, b)
        .step("popl %eax; addl $PT_EFLAGS-PT_DS, %esp: at pt_regs->flags", x -> {
          x.set(Regs.eax, x.pop());
          x.setSp(x.sp() + PtRegs.flags.off(k) - PtRegs.ds.off(k));
        })
        .step("btr $X86_EFLAGS_IF_BIT, (%esp); popfl", x -> x.set(Regs.eflags,
            (x.pop() & ~I386.EFLAGS_IF) | 0x2))
        .step("sti; sysexit", x -> I386Sysenter.sysexit(k, x))
        .label("iret")
        .step("jmp .Lsyscall_32_done (restore_all)", k.image.jump("restore_all"));
    k.image.add(b.build());
    RoutineBuilder d = k.image.c("do_fast_syscall_32", "arch/x86/entry/common.c").params(L.regs).locals(L.nr);
    I386Sysenter.fastPrologue(k, d, "enter_from_user_mode(); local_irq_enable()", true);
    I386Entry.syscallIrqsOn(k, d);
    k.image.add(d.ret("return SEP && regs->cs == __USER_CS && regs->ss == __USER_DS && regs->ip == "
        + "landing_pad && !(regs->flags & (X86_EFLAGS_RF | X86_EFLAGS_TF | X86_EFLAGS_VM)): "
        + "1 = SYSEXIT, 0 = IRET", x -> I386Sysenter.sysexitAllowed(k, x.get(L.regs)) ? 1 : 0).build());
  }
}
