package kstack.exec;

import java.util.List;

/**
 * An architecture's C calling convention as the simulator needs it: how a call leaves its return
 * address, how a frame is built and torn down, where locals and arguments live. Generic kernel code
 * is written once against this; x86_64 pushes the return address and saved rbp, arm64 stores x29/x30.
 */
public interface Abi {
  int wordSize();

  /** Steps that build the frame: save the caller's frame pointer, reserve locals, spill params. */
  List<Insn> prologue(int params, int localSlots);

  /**
   * The prologue of a function whose callers pass all arguments on the stack (see
   * {@link #paramsOnStack}); ABIs without such functions never get asked.
   */
  default List<Insn> prologue(int params, int localSlots, boolean paramsOnStack) {
    return prologue(params, localSlots);
  }

  /**
   * Whether a function of this kind passes every parameter on the stack: on i386, user code (cdecl)
   * and kernel functions marked asmlinkage; no function on x86_64 or arm64.
   */
  default boolean paramsOnStack(Routine.Kind kind, boolean asmlinkage) {
    return false;
  }

  /**
   * Whether every call site pops the arguments it pushed (cdecl's {@code addl $N, %esp} after the
   * call) as a step of its own. x86_64 and arm64 pass their calls' arguments in registers.
   */
  default boolean callerPopsArgs() {
    return false;
  }

  /** Steps that tear the frame down and return to the caller; the result is already in place. */
  List<Insn> epilogue();

  /** Transfers control to target, leaving the return address where the arch keeps it. */
  void call(Exec x, long target);

  /** Where a function returns to: the caller's pc and the stack pointer once it is back. */
  record ReturnSite(long pc, long sp) {}

  /**
   * The return site of the function whose step {@code index} is about to run, given the CPU's
   * stack and frame pointers and its link register (0 where the arch has none); {@code isRet}
   * says the step is the final return. Used by {@code finish}.
   */
  ReturnSite returnSite(int index, boolean isRet, long sp, long fp, long link,
      java.util.function.LongUnaryOperator readWord);

  /** Address of local slot i of the current frame (slot 0 holds the first parameter). */
  default long localAddress(Exec x, int slot) {
    return slotAddress(x.fp(), slot);
  }

  /**
   * Address of local slot i of the frame whose frame pointer is fp: where a debugger finds a
   * frame's spilled parameters and locals ({@code info frame}, {@code info args}).
   */
  long slotAddress(long fp, int slot);
}
