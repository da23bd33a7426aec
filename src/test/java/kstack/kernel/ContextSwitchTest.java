package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** __switch_to_asm and __switch_to, checked in the bytes they leave behind. */
class ContextSwitchTest {
  static List<Profile> profiles() {
    return kstack.TestMachines.x86_64ThreadInfoInTask();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void aSwitchedOutTaskKeepsItsCalleeSavedRegistersAndReturnAddressAtThreadSp(Profile p) {
    Machine m = Machine.create(p, 1);
    m.boot();
    m.spawn("sh");
    m.addBreakpoint("__switch_to");
    Outcome o = m.syscall("nanosleep", List.of(Machine.Arg.of(1000)));
    assertThat(o.stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long prev = m.inspector().findTaskByVpid(3);
    long sp = m.kernel().tasks.threadSp(prev);
    var f = m.struct("inactive_task_frame");
    long ret = m.kernelMemory().read64(sp + f.offset("ret_addr"));
    assertThat(m.symbols().describe(ret)).startsWith("__schedule+0x");
    assertThat(sp).isBetween(m.kernel().stacks.stack(prev), m.inspector().taskPtRegs(prev));
    long bp = m.kernelMemory().read64(sp + f.offset("bp"));
    assertThat(m.kernelMemory().read64(bp + 8)).as("__schedule's caller")
        .isEqualTo(m.kernelMemory().read64(bp + 8));
    assertThat(m.symbols().describe(m.kernelMemory().read64(bp + 8))).startsWith("schedule+0x");
    // before __switch_to runs, current_task is still prev; after it, next
    assertThat(m.kernelMemory().read64(m.inspector().perCpuAddress("current_task", 0))).isEqualTo(prev);
    m.deleteBreakpoints();
    m.finish();
    long next = m.kernelMemory().read64(m.inspector().perCpuAddress("current_task", 0));
    assertThat(next).isNotEqualTo(prev);
    assertThat(m.kernelMemory().read64(m.inspector().perCpuAddress("cpu_current_top_of_stack", 0)))
        .isEqualTo(m.inspector().taskTopOfStack(next));
    assertThat(m.cpu(0).get("rax")).as("__switch_to returns prev").isEqualTo(prev);
  }
}
