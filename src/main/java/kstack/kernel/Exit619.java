package kstack.kernel;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The end of a task at 6.19 (kernel/exit.c@6.19): exit_task_stack_account after exit_notify, then
 * do_task_dead; kernel_wait4.
 */
public final class Exit619 extends ExitWaitOpts {
  public Exit619() {
    super(true, false, "kernel/exit.c@6.19:", "1121-1126", "1086-1115");
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KERNEL_CLONE);
  }

  @Override
  void buildDeadTail(Kernel k, RoutineBuilder b) {
    buildDoTaskDead(k, b.step("exit_task_stack_account(tsk) (accounting only; the stack is still "
        + "in use)", x -> { }));
  }

  /** do_exit (kernel/exit.c@6.19:925-926): the exit code as %08x. */
  @Override
  public String initKilledPanic(long exitCode) {
    return String.format(Exit.INIT_KILLED_EXITCODE, exitCode);
  }
}
