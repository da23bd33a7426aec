package kstack.kernel;

import kstack.trace.RegisterSink;
import kstack.trace.Timeline;

/** Timelines for kernel parts tested without a CPU. */
final class TestTimelines {
  private TestTimelines() {}

  /** A timeline on which no register is ever written (no CPU exists in the test). */
  static Timeline noCpus() {
    return new Timeline(new RegisterSink() {
      @Override
      public long value(int cpu, int reg) {
        throw new AssertionError("no CPU in this test");
      }

      @Override
      public void restore(int cpu, int reg, long value) {
        throw new AssertionError("no CPU in this test");
      }

      @Override
      public int cpus() {
        return 0;
      }

      @Override
      public int registers(int cpu) {
        throw new AssertionError("no CPU in this test");
      }
    });
  }
}
