package kstack.arch.i386;

import static kstack.TestMachines.eval;
import static kstack.TestMachines.functions;
import static kstack.TestMachines.spawned;
import static kstack.TestMachines.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import kstack.trace.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SYSENTER through the vDSO's __kernel_vsyscall on every i386 profile (linux-facts §5.2): the CPU
 * pushes nothing, the entry code builds the same pt_regs an int $0x80 leaves, and SYSEXIT returns
 * to the vDSO's landing pad without popping the kernel stack. 2.4.22 has neither a SYSENTER path
 * nor a vDSO (research §1.3): its profile is left out here, and I386Linux24Test checks that
 * {@code sysenter} is refused there.
 */
class I386SysenterTest {
  static List<Profile> i386() {
    return Profiles.of("i386").stream()
        .filter(p -> !p.has(kstack.profile.Feature.TASK_UNION)).toList();
  }

  private static String syscallFn(Profile p) {
    return p.has(kstack.profile.Feature.SYSCALL_PTREGS_WRAPPERS) ? "__ia32_sys_getpid" : "sys_getpid";
  }

  private static String entry(Profile p) {
    if (p.has(kstack.profile.Feature.PT_REGS_60)) {
      return "sysenter_entry"; // entry.S@2.6.11:196
    }
    return p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE) ? "ia32_sysenter_target"
        : "entry_SYSENTER_32";
  }

  private static String landing(Profile p) {
    if (p.has(kstack.profile.Feature.PT_REGS_60)) {
      return "SYSENTER_RETURN"; // vsyscall-sysenter.S@2.6.11:32-34
    }
    return p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE) ? "VDSO32_SYSENTER_RETURN" : "int80_landing_pad";
  }

  /** A pt_regs member by its 2.6.32 name; 2.6.11's 60-byte pt_regs spells them xss, esp, eip... */
  private static long reg(Machine m, long regs, String f) {
    if (m.profile().has(kstack.profile.Feature.PT_REGS_60)) {
      f = switch (f) {
        case "ss", "cs" -> "x" + f;
        case "orig_ax" -> "orig_eax";
        default -> "e" + f;
      };
    }
    return word(m, regs + m.struct("pt_regs").offset(f));
  }

  @ParameterizedTest
  @MethodSource("i386")
  void theMsrsPointAtTheEntryAndAtAStackThatLeadsToTheTaskStack(Profile p) {
    Machine m = spawned(p);
    assertThat(m.cpu(0).get("sysenter_eip")).isEqualTo(m.symbol(entry(p)));
    assertThat(m.cpu(0).get("sysenter_cs")).isEqualTo(I386.KERNEL_CS);
    long esp = m.cpu(0).get("sysenter_esp");
    if (p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE)) {
      long tss = m.inspector().perCpuAddress("init_tss", 0);
      assertThat(esp).as("just past init_tss").isEqualTo(tss + m.struct("tss_struct").size());
      assertThat(word(m, tss + m.struct("tss_struct").offsetOfPath("x86_tss.sp1"))).as("tss.sp1")
          .isEqualTo(esp);
    } else {
      assertThat(esp).as("the entry stack's top").isEqualTo(EntryStack.top(m.kernel(), 0));
    }
  }

  /**
   * SYSENTER_ESP = cpu_entry_stack(cpu) + 1: the end of struct entry_stack, which starts its page.
   * 4.16: the page follows the gdt page and the stack is words[64], 256 bytes on i386
   * (cpu_entry_area.h@4.16.13:18-25, processor.h@4.16.13:340-346); 6.19: a guard page follows the
   * gdt and the stack fills its page (cpu_entry_area.h@6.19:90-101, processor.h@6.19:361-367).
   */
  @ParameterizedTest
  @MethodSource("i386")
  void sysenterEspIsTheEndOfTheEntryStackAtTheStartOfItsCpuEntryAreaPage(Profile p) {
    if (p.has(kstack.profile.Feature.THREAD_INFO_AT_BASE) || p.has(kstack.profile.Feature.PT_REGS_60)) {
      return; // 2.6.x: SYSENTER_ESP is just past the TSS (the test above)
    }
    Machine m = spawned(p);
    long area = m.kernel().image.constant("CPU_ENTRY_AREA_PER_CPU");
    boolean v6 = p.has(kstack.profile.Feature.IRQENTRY);
    long want = v6 ? area + 0x2000 + 4096 : area + 0x1000 + 256;
    assertThat(m.cpu(0).get("sysenter_esp")).isEqualTo(want);
  }

  @ParameterizedTest
  @MethodSource("i386")
  void sysenterBuildsTheSamePtRegsAtTheStackTopThatInt80Does(Profile p) {
    Machine m = spawned(p);
    long userSp = m.cpu(0).get("esp");
    long userBp = m.cpu(0).get("ebp");
    long regs = m.inspector().taskPtRegs(m.current());
    m.addBreakpoint(syscallFn(p));
    assertThat(m.sysenter("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(reg(m, regs, "ss")).isEqualTo(I386.USER_DS);
    assertThat(reg(m, regs, "cs")).isEqualTo(I386.USER_CS);
    assertThat(reg(m, regs, "sp")).as("the user esp after call + push ecx, edx, ebp")
        .isEqualTo(userSp - 16);
    assertThat(reg(m, regs, "bp")).as("the 6th argument slot, re-read from the user stack")
        .isEqualTo(userBp);
    assertThat(reg(m, regs, "ip")).isEqualTo(m.symbol(landing(p)));
    assertThat(reg(m, regs, "orig_ax")).isEqualTo(20);
    assertThat(functions(m, null)).containsSubsequence(syscallFn(p), "--- pt_regs ---",
        landing(p), "main", "_start");
  }

  @ParameterizedTest
  @MethodSource("i386")
  void sysexitReturnsThroughTheVdsoWithTheResult(Profile p) {
    Machine m = spawned(p);
    long userSp = m.cpu(0).get("esp");
    long pc = m.cpu(0).pc();
    assertThat(m.sysenter("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.DONE);
    assertThat(m.cpu(0).get("eax")).isEqualTo(m.kernel().tasks.pid(m.current()));
    assertThat(m.cpu(0).get("esp")).isEqualTo(userSp);
    assertThat(m.cpu(0).pc()).isEqualTo(pc);
    assertThat(m.timeline().events()).anyMatch(e -> e instanceof Event.ReturnToUser r
        && r.path() == Event.ReturnPath.SYSEXIT);
  }

  @ParameterizedTest
  @MethodSource("i386")
  void anExecThroughSysenterStartsTheNewProgramAtStart(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("_start");
    assertThat(m.sysenter("execve", List.of(Machine.Arg.of("ls"))).stop())
        .isEqualTo(Outcome.Stop.BREAKPOINT);
    assertThat(m.kernel().tasks.comm(m.current())).isEqualTo("ls");
  }

  @ParameterizedTest
  @MethodSource("i386")
  void aForkedChildLeavesItsFirstReturnThroughTheVdsoLandingPad(Profile p) {
    Machine m = spawned(p);
    m.addBreakpoint("ret_from_fork");
    // 2.6.11 runs the child first (kernel/sched.c@2.6.11:1229-1245): it stops at its switch-in
    boolean first = m.sysenter("fork", List.of()).stop() == Outcome.Stop.BREAKPOINT;
    long child = first ? m.current() : m.inspector().findTaskByVpid((int) m.cpu(0).get("eax"));
    assertThat(first).isEqualTo(p.has(kstack.profile.Feature.SCHED_O1_2611));
    assertThat(reg(m, m.inspector().taskPtRegs(child), "ip")).isEqualTo(m.symbol(landing(p)));
    assertThat(reg(m, m.inspector().taskPtRegs(child), "ax")).isZero();
  }

  @org.junit.jupiter.api.Test
  void onTwoSixThreadInfoHoldsTheReturnAddressExecSetUp() {
    Machine m = spawned(Profiles.i386_2_6_32());
    assertThat(eval(m, "current_thread_info()->sysenter_return")).isEqualTo(m.symbol("VDSO32_SYSENTER_RETURN"));
  }

  @org.junit.jupiter.api.Test
  void onTwoSixElevenStiComesBeforeThePushesAndTheSixthArgumentIsSavedBySaveAll() {
    Machine m = spawned(Profiles.i386_2_6_11());
    assertThat(m.symbols().get("ia32_sysenter_target")).isNull();
    m.addBreakpoint("sys_getpid");
    assertThat(m.sysenter("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long regs = m.inspector().taskPtRegs(m.current());
    assertThat(reg(m, regs, "flags") & I386.EFLAGS_IF).as("pushfl after sti").isNotZero();
    assertThat(m.struct("thread_info").has("sysenter_return")).as("pt_regs->eip is the constant "
        + "$SYSENTER_RETURN").isFalse();
  }

  @org.junit.jupiter.api.Test
  void x86_64HasNoSysenterEntry() {
    Machine m = spawned(Profiles.x86_64_6_19());
    assertThatThrownBy(() -> m.sysenter("getpid", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SYSCALL");
  }
}
