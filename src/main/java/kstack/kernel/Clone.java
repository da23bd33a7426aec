package kstack.kernel;

import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * clone and fork (kernel/fork.c): the entries of the system calls that lead into process creation.
 * Each generation's {@link ProcessCreation} module builds their bodies (4.16 {@code _do_fork},
 * 5.10+ {@code kernel_clone}; 2.6's sys_fork and sys_clone take pt_regs and are the arch's), and
 * clone3 where there is one; here are their entries and the checks every generation shares.
 */
final class Clone {
  private Clone() {}

  static final String SRC = "kernel/fork.c";
  static final long EINVAL = -22;
  /** include/uapi/linux/sched.h@6.19 (the same value since 2.5). */
  static final long CLONE_THREAD = 0x10000;

  /** sys_clone and sys_fork, as the profile's process creation builds them. */
  static void build(Kernel k) {
    k.profile.module(ProcessCreation.class).buildCloneSyscalls(k);
  }

  /** clone3, linked after the other system calls (none before 5.3). */
  static void buildClone3(Kernel k) {
    k.profile.module(ProcessCreation.class).buildClone3(k);
  }

  /** The clone system call's entry, with the arch's parameter order. */
  static RoutineBuilder cloneEntry(Kernel k) {
    return Syscalls.entry(k, "clone", SRC, handles(k.arch.cloneParams()));
  }

  /** The fork system call's entry, or null where the arch has none (arm64). */
  static RoutineBuilder forkEntry(Kernel k) {
    return k.arch.syscallNumbers().containsKey("fork") ? Syscalls.entry(k, "fork", SRC) : null;
  }


  /** copy_process's first checks (fork.c@6.19:1993-2002, @4.16.13:1598-1607, @2.6.32.67:1000-1009). */
  static boolean flagsValid(long f) {
    return ((f & CLONE_THREAD) == 0 || (f & Threads.CLONE_SIGHAND) != 0)
        && ((f & Threads.CLONE_SIGHAND) == 0 || (f & Kernel.CLONE_VM) != 0);
  }

  /**
   * Parameter i of the running function: its spilled register copy, or, beyond the argument
   * registers (4.16's copy_process takes eight, x86_64 passes six in registers), the caller's
   * stack word above the return address and saved frame pointer.
   */
  static long stackParam(Exec x, Local name, int i) {
    int inRegs = x.routine().paramsOnStack() ? 0 : x.cpu().registers().argCount();
    return i < inRegs ? x.get(name) : x.read(x.fp() + 2L * x.word() + (long) x.word() * (i - inRegs));
  }

  /** IS_ERR(): the top 4095 values of the address space. */
  static boolean isErr(Exec x, long p) {
    return x.signed(p) < 0 && x.signed(p) >= -4095;
  }

  /** clone's register parameters, in the arch's order ({@code Arch#cloneParams}). */
  enum CloneParam implements Local { clone_flags, newsp, parent_tidptr, child_tidptr, tls }

  /** The handles of parameters named in a table of names (a name not in CloneParam fails). */
  static Local[] handles(String[] names) {
    Local[] h = new Local[names.length];
    for (int i = 0; i < names.length; i++) {
      h[i] = CloneParam.valueOf(names[i]);
    }
    return h;
  }
}
