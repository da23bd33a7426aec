package kstack.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import kstack.stack.Frame;
import kstack.stack.Snapshot;
import kstack.stack.StackKind;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskInfo;
import kstack.stack.TaskStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inspector's snapshot ({@link Snapshot}): every task's own stack and every CPU's per-CPU stacks
 * of a booted machine, with their bounds, on each profile; and bt, stack and ps as its renderings.
 */
class SnapshotTest {

  /** One per-CPU stack as the profile has it on every CPU: kind, name, size in bytes. */
  record PerCpu(StackKind kind, String name, long size) {}

  private static PerCpu irq(long size) {
    return new PerCpu(StackKind.IRQ, "", size);
  }

  private static List<PerCpu> ist(long df, long nmi, long db, long mc) {
    return List.of(new PerCpu(StackKind.EXCEPTION, "#DF stack", df),
        new PerCpu(StackKind.EXCEPTION, "NMI stack", nmi),
        new PerCpu(StackKind.EXCEPTION, "#DB stack", db),
        new PerCpu(StackKind.EXCEPTION, "#MC stack", mc));
  }

  private static List<PerCpu> join(List<PerCpu> a, List<PerCpu> b) {
    List<PerCpu> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Each profile's per-CPU stacks, in the order the arch lists them: x86_64's IRQ stack
   * (IRQ_STACK_SIZE 16 KiB), 4.16's and 6.19's cpu_entry_area entry stack (64 words on 4.16, a page
   * on 6.19) and the IST stacks (EXCEPTION_STKSZ, DEBUG_STKSZ); i386's hardirq and softirq stacks
   * (THREAD_SIZE each; 2.6.32 without 4KSTACKS and 2.4 have none) and entry stack; arm64's IRQ
   * stack and overflow stack.
   */
  private static final Map<String, List<PerCpu>> PER_CPU = Map.of(
      "x86_64 2.6.32", join(List.of(irq(16384)), ist(4096, 4096, 8192, 4096)),
      "x86_64 4.16.13", join(List.of(irq(16384), new PerCpu(StackKind.ENTRY, "", 512)),
          ist(4096, 4096, 8192, 4096)),
      "x86_64 6.19", join(List.of(irq(16384), new PerCpu(StackKind.ENTRY, "", 4096)),
          ist(8192, 8192, 8192, 8192)),
      "i386 2.4.22", List.of(),
      "i386 2.6.11", List.of(),
      "i386 2.6.32", List.of(),
      "i386 4.16.13", List.of(irq(8192), new PerCpu(StackKind.SOFTIRQ, "", 8192),
          new PerCpu(StackKind.ENTRY, "", 256)),
      "i386 6.19", List.of(irq(8192), new PerCpu(StackKind.SOFTIRQ, "", 8192),
          new PerCpu(StackKind.ENTRY, "", 4096)),
      "arm64 4.16.13", List.of(irq(16384), new PerCpu(StackKind.OVERFLOW, "", 4096)),
      "arm64 6.19", List.of(irq(16384), new PerCpu(StackKind.OVERFLOW, "", 4096)));

  static List<Profile> profiles() {
    return Profiles.all();
  }

  /** Two CPUs where the profile boots more than one, so that per-CPU stacks are per CPU. */
  private static Machine booted(Profile p) {
    int n = 2;
    try {
      CpuLimits.check(p, n);
    } catch (IllegalArgumentException oneCpu) {
      n = 1;
    }
    Machine m = Machine.create(p, n);
    m.boot();
    m.spawn("sh");
    return m;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void snapshotOfABootedMachineHasEveryTasksStackAndEveryPerCpuStackWithItsBounds(Profile p) {
    Machine m = booted(p);
    Snapshot s = m.inspector().snapshot();
    long threadSize = m.kernel().threadSize;
    assertThat(s.tasks()).as("ps's tasks").extracting(TaskInfo::comm).contains("init", "sh");
    assertThat(s.taskStacks()).hasSameSizeAs(s.tasks());
    for (int i = 0; i < s.tasks().size(); i++) {
      TaskInfo t = s.tasks().get(i);
      TaskStack ts = s.taskStacks().get(i);
      assertThat(ts.damage()).as("pid %d", t.pid()).isNull();
      assertThat(ts.owner().pid()).isEqualTo(t.pid());
      assertThat(ts.owner().cpu()).isEqualTo(m.inspector().cpuRunning(t.task()));
      StackRegion r = ts.stack();
      assertThat(r.kind()).isEqualTo(StackKind.TASK);
      assertThat(r.low()).as("pid %d's stack base", t.pid()).isEqualTo(t.stack());
      assertThat(r.size()).isEqualTo(threadSize);
      assertThat(r.low() % threadSize).as("THREAD_SIZE-aligned").isZero();
      assertThat(r.words()).as("pid %d's labelled words", t.pid()).isNotEmpty()
          .allMatch(w -> r.range().holds(w.address(), 1));
    }
    String key = p.arch() + " " + p.version();
    List<PerCpu> expected = PER_CPU.get(key);
    assertThat(expected).as("an expectation for " + key).isNotNull();
    for (int c = 0; c < m.cpuCount(); c++) {
      int cpu = c;
      assertThat(s.cpuStacks()).filteredOn(r -> r.owner().cpu() == cpu)
          .as("cpu %d's per-CPU stacks on %s", c, key)
          .extracting(r -> new PerCpu(r.kind(), r.name(), r.size()))
          .containsExactlyElementsOf(expected);
    }
    List<StackRegion> all = s.regions();
    assertThat(all).hasSize(s.tasks().size() + expected.size() * m.cpuCount());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        StackRegion a = all.get(i);
        StackRegion b = all.get(j);
        boolean overlap = Long.compareUnsigned(a.low(), b.high()) < 0
            && Long.compareUnsigned(b.low(), a.high()) < 0;
        assertThat(overlap).as("%s %x..%x and %s %x..%x overlap", a.kind(), a.low(), a.high(),
            b.kind(), b.low(), b.high()).isFalse();
      }
    }
  }

