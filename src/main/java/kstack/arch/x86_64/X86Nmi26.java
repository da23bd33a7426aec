package kstack.arch.x86_64;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * The x86_64 NMI at 2.6.32 (entry_64.S@2.6.32:362-389,1419-1463,1553-1605; traps.c@2.6.32:400-458): the
 * CPU switches to the NMI IST stack (ist[1], the second of the per-CPU exception_stacks); the entry
 * pushes -1, makes room for pt_regs and calls save_paranoid, which saves every register and swaps
 * GS only when GS base is not the kernel's yet (ebx = 1: no swap needed); do_nmi runs there and
 * paranoid_exit restores. There is no nested-NMI protocol yet (it came in 3.3).
 */
final class X86Nmi26 {
  private X86Nmi26() {}

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

  static void build(Kernel k) {
    RoutineBuilder sp = k.asm("save_paranoid", ENTRY)
        .step("cld; save rdi..r11, rbx, rbp, r12-r15 into pt_regs at 8(%rsp)", x -> {
          long regs = x.sp() + 8;
          X86Entry26.saveArgs(k, x, regs, true);
          for (String r : X86Entry26.REST) {
            x.write(regs + k.off("pt_regs", r), x.reg(X86Entry.reg64(r)));
          }
        })
        .step("movl $1, %ebx; rdmsr MSR_GS_BASE; testl %edx, %edx; js 1f (the kernel's already); "
            + "SWAPGS; xorl %ebx, %ebx", x -> {
              x.set("rbx", 1);
              if (x.reg("gs_base") == 0) {
                X86Entry.swapgs(x);
                x.set("rbx", 0);
              }
            })
        .step("1: ret", x -> x.ret(x.pop()));
    k.add(sp.build());
    k.add(k.asm("nmi", ENTRY)
        .step("INTR_FRAME; pushq $-1: orig_ax; subq $15*8, %rsp: room for pt_regs", x -> {
          x.push(-1);
          x.setSp(x.sp() - 120);
        })
        .call("call save_paranoid", "save_paranoid", null)
        .step("movq %rsp, %rdi; movq $-1, %rsi", x -> {
          x.set("rdi", x.sp());
          x.set("rsi", -1);
        })
        .call("call do_nmi", "do_nmi", x -> new long[] {x.reg("rdi"), x.reg("rsi")})
        .step("jmp paranoid_exit", x -> x.jumpTo(k.symbol("paranoid_exit"))).build());
    k.add(k.asm("paranoid_exit", ENTRY)
        .step("DISABLE_INTERRUPTS; TRACE_IRQS_OFF; testl %ebx, %ebx: swapgs needed?",
            x -> k.arch.irqDisable(x))
        .step("paranoid_swapgs / paranoid_restore: SWAPGS_UNSAFE_STACK if ebx == 0 (no user work "
            + "is modelled); RESTORE_ALL 8", x -> {
              if (x.reg("rbx") == 0) {
                X86Entry.swapgs(x);
              }
              long regs = x.sp();
              X86Entry26.restoreArgs(k, x, regs, false);
              for (String r : X86Entry26.REST) {
                x.set(X86Entry.reg64(r), x.read(regs + k.off("pt_regs", r)));
              }
              x.setSp(regs + k.off("pt_regs", "ip"));
            })
        .step("jmp irq_return: iretq", x -> X86Entry26.iret(k, x)).build());
    k.add(k.c("do_nmi", "arch/x86/kernel/traps.c").params("regs", "error_code")
        .step("nmi_enter(); inc_irq_stat(__nmi_count)", x -> { })
        .call("if (!ignore_nmis) default_do_nmi(regs)", "default_do_nmi",
            x -> new long[] {x.local("regs")})
        .step("nmi_exit()", x -> { })
        .retVoid().build());
    k.add(k.c("default_do_nmi", "arch/x86/kernel/traps.c").params("regs")
        .step("reason = cpu 0 ? get_nmi_reason() : 0; no 0xc0 bits: notify_die(DIE_NMI_IPI), "
            + "nmi_watchdog_tick(), do_nmi_callback(): none claims it (unknown_nmi_error is not "
            + "modelled)", x -> k.timeline.emit(new Event.Note(
                x.cpu().id(), "do_nmi", "NMI handled on the NMI IST stack, rsp 0x"
                    + Long.toHexString(x.sp()))))
        .retVoid().build());
  }
}
