package kstack.kernel;

import kstack.stack.StackKind;
import kstack.stack.StackRange;

/**
 * Which stack a stack pointer is on, by the arch's stack ranges for the task running on a CPU: the
 * typed stack-switch events name the stack they leave as data, not words.
 */
public final class StackKinds {
  private StackKinds() {}

  /** The kind of the stack holding sp on cpu (its top counts: an empty stack), or UNKNOWN. */
  public static StackKind of(Kernel k, int cpu, long sp) {
    for (StackRange r : k.arch.stackRanges(k, k.current(cpu), true, cpu)) {
      if (Long.compareUnsigned(sp, r.low()) >= 0 && Long.compareUnsigned(sp, r.high()) <= 0) {
        return r.kind();
      }
    }
    return StackKind.UNKNOWN;
  }
}
