package kstack.arch.x86_64;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The x86_64 NMI at 2.6.32 (entry_64.S@2.6.32:362-389,1419-1463,1553-1605; traps.c@2.6.32:400-458): the
 * CPU switches to the NMI IST stack (ist[1], the second of the per-CPU exception_stacks); the entry
 * pushes -1, makes room for pt_regs and calls save_paranoid, which saves every register and swaps
 * GS only when GS base is not the kernel's yet (ebx = 1: no swap needed); do_nmi runs there and
 * paranoid_exit restores. There is no nested-NMI protocol yet (it came in 3.3).
 */
public final class ParanoidIst2632 implements Exceptions64 {
  enum L implements Local { eregs, error_code, regs }


  static final String ENTRY = "arch/x86/kernel/entry_64.S";
  /** exception_stack_sizes (cpu/common.c@2.6.32:1014-1020): DF, NMI, DEBUG (8 KiB), MCE. */
  static final int[] SIZES = {4096, 4096, 8192, 4096};

  /** The top of IST stack i of a CPU: tss.ist[i] as cpu_init sets it (common.c@2.6.32:1148-1154). */
  static long istTop(Kernel k, int cpu, int i) {
    long top = k.perCpu("exception_stacks", cpu);
    for (int v = 0; v <= i; v++) {
      top += SIZES[v];
    }
    return top;
  }