  @Test
  void aPerCpuStackCarriesTheFramesOfTheHandlerRunningOnIt() {
    Machine m = TestMachines.spawned(Profiles.arm64_6_19());
    m.addBreakpoint("handle_irq_event");
    m.irq(5);
    Snapshot s = m.inspector().snapshot();
    StackRegion irq = s.cpuStacks().stream().filter(r -> r.kind() == StackKind.IRQ).findFirst()
        .orElseThrow();
    assertThat(irq.frames()).extracting(Frame::function).startsWith("handle_irq_event");
    assertThat(s.regionAt(m.cpu(0).get("sp"))).isEqualTo(irq);
    TaskStack sh = s.taskStacks().get(s.tasks().size() - 1);
    assertThat(sh.owner().comm()).isEqualTo("sh");
    assertThat(sh.backtrace()).as("the whole backtrace, across stacks")
        .extracting(Frame::stack).contains(StackKind.IRQ, StackKind.USER);
    assertThat(sh.stack().frames()).as("only the task stack's own frames")
        .allMatch(f -> f.stack() == StackKind.TASK);
  }

  @Test
  void btAndStackAreTheSameTaskStackTheSnapshotHolds() {
    Machine m = TestMachines.spawned(Profiles.x86_64_6_19());
    m.addBreakpoint("schedule");
    m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    Snapshot s = m.inspector().snapshot();
    int pid = m.kernel().tasks.pid(m.current());
    TaskStack fromSnapshot = s.taskStacks().stream().filter(t -> t.owner().pid() == pid)
        .findFirst().orElseThrow();
    TaskStack asked = m.inspector().taskStack(pid, true);
    assertThat(asked).isEqualTo(fromSnapshot);
    assertThat(m.inspector().backtrace(pid)).isEqualTo(fromSnapshot.backtrace());
    List<StackWord> words = m.inspector().stack(pid);
    assertThat(fromSnapshot.stack().words()).isEqualTo(words);
    assertThat(fromSnapshot.ptRegs()).isEqualTo(m.inspector().taskPtRegs(m.current()));
  }
}
