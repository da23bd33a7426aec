package kstack.kernel;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/** The end of a task at 4.16 (kernel/exit.c@4.16.13): do_task_dead, and kernel_wait4. */
public final class Exit416 extends ExitWaitOpts {
  public Exit416() {
    super(true, false, "kernel/exit.c@4.16.13:", "977-981", "945-975");
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.DO_FORK);
  }

  @Override
  void buildDeadTail(Kernel k, RoutineBuilder b) {
    buildDoTaskDead(k, b);
  }

  /** find_child_reaper (kernel/exit.c@4.16.13:578-579): the exit code as %08x. */
  @Override
  public String initKilledPanic(long exitCode) {
    return String.format(Exit.INIT_KILLED_EXITCODE, exitCode);
  }
}
