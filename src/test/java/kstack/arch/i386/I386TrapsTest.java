package kstack.arch.i386;

import static kstack.TestMachines.functions;
import static kstack.TestMachines.spawned;
import static kstack.TestMachines.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Feature;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * #DB and #MC on i386: interrupt gates without IST, so no stack of their own. 2.4.22's entries
 * (trap gates into error_code, whose handlers take their arguments on the stack) have their own
 * test in I386Linux24Test.
 */
class I386TrapsTest {
  static List<Profile> i386() {
    return Profiles.of("i386").stream().filter(p -> !p.has(Feature.TASK_UNION)).toList();
  }

  /** A pt_regs member by its 2.6.32 name; 2.6.11's 60-byte pt_regs spells them xcs, esp, orig_eax. */
  private static long reg(Machine m, long regs, String f) {
    if (m.profile().has(Feature.PT_REGS_60)) {
      f = switch (f) {
        case "cs", "es", "ss" -> "x" + f;
        case "orig_ax" -> "orig_eax";
        default -> "e" + f;
      };
    }
    return word(m, regs + m.struct("pt_regs").offset(f));
  }

  /** machine_check_vector's value: 2.6.11's intel_machine_check (p6.c@2.6.11:83-97). */
  private static String mcFn(Profile p) {
    return p.has(Feature.PT_REGS_60) ? "intel_machine_check" : "do_machine_check";
  }

  private static String debugFn(Profile p) {
    return p.has(Feature.IRQENTRY) ? "exc_debug_user" : "do_debug";
  }

  @ParameterizedTest
  @MethodSource("i386")
  void aKernelModeMachineCheckRunsOnTheStackItInterrupted(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("vfs_write");
    m.syscall("write", List.of(Machine.Arg.of(1), Machine.Arg.of("x")));
    long sp = m.cpu(0).get("esp");
    long stack = m.kernel().stacks.stack(m.current());
    m.addBreakpoint(mcFn(p));
    assertThat(m.exception("mc").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long esp = m.cpu(0).get("esp");
    assertThat(esp).isBetween(stack, sp);
    assertThat(functions(m, null)).containsSubsequence(mcFn(p), "--- pt_regs ---",
        "vfs_write", "--- pt_regs ---", "main");
    m.deleteBreakpoints();
    assertThat(m.continueRun().stop()).isEqualTo(Outcome.Stop.DONE);
  }

  @ParameterizedTest
  @MethodSource("i386")
  void aUserModeDebugTrapBuildsPtRegsAtTheTopOfTheTaskStack(Profile p) {
    Machine m = spawned(p);
    long userSp = m.cpu(0).get("esp");
    long regs = m.inspector().taskPtRegs(m.current());
    m.addBreakpoint(debugFn(p));
    assertThat(m.exception("db").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(reg(m, regs, "cs")).isEqualTo(I386.USER_CS);
    assertThat(reg(m, regs, "sp")).isEqualTo(userSp);
    assertThat(reg(m, regs, "orig_ax")).as("not a system call").isEqualTo(0xffffffffL);
    assertThat(m.cpu(0).get("eflags") & I386.EFLAGS_IF).as("an interrupt gate").isZero();
  }

  @ParameterizedTest
  @MethodSource("i386")
  void theMachineCheckStubPassesItsHandlerInTheGsSlot(Profile p) {
    Machine m = spawned(p);
    long regs = m.inspector().taskPtRegs(m.current());
    long gs = m.cpu(0).get("gs");
    long es = m.cpu(0).get("es");
    m.addBreakpoint(mcFn(p));
    assertThat(m.exception("mc").stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    if (p.has(Feature.PT_REGS_60)) {
      assertThat(reg(m, regs, "es")).as("2.6.11: the es slot carried it; %es put back").isEqualTo(es);
      assertThat(m.cpu(0).get("edi")).as("the handler, taken from the slot")
          .isEqualTo(m.symbol("intel_machine_check"));
      assertThat(m.cpu(0).get("eflags") & I386.EFLAGS_IF).as("a trap gate from user mode")
          .isNotZero();
    } else if (p.has(Feature.IRQENTRY)) {
      assertThat(reg(m, regs, "gs")).as("6.19: skip_gs leaves the address there")
          .isEqualTo(m.symbol("exc_machine_check"));
    } else {
      assertThat(reg(m, regs, "gs")).as("REG_TO_PTGS put %gs back").isEqualTo(gs);
      assertThat(m.cpu(0).get("edi")).as("the handler, taken from the slot")
          .isEqualTo(m.symbol("do_machine_check"));
    }
    assertThat(reg(m, regs, "orig_ax")).isEqualTo(0xffffffffL);
  }

  @org.junit.jupiter.api.Test
  void aDebugTrapAtSysentersFirstInstructionIsHandledOnTheTaskStack() {
    for (Profile p : List.of(Profiles.i386_2_6_11(), Profiles.i386_2_6_32(), Profiles.i386_4_16())) {
      Machine m = spawned(p);
      long stack = m.kernel().stacks.stack(m.current());
      boolean v26 = p.has(Feature.THREAD_INFO_AT_BASE);
      m.addBreakpoint(p.has(Feature.PT_REGS_60) ? "sysenter_entry" : v26 ? "ia32_sysenter_target"
          : "entry_SYSENTER_32");
      assertThat(m.sysenter("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
      m.deleteBreakpoints();
      m.addBreakpoint("do_debug");
      assertThat(m.exception("db").stop()).as(p.toString()).isEqualTo(Outcome.Stop.BREAKPOINT);
      assertThat(m.cpu(0).get("esp")).as(p + ": do_debug runs on the task stack")
          .isBetween(stack, stack + 8192);
      if (v26) {
        assertThat(functions(m, null)).as("FIX_STACK forged a #DB at sysenter_past_esp")
            .containsSubsequence("do_debug", "debug", "--- pt_regs ---", "sysenter_past_esp");
        m.deleteBreakpoints();
        assertThat(m.continueRun().message()).as(p + ": the outcome says why the goal moved")
            .startsWith("exception db: handled, but the interrupted code never resumed at "
                + (p.has(Feature.PT_REGS_60) ? "sysenter_entry" : "ia32_sysenter_target"))
            .contains("the entry code moved the frame (as FIX_STACK does");
      }
    }
  }
}
