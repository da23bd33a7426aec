package kstack.arch.i386;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's SYSENTER path: the same entry stack, but the task stack comes from TSS.sp1
 * (TSS_entry2task_stack); do_SYSENTER_32 → do_fast_syscall_32 → __do_fast_syscall_32; the SYSEXIT
 * path leaves through the entry stack (entry_32.S@6.19:786-900, syscall_32.c@6.19:266-369,
 * cpu/common.c@6.19:2110-2131).
 */
public final class Sysenter619 extends EntryStackSysenter {
  enum L implements Local { nr, ok, regs, ret }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void buildSysenterEntry(Kernel k) {
    RoutineBuilder b = k.image.asm("entry_SYSENTER_32", I386Entry619.ENTRY)
        .step("pushfl; pushl %eax (on the entry stack)", x -> {
          x.push(x.reg(Regs.eflags));
          x.push(x.reg(Regs.eax));
        })
        .step("BUG_IF_WRONG_CR3; SWITCH_TO_KERNEL_CR3 (no PTI); popl %eax; popfl", x -> {
          x.set(Regs.eax, x.pop());
          x.set(Regs.eflags, x.pop() | 0x2);
        })
        .step("movl TSS_entry2task_stack(%esp), %esp: TSS.sp1, the copy of the task's thread.sp0",
            x -> x.setSp(x.read(I386Entry.fs(k, x, "cpu_tss_rw")
                + Tss.sp1.off(k))))
        .label(".Lsysenter_past_esp");
    I386Sysenter.frame(k, b, "pushl $0: pt_regs->sp, a placeholder (do_SYSENTER_32 copies ebp there)",
        "pushl $0: pt_regs->ip, a placeholder", x -> x.push(0), true);
    I386Entry619.saveAll(k, b, true, false, false)
        .step("testl $X86_EFLAGS_NT|X86_EFLAGS_AC|X86_EFLAGS_TF, PT_EFLAGS(%esp) (clear); "
            + "movl %esp, %eax", x -> x.set(Regs.eax, x.sp()))
        .call("call do_SYSENTER_32", "do_SYSENTER_32", Args.of(x -> x.reg(Regs.eax)))
        .branchIf("iret", "testb %al, %al; jz .Lsyscall_32_done: IRET instead", x -> x.retval() == 0)
        .step("STACKLEAK_ERASE; movl PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %eax; subl $2*4, %eax: two "
            + "words at the top of the entry stack", x -> x.set(Regs.eax,
                x.read(I386Entry.fs(k, x, "cpu_tss_rw") + Tss.sp0.off(k)) - 8))
        .step("movl PT_EFLAGS(%esp), %edi; movl PT_EAX(%esp), %esi; movl %edi, (%eax); "
            + "movl %esi, 4(%eax): eflags and the result, for the last pops", x -> {
              x.set(Regs.edi, x.read(x.sp() + PtRegs.flags.off(k)));
              x.set(Regs.esi, x.read(x.sp() + PtRegs.ax.off(k)));
              x.write(x.reg(Regs.eax), x.reg(Regs.edi));
              x.write(x.reg(Regs.eax) + 4, x.reg(Regs.esi));
            })
        .step("movl PT_EIP(%esp), %edx; movl PT_OLDESP(%esp), %ecx; mov PT_FS(%esp), %fs", x -> {
          x.set(Regs.edx, x.read(x.sp() + PtRegs.ip.off(k)));
          x.set(Regs.ecx, x.read(x.sp() + PtRegs.sp.off(k)));
          x.set(Regs.fs, x.read(x.sp() + PtRegs.fs.off(k)));
        });
    I386Sysenter.popForSysexit(k, b)
        .step("movl %eax, %esp: onto the entry stack; SWITCH_TO_USER_CR3; CLEAR_CPU_BUFFERS",
            x -> x.setSp(x.reg(Regs.eax)))
        .step("btrl $X86_EFLAGS_IF_BIT, (%esp); popfl; popl %eax", x -> {
          x.set(Regs.eflags, (x.pop() & ~I386.EFLAGS_IF) | 0x2);
          x.set(Regs.eax, x.pop());
        })
        .step("sti; sysexit", x -> I386Sysenter.sysexit(k, x))
        .label("iret")
        .step("jmp .Lsyscall_32_done", k.image.jump("restore_all_switch_stack"));
    k.image.add(b.build());
    String src = "arch/x86/entry/syscall_32.c";
    k.image.add(k.image.c("do_SYSENTER_32", src).params(L.regs).locals(L.ret)
        .step("regs->sp = regs->bp: the user esp the vDSO left in ebp; regs->flags |= X86_EFLAGS_IF",
            x -> {
              long r = x.get(L.regs);
              x.write(r + PtRegs.sp.off(k), x.read(r + PtRegs.bp.off(k)));
              x.write(r + PtRegs.flags.off(k), x.read(r + PtRegs.flags.off(k))
                  | I386.EFLAGS_IF);
              I386Entry.entered(k, x, r);
            })
        .callInto(L.ret, "return do_fast_syscall_32(regs)", "do_fast_syscall_32",
            Args.of(x -> x.get(L.regs)))
        .ret("return ret", x -> x.get(L.ret)).build());
    k.image.add(k.image.c("do_fast_syscall_32", src).params(L.regs).locals(L.ok)
        .step("landing_pad = current->mm->context.vdso + vdso_image_32.sym_int80_landing_pad; "
            + "regs->ip = landing_pad", x -> x.write(x.get(L.regs) + PtRegs.ip.off(k),
                k.image.symbol(landingPad())))
        .callInto(L.ok, "if (!__do_fast_syscall_32(regs)) return false", "__do_fast_syscall_32",
            Args.of(x -> x.get(L.regs)))
        .ret("return regs->ip == landing_pad && regs->cs == __USER32_CS && regs->ss == __USER_DS && "
            + "!(regs->flags & (RF | TF | VM)): true = SYSEXIT", x -> x.get(L.ok) != 0
                && I386Sysenter.sysexitAllowed(k, x.get(L.regs)) ? 1 : 0).build());
    RoutineBuilder d = k.image.c("__do_fast_syscall_32", src).params(L.regs).locals(L.nr);
    I386Sysenter.fastPrologue(k, d, "nr = syscall_32_enter(regs) [inline]; add_random_kstack_offset() (0 here); "
        + "enter_from_user_mode(regs); local_irq_enable()", false);
    I386Entry619.syscallIrqsOn(k, d);
    k.image.add(kstack.arch.ExitWork.append(k, d, "syscall_exit_to_user_mode(regs) [inline]: "
            + "local_irq_disable(); work pending?", "exit_to_user_mode_loop",
            "exit_to_user_mode_loop(regs, ti_work)")
        .ret("return true", x -> 1).build());
  }
}
