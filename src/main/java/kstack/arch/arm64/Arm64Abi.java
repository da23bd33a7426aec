package kstack.arch.arm64;

import java.util.List;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.Insn;

/**
 * AAPCS64 with frame records: bl leaves the return address in x30; the prologue stores the record
 * {x29, x30} and points x29 at it, the locals lie below it (the simulator's frame shape; gcc may put
 * the record at the bottom of the frame instead, which the unwinder cannot tell apart).
 */
final class Arm64Abi implements Abi {
  @Override
  public int wordSize() {
    return 8;
  }

  @Override
  public List<Insn> prologue(int params, int localSlots) {
    Insn stp = new Insn("stp x29, x30, [sp, #-16]!: the frame record", x -> {
      long sp = x.sp() - 16;
      x.write(sp, x.fp());
      x.write(sp + 8, x.reg(Regs.x30));
      x.setSp(sp);
    });
    Insn mov = new Insn("mov x29, sp", x -> x.setFp(x.sp()));
    if (localSlots == 0) {
      return List.of(stp, mov);
    }
    int bytes = (localSlots * 8 + 15) & -16;
    String spill = params == 0 ? "" : "; spill the " + params + " register argument(s)";
    Insn sub = new Insn("sub sp, sp, #" + bytes + spill, x -> {
      x.setSp(x.sp() - bytes);
      int n = Math.min(params, x.cpu().registers().argCount());
      for (int i = 0; i < n; i++) {
        x.write(x.fp() - 8L * (i + 1), x.arg(i));
      }
    });
    return List.of(stp, mov, sub);
  }

  @Override
  public List<Insn> epilogue() {
    return List.of(
        new Insn("mov sp, x29; ldp x29, x30, [sp], #16", x -> {
          x.setSp(x.fp());
          x.setFp(x.read(x.sp()));
          x.set(Regs.x30, x.read(x.sp() + 8));
          x.setSp(x.sp() + 16);
        }),
        new Insn("ret: pc = x30", x -> x.ret(x.reg(Regs.x30))));
  }

  /**
   * Before the stp and at the final ret the return address is in x30 (bl put it there, the ldp
   * restored it); in between it is in the frame record, at [x29 + 8] (at [sp + 8] right after stp).
   */
  @Override
  public ReturnSite returnSite(int index, boolean isRet, long sp, long fp, long link,
      java.util.function.LongUnaryOperator readWord) {
    if (index == 0 || isRet) {
      return new ReturnSite(link, sp);
    }
    if (index == 1) {
      return new ReturnSite(readWord.applyAsLong(sp + 8), sp + 16);
    }
    return new ReturnSite(readWord.applyAsLong(fp + 8), fp + 16);
  }

  @Override
  public void call(Exec x, long target) {
    x.set(Regs.x30, x.nextPc());
    x.jumpTo(target);
  }

  @Override
  public long slotAddress(long fp, int slot) {
    return fp - 8L * (slot + 1);
  }
}
