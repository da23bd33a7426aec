package kstack.kernel;

import kstack.profile.Module;

/**
 * The end of a task as one generation builds it (kernel/exit.c): sys_exit and do_exit down to the
 * last schedule(), sys_wait4 and do_wait reaping a zombie child, and exit_group. The profile table
 * picks one; {@link Exit} holds what they share.
 */
public interface TaskExit extends Module {
  /** sys_exit, do_exit and its end, then sys_wait4 and do_wait, in the image's order. */
  void build(Kernel k);

  /** exit_group and do_group_exit (2.5.35+), linked after the other system calls. */
  void buildExitGroup(Kernel k);

  /**
   * The panic text when init exits or is killed, given the exit code it dies with (a signal
   * number for a fatal signal): the generation's kernel/exit.c words, with or without the code.
   */
  String initKilledPanic(long exitCode);
}
