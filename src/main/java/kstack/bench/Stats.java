package kstack.bench;

import java.util.Arrays;

/**
 * One figure measured several times: the fastest run (least disturbed by the collector, the JIT or
 * the other core's work) and the median (the typical run).
 *
 * @param min    the smallest sample
 * @param median the middle sample (the mean of the two middle ones for an even count)
 * @param runs   how many samples there were
 */
public record Stats(double min, double median, int runs) {

  public static Stats of(double[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return new Stats(s[0], median, n);
  }
}
