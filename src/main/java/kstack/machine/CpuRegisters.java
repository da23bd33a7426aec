package kstack.machine;

import kstack.cpu.Cpu;
import kstack.trace.RegisterSink;

/**
 * The machine's CPUs as the timeline reaches their registers when it undoes or redoes a step:
 * read, and set without being recorded again.
 */
final class CpuRegisters implements RegisterSink {
  private final Cpu[] cpus;

  CpuRegisters(Cpu[] cpus) {
    this.cpus = cpus;
  }

  @Override
  public long value(int cpu, int reg) {
    return cpus[cpu].get(reg);
  }

  @Override
  public int cpus() {
    int n = 0;
    while (n < cpus.length && cpus[n] != null) {
      n++;
    }
    return n;
  }

  @Override
  public int registers(int cpu) {
    return cpus[cpu].registers().count();
  }

  @Override
  public void restore(int cpu, int reg, long value) {
    cpus[cpu].restore(reg, value);
  }
}
