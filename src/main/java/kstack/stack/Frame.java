package kstack.stack;

/**
 * One frame of a backtrace, innermost first.
 *
 * @param function  the function name, as the kernel's backtrace would print it
 * @param address   the return address (or pc for the innermost frame)
 * @param offset    address minus the function's start
 * @param stack     which stack the frame's record is on: task, irq, exception, entry, user
 * @param frameAddr where the frame record (saved frame pointer) sits, 0 if none
 * @param note      a remark such as "pt_regs at 0x..." for an entry frame, or empty
 * @param stackName the stack's name as a backtrace separator shows it ("NMI stack"), or empty
 *                  for the kind's usual name
 */
public record Frame(String function, long address, long offset, StackKind stack, long frameAddr,
    String note, String stackName) {
  public Frame(String function, long address, long offset, StackKind stack, long frameAddr,
      String note) {
    this(function, address, offset, stack, frameAddr, note, "");
  }

  /** The same frame, its stack named. */
  public Frame named(String name) {
    return new Frame(function, address, offset, stack, frameAddr, note, name);
  }

  /** The function name of the last frame when a walk met memory it cannot read. */
  public static final String STOPPED = "<backtrace stopped>";

  /**
   * Runs a stack walk that appends to out; when the walk reads memory the machine does not hold (a
   * corrupt frame pointer, a task pointer an overflow overwrote), it ends with a STOPPED frame that
   * names the address, as gdb says "Backtrace stopped: Cannot access memory", and keeps the frames
   * found before it.
   */
  public static java.util.List<Frame> walk(java.util.List<Frame> out, Runnable walk) {
    try {
      walk.run();
    } catch (kstack.mem.MemoryFault f) {
      out.add(new Frame(STOPPED, f.address(), 0, StackKind.UNKNOWN, 0,
          String.format("cannot access memory at address 0x%x", f.address())));
    }
    return out;
  }
}
