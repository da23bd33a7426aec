package kstack.stack;

import java.util.List;

/**
 * What a debugger says about one frame of a backtrace beyond its function and address (gdb's
 * {@code info frame}, crash's {@code bt -f}): where the function's own frame record lies (the saved
 * frame pointer at {@code record}, the return address one word above it, on every modelled ABI:
 * x86's push of the frame pointer after call's push of the return address, arm64's
 * {@code stp x29, x30}), the stack the frame covers, and the parameters and locals the prologue put
 * in its slots (gcc -O0's spill, which the simulator's C functions all do).
 *
 * @param level     the frame's number as {@code bt} prints it (#0 innermost)
 * @param frame     the frame as the unwinder found it
 * @param record    the function's frame record (its frame pointer), 0 when it has none: assembly,
 *                  or a C function before its prologue built the record or after the epilogue
 *                  tore it down
 * @param savedPcAt where the return address to the caller lies, 0 when it is in a register (the
 *                  arm64 link register before the prologue stored it) or not known
 * @param savedPc   the return address to the caller, 0 when not known
 * @param cfa       the canonical frame address, gdb's "frame at": the caller's stack pointer once
 *                  this function has returned; 0 when not known
 * @param low       the lowest address of the frame's part of the stack (the stack pointer of the
 *                  frame, the CFA of the frame inside it), 0 when not known
 * @param args      the parameters held in the frame, in prototype order
 * @param locals    the locals held in the frame, in slot order
 * @param source    the kernel file the function is written in, or empty
 */
public record FrameDetail(int level, Frame frame, long record, long savedPcAt, long savedPc,
    long cfa, long low, List<Slot> args, List<Slot> locals, String source) {

  public FrameDetail {
    args = List.copyOf(args);
    locals = List.copyOf(locals);
  }

  /** One parameter or local: its C name, the address of its frame slot, the word there. */
  public record Slot(String name, long address, long value) {}
}
