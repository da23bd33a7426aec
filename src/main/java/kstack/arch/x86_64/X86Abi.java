package kstack.arch.x86_64;

import java.util.List;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.Insn;

/**
 * The SysV x86_64 calling convention with frame pointers (CONFIG_FRAME_POINTER for the kernel, and
 * -fno-omit-frame-pointer for the simulator's user program): call pushes the return address, the
 * prologue pushes rbp and points rbp at it, locals live below rbp.
 */
final class X86Abi implements Abi {
  @Override
  public int wordSize() {
    return 8;
  }

  @Override
  public List<Insn> prologue(int params, int localSlots) {
    Insn push = new Insn("push %rbp", x -> x.push(x.fp()));
    Insn mov = new Insn("mov %rsp, %rbp", x -> x.setFp(x.sp()));
    if (localSlots == 0) {
      return List.of(push, mov);
    }
    int bytes = (localSlots * 8 + 15) & -16;
    String spill = params == 0 ? "" : "; spill the " + params + " register argument(s) to the frame";
    Insn sub = new Insn("sub $" + bytes + ", %rsp" + spill, x -> {
      x.setSp(x.sp() - bytes);
      int n = Math.min(params, x.cpu().registers().argCount());
      for (int i = 0; i < n; i++) {
        x.write(x.fp() - 8L * (i + 1), x.arg(i));
      }
    });
    return List.of(push, mov, sub);
  }

  @Override
  public List<Insn> epilogue() {
    return List.of(
        new Insn("leave", x -> {
          x.setSp(x.fp());
          x.setFp(x.pop());
        }),
        new Insn("ret", x -> x.ret(x.pop())));
  }

  /** Before push rbp and at ret the return address is at [rsp]; after it, at [rbp + 8]. */
  @Override
  public ReturnSite returnSite(int index, boolean isRet, long sp, long fp, long link,
      java.util.function.LongUnaryOperator readWord) {
    if (index == 0 || isRet) {
      return new ReturnSite(readWord.applyAsLong(sp), sp + 8);
    }
    if (index == 1) {
      return new ReturnSite(readWord.applyAsLong(sp + 8), sp + 16);
    }
    return new ReturnSite(readWord.applyAsLong(fp + 8), fp + 16);
  }

  @Override
  public void call(Exec x, long target) {
    x.push(x.nextPc());
    x.jumpTo(target);
  }

  @Override
  public long localAddress(Exec x, int slot) {
    return x.fp() - 8L * (slot + 1);
  }
}
