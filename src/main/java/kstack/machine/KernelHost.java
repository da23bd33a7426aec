package kstack.machine;

import kstack.cpu.Cpu;
import kstack.exec.CodeMap;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.mem.Memory;

/**
 * The machine as the kernel sees it: each CPU and its per-CPU offset (filled in when the image is
 * linked), the timeline new address spaces attach to, symbols, and the routine at an address.
 */
final class KernelHost implements Kernel.Host {
  private final Machine m;
  private final CodeMap code;
  private final long[] perCpuOffsets;

  KernelHost(Machine m, CodeMap code, long[] perCpuOffsets) {
    this.m = m;
    this.code = code;
    this.perCpuOffsets = perCpuOffsets;
  }

  @Override
  public long perCpuOffset(int cpu) {
    return perCpuOffsets[cpu];
  }

  @Override
  public Cpu cpu(int cpu) {
    return m.cpu(cpu);
  }

  @Override
  public void attachSpace(Memory mem) {
    m.timeline().attach(mem);
  }

  @Override
  public long symbol(String name) {
    return m.symbol(name);
  }

  @Override
  public Routine routineAt(long pc) {
    return code.at(pc);
  }

  @Override
  public Memory userMemoryOf(long task) {
    Kernel k = m.kernel();
    return k.mm.userSpace(k.tasks.taskRead(task, TaskMember.mm));
  }
}
