package kstack.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.machine.Machine;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

class TimelineTest {
  @Test
  void undoingABootRestoresEveryByteAndRegister() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    long[] regs = m.cpu(0).snapshot();
    long initStackTop = m.symbols().get("__end_init_task").address() - 8;
    long before = m.kernelMemory().read64(initStackTop);
    int start = m.timeline().position();
    m.boot();
    m.spawn("sh");
    m.syscall("getpid", List.of());
    assertThat(m.cpu(0).snapshot()).isNotEqualTo(regs);
    m.timeline().undoTo(start, 0);
    assertThat(m.cpu(0).snapshot()).isEqualTo(regs);
    assertThat(m.kernelMemory().read64(initStackTop)).isEqualTo(before);
    assertThat(m.kernel().pids.findTask(1)).isZero();
    assertThat(m.timeline().events()).isEmpty();
  }

  @Test
  void theWritesOfAWindowGiveEachStoresOldAndNewValueEvenWhenStoresOverlap() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    m.boot();
    var mem = m.kernelMemory();
    long a = m.symbols().get("init_filename").address();
    long was = mem.read64(a);
    int from = m.timeline().position();
    mem.write(a, 8, 0x1122334455667788L);
    mem.write(a + 2, 2, 0xaabbL);
    mem.write(a, 8, 0x0102030405060708L);
    int to = m.timeline().position();
    List<MemoryWrite> w = m.timeline().writes(from, to);
    assertThat(w).extracting(MemoryWrite::addr, MemoryWrite::size, MemoryWrite::old,
        MemoryWrite::value).containsExactly(
            org.assertj.core.groups.Tuple.tuple(a, 8, was, 0x1122334455667788L),
            org.assertj.core.groups.Tuple.tuple(a + 2, 2, 0x5566L, 0xaabbL),
            org.assertj.core.groups.Tuple.tuple(a, 8, 0x11223344aabb7788L, 0x0102030405060708L));
    assertThat(w).allMatch(MemoryWrite::valueKnown);
  }

  @Test
  void aSystemCallsWritesIncludeTheReturnValueStoredInPtRegs() {
    Machine m = kstack.TestMachines.spawned(Profiles.x86_64_6_19());
    long pid = m.kernel().tasks.pid(m.current());
    long ax = m.inspector().taskPtRegs(m.current()) + m.struct("pt_regs").offset("ax");
    int from = m.timeline().position();
    m.syscall("getpid", List.of());
    assertThat(m.timeline().writes(from, m.timeline().position()))
        .anyMatch(w -> w.addr() == ax && w.size() == 8 && w.value() == pid);
  }
}
