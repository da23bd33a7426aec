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
  enum L implements Local { nr, ok, regs, ret }

  private I386Sysenter() {}

  static final String VSYSCALL = "__kernel_vsyscall";
  private static final long EFLAGS_VM = 1L << 17;

  /** Where SYSEXIT, or an IRET after a SYSENTER, lands in the vDSO. */
  static String landingPad(Kernel k) {
    if (v2611(k)) {
      return "SYSENTER_RETURN"; // vsyscall-sysenter.S@2.6.11:32-34
    }
    return k.profile.has(kstack.profile.Feature.THREAD_INFO_AT_BASE) ? "VDSO32_SYSENTER_RETURN"
        : "int80_landing_pad";
  }

  private static boolean v2611(Kernel k) {
    return k.profile.has(kstack.profile.Feature.PT_REGS_60);
  }

  static void build(Kernel k) {
    buildVdso(k);
    boolean v6 = k.profile.has(kstack.profile.Feature.IRQENTRY);
    if (v2611(k)) {
      build2611(k);
    } else if (k.profile.has(kstack.profile.Feature.THREAD_INFO_AT_BASE)) {
      build26(k);
    } else if (v6) {
      build619(k);
    } else {
      build416(k);
    }
    buildEnableSep(k);
  }

  /**
   * __kernel_vsyscall: vsyscall-sysenter.S@2.6.11:14-41 (sysenter, the jmp .Lenter_kernel restart
   * point, SYSENTER_RETURN), vdso32/sysenter.S@2.6.32.67:30-52 (sysenter, 7 nops, the int $0x80 restart
   * point, VDSO32_SYSENTER_RETURN) or entry/vdso/vdso32/system_call.S@4.16.13 and @6.19 (the SEP
   * alternative, int $0x80, int80_landing_pad).
   */
  private static void buildVdso(Kernel k) {
    boolean v26 = k.profile.has(kstack.profile.Feature.THREAD_INFO_AT_BASE);
    String src = v2611(k) ? "arch/i386/kernel/vsyscall-sysenter.S@2.6.11:14-41 (vsyscall page)"
        : v26 ? "arch/x86/vdso/vdso32/sysenter.S@2.6.32 (vDSO)"
        : "arch/x86/entry/vdso/vdso32/system_call.S (vDSO)";
    RoutineBuilder b = RoutineBuilder.userAsm(VSYSCALL, src, k.abi);
    for (String r : new String[] {"ecx", "edx", "ebp"}) {
      b.step("pushl %" + r, x -> x.push(x.reg(r)));
    }
    if (v2611(k)) {
      b.label(".Lenter_kernel");
    }
    b.step(v26 ? "movl %esp, %ebp: the user stack, for the kernel" : "ALTERNATIVE(X86_FEATURE_SEP): "
            + "movl %esp, %ebp: the user stack, for the kernel", x -> x.setFp(x.sp()))
        .step("sysenter", x -> ((I386) k.arch).sysenter(x));
    if (v2611(k)) {
      // 2.6.11's restart point re-enters through sysenter; this page exists only on a SEP CPU
      // (a CPU without SEP gets vsyscall-int80.S instead).  vsyscall-sysenter.S@2.6.11:27-28
      b.jump(".Lenter_kernel", "jmp .Lenter_kernel (the restart point, SYSENTER_RETURN - 2)");
    } else {
      b.step("int $0x80 (the way in when the CPU has no SEP; "
          + (v26 ? "the restart point, " + landingPad(k) + " - 2)" : "regs->ip - 2 from the landing pad)"),
          x -> k.arch.syscallInstruction(x));
    }
    b.globalLabel(landingPad(k));
    for (String r : new String[] {"ebp", "edx", "ecx"}) {
      b.step("popl %" + r, x -> x.set(r, x.pop()));
    }
    k.image.add(b.step("ret", x -> x.ret(x.pop())).build());
  }

  /** enable_sep_cpu(): the three MSRs (and, on 2.6.11 and 2.6.32, tss.sp1 and ss1). */
  private static void buildEnableSep(Kernel k) {
    boolean v26 = k.profile.has(kstack.profile.Feature.THREAD_INFO_AT_BASE);
    String tssVar = v26 ? "init_tss" : "cpu_tss_rw";
    k.image.add(k.image.c("enable_sep_cpu", v2611(k) ? "arch/i386/kernel/sysenter.c@2.6.11:24-35"
            : v26 ? "arch/x86/vdso/vdso32-setup.c" : "arch/x86/kernel/cpu/common.c")
        .params()
        .step(v2611(k) ? "cpu = get_cpu(); tss = &per_cpu(init_tss, cpu); tss->ss1 = __KERNEL_CS; "
                + "tss->esp1 = sizeof(struct tss_struct) + (unsigned long)tss; "
                + "wrmsr(MSR_IA32_SYSENTER_CS, __KERNEL_CS); wrmsr(MSR_IA32_SYSENTER_ESP, tss->esp1): "
                + "just past this CPU's TSS"
                : v26 ? "tss->x86_tss.ss1 = __KERNEL_CS; tss->x86_tss.sp1 = sizeof(struct tss_struct) + "
                + "(unsigned long)tss; wrmsr(MSR_IA32_SYSENTER_CS, __KERNEL_CS); "
                + "wrmsr(MSR_IA32_SYSENTER_ESP, tss->x86_tss.sp1): just past this CPU's TSS"
                : "tss->x86_tss.ss1 = __KERNEL_CS; wrmsr(MSR_IA32_SYSENTER_CS, tss->x86_tss.ss1); "
                + "wrmsr(MSR_IA32_SYSENTER_ESP, cpu_entry_stack(cpu) + 1): the top of this CPU's "
                + "entry stack", x -> {
              long tss = I386Entry.fs(k, x, tssVar);
              x.write(tss + k.image.offPath("tss_struct", "x86_tss.ss1"), 2, I386.KERNEL_CS);
              x.set("sysenter_cs", I386.KERNEL_CS);
              long esp = v26 ? tss + k.image.struct("tss_struct").size()
                  : I386Entry6.entryStackTop(k, x.cpu().id());
              if (v26) {
                x.write(tss + k.image.offPath("tss_struct", "x86_tss.sp1"), esp);
              }
              x.set("sysenter_esp", esp);
            })
        .step("wrmsr(MSR_IA32_SYSENTER_EIP, " + entrySymbol(k) + ")" + (v2611(k) ? "; put_cpu()" : ""),
            x -> x.set("sysenter_eip", k.image.symbol(entrySymbol(k))))
        .retVoid().build());
  }

  static String entrySymbol(Kernel k) {
    if (v2611(k)) {
      return "sysenter_entry";
    }
    return k.profile.has(kstack.profile.Feature.THREAD_INFO_AT_BASE) ? "ia32_sysenter_target"
        : "entry_SYSENTER_32";
  }

  /** The part of every generation's entry that builds the hardware-like frame by hand. */
  private static RoutineBuilder frame(Kernel k, RoutineBuilder b, String sp, String ip,
      kstack.exec.Op pushIp) {
    boolean v6 = k.profile.has(kstack.profile.Feature.IRQENTRY); // entry_32.S@6.19:805: no orl
    return b.step("pushl $__USER_DS: pt_regs->ss", x -> x.push(I386.USER_DS))
        .step(sp, x -> x.push(sp.startsWith("pushl %ebp") ? x.reg("ebp") : 0))
        .step(v6 ? "pushfl: pt_regs->flags, IF still clear (do_SYSENTER_32 sets it)"
                : "pushfl; orl $X86_EFLAGS_IF, (%esp): pt_regs->flags (SYSENTER cleared IF)",
            x -> x.push(v6 ? x.reg("eflags") : x.reg("eflags") | I386.EFLAGS_IF))
        .step("pushl $__USER_CS: pt_regs->cs", x -> x.push(I386.USER_CS))
        .step(ip, pushIp)
        .step("pushl %eax: pt_regs->orig_ax, the system call number", x -> x.push(x.reg("eax")));
  }

  private static void build26(Kernel k) {
    String entry = I386Entry26.ENTRY;
    RoutineBuilder b = k.image.asm("ia32_sysenter_target", entry)
        .step("movl TSS_sysenter_sp0(%esp), %esp: SYSENTER_ESP is just past init_tss, so this "
            + "reads tss.x86_tss.sp0, the task's stack top", x -> x.setSp(
                x.read(x.sp() + k.image.offPath("tss_struct", "x86_tss.sp0") - k.image.struct("tss_struct").size())))
        .globalLabel("sysenter_past_esp");
    frame(k, b, "pushl %ebp: pt_regs->sp, the user esp the vDSO left in ebp",
        "pushl (TI_sysenter_return-THREAD_SIZE+8+4*4)(%esp): pt_regs->ip = "
            + "thread_info->sysenter_return, found from the stack top (sp0 = top - 8)",
        x -> x.push(x.read(x.sp() + k.image.off("thread_info", "sysenter_return") - k.threadSize + 8 + 16)));
    I386Entry.saveAll(k, b, false)
        .step("ENABLE_INTERRUPTS; cmpl $__PAGE_OFFSET-3, %ebp (a user address); movl (%ebp), %ebp: "
            + "the 6th argument, the user ebp the vDSO pushed; movl %ebp, PT_EBP(%esp)", x -> {
              k.arch.irqEnable(x);
              long v = x.read(x.reg("ebp"));
              x.set("ebp", v);
              x.write(x.sp() + k.image.off("pt_regs", "bp"), v);
            })
        .step("GET_THREAD_INFO(%ebp); testl $_TIF_WORK_SYSCALL_ENTRY, TI_flags(%ebp) (no tracing); "
            + "cmpl $(nr_syscalls), %eax", x -> {
              x.setFp(x.sp() & -k.threadSize);
              I386Entry.entered(k, x);
            })
        .callVia("call *sys_call_table(,%eax,4): the saved bx, cx, dx... are the stack arguments",
            x -> k.image.symbol(k.image.sysCallTable.getOrDefault((int) x.reg("eax"), "sys_ni_syscall")),
            Args.inPlace(), null)
        .globalLabel("sysenter_after_call")
        .step("movl %eax, PT_EAX(%esp)", x -> x.write(x.sp() + k.image.off("pt_regs", "ax"), x.retval()))
        .step("LOCKDEP_SYS_EXIT; DISABLE_INTERRUPTS; movl TI_flags(%ebp), %ecx",
            x -> k.arch.irqDisable(x))
        .branchIf("work", "testl $_TIF_ALLWORK_MASK, %ecx; jne sysexit_audit",
            x -> k.rq.needResched(k.current(x)))
        .globalLabel("sysenter_exit")
        .step("movl PT_EIP(%esp), %edx; movl PT_OLDESP(%esp), %ecx; xorl %ebp, %ebp", x -> {
          x.set("edx", x.read(x.sp() + k.image.off("pt_regs", "ip")));
          x.set("ecx", x.read(x.sp() + k.image.off("pt_regs", "sp")));
          x.setFp(0);
        })
        .step("mov PT_FS(%esp), %fs; PTGS_TO_GS", x -> restoreFsGs(k, x))
        .step("ENABLE_INTERRUPTS_SYSEXIT: sti; sysexit", x -> sysexit(k, x))
        .label("work")
        .step("sysexit_audit = syscall_exit_work (no audit): jmp work_pending",
            x -> x.jumpTo(k.image.symbol("work_pending")));
    k.image.add(b.build());
  }

  /**
   * sysenter_entry (entry.S@2.6.11:196-237): sti comes before the pushes, so pushfl saves IF set;
   * pt_regs->eip is the constant $SYSENTER_RETURN (the vsyscall page sits at a fixed address);
   * the 6th argument is loaded into %ebp before pushl %eax and SAVE_ALL, so SAVE_ALL saves it.
   */
  private static void build2611(Kernel k) {
    RoutineBuilder b = k.image.asm("sysenter_entry", I386Entry2611.ENTRY + "@2.6.11:196-237")
        .step("movl TSS_sysenter_esp0(%esp), %esp: SYSENTER_ESP = tss->esp1 is just past init_tss, "
            + "so this reads tss->esp0, the task's stack top", x -> x.setSp(
                x.read(x.sp() + k.image.offPath("tss_struct", "x86_tss.sp0") - k.image.struct("tss_struct").size())))
        .globalLabel("sysenter_past_esp")
        .step("sti", x -> k.arch.irqEnable(x))
        .step("pushl $(__USER_DS): pt_regs->xss", x -> x.push(I386.USER_DS))
        .step("pushl %ebp: pt_regs->esp, the user esp the vsyscall page left in ebp",
            x -> x.push(x.reg("ebp")))
        .step("pushfl: pt_regs->eflags, IF already set by the sti", x -> x.push(x.reg("eflags")))
        .step("pushl $(__USER_CS): pt_regs->xcs", x -> x.push(I386.USER_CS))
        .step("pushl $SYSENTER_RETURN: pt_regs->eip", x -> x.push(k.image.symbol(landingPad(k))))
        .step("cmpl $__PAGE_OFFSET-3, %ebp; jae syscall_fault (a user address); movl (%ebp), %ebp: "
            + "the 6th argument, the user ebp the vsyscall page pushed",
            x -> x.set("ebp", x.read(x.reg("ebp"))))
        .step("pushl %eax: pt_regs->orig_eax, the system call number", x -> x.push(x.reg("eax")));
    I386Entry24.saveAll(b, "__USER_DS", I386.USER_DS)
        .step("GET_THREAD_INFO(%ebp); testb $(_TIF_SYSCALL_TRACE|_TIF_SYSCALL_AUDIT), TI_flags(%ebp) "
            + "(no tracing); cmpl $(nr_syscalls), %eax", x -> {
              I386Entry2611.getThreadInfo(k, x);
              I386Entry.entered(k, x);
            })
        .callVia("call *sys_call_table(,%eax,4): the saved ebx, ecx, edx... are the stack arguments",
            x -> k.image.symbol(k.image.sysCallTable.getOrDefault((int) x.reg("eax"), "sys_ni_syscall")),
            Args.inPlace(), null)
        .step("movl %eax, EAX(%esp)", x -> x.write(x.sp() + k.image.off("pt_regs", "eax"), x.retval()))
        .step("cli; movl TI_flags(%ebp), %ecx", x -> I386Entry2611.loadFlags(k, x))
        .step("testw $_TIF_ALLWORK_MASK, %cx; jne syscall_exit_work: system_call's, which leaves "
            + "by iret (TIF_IRET asks for exactly that)", x -> {
              if ((x.reg("ecx") & I386Entry2611.ALLWORK_MASK) != 0) {
                x.jumpTo(k.image.symbol("syscall_exit_work"));
              }
            })
        .step("movl EIP(%esp), %edx; movl OLDESP(%esp), %ecx; xorl %ebp, %ebp", x -> {
          x.set("edx", x.read(x.sp() + k.image.off("pt_regs", "eip")));
          x.set("ecx", x.read(x.sp() + k.image.off("pt_regs", "esp")));
          x.setFp(0);
        })
        .step("sti; sysexit", x -> sysexit(k, x));
    k.image.add(b.build());
    k.image.add(k.image.c("sysenter_setup", "arch/i386/kernel/sysenter.c@2.6.11:43-65").params()
        .step("page = get_zeroed_page(); __set_fixmap(FIX_VSYSCALL, ...); the CPU has SEP: copy "
            + "vsyscall_sysenter_start..end into the page", x -> { })
        .call("on_each_cpu(enable_sep_cpu, NULL, 1, 1) (one CPU here)", "enable_sep_cpu", Args.inPlace())
        .ret("return 0", x -> 0).build());
  }

  private static void build416(Kernel k) {
    RoutineBuilder b = k.image.asm("entry_SYSENTER_32", I386Entry.ENTRY)
        .step("movl TSS_sysenter_sp0(%esp), %esp: SYSENTER_ESP is the top of the entry stack; the "
            + "TSS follows it in cpu_entry_area, so this reads tss.x86_tss.sp0, the task's stack top",
            x -> x.setSp(x.read(I386Entry.fs(k, x, "cpu_tss_rw")
                + k.image.offPath("tss_struct", "x86_tss.sp0"))))
        .label(".Lsysenter_past_esp");
    frame(k, b, "pushl %ebp: pt_regs->sp (stashed in ebp by the vDSO)",
        "pushl $0: pt_regs->ip, a placeholder", x -> x.push(0));
    I386Entry.saveAll(k, b, true)
        .step("testl $X86_EFLAGS_NT|X86_EFLAGS_AC|X86_EFLAGS_TF, PT_EFLAGS(%esp) (clear); "
            + "TRACE_IRQS_OFF; movl %esp, %eax", x -> {
              x.set("eax", x.sp());
              I386Entry.entered(k, x);
            })
        .call("call do_fast_syscall_32", "do_fast_syscall_32", Args.of(x -> x.reg("eax")))
        .branchIf("iret", "testl %eax, %eax; jz .Lsyscall_32_done: IRET instead",
            x -> x.retval() == 0)
        .step("opportunistic SYSEXIT: TRACE_IRQS_ON; movl PT_EIP(%esp), %edx; movl PT_OLDESP(%esp), "
            + "%ecx; mov PT_FS(%esp), %fs; PTGS_TO_GS", x -> {
              x.set("edx", x.read(x.sp() + k.image.off("pt_regs", "ip")));
              x.set("ecx", x.read(x.sp() + k.image.off("pt_regs", "sp")));
              restoreFsGs(k, x);
            });
    popForSysexit(k, b)
        .step("popl %eax; addl $PT_EFLAGS-PT_DS, %esp: at pt_regs->flags", x -> {
          x.set("eax", x.pop());
          x.setSp(x.sp() + k.image.off("pt_regs", "flags") - k.image.off("pt_regs", "ds"));
        })
        .step("btr $X86_EFLAGS_IF_BIT, (%esp); popfl", x -> x.set("eflags",
            (x.pop() & ~I386.EFLAGS_IF) | 0x2))
        .step("sti; sysexit", x -> sysexit(k, x))
        .label("iret")
        .step("jmp .Lsyscall_32_done (restore_all)", x -> x.jumpTo(k.image.symbol("restore_all")));
    k.image.add(b.build());
    RoutineBuilder d = k.image.c("do_fast_syscall_32", "arch/x86/entry/common.c").params(L.regs).locals(L.nr);
    fastPrologue(k, d, "enter_from_user_mode(); local_irq_enable()");
    I386Entry.syscallIrqsOn(k, d);
    k.image.add(d.ret("return SEP && regs->cs == __USER_CS && regs->ss == __USER_DS && regs->ip == "
        + "landing_pad && !(regs->flags & (X86_EFLAGS_RF | X86_EFLAGS_TF | X86_EFLAGS_VM)): "
        + "1 = SYSEXIT, 0 = IRET", x -> sysexitAllowed(k, x.get(L.regs)) ? 1 : 0).build());
  }

  private static void build619(Kernel k) {
    RoutineBuilder b = k.image.asm("entry_SYSENTER_32", I386Entry6.ENTRY)
        .step("pushfl; pushl %eax (on the entry stack)", x -> {
          x.push(x.reg("eflags"));
          x.push(x.reg("eax"));
        })
        .step("BUG_IF_WRONG_CR3; SWITCH_TO_KERNEL_CR3 (no PTI); popl %eax; popfl", x -> {
          x.set("eax", x.pop());
          x.set("eflags", x.pop() | 0x2);
        })
        .step("movl TSS_entry2task_stack(%esp), %esp: TSS.sp1, the copy of the task's thread.sp0",
            x -> x.setSp(x.read(I386Entry.fs(k, x, "cpu_tss_rw")
                + k.image.offPath("tss_struct", "x86_tss.sp1"))))
        .label(".Lsysenter_past_esp");
    frame(k, b, "pushl $0: pt_regs->sp, a placeholder (do_SYSENTER_32 copies ebp there)",
        "pushl $0: pt_regs->ip, a placeholder", x -> x.push(0));
    I386Entry6.saveAll(k, b, true, false, false)
        .step("testl $X86_EFLAGS_NT|X86_EFLAGS_AC|X86_EFLAGS_TF, PT_EFLAGS(%esp) (clear); "
            + "movl %esp, %eax", x -> x.set("eax", x.sp()))
        .call("call do_SYSENTER_32", "do_SYSENTER_32", Args.of(x -> x.reg("eax")))
        .branchIf("iret", "testb %al, %al; jz .Lsyscall_32_done: IRET instead", x -> x.retval() == 0)
        .step("STACKLEAK_ERASE; movl PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %eax; subl $2*4, %eax: two "
            + "words at the top of the entry stack", x -> x.set("eax",
                x.read(I386Entry.fs(k, x, "cpu_tss_rw") + k.image.offPath("tss_struct", "x86_tss.sp0")) - 8))
        .step("movl PT_EFLAGS(%esp), %edi; movl PT_EAX(%esp), %esi; movl %edi, (%eax); "
            + "movl %esi, 4(%eax): eflags and the result, for the last pops", x -> {
              x.set("edi", x.read(x.sp() + k.image.off("pt_regs", "flags")));
              x.set("esi", x.read(x.sp() + k.image.off("pt_regs", "ax")));
              x.write(x.reg("eax"), x.reg("edi"));
              x.write(x.reg("eax") + 4, x.reg("esi"));
            })
        .step("movl PT_EIP(%esp), %edx; movl PT_OLDESP(%esp), %ecx; mov PT_FS(%esp), %fs", x -> {
          x.set("edx", x.read(x.sp() + k.image.off("pt_regs", "ip")));
          x.set("ecx", x.read(x.sp() + k.image.off("pt_regs", "sp")));
          x.set("fs", x.read(x.sp() + k.image.off("pt_regs", "fs")));
        });
    popForSysexit(k, b)
        .step("movl %eax, %esp: onto the entry stack; SWITCH_TO_USER_CR3; CLEAR_CPU_BUFFERS",
            x -> x.setSp(x.reg("eax")))
        .step("btrl $X86_EFLAGS_IF_BIT, (%esp); popfl; popl %eax", x -> {
          x.set("eflags", (x.pop() & ~I386.EFLAGS_IF) | 0x2);
          x.set("eax", x.pop());
        })
        .step("sti; sysexit", x -> sysexit(k, x))
        .label("iret")
        .step("jmp .Lsyscall_32_done", x -> x.jumpTo(k.image.symbol("restore_all_switch_stack")));
    k.image.add(b.build());
    String src = "arch/x86/entry/syscall_32.c";
    k.image.add(k.image.c("do_SYSENTER_32", src).params(L.regs).locals(L.ret)
        .step("regs->sp = regs->bp: the user esp the vDSO left in ebp; regs->flags |= X86_EFLAGS_IF",
            x -> {
              long r = x.get(L.regs);
              x.write(r + k.image.off("pt_regs", "sp"), x.read(r + k.image.off("pt_regs", "bp")));
              x.write(r + k.image.off("pt_regs", "flags"), x.read(r + k.image.off("pt_regs", "flags"))
                  | I386.EFLAGS_IF);
              I386Entry.entered(k, x, r);
            })
        .callInto(L.ret, "return do_fast_syscall_32(regs)", "do_fast_syscall_32",
            Args.of(x -> x.get(L.regs)))
        .ret("return ret", x -> x.get(L.ret)).build());
    k.image.add(k.image.c("do_fast_syscall_32", src).params(L.regs).locals(L.ok)
        .step("landing_pad = current->mm->context.vdso + vdso_image_32.sym_int80_landing_pad; "
            + "regs->ip = landing_pad", x -> x.write(x.get(L.regs) + k.image.off("pt_regs", "ip"),
                k.image.symbol(landingPad(k))))
        .callInto(L.ok, "if (!__do_fast_syscall_32(regs)) return false", "__do_fast_syscall_32",
            Args.of(x -> x.get(L.regs)))
        .ret("return regs->ip == landing_pad && regs->cs == __USER32_CS && regs->ss == __USER_DS && "
            + "!(regs->flags & (RF | TF | VM)): true = SYSEXIT", x -> x.get(L.ok) != 0
                && sysexitAllowed(k, x.get(L.regs)) ? 1 : 0).build());
    RoutineBuilder d = k.image.c("__do_fast_syscall_32", src).params(L.regs).locals(L.nr);
    fastPrologue(k, d, "nr = syscall_32_enter(regs) [inline]; add_random_kstack_offset() (0 here); "
        + "enter_from_user_mode(regs); local_irq_enable()");
    I386Entry6.syscallIrqsOn(k, d);
    k.image.add(kstack.arch.ExitWork.append(k, d, "syscall_exit_to_user_mode(regs) [inline]: "
            + "local_irq_disable(); work pending?", "exit_to_user_mode_loop",
            "exit_to_user_mode_loop(regs, ti_work)")
        .ret("return true", x -> 1).build());
  }

  /** Both fast paths: irqs on, then the 6th argument from the user stack into regs->bp. */
  private static void fastPrologue(Kernel k, RoutineBuilder d, String enter) {
    boolean v416 = !k.profile.has(kstack.profile.Feature.IRQENTRY);
    if (v416) {
      d.step("landing_pad = current->mm->context.vdso + vdso_image_32.sym_int80_landing_pad; "
          + "regs->ip = landing_pad", x -> x.write(x.get(L.regs) + k.image.off("pt_regs", "ip"),
              k.image.symbol(landingPad(k))));
    }
    d.step(enter, x -> k.arch.irqEnable(x))
        .step("get_user(*(u32 *)&regs->bp, (u32 __user *)regs->sp): the 6th argument, the user "
            + "ebp the vDSO pushed", x -> {
              long r = x.get(L.regs);
              x.write(r + k.image.off("pt_regs", "bp"), x.read(x.read(r + k.image.off("pt_regs", "sp"))));
            });
  }

  /** pt_regs->bx..bp back into registers for SYSEXIT (cx, dx are skipped: they carry eip, esp). */
  private static RoutineBuilder popForSysexit(Kernel k, RoutineBuilder b) {
    return b.step("popl %ebx; addl $2*4, %esp (skip cx, dx); popl %esi; popl %edi; popl %ebp", x -> {
      x.set("ebx", x.pop());
      x.setSp(x.sp() + 8);
      x.set("esi", x.pop());
      x.set("edi", x.pop());
      x.set("ebp", x.pop());
    });
  }

  private static void restoreFsGs(Kernel k, Exec x) {
    x.set("fs", x.read(x.sp() + k.image.off("pt_regs", "fs")));
    x.set("gs", x.read(x.sp() + k.image.off("pt_regs", "gs")));
  }

  private static boolean sysexitAllowed(Kernel k, long regs) {
    long flags = k.readPtr(regs + k.image.off("pt_regs", "flags"));
    return k.readPtr(regs + k.image.off("pt_regs", "ip")) == k.image.symbol(landingPad(k))
        && k.readPtr(regs + k.image.off("pt_regs", "cs")) == I386.USER_CS
        && k.readPtr(regs + k.image.off("pt_regs", "ss")) == I386.USER_DS
        && (flags & ((1L << 16) | (1L << 8) | EFLAGS_VM)) == 0;
  }

  /** [ARCH] SYSEXIT: CPL 3, CS = SYSENTER_CS + 16, SS = SYSENTER_CS + 24, EIP = edx, ESP = ecx. */
  static void sysexit(Kernel k, Exec x) {
    long task = k.current(x.cpu().id());
    long cs = x.reg("sysenter_cs");
    x.set("cs", (cs + 16) | 3);
    x.set("ss", (cs + 24) | 3);
    x.setSp(x.reg("ecx"));
    I386Entry.exited(k, x, task, k.arch.taskPtRegs(k, task));
    k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task),
        Event.ReturnPath.SYSEXIT));
    x.jumpTo(x.reg("edx"));
  }

  /** Whether a user eip is where a SYSENTER (or the vDSO's int $0x80) returns. */
  static boolean isLandingPad(Kernel k, long ip) {
    return ip == k.image.symbol(landingPad(k));
  }
}
