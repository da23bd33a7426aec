package kstack.arch.i386;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.Insn;
import kstack.exec.Routine;

/**
 * The i386 calling conventions with frame pointers. Kernel C code is built with -mregparm=3 from
 * 2.6.20 on (arch/x86/Makefile@4.16.13:73): the first three arguments travel in eax, edx, ecx and the
 * rest on the stack. asmlinkage functions (regparm(0), arch/x86/include/asm/linkage.h) and all user
 * code (the cdecl ABI) take every argument on the stack. The caller pops what it pushed. The
 * prologue is push %ebp; mov %esp, %ebp; the simulator then copies each parameter into a local slot
 * below ebp (as gcc -O0 does), so a parameter's value is always at the same place in the frame.
 */
final class I386Abi extends kstack.exec.PushedReturnAbi {
  /**
   * How many leading arguments ordinary kernel C functions take in registers: 3 with -mregparm=3
   * (2.6.20 on), 0 on 2.4.22, whose arch/i386/Makefile passes no regparm (research §0.1); there
   * only FASTCALL functions use registers, and the simulator writes those few with no stack
   * parameters, reading eax/edx themselves.
   */
  private final int regparm;

  I386Abi(int regparm) {
    super(4);
    this.regparm = regparm;
  }

  /** The CPU's registers; esp, ebp, eip, eax in their roles; eax, edx, ecx caller-saved. */
  static kstack.cpu.RegisterSet registers() {
    return new kstack.cpu.RegisterSet(
        Regs.NAMES,
        "esp", "ebp", "eip", "eax", List.of("eax", "edx", "ecx"), List.of("ebx", "esi", "edi", "ebp"))
        .hide("nmi_blocked").hide("fs_base").hide("tr_base").hide("sysenter_cs")
        .hide("sysenter_esp").hide("sysenter_eip").width(4);
  }

  /** The libc wrapper's side: the stack arguments into ebx, ecx, edx, esi, edi; nr into eax. */
  static void loadSyscallRegisters(kstack.exec.Exec x, int nr) {
    int[] r = {Regs.ebx, Regs.ecx, Regs.edx, Regs.esi, Regs.edi};
    int n = Math.min(r.length, x.routine().locals().size());
    for (int i = 0; i < n; i++) {
      x.set(r[i], x.read(x.host().abi().localAddress(x, i)));
    }
    x.set(Regs.eax, nr);
  }

  private static final int[] SYSCALL_ARGS = {Regs.ebx, Regs.ecx, Regs.edx, Regs.esi, Regs.edi,
      Regs.ebp};

  /** i386 system-call ABI: nr in eax; arguments in ebx, ecx, edx, esi, edi, ebp. */
  static void setSyscallRegisters(kstack.cpu.Cpu cpu, int nr, long[] args) {
    int[] r = SYSCALL_ARGS;
    cpu.set(Regs.eax, nr);
    for (int i = 0; i < args.length; i++) {
      cpu.set(r[i], args[i]);
    }
  }

  @Override
  public List<Insn> prologue(int params, int localSlots) {
    return prologue(params, localSlots, false);
  }

  @Override
  public List<Insn> prologue(int params, int localSlots, boolean onStack) {
    List<Insn> out = new ArrayList<>();
    out.add(new Insn("push %ebp", x -> x.push(x.fp())));
    out.add(new Insn("mov %esp, %ebp", x -> x.setFp(x.sp())));
    if (localSlots == 0) {
      return out;
    }
    int bytes = localSlots * 4;
    int inRegs = onStack ? 0 : Math.min(params, regparm);
    String spill = params == 0 ? ""
        : onStack ? "; copy the " + params + " stack argument(s) at 8(%ebp).. into the frame"
        : inRegs == params ? "; spill the " + params + " register argument(s) (eax, edx, ecx)"
        : "; spill eax, edx, ecx and copy the stack argument(s) at 8(%ebp).. into the frame";
    out.add(new Insn("sub $" + bytes + ", %esp" + spill, x -> {
      x.setSp(x.sp() - bytes);
      for (int i = 0; i < params; i++) {
        long v = i < inRegs ? x.arg(i) : x.read(x.fp() + 8 + 4L * (i - inRegs));
        x.write(x.fp() - 4L * (i + 1), v);
      }
    }));
    return out;
  }

  @Override
  public boolean paramsOnStack(Routine.Kind kind, boolean asmlinkage) {
    return kind == Routine.Kind.USER || asmlinkage || regparm == 0;
  }

  @Override
  public boolean callerPopsArgs() {
    return true;
  }
}
