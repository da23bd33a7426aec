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
  private static final Args NONE = new Args(0, noFunctions(), null);
  private static final Args IN_PLACE = new Args(-1, noFunctions(), null);

  private final int count;
  /** One function per argument ({@link #of}), or null when the step computes the whole vector. */
  private final ToLongFunction<Exec>[] each;
  private final Function<Exec, long[]> computed;

  private Args(int count, ToLongFunction<Exec>[] each, Function<Exec, long[]> computed) {
    this.count = count;
    this.each = each;
    this.computed = computed;
  }

  @SuppressWarnings("unchecked")
  private static ToLongFunction<Exec>[] noFunctions() {
    return new ToLongFunction[0];
  }

  /** The arguments a call passes, in order; each function computes one when the step runs. */
  @SafeVarargs
  public static Args of(ToLongFunction<Exec>... each) {
    if (each.length == 0) {
      return NONE;
    }
    return new Args(each.length, each.clone(), null);
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
    return new Args(-1, null, values);
  }

  /** The number of arguments, or -1 when only the running step knows it. */
  public int count() {
    return count;
  }

  /**
   * How many values the step passes, known when the routine is built: 0 for {@link #inPlace},
   * -1 for {@link #computed}.
   */
  int length() {
    return each == null ? -1 : each.length;
  }

  /** The argument values, evaluated in order, in a new array. */
  public long[] values(Exec x) {
    if (each == null) {
      return computed.apply(x);
    }
    long[] v = new long[each.length];
    evaluate(x, v);
    return v;
  }

  /**
   * A reusable vector for {@link #into}: the call site's own, made once when the routine is
   * built, so that a call step with a known argument count allocates nothing while it runs.
   */
  long[] buffer() {
    return each == null ? null : new long[each.length];
  }

  /**
   * The argument values, evaluated in order: into buffer (from {@link #buffer}) when the count is
   * known, else the array the step computes.
   */
  long[] into(Exec x, long[] buffer) {
    if (buffer == null) {
      return computed.apply(x);
    }
    evaluate(x, buffer);
    return buffer;
  }

  private void evaluate(Exec x, long[] v) {
    ToLongFunction<Exec>[] a = each;
    for (int i = 0; i < a.length; i++) {
      v[i] = a[i].applyAsLong(x);
    }
  }
}
