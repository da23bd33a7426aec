package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.stack.TaskInfo;
import kstack.profile.Feature;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The boot story of the seed articles, checked in simulated memory. */
class BootTest {
  static List<Profile> profiles() {
    return kstack.TestMachines.x86_64ThreadInfoInTask();
  }

  private static long sym(Machine m, String name) {
    return m.symbols().get(name).address();
  }

  @Test
  void onLinux416TheFirstStepOfStartup64PointsRspAPtRegsBelowTheEndOfInitTask() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    m.addBreakpoint("startup_64");
    assertThat(m.boot().stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.stepi(1);
    long rsp = m.cpu(0).get("rsp");
    assertThat(rsp).isEqualTo(sym(m, "__end_init_task") - 168);
    assertThat(sym(m, "__end_init_task") - sym(m, "init_thread_union")).isEqualTo(16384);
  }

  @Test
  void onLinux619Startup64UsesTopInitKernelStackAndThereIsNoEndInitTask() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.addBreakpoint("startup_64");
    m.boot();
    m.stepi(1);
    assertThat(m.cpu(0).get("rsp")).isEqualTo(sym(m, "__top_init_kernel_stack"))
        .isEqualTo(sym(m, "__end_init_stack") - 168);
    assertThat(m.symbols().get("__end_init_task")).isNull();
    assertThat(m.symbols().get("initial_stack")).isNull();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void initStackIsThreadSizeAlignedAtTheStartOfDataAndInitTaskPointsAtIt(Profile p) {
    Machine m = Machine.create(p, 1);
    long initStack = sym(m, "init_stack");
    assertThat(initStack % 16384).isZero();
    assertThat(sym(m, "init_thread_union")).isEqualTo(initStack);
    long task = sym(m, "init_task");
    assertThat(m.kernel().stacks.stack(task)).isEqualTo(initStack);
    assertThat(m.kernel().tasks.comm(task)).isEqualTo("swapper");
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void bootCreatesPid1AndPid2OnTheirOwnAlignedStacks(Profile p) {
    Machine m = Machine.create(p, 1);
    Outcome o = m.boot();
    assertThat(o.stop()).isEqualTo(Outcome.Stop.DONE);
    List<TaskInfo> ps = m.inspector().ps();
    assertThat(ps).extracting(TaskInfo::pid).containsExactly(0, 1, 2);
    assertThat(ps).extracting(TaskInfo::comm).containsExactly("swapper/0", "init", "kthreadd");
    long s1 = m.kernel().stacks.stack(m.inspector().findTaskByVpid(1));
    long s2 = m.kernel().stacks.stack(m.inspector().findTaskByVpid(2));
    long initStack = sym(m, "init_stack");
    assertThat(s1).isNotEqualTo(s2).isNotEqualTo(initStack);
    assertThat(s2).isNotEqualTo(initStack);
    assertThat(s1 % 16384).isZero();
    assertThat(s2 % 16384).isZero();
    assertThat(m.kernelMemory().read64(s1)).isEqualTo(Kernel.STACK_END_MAGIC);
    assertThat(m.kernelMemory().read64(s2)).isEqualTo(Kernel.STACK_END_MAGIC);
    assertThat(m.kernelMemory().read64(initStack)).isEqualTo(Kernel.STACK_END_MAGIC);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everyCpusCurrentTaskIsInitTaskAtPowerOnAndSyscallInitSetsLstar(Profile p) {
    Machine m = Machine.create(p, 2);
    for (int c = 0; c < 2; c++) {
      assertThat(m.kernelMemory().read64(m.inspector().perCpuAddress("current_task", c)))
          .isEqualTo(sym(m, "init_task"));
    }
    m.boot();
    assertThat(m.cpu(0).get("lstar")).isEqualTo(sym(m, "entry_SYSCALL_64"));
    assertThat(m.cpu(1).get("lstar")).isEqualTo(sym(m, "entry_SYSCALL_64"));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void secondaryCpusGetIdleTasksWithTheirOwnStacks(Profile p) {
    Machine m = Machine.create(p, 3);
    m.boot();
    List<TaskInfo> ps = m.inspector().ps();
    assertThat(ps).extracting(TaskInfo::comm).startsWith("swapper/0", "swapper/1", "swapper/2");
    long idle1 = m.kernel().rq.idleTask(1);
    assertThat(m.kernel().tasks.pid(idle1)).isZero();
    assertThat(m.kernelMemory().read64(m.inspector().perCpuAddress("current_task", 1))).isEqualTo(idle1);
    assertThat(m.inspector().backtrace(null)).isNotEmpty();
    m.selectCpu(1);
    assertThat(m.inspector().backtrace(null)).extracting(f -> f.function())
        .contains("do_idle", "cpu_startup_entry", "start_secondary");
  }

  @Test
  void onlyTheProfilesWithTheFeatureHaveTheOldNames() {
    for (Profile p : kstack.TestMachines.x86_64ThreadInfoInTask()) {
      Machine m = Machine.create(p, 1);
      assertThat(m.symbols().has("_do_fork")).isEqualTo(p.has(Feature.DO_FORK));
      assertThat(m.symbols().has("kernel_clone")).isEqualTo(p.has(Feature.KERNEL_CLONE));
      assertThat(m.symbols().has("rsp_scratch")).isEqualTo(p.has(Feature.SYSCALL_SCRATCH_RSP_SCRATCH));
      assertThat(m.symbols().has("user_mode_thread")).isEqualTo(p.has(Feature.INIT_USER_MODE_THREAD));
      assertThat(m.symbols().has("__x64_sys_getpid")).isEqualTo(p.has(Feature.SYSCALL_PTREGS_WRAPPERS));
      assertThat(m.symbols().has("ret_from_fork_asm")).isEqualTo(p.has(Feature.RET_FROM_FORK_ASM_AND_C));
    }
  }

  @Test
  void onLinux416TheTopOfStackLivesInTssSp1AndOn619InItsOwnPerCpuVariable() {
    Machine old = Machine.create(Profiles.x86_64_4_16(), 1);
    old.boot();
    long tss = old.inspector().perCpuAddress("cpu_tss_rw", 0);
    long sp1 = tss + old.struct("tss_struct").offsetOfPath("x86_tss.sp1");
    assertThat(old.inspector().perCpuAddress("cpu_current_top_of_stack", 0)).isEqualTo(sp1);
    Machine now = Machine.create(Profiles.x86_64_6_19(), 1);
    now.boot();
    long tss6 = now.inspector().perCpuAddress("cpu_tss_rw", 0);
    assertThat(now.kernelMemory().read64(tss6 + now.struct("tss_struct").offsetOfPath("x86_tss.sp1")))
        .isZero();
    assertThat(now.symbols().get("cpu_current_top_of_stack")).isNotNull();
  }
}
