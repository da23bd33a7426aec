package kstack.exec;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The arguments a call step passes, one function per argument, so that their number is known when
 * the routine is built and the image linker can compare it with the callee's parameters
 * ({@link Routine#arity()}). {@link #of} is the checked form; {@link #computed} wraps an array whose
 * length is only known when the step runs (a syscall table's argument list, a helper's shared
 * argument vector) and is not checked at link time; {@link #inPlace} is a call from assembly that
 * passes nothing itself.
 */
public final class Args {
  private static final Args NONE = new Args(0, x -> new long[0]);
  private static final Args IN_PLACE = new Args(-1, x -> new long[0]);

  private final int count;
  private final Function<Exec, long[]> values;

  private Args(int count, Function<Exec, long[]> values) {
    this.count = count;
    this.values = values;
  }

  /** The arguments a call passes, in order; each function computes one when the step runs. */
  @SafeVarargs
  public static Args of(ToLongFunction<Exec>... each) {
    if (each.length == 0) {
      return NONE;
    }
    ToLongFunction<Exec>[] a = each.clone();
    return new Args(a.length, x -> {
      long[] v = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        v[i] = a[i].applyAsLong(x);
      }
      return v;
    });
  }

  /** A call without arguments. */
  public static Args none() {
    return NONE;
  }

  /**
   * A call from assembly that put the arguments where the callee finds them itself (registers,
   * or a pt_regs on the stack); the step passes none and the linker does not check the count.
   */
  public static Args inPlace() {
    return IN_PLACE;
  }

  /** Arguments whose number only the running step knows; the linker does not check them. */
  public static Args computed(Function<Exec, long[]> values) {
    return new Args(-1, values);
  }

  /** The number of arguments, or -1 when only the running step knows it. */
  public int count() {
    return count;
  }

  /** The argument values, evaluated in order. */
  public long[] values(Exec x) {
    return values.apply(x);
  }
}
