package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * The SYSENTER way into an i386 kernel and SYSEXIT back, per generation (linux-facts §5.2;
 * docs/research/i386-and-2.x.md §3.3, §4.3, §5.3).
 *
 * <p>[ARCH] SYSENTER pushes nothing: the CPU loads CS from MSR IA32_SYSENTER_CS, ESP from
 * IA32_SYSENTER_ESP and EIP from IA32_SYSENTER_EIP, and clears IF. The user's esp and eip are lost,
 * so the vDSO's {@code __kernel_vsyscall} passes the esp in ebp (after pushing ecx, edx and ebp),
 * and the kernel pushes a hardware-like frame itself: the same pt_regs an {@code int $0x80} leaves.
 * SYSEXIT returns to EIP = edx, ESP = ecx at CPL 3.
 *
 * <ul>
 *   <li>2.6.11 (Feature.SYSENTER_2611): SYSENTER_ESP = tss->esp1, just past init_tss;
 *       {@code sysenter_entry} reads tss->esp0 through it, does sti first, pushes the constant
 *       $SYSENTER_RETURN as eip and leaves by sysexit (entry.S@2.6.11:196-237,
 *       sysenter.c@2.6.11:24-65, vsyscall-sysenter.S@2.6.11:14-41).
 *   <li>2.6.32: SYSENTER_ESP points just past the per-CPU init_tss; {@code ia32_sysenter_target}
 *       reads tss.sp0 through it and takes pt_regs->ip from thread_info->sysenter_return
 *       (entry_32.S@2.6.32.67:391-466; vdso32-setup.c@2.6.32.67:226-242, 363).
 *   <li>4.16: SYSENTER_ESP is the top of the cpu_entry_area entry stack; {@code entry_SYSENTER_32}
 *       reads tss.sp0 through it; {@code do_fast_syscall_32} points regs->ip at the vDSO's
 *       int80_landing_pad and picks SYSEXIT or IRET (entry_32.S@4.16.13:414-500,
 *       common.c@4.16.13:345-423, cpu/common.c@4.16.13:1350-1372).
 *   <li>6.19: the same entry stack, but the task stack comes from TSS.sp1
 *       (TSS_entry2task_stack); do_SYSENTER_32 → do_fast_syscall_32 → __do_fast_syscall_32; the
 *       SYSEXIT path leaves through the entry stack (entry_32.S@6.19:786-900,
 *       syscall_32.c@6.19:266-369, cpu/common.c@6.19:2110-2131).
 * </ul>
 * The vDSO's code lives in the user image in this model (the kernel maps it into every process).
 */
final class I386Sysenter {
  enum L implements Local { regs }

  private I386Sysenter() {}

  static final String VSYSCALL = "__kernel_vsyscall";
  private static final long EFLAGS_VM = 1L << 17;

  /** The profile's SYSENTER module, which the arch obtained at construction. */
  static I386SysenterModel model(Kernel k) {
    return ((I386) k.arch).sysenter();
  }

  /** The vDSO's __kernel_vsyscall, the generation's SYSENTER entry, enable_sep_cpu. */
  static void build(Kernel k) {
    I386SysenterModel s = model(k);
    buildVdso(k, s);
    s.buildSysenterEntry(k);
    buildEnableSep(k, s);
  }

  /**
   * __kernel_vsyscall: vsyscall-sysenter.S@2.6.11:14-41 (sysenter, the jmp .Lenter_kernel restart
   * point, SYSENTER_RETURN), vdso32/sysenter.S@2.6.32.67:30-52 (sysenter, 7 nops, the int $0x80 restart
   * point, VDSO32_SYSENTER_RETURN) or entry/vdso/vdso32/system_call.S@4.16.13 and @6.19 (the SEP
   * alternative, int $0x80, int80_landing_pad).
   */
  private static void buildVdso(Kernel k, I386SysenterModel s) {
    RoutineBuilder b = RoutineBuilder.userAsm(VSYSCALL, s.vdsoSource(), k.abi);
    for (String r : new String[] {"ecx", "edx", "ebp"}) {
      int ri = Regs.of(r);
      b.step("pushl %" + r, x -> x.push(x.reg(ri)));
    }
    boolean restartBySysenter = s.vdsoInt80Note() == null;
    if (restartBySysenter) {
      b.label(".Lenter_kernel");
    }
    b.step(s.vdsoSaveEsp(), x -> x.setFp(x.sp()))
        .step("sysenter", I386Idt::sysenter);
    if (restartBySysenter) {
      // 2.6.11's restart point re-enters through sysenter; this page exists only on a SEP CPU
      // (a CPU without SEP gets vsyscall-int80.S instead).  vsyscall-sysenter.S@2.6.11:27-28
      b.jump(".Lenter_kernel", "jmp .Lenter_kernel (the restart point, SYSENTER_RETURN - 2)");
    } else {
      b.step("int $0x80 (the way in when the CPU has no SEP; " + s.vdsoInt80Note(),
          x -> k.arch.syscallInstruction(x));
    }
    b.globalLabel(s.landingPad());
    for (String r : new String[] {"ebp", "edx", "ecx"}) {
      int ri = Regs.of(r);
      b.step("popl %" + r, x -> x.set(ri, x.pop()));
    }
    k.image.add(b.step("ret", x -> x.ret(x.pop())).build());
  }

