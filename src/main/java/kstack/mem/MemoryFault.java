package kstack.mem;

/**
 * A simulated access to an address that has no backing: unmapped, or a guard page. The model raises it
 * where a real CPU would raise a page fault; callers turn it into a reported event or a user-facing
 * message, never a leaked Java stack trace.
 */
public final class MemoryFault extends RuntimeException {
  private final long address;
  private final boolean write;
  private final Region guard;

  /** True when the CPU itself faulted pushing an exception frame (delivering a trap). */
  private final boolean delivery;

  public MemoryFault(long address, boolean write, Region guard) {
    this(address, write, guard, false);
  }

  private MemoryFault(long address, boolean write, Region guard, boolean delivery) {
    super(describe(address, write, guard == null ? null : guard.name()), null, false, false);
    this.address = address;
    this.write = write;
    this.guard = guard;
    this.delivery = delivery;
  }

  /** The same fault, raised by the CPU while it pushed the frame of an interrupt or trap. */
  public MemoryFault duringDelivery() {
    return new MemoryFault(address, write, guard, true);
  }

  public boolean isDelivery() {
    return delivery;
  }

  /** The fault as a message: the access, and the guard page's name when it hit one (else null). */
  public static String describe(long address, boolean write, String guard) {
    String what = write ? "write to" : "read of";
    if (guard != null) {
      return String.format("%s guard page 0x%x (%s)", what, address, guard);
    }
    return String.format("%s unmapped address 0x%x", what, address);
  }

  public long address() {
    return address;
  }

  public boolean isWrite() {
    return write;
  }

  /** The guard region that was hit, or null when the address is simply unmapped. */
  public Region guard() {
    return guard;
  }
}
