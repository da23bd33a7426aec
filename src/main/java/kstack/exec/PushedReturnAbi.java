package kstack.exec;

import java.util.List;

/**
 * The x86 shape of a call, common to x86_64 and i386 with frame pointers: call pushes the return
 * address; the prologue pushes the frame pointer and points it at the saved one; leave and ret undo
 * both. Subclasses give the word size and how parameters reach the frame.
 */
public abstract class PushedReturnAbi implements Abi {
  private final int word;

  protected PushedReturnAbi(int word) {
    this.word = word;
  }

  @Override
  public int wordSize() {
    return word;
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

  /** Before push of the frame pointer and at ret the return address is at [sp]; after, at [fp + w]. */
  @Override
  public ReturnSite returnSite(int index, boolean isRet, long sp, long fp, long link,
      java.util.function.LongUnaryOperator readWord) {
    if (index == 0 || isRet) {
      return new ReturnSite(readWord.applyAsLong(sp), sp + word);
    }
    if (index == 1) {
      return new ReturnSite(readWord.applyAsLong(sp + word), sp + 2L * word);
    }
    return new ReturnSite(readWord.applyAsLong(fp + word), fp + 2L * word);
  }

  @Override
  public void call(Exec x, long target) {
    x.push(x.nextPc());
    x.jumpTo(target);
  }

  @Override
  public long slotAddress(long fp, int slot) {
    return fp - (long) word * (slot + 1);
  }
}
