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
}
