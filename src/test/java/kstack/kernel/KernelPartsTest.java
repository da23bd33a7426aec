package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.mem.Memory;
import kstack.mem.Region;
import kstack.profile.Profile;
import kstack.trace.Timeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kernel's parts on their own: the allocator, the run queues, the pid table, the task list. */
class KernelPartsTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  @Test
  void allocPagesAlignedHandsOutBlocksAlignedToTheirOwnPowerOfTwoSize() {
    Memory mem = new Memory(0, "kernel");
    Timeline tl = TestTimelines.noCpus();
    tl.attach(mem);
    PageAllocator pages = new PageAllocator(mem, tl, 4096, 0x1000_1000L,
        0x8000_0000L, 1);
    long a = pages.allocPagesAligned(4096 * 3, "three pages"); // rounded up to four
    assertThat(a & (4 * 4096 - 1)).isZero();
    long b = pages.allocPagesAligned(16384, "a 16 KiB stack");
    assertThat(b & (16384 - 1)).isZero();
    assertThat(b).isGreaterThanOrEqualTo(a + 4 * 4096);
    // the pages skipped for alignment are mapped as free direct-map pages, not lost
    assertThat(mem.regionAt(0x1000_1000L).name()).isEqualTo("free pages");
  }

  @Test
  void vmallocLeavesAGuardPageAfterEachAreaAndAlignsTheNext() {
    Memory mem = new Memory(0, "kernel");
    Timeline tl = TestTimelines.noCpus();
    tl.attach(mem);
    PageAllocator pages = new PageAllocator(mem, tl, 4096, 0x1000_0000L,
        0x8000_0000L, 1);
    long a = pages.vmalloc(16384, 16384, "stack A");
    long b = pages.vmalloc(16384, 16384, "stack B");
    assertThat(mem.regionAt(a + 16384).kind()).isEqualTo(Region.Kind.GUARD);
    assertThat(b & (16384 - 1)).isZero();
    assertThat(b).isGreaterThan(a + 16384);
  }

  @Test
  void thePidTableHandsOutPidsInOrderAndForgetsUnregisteredTasks() {
    PidTable pids = new PidTable(TestTimelines.noCpus(), 8);
    int one = pids.allocPid();
    int two = pids.allocPid();
    assertThat(List.of(one, two)).containsExactly(1, 2);
    pids.registerTask(two, 0x1234);
    assertThat(pids.findTask(2)).isEqualTo(0x1234);
    pids.unregisterTask(2);
    assertThat(pids.findTask(2)).isZero();
    assertThat(pids.lastPid()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void wakeUpMakesASleeperRunnableAndQueuesItOnItsCpu(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    Kernel k = m.kernel();
    long init = k.pids.findTask(1);
    k.tasks.setState(init, Kernel.TASK_INTERRUPTIBLE);
    k.rq.runQueue(0).remove(init);
    long cur = k.current(0);
    boolean woken = k.rq.wakeUp(init, 0, "the test");
    assertThat(woken).isEqualTo(cur != init);
    assertThat(k.tasks.state(init)).isEqualTo(Kernel.TASK_RUNNING);
    assertThat(k.rq.runQueue(0).contains(init) || cur == init).isTrue();
    // a running task is not woken again
    assertThat(k.rq.wakeUp(init, 0, "the test")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void enqueueOnAnIdleCpuSetsNeedReschedOnItsIdleTask(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    Kernel k = m.kernel();
    long idle = k.rq.idleTask(0);
    if (k.current(0) != idle) {
      return; // only an idle CPU is the case here
    }
    k.rq.setNeedResched(idle, false);
    k.rq.enqueue(0, k.pids.findTask(1));
    assertThat(k.rq.needResched(idle)).isTrue();
  }

  @Test
  void aCpuNumberOutOfRangeIsNamedAsACorruptTaskNotIndexed() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    assertThatThrownBy(() -> m.kernel().rq.runQueue(7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cpu field reads 7 on a 1-CPU machine");
  }
}
