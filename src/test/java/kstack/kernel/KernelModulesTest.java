package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.catalog.Profiles;
import kstack.exec.Insn;
import kstack.machine.Machine;
import kstack.profile.Feature;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/**
 * The kernel's generation modules as the profile table picks them: each pick agrees with the cited
 * features the profile reports, and the routines a module builds show its choice.
 */
class KernelModulesTest {
  private static String text(Machine m, String fn) {
    return String.join("\n", m.routineAt(m.symbol(fn)).insns().stream().map(Insn::text).toList());
  }

  @Test
  void onlyTheX8664OrcBuildsCompileReturnCallsAsJumps() {
    for (Profile p : Profiles.all()) {
      boolean orc = p.arch().equals("x86_64") && !p.kernel().equals("2.6");
      assertThat(p.module(CallShape.class).jumps()).as(p.label()).isEqualTo(orc);
      assertThat(p.has(Feature.SIBLING_CALLS)).as(p.label()).isEqualTo(orc);
    }
  }

  @Test
  void irqExitRunsSoftirqsWhereTheProfilesSoftirqInvokeSays() {
    for (Profile p : Profiles.all()) {
      if (!(p.module(IrqCore.class) instanceof GenIrq)) {
        continue; // 2.4 and 2.6.11 have their own irq_exit (Irq24, Softirq2611)
      }
      SoftirqInvoke invoke = p.has(Feature.SOFTIRQ_VIA_DO_SOFTIRQ) ? SoftirqInvoke.DO_SOFTIRQ
          : p.has(Feature.SOFTIRQ_ON_OWN_STACK) ? SoftirqInvoke.OWN_STACK : SoftirqInvoke.IN_PLACE;
      Machine m = Machine.create(p, 1);
      String exit = p.has(Feature.IRQENTRY) ? "irq_exit_rcu" : "irq_exit";
      assertThat(text(m, exit)).as(p.label()).contains("  " + invoke.target + "(): ");
    }
  }

  @Test
  void theSchedulerPickFollowsTheCitedSchedulerFeatures() {
    for (Profile p : Profiles.all()) {
      Scheduler s = p.module(Scheduler.class);
      assertThat(s instanceof Sched2611).as(p.label()).isEqualTo(p.has(Feature.SCHED_O1_2611));
      assertThat(s instanceof Sched24).as(p.label()).isEqualTo(p.has(Feature.SCHED_24));
      assertThat(s instanceof SchedLoop6).as(p.label()).isEqualTo(p.has(Feature.SCHEDULE_LOOP));
      assertThat(s instanceof SchedCore).as(p.label())
          .isEqualTo(!p.has(Feature.SCHEDULE_SWITCH_INLINE));
    }
  }

  @Test
  void theTimerListGenerationsSleepInScheduleTimeoutAndTheOthersOnAnHrtimer() {
    for (Profile p : Profiles.all()) {
      Machine m = Machine.create(p, 1);
      boolean timerList = !(p.module(Nanosleep.class) instanceof HrtimerSleep);
      assertThat(timerList).as(p.label())
          .isEqualTo(p.has(Feature.NO_HRTIMERS) || p.has(Feature.TIMER_BH));
      assertThat(text(m, nanosleep(m)))
          .as(p.label()).contains(timerList ? "schedule_timeout" : "hrtimer_nanosleep");
    }
  }

  /** The routine the system call table names for nanosleep. */
  private static String nanosleep(Machine m) {
    return m.kernel().arch.syscallSymbol(m.profile(), "nanosleep", 2);
  }

  @Test
  void sixXReadersOfAnEmptyPipeWaitInPlaceAndEarlierOnesInPipeWait() {
    for (Profile p : Profiles.all()) {
      Machine m = Machine.create(p, 1);
      boolean six = p.module(Vfs.class) instanceof Vfs6;
      assertThat(m.symbols().get("pipe_wait") == null).as(p.label()).isEqualTo(six);
    }
  }
}
