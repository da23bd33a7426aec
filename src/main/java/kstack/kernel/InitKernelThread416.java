package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The init path at 4.16 (init/main.c@4.16.13): rest_init forks pid 1 and pid 2 with
 * kernel_thread, kernel_init_freeable waits for kthreadd_done, and run_init_process calls
 * do_execve(getname_kernel(...)).
 */
public final class InitKernelThread416 extends InitRestInit {
  enum L implements Local { pid }

  public InitKernelThread416() {
    super("mm_init()", false,
        "return do_execve(getname_kernel(init_filename), argv_init, envp_init)", "do_execve");
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.DO_FORK);
  }

  @Override
  void spawn(Kernel k, RoutineBuilder b) {
    b.callInto(L.pid, "pid = kernel_thread(kernel_init, NULL, CLONE_FS): pid 1",
            "kernel_thread", Args.of(x -> k.image.symbol("kernel_init"), x -> 0, x -> Kernel.CLONE_FS))
        .callInto(L.pid, "pid = kernel_thread(kthreadd, NULL, CLONE_FS | CLONE_FILES): pid 2",
            "kernel_thread", Args.of(x -> k.image.symbol("kthreadd"), x -> 0,
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES));
  }
}
