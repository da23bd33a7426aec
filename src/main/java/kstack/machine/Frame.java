package kstack.machine;

/**
 * One frame of a backtrace, innermost first.
 *
 * @param function  the function name, as the kernel's backtrace would print it
 * @param address   the return address (or pc for the innermost frame)
 * @param offset    address minus the function's start
 * @param stack     which stack the frame's record is on: task, irq, exception, entry, user
 * @param frameAddr where the frame record (saved frame pointer) sits, 0 if none
 * @param note      a remark such as "pt_regs at 0x..." for an entry frame, or empty
 */
public record Frame(String function, long address, long offset, String stack, long frameAddr,
    String note) {}
