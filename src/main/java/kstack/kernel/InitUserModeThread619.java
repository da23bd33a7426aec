package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The init path at 6.19 (init/main.c@6.19:711-757): rest_init starts pid 1 with
 * user_mode_thread(kernel_init) and pid 2 with kernel_thread(kthreadd) by name, start_kernel's
 * memory setup is mm_core_init, kernel_init waits for kthreadd_done itself, and run_init_process
 * calls kernel_execve.
 */
public final class InitUserModeThread619 extends InitRestInit {
  enum L implements Local { pid }

  public InitUserModeThread619() {
    super("mm_core_init()", true, "return kernel_execve(init_filename, argv_init, envp_init)",
        "kernel_execve");
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.INIT_USER_MODE_THREAD);
  }

  @Override
  void spawn(Kernel k, RoutineBuilder b) {
    b.callInto(L.pid, "pid = user_mode_thread(kernel_init, NULL, CLONE_FS): pid 1",
            "user_mode_thread", Args.of(x -> k.image.symbol("kernel_init"), x -> 0, x -> Kernel.CLONE_FS))
        .callInto(L.pid, "pid = kernel_thread(kthreadd, NULL, NULL, CLONE_FS | CLONE_FILES): pid 2",
            "kernel_thread", Args.of(x -> k.image.symbol("kthreadd"), x -> 0, x -> 0,
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES));
  }
}
