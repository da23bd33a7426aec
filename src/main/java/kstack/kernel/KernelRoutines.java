package kstack.kernel;

import kstack.profile.Module;

/**
 * The generation module that builds the generic kernel's routines into the image, in link order
 * around the arch's: 2.4's own set ({@link Linux24}), or the mechanisms of 2.6 on.
 */
public interface KernelRoutines extends Module {
  /** Builds every routine of the image: generic kernel, arch, and the user program. */
  void build(Kernel k);
}
