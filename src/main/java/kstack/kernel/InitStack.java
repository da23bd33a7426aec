package kstack.kernel;

import kstack.image.Linker;
import kstack.profile.Module;

/**
 * The boot task's stack in the image, as one generation's linker script lays it out:
 * INIT_TASK_DATA(THREAD_SIZE) at the start of .data, aligned to THREAD_SIZE, and the names the
 * generation gives its start, its end and its top.
 */
public interface InitStack extends Module {
  /** Places the boot task's stack and init_task, the boot task itself. */
  void link(Kernel k, Linker l);
}
