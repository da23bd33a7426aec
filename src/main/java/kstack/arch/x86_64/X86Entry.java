package kstack.arch.x86_64;

import kstack.arch.x86.EntryCommon;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * arch/x86/entry/entry_64.S and the C entry code (entry/common.c in 4.16, entry/syscall_64.c in
 * 6.19): the SYSCALL entry that builds pt_regs at the top of the task stack, the two ways back to
 * user mode (SYSRET and IRET through the per-CPU entry stack), the switch of stacks in
 * __switch_to_asm, and ret_from_fork. Page-table isolation is off (the "nopti" path): its CR3
 * switches change no stack byte. Sequences: docs/research/x86_64-call-chains.md §2, linux-facts §5.1.
 */
public final class X86Entry {
  private X86Entry() {}

  static final String ENTRY = "arch/x86/entry/entry_64.S";
  /** PUSH_AND_CLEAR_REGS push order after orig_ax (calling.h@4.16.13:100-143, @6.19:68-129). */
  static final String[] PUSH_ORDER = {"di", "si", "dx", "cx", "ax", "r8", "r9", "r10", "r11", "bx",
      "bp", "r12", "r13", "r14", "r15"};

  static String reg64(String ptRegsName) {
    return switch (ptRegsName) {
      case "di", "si", "dx", "cx", "ax", "bx", "bp" -> "r" + ptRegsName;
      default -> ptRegsName;
    };
  }

  /** The register a pt_regs slot saves, by number (PtRegs' names are pt_regs', not the registers'). */
  static int regOf(PtRegs slot) {
    return REG_OF[slot.ordinal()];
  }

  private static final int[] REG_OF = java.util.Arrays.stream(PtRegs.values())
      .mapToInt(r -> Regs.NAMES.indexOf(reg64(r.name()))).toArray();

  /** A per-CPU variable as %gs-relative code reaches it: GS base plus the symbol. */
  static long gs(Kernel k, Exec x, String var) {
    return x.reg(Regs.gs_base) + k.image.symbol(var);
  }

  /** A per-CPU address the step captured when it was built: GS base plus its link address. */
  static long gs(Exec x, kstack.kernel.LinkedAddress var) {
    return x.reg(Regs.gs_base) + var.get();
  }

  static long gsMacro(Kernel k, Exec x, String name) {
    return x.reg(Regs.gs_base) + k.perCpuLink(name);
  }

  /** The ways back to user mode the generations with entry_SYSCALL_64 share, linked after it. */
  static void buildExits(Kernel k) {
    buildIretExit(k);
  }

  static void swapgs(Exec x) {
    long gs = x.reg(Regs.gs_base);
    x.set(Regs.gs_base, x.reg(Regs.k_gs_base));
    x.set(Regs.k_gs_base, gs);
  }

  /** The address sys_call_table[nr] holds: the handler, or the table's sys_ni_syscall. */
  static long target(Kernel k, long nr, String niSyscall) {
    return k.image.sysCallTarget(nr, niSyscall);
  }

  private static void buildIretExit(Kernel k) {
    EntryFrame f = new EntryFrame(k);
    RoutineBuilder b = k.image.asm("swapgs_restore_regs_and_return_to_usermode", ENTRY);
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
        "r8", "rax", "rcx", "rdx", "rsi"}) {
      int ri = k.arch.registers().of(r);
      b.step("popq %" + r + " (POP_REGS pop_rdi=0)", x -> x.set(ri, x.pop()));
    }
    k.image.add(b.step("movq %rsp, %rdi; movq PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp: onto the entry "
            + "stack; the task stack is empty again", f::toEntryStack)
        .step("pushq ss, rsp, eflags, cs, rip from 6*8(%rdi) .. 2*8(%rdi): the IRET frame", x -> {
          long rdi = x.reg(Regs.rdi);
          for (int i = 6; i >= 2; i--) {
            x.push(x.read(rdi + 8L * i));
          }
        })
        .step("pushq (%rdi): the user rdi; SWITCH_TO_USER_CR3_STACK (no PTI); popq %rdi", x -> {
          x.push(x.read(x.reg(Regs.rdi)));
          x.set(Regs.rdi, x.pop());
        })
        .step("swapgs", X86Entry::swapgs)
        .step("iretq: pop rip, cs, rflags, rsp, ss: back in user mode", x -> {
          X86Irq.iret(x);
          f.exited(x);
        }).build());
  }
}
