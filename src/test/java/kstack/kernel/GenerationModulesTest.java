package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import kstack.catalog.Profiles;
import kstack.machine.Machine;
import kstack.profile.Feature;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The profile table's picks of the kernel's process-life-cycle modules agree with the images they
 * build: the feature a module cites names the routines that appear, and no other generation's.
 */
class GenerationModulesTest {
  static List<Profile> profiles() {
    return Profiles.all();
  }

  /** The process-creation entry each entry feature cites (kernel/fork.c of its generation). */
  private static final Map<Feature, String> ENTRIES = Map.of(Feature.FORK_PASSES_REGS, "do_fork",
      Feature.DO_FORK, "_do_fork", Feature.KERNEL_CLONE, "kernel_clone");

  private static boolean has(Machine m, String symbol) {
    return m.symbols().get(symbol) != null;
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void theProcessCreationModuleCitesExactlyTheEntryTheImageHas(Profile p) {
    Set<Feature> cited = p.module(ProcessCreation.class).features();
    Machine m = Machine.create(p, 1);
    List<Feature> entries = ENTRIES.keySet().stream().filter(cited::contains).toList();
    assertThat(entries).as(p.label()).hasSize(1);
    ENTRIES.forEach((f, entry) -> assertThat(has(m, entry)).as(p.label() + " " + entry)
        .isEqualTo(cited.contains(f)));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void kthreaddIsInTheImageExactlyWhereTheKthreadModelCitesNoOtherModel(Profile p) {
    Set<Feature> cited = p.module(KthreadModel.class).features();
    boolean other = cited.contains(Feature.NO_KTHREADD) || cited.contains(Feature.KTHREAD_HELPER_WQ);
    Machine m = Machine.create(p, 1);
    assertThat(has(m, "kthreadd")).as(p.label()).isEqualTo(!other);
    assertThat(has(m, "helper_wq")).as(p.label())
        .isEqualTo(cited.contains(Feature.KTHREAD_HELPER_WQ));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void userModeThreadStartsPidOneExactlyWhereTheInitPathCitesIt(Profile p) {
    boolean cited = p.module(InitPath.class).features().contains(Feature.INIT_USER_MODE_THREAD);
    Machine m = Machine.create(p, 1);
    assertThat(has(m, "user_mode_thread")).as(p.label()).isEqualTo(cited);
    assertThat(has(m, "kernel_init")).as(p.label()).isEqualTo(has(m, "kthreadd"));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void onlyTheGenerationsAfterTwoSixHaveDoTaskDead(Profile p) {
    Set<Feature> cited = p.module(TaskExit.class).features();
    Machine m = Machine.create(p, 1);
    assertThat(has(m, "do_task_dead")).as(p.label())
        .isEqualTo(cited.contains(Feature.DO_FORK) || cited.contains(Feature.KERNEL_CLONE));
  }
}
