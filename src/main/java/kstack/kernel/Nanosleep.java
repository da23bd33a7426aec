package kstack.kernel;

import kstack.profile.Module;

/**
 * How a generation's tasks sleep for a time: the timer list and jiffies (2.4, 2.6.11) or hrtimers
 * (2.6.32 on), reached through nanosleep and, from 2.5.63 on, clock_nanosleep. The tick's chain is
 * built with the interrupt code ({@link IrqCore}).
 */
public interface Nanosleep extends Module {
  /** sys_nanosleep and what it sleeps in, where the generation's system calls are built. */
  void buildNanosleep(Kernel k);

  /** sys_clock_nanosleep and its clock's nsleep, linked after the arch's routines. */
  void buildClockNanosleep(Kernel k);
}
