package kstack.trace;

/** The CPUs' registers as the timeline reaches them: read, and set without being recorded again. */
public interface RegisterSink {
  long value(int cpu, int reg);

  void restore(int cpu, int reg, long value);

  /** How many CPUs there are now (a sealed block compares all their registers). */
  int cpus();

  /** How many registers cpu has. */
  int registers(int cpu);
}
