package kstack.kernel;

import kstack.profile.Module;

/**
 * The boot's path from start_kernel to pid 1 in user space as one generation takes it
 * (init/main.c): 2.4's init() with keventd, 2.6.11's init() with the workqueue threads, 2.6.32's
 * kernel_init and init_post, and rest_init → kernel_init → kernel_init_freeable from 3.x on. The
 * profile table picks one; {@link InitMain} holds what they share.
 */
public interface InitPath extends Module {
  /** start_kernel, rest_init, pid 1's function down to the exec, and smp_init, in the image's order. */
  void build(Kernel k);
}