  /** enable_sep_cpu(): the three MSRs (and, on 2.6.11 and 2.6.32, tss.sp1 and ss1). */
  private static void buildEnableSep(Kernel k, I386SysenterModel s) {
    boolean pastTss = s.sysenterEspPastTss();
    String tssVar = pastTss ? "init_tss" : "cpu_tss_rw";
    k.image.add(k.image.c("enable_sep_cpu", s.enableSepSource()).params()
        .step(s.enableSepText(), x -> {
          long tss = I386Entry.fs(k, x, tssVar);
          x.write(tss + Tss.ss1.off(k), 2, I386.KERNEL_CS);
          x.set(Regs.sysenter_cs, I386.KERNEL_CS);
          long esp = pastTss ? tss + k.image.struct("tss_struct").size()
              : EntryStack.top(k, x.cpu().id());
          if (pastTss) {
            x.write(tss + Tss.sp1.off(k), esp);
          }
          x.set(Regs.sysenter_esp, esp);
        })
        .step("wrmsr(MSR_IA32_SYSENTER_EIP, " + s.entrySymbol() + ")" + s.enableSepEnd(),
            x -> x.set(Regs.sysenter_eip, k.image.symbol(s.entrySymbol())))
        .retVoid().build());
  }

  /**
   * The part of every generation's entry that builds the hardware-like frame by hand; 6.19 leaves
   * IF clear in the pushed flags (entry_32.S@6.19:805: no orl), do_SYSENTER_32 sets it.
   */
  static RoutineBuilder frame(Kernel k, RoutineBuilder b, String sp, String ip,
      kstack.exec.Op pushIp, boolean ifStaysClear) {
    return b.step("pushl $__USER_DS: pt_regs->ss", x -> x.push(I386.USER_DS))
        .step(sp, x -> x.push(sp.startsWith("pushl %ebp") ? x.reg(Regs.ebp) : 0))
        .step(ifStaysClear ? "pushfl: pt_regs->flags, IF still clear (do_SYSENTER_32 sets it)"
                : "pushfl; orl $X86_EFLAGS_IF, (%esp): pt_regs->flags (SYSENTER cleared IF)",
            x -> x.push(ifStaysClear ? x.reg(Regs.eflags) : x.reg(Regs.eflags) | I386.EFLAGS_IF))
        .step("pushl $__USER_CS: pt_regs->cs", x -> x.push(I386.USER_CS))
        .step(ip, pushIp)
        .step("pushl %eax: pt_regs->orig_ax, the system call number", x -> x.push(x.reg(Regs.eax)));
  }





  /** Both fast paths: irqs on, then the 6th argument from the user stack into regs->bp. */
  static void fastPrologue(Kernel k, RoutineBuilder d, String enter, boolean setsLandingPad) {
    if (setsLandingPad) {
      d.step("landing_pad = current->mm->context.vdso + vdso_image_32.sym_int80_landing_pad; "
          + "regs->ip = landing_pad", x -> x.write(x.get(L.regs) + PtRegs.ip.off(k),
              k.image.symbol(model(k).landingPad())));
    }
    d.step(enter, x -> k.arch.irqEnable(x))
        .step("get_user(*(u32 *)&regs->bp, (u32 __user *)regs->sp): the 6th argument, the user "
            + "ebp the vDSO pushed", x -> {
              long r = x.get(L.regs);
              x.write(r + PtRegs.bp.off(k), x.read(x.read(r + PtRegs.sp.off(k))));
            });
  }

  /** pt_regs->bx..bp back into registers for SYSEXIT (cx, dx are skipped: they carry eip, esp). */
  static RoutineBuilder popForSysexit(Kernel k, RoutineBuilder b) {
    return b.step("popl %ebx; addl $2*4, %esp (skip cx, dx); popl %esi; popl %edi; popl %ebp", x -> {
      x.set(Regs.ebx, x.pop());
      x.setSp(x.sp() + 8);
      x.set(Regs.esi, x.pop());
      x.set(Regs.edi, x.pop());
      x.set(Regs.ebp, x.pop());
    });
  }

  static void restoreFsGs(Kernel k, Exec x) {
    x.set(Regs.fs, x.read(x.sp() + PtRegs.fs.off(k)));
    x.set(Regs.gs, x.read(x.sp() + PtRegs.gs.off(k)));
  }

  static boolean sysexitAllowed(Kernel k, long regs) {
    long flags = k.readPtr(regs + PtRegs.flags.off(k));
    return k.readPtr(regs + PtRegs.ip.off(k)) == k.image.symbol(model(k).landingPad())
        && k.readPtr(regs + PtRegs.cs.off(k)) == I386.USER_CS
        && k.readPtr(regs + PtRegs.ss.off(k)) == I386.USER_DS
        && (flags & ((1L << 16) | (1L << 8) | EFLAGS_VM)) == 0;
  }

  /** [ARCH] SYSEXIT: CPL 3, CS = SYSENTER_CS + 16, SS = SYSENTER_CS + 24, EIP = edx, ESP = ecx. */
  static void sysexit(Kernel k, Exec x) {
    long task = k.current(x.cpu().id());
    long cs = x.reg(Regs.sysenter_cs);
    x.set(Regs.cs, (cs + 16) | 3);
    x.set(Regs.ss, (cs + 24) | 3);
    x.setSp(x.reg(Regs.ecx));
    I386Entry.exited(k, x, task, k.arch.taskPtRegs(k, task));
    k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task),
        Event.ReturnPath.SYSEXIT));
    x.jumpTo(x.reg(Regs.edx));
  }

  /** Whether a user eip is where a SYSENTER (or the vDSO's int $0x80) returns. */
  static boolean isLandingPad(Kernel k, long ip) {
    return ip == k.image.symbol(model(k).landingPad());
  }
}
