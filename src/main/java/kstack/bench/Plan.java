package kstack.bench;

import java.util.List;

/**
 * What a bench run measures and how often.
 *
 * @param repeats    how many times each figure is measured (min and median are reported)
 * @param getpids    getpid round trips per measurement (sched_yields and forks are derived from it)
 * @param taskCounts live task counts at which fork is timed, ascending
 * @param warmup     getpid round trips of the warm-up on each profile (yields and forks in proportion)
 */
public record Plan(int repeats, int getpids, List<Integer> taskCounts, int warmup) {
  public static final int MAX_TASKS = 4_194_304;

  public Plan {
    if (repeats < 1 || repeats > 1000) {
      throw new IllegalArgumentException("--repeat must be 1..1000, not " + repeats);
    }
    if (getpids < 1 || getpids > 1_000_000) {
      throw new IllegalArgumentException("-n must be 1..1000000, not " + getpids);
    }
    if (warmup < 0 || warmup > 1_000_000) {
      throw new IllegalArgumentException("--warmup must be 0..1000000, not " + warmup);
    }
    taskCounts = taskCounts.stream().sorted().distinct().toList();
    for (int c : taskCounts) {
      if (c < 2 || c > MAX_TASKS) {
        throw new IllegalArgumentException("--tasks counts must be 2.." + MAX_TASKS + ", not " + c);
      }
    }
  }

  /** sched_yield commands per measurement. */
  int yields() {
    return Math.max(1, getpids / 4);
  }

  /** forks per measurement on a machine with a handful of tasks. */
  int forks() {
    return Math.max(1, getpids / 8);
  }

  /**
   * Untraced forks of the warm-up: ten per warm-up getpid. Fork at a task count is timed with the
   * trace off, a path the traced warm-up forks leave cold; measured, it keeps compiling for some
   * 10,000 forks (fork at 10,000 tasks came out 2.5x slower than after this warm-up).
   */
  public int untracedWarmupForks() {
    return 10 * warmup;
  }

  /** forks per measurement at a given task count: few, so the count hardly moves while timed. */
  int forksAt(int tasks) {
    return Math.max(1, Math.min(forks(), tasks / 20));
  }
}
