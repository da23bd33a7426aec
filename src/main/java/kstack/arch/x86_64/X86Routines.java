package kstack.arch.x86_64;

import kstack.kernel.Kernel;

/**
 * The routines one mechanism of the x86_64 arch half adds to the image. X86_64 builds its picked
 * mechanisms in the order the profile table lists them (the image's link order: every address
 * after a routine depends on it), then each one's {@link #buildLast} in the same order.
 */
public interface X86Routines {
  void build(Kernel k);

  /** Routines that link after every mechanism's (kernel/sys_ni.c after arch/x86 on 2.6.32). */
  default void buildLast(Kernel k) {}
}
