package kstack.bench;

/** The Java heap in use, measured after the collector has freed what it can. */
final class Heap {
  private Heap() {}

  /** Used heap once full collections stop freeing anything (up to 20 rounds). */
  static long used() {
    Runtime r = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      try {
        Thread.sleep(10); // lets reference processing finish between collections
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long now = r.totalMemory() - r.freeMemory();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
