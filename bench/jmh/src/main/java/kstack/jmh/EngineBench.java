package kstack.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.mem.Memory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's parts, one at a time, through the machine's public calls only (so that they keep
 * measuring the same thing while the engine underneath is rewritten): a kernel memory read, a
 * journaled store taken back, one step taken and reversed, and a whole getpid round trip with the
 * trace on and off. A fresh booted machine per iteration keeps the history of the round trips from
 * piling up across iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBench {
  @Param({"x86_64 6.x"})
  public String profile;

  private Machine m;
  private Memory mem;
  private long addr;

  @Setup(Level.Iteration)
  public void boot() {
    String[] p = profile.split(" ");
    m = Machine.create(Profiles.find(p[0], p[1]).orElseThrow(), 1);
    m.boot();
    m.spawn("bench");
    mem = m.kernelMemory();
    addr = m.symbol("init_task");
  }

  /** A machine halfway through a getpid taken back, where stepping executes the kernel. */
  @State(Scope.Thread)
  public static class MidSyscall {
    Machine m;

    @Setup(Level.Iteration)
    public void setUp(EngineBench b) {
      String[] p = b.profile.split(" ");
      m = Machine.create(Profiles.find(p[0], p[1]).orElseThrow(), 1);
      m.boot();
      m.spawn("bench");
      long s0 = m.timeline().steps();
      m.syscall("getpid", List.of());
      m.reverseStepi((int) (m.timeline().steps() - s0) / 2);
    }
  }

  /** One 8-byte read of kernel memory (region lookup and the bytes). */
  @Benchmark
  public long memoryRead() {
    return mem.read(addr, 8);
  }

  /** One journaled 8-byte store into kernel memory, then the journal taken back to before it. */
  @Benchmark
  public long journalAppendAndUndo() {
    int at = m.timeline().position();
    long steps = m.timeline().steps();
    long old = mem.read(addr, 8);
    mem.write(addr, 8, old + 1);
    m.timeline().undoTo(at, steps);
    return old;
  }

  /** One instruction or C-level step inside getpid, then reverse-stepi over it. */
  @Benchmark
  public Object stepAndReverse(MidSyscall s) {
    s.m.stepi(1);
    return s.m.reverseStepi(1);
  }

  /** A getpid round trip, user mode to user mode, with the trace (and history) on. */
  @Benchmark
  public Object getpidTraceOn() {
    return m.syscall("getpid", List.of());
  }

  /** A getpid round trip with the trace off. */
  @Benchmark
  public Object getpidTraceOff() {
    m.timeline().setRecording(false);
    Object o = m.syscall("getpid", List.of());
    m.timeline().dropEvents();
    return o;
  }
}
