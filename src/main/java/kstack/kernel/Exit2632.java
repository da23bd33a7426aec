package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The end of a task at 2.6.32 (kernel/exit.c@2.6.32.67): no do_task_dead yet, do_exit sets
 * TASK_DEAD and calls schedule() itself (exit.c@2.6.32:1033-1034); sys_wait4 fills wait_opts;
 * release_task's put_task_struct frees the stack with the task.
 */
public final class Exit2632 extends ExitWaitOpts {
  public Exit2632() {
    super(false, true, "kernel/exit.c@2.6.32.67:", "1094-1098", "1063-1091");
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHEDULE_SWITCH_INLINE);
  }

  @Override
  void buildDeadTail(Kernel k, RoutineBuilder b) {
    k.image.add(Exit.neverAgain(b.step("tsk->state = TASK_DEAD", x -> k.tasks.setState(k.current(x), Kernel.TASK_DEAD))
        .call("schedule(): the last switch away; finish_task_switch() in the next task drops "
            + "the task's reference to itself", "schedule", Args.inPlace()))
        .retVoid().build());
  }

  /** find_new_reaper (kernel/exit.c@2.6.32.67:727): no exit code in the words. */
  @Override
  public String initKilledPanic(long exitCode) {
    return Exit.INIT_KILLED;
  }
}