  @Override
  public void build(Kernel k) {
    RoutineBuilder sp = k.image.asm("save_paranoid", ENTRY)
        .step("cld; save rdi..r11, rbx, rbp, r12-r15 into pt_regs at 8(%rsp)", x -> {
          long regs = x.sp() + 8;
          PartialFrame2632.saveArgs(k, x, regs, true);
          for (PtRegs r : PartialFrame2632.REST) {
            x.write(regs + r.off(k), x.reg(X86Entry.regOf(r)));
          }
        })
        .step("movl $1, %ebx; rdmsr MSR_GS_BASE; testl %edx, %edx; js 1f (the kernel's already); "
            + "SWAPGS; xorl %ebx, %ebx", x -> {
              x.set(Regs.rbx, 1);
              if (x.reg(Regs.gs_base) == 0) {
                X86Entry.swapgs(x);
                x.set(Regs.rbx, 0);
              }
            })
        .step("1: ret", x -> x.ret(x.pop()));
    k.image.add(sp.build());
    paranoidEntry(k, "nmi", "do_nmi", -1, -1);
    buildParanoidExit(k);
    paranoidEntry(k, "debug", "do_debug", 2, 0);
    paranoidEntry(k, "machine_check", null, -1, 0);
    kstack.arch.x86.DoDebug.buildDoDebugSigtrapAlways(k);
    kstack.arch.x86.DoMachineCheck.build(k, kstack.arch.x86.DoMachineCheck.MCHECK_MCE_C);
    k.image.add(k.image.c("do_nmi", "arch/x86/kernel/traps.c").params(L.regs, L.error_code)
        .step("nmi_enter(); inc_irq_stat(__nmi_count)", x -> { })
        .call("if (!ignore_nmis) default_do_nmi(regs)", "default_do_nmi",
            Args.of(x -> x.get(L.regs)))
        .step("nmi_exit()", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("default_do_nmi", "arch/x86/kernel/traps.c").params(L.regs)
        .step("reason = cpu 0 ? get_nmi_reason() : 0; no 0xc0 bits: notify_die(DIE_NMI_IPI), "
            + "nmi_watchdog_tick(), do_nmi_callback(): none claims it (unknown_nmi_error is not "
            + "modelled)", x -> k.timeline.emit(new Event.NmiHandled(
                x.cpu().id(), Event.NmiPath.IST_STACK, "rsp", x.sp())))
        .retVoid().build());
  }

  /**
   * paranoidzeroentry_ist debug do_debug DEBUG_STACK and paranoidzeroentry machine_check
   * *machine_check_vector(%rip) (entry_64.S@2.6.32.67:1060-1094, 1391, 1402): pt_regs on the IST
   * stack the gate chose, from user mode too; #DB lowers its IST entry around the call. The NMI
   * entry has the same shape with -1 as the error code (entry_64.S@2.6.32.67:1553-1570).
   */
  private static void paranoidEntry(Kernel k, String name, String cfn, int ist, long errorCode) {
    RoutineBuilder b = k.image.asm(name, ENTRY)
        .step("INTR_FRAME; pushq $-1: orig_ax, no system call to restart; subq $15*8, %rsp", x -> {
          x.push(-1);
          x.setSp(x.sp() - 120);
        })
        .call("call save_paranoid", "save_paranoid", Args.inPlace())
        .step((errorCode == 0 ? "TRACE_IRQS_OFF; " : "") + "movq %rsp, %rdi: the pt_regs; " + (errorCode == 0
            ? "xorl %esi, %esi: no error code" : "movq $-1, %rsi"), x -> {
              x.set(Regs.rdi, x.sp());
              x.set(Regs.rsi, errorCode);
            });
    if (cfn != null && ist < 0) {
      b.call("call " + cfn, cfn, Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi)));
    } else if (ist >= 0) {
      b.step("PER_CPU(init_tss, %rbp); subq $EXCEPTION_STKSZ, TSS_ist + (DEBUG_STACK - 1) * 8(%rbp): "
          + "a nested #DB lands lower", x -> {
            x.set(Regs.rbp, k.perCpu("init_tss", x.cpu().id()));
            shiftIst(k, x, ist, -4096);
          });
      b.call("call " + cfn, cfn, Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi)));
      b.step("addq $EXCEPTION_STKSZ, TSS_ist + (DEBUG_STACK - 1) * 8(%rbp)",
          x -> shiftIst(k, x, ist, 4096));
    } else {
      b.callVia("call *machine_check_vector(%rip) = do_machine_check",
          x -> k.image.symbol("do_machine_check"), Args.of(x -> x.reg(Regs.rdi), x -> x.reg(Regs.rsi)), null);
    }
    k.image.add(b.step("jmp paranoid_exit (%ebx: the no-swapgs flag)",
        k.image.jump("paranoid_exit")).build());
  }

  private static void shiftIst(Kernel k, kstack.exec.Exec x, int ist, long delta) {
    long slot = k.perCpu("init_tss", x.cpu().id()) + Tss.ist.off(k) + 8L * ist;
    x.write(slot, x.read(slot) + delta);
  }

  /**
   * paranoid_exit (entry_64.S@2.6.32.67:1419-1463): back to kernel mode without SWAPGS when ebx says
   * so; to user mode through paranoid_userspace, which moves to the task stack with sync_regs
   * before it schedules (signals are not modelled, so need_resched is the only work).
   */
  private static void buildParanoidExit(Kernel k) {
    k.image.add(k.image.asm("paranoid_exit", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF", x -> k.arch.irqDisable(x))
        .branchIf("restore", "testl %ebx, %ebx: swapgs needed? jnz paranoid_restore",
            x -> x.reg(Regs.rbx) != 0)
        .branchIf("userspace", "testl $3, CS(%rsp); jnz paranoid_userspace",
            x -> (x.read(x.sp() + PtRegs.cs.off(k)) & 3) == 3)
        .label("swapgs")
        .step("paranoid_swapgs: TRACE_IRQS_IRETQ 0; SWAPGS_UNSAFE_STACK", X86Entry::swapgs)
        .label("restore")
        .step("paranoid_restore: RESTORE_ALL 8", x -> {
          long regs = x.sp();
          PartialFrame2632.restoreArgs(k, x, regs, false);
          for (PtRegs r : PartialFrame2632.REST) {
            x.set(X86Entry.regOf(r), x.read(regs + r.off(k)));
          }
          x.setSp(regs + PtRegs.ip.off(k));
        })
        .step("jmp irq_return: iretq", x -> PartialFrame2632.iret(k, x))
        .label("userspace")
        .branchIf("swapgs", "paranoid_userspace: GET_THREAD_INFO(%rcx); movl TI_flags(%rcx), %ebx; "
            + "andl $_TIF_WORK_MASK, %ebx; jz paranoid_swapgs", x -> {
              boolean work = k.rq.needResched(k.current(x));
              x.set(Regs.rbx, work ? 1L << kstack.kernel.Kernel.TIF_NEED_RESCHED : 0);
              return !work;
            })
        .call("movq %rsp, %rdi; call sync_regs", "sync_regs", Args.of(x -> x.sp()))
        .step("movq %rax, %rsp: switch stack for scheduling", x -> x.setSp(x.retval()))
        .step("testl $_TIF_NEED_RESCHED, %ebx; jnz paranoid_schedule: TRACE_IRQS_ON; "
            + "ENABLE_INTERRUPTS", x -> k.arch.irqEnable(x))
        .call("call schedule", "schedule", Args.inPlace())
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF", x -> k.arch.irqDisable(x))
        .jump("userspace", "jmp paranoid_userspace").build());
    k.image.add(k.image.c("sync_regs", "arch/x86/kernel/traps.c").params(L.eregs).locals(L.regs)
        .step("regs = eregs; if (eregs->sp is not itself) and user_mode(eregs): regs = "
            + "task_pt_regs(current)", x -> x.set(L.regs, k.arch.userModeRegs(k, x.get(L.eregs))
                ? k.arch.taskPtRegs(k, k.current(x)) : x.get(L.eregs)))
        .step("if (eregs != regs) *regs = *eregs: the frame moves to the task stack", x -> {
          if (x.get(L.regs) != x.get(L.eregs)) {
            k.mem.copy(x.get(L.regs), x.get(L.eregs), k.image.struct("pt_regs").size());
          }
        })
        .ret("return regs", x -> x.get(L.regs)).build());
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public String handlerName(int vector) {
    return X86Exceptions.handlerName("", vector);
  }

  @Override
  public long[] istStack(Kernel k, int cpu, int i) {
    return new long[] {ParanoidIst2632.istTop(k, cpu, i) - ParanoidIst2632.SIZES[i], ParanoidIst2632.istTop(k, cpu, i)};
  }
}
