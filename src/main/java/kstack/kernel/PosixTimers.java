package kstack.kernel;

/**
 * Where the kernel's build order adds clock_nanosleep(2) (linked after the arch's routines): the
 * profile's {@link Nanosleep} module builds it in its generation's shape (HrtimerSleep's generations,
 * Timer2611's timer list; 2.4 has none).
 */
final class PosixTimers {
  private PosixTimers() {}

  static void build(Kernel k) {
    k.profile.module(Nanosleep.class).buildClockNanosleep(k);
  }
}
