package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** User functions under the SysV ABI, checked on the user stack. */
class UserCallsTest {
  private Machine spawned() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    m.spawn("sh");
    return m;
  }

  @Test
  void nestedCallsLeaveReturnAddressesAndSavedRbpOnTheUserStack() {
    Machine m = spawned();
    m.addBreakpoint("inner");
    m.call("outer", List.of(5L));
    assertThat(m.inspector().backtrace(null)).extracting(Frame::function)
        .containsExactly("inner", "middle", "outer", "main", "_start");
    assertThat(m.cpu(0).get("rdi")).isEqualTo(5);
    assertThat(m.cpu(0).get("rsi")).isEqualTo(6);
    assertThat(m.cpu(0).get("rdx")).isEqualTo(11);
    long sp = m.cpu(0).get("rsp");
    assertThat(m.symbols().describe(m.inspector().read(sp, 8))).startsWith("middle+0x");
    m.deleteBreakpoints();
    m.continueRun();
    assertThat(m.cpu(0).get("rax")).isEqualTo((5L * 6 + 11) * 2 + 1);
  }

  @Test
  void theSeventhAndEighthArgumentsArePassedOnTheStack() {
    Machine m = spawned();
    m.addBreakpoint("sum8");
    m.call("call8", List.of(10L));
    long sp = m.cpu(0).get("rsp");
    assertThat(m.inspector().read(sp + 8, 8)).as("g").isEqualTo(16);
    assertThat(m.inspector().read(sp + 16, 8)).as("h").isEqualTo(17);
    assertThat(m.cpu(0).get("r9")).as("f").isEqualTo(15);
    m.deleteBreakpoints();
    m.continueRun();
    assertThat(m.cpu(0).get("rax")).isEqualTo(10 + 11 + 12 + 13 + 14 + 15 + 16 + 17);
  }

  @Test
  void aCloneVmChildSharesTheParentsMm() {
    Machine m = spawned();
    m.syscall("clone", List.of(Machine.Arg.of(0x100 | 17), Machine.Arg.of(0x7fffffff0000L)));
    long parent = m.inspector().findTaskByVpid(3);
    long child = m.inspector().findTaskByVpid(4);
    long mm = m.kernel().tasks.taskRead(parent, TaskMember.mm);
    assertThat(m.kernel().tasks.taskRead(child, TaskMember.mm)).isEqualTo(mm);
    assertThat(m.kernelMemory().read(mm + m.struct("mm_struct").offset("mm_users"), 4)).isEqualTo(2);
    long regs = m.inspector().taskPtRegs(child);
    assertThat(m.kernelMemory().read64(regs + m.struct("pt_regs").offset("sp")))
        .isEqualTo(0x7fffffff0000L);
  }

  @Test
  void execveGivesAFreshUserStackAndTheNewName() {
    Machine m = spawned();
    m.syscall("execve", List.of(Machine.Arg.of("editor")));
    assertThat(m.kernel().tasks.comm(m.current())).isEqualTo("editor");
    assertThat(m.kernel().tasks.pid(m.current())).isEqualTo(3);
    assertThat(m.inspector().backtrace(null)).extracting(Frame::function).containsExactly("main", "_start");
    long sp = m.cpu(0).get("rsp");
    assertThat(sp).isLessThan(0x7ffffffff000L).isGreaterThan(0x7ffffffde000L);
  }
}
