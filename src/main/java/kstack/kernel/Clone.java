package kstack.kernel;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;

/**
 * clone and fork (kernel/fork.c): the system calls that lead into _do_fork (4.16) or
 * kernel_clone (5.10+). 2.6's sys_fork and sys_clone take pt_regs and are the arch's.
 */
final class Clone {
  private Clone() {}

  static final String SRC = "kernel/fork.c";

  static void build(Kernel k, boolean v6) {
    RoutineBuilder c = Syscalls.entry(k, "clone", SRC, k.arch.cloneParams());
    RoutineBuilder f = k.arch.syscallNumbers().containsKey("fork") ? Syscalls.entry(k, "fork", SRC)
        : null;
    if (v6) {
      if (SiblingCall.on(k)) {
        // the real x86_64 build keeps __do_sys_clone out of line (IA32_EMULATION gives it a second
        // caller, __ia32_sys_clone) and reaches it by a sibling call from __x64_sys_clone, itself
        // reached by one from x64_sys_call: copy_process <- kernel_clone <- __do_sys_clone <-
        // do_syscall_64 on a 6.18 kernel (issue 8, item 18)
        String[] p = k.arch.cloneParams();
        k.add(SiblingCall.ret(k, c, "return __do_sys_clone(clone_flags, newsp, parent_tidptr, "
                + "child_tidptr, tls) [__se_sys_clone folded in]", "__do_sys_clone",
            x -> new long[] {x.local(p[0]), x.local(p[1]), x.local(p[2]), x.local(p[3]),
                x.local(p[4])}).build());
        c = k.c("__do_sys_clone", SRC + "@6.19:2776-2793").params(p);
      }
      k.add(c.localArea("args", k.t.word * Fork.CLONE_ARGS.length)
          .step("struct kernel_clone_args args = { .flags = lower_32_bits(clone_flags) & ~CSIGNAL, "
              + ".exit_signal = clone_flags & CSIGNAL, .stack = newsp, .tls = tls, ... }", x -> {
                long a = x.localAddress("args");
                Fork.zeroCloneArgs(x, a);
                Fork.setCloneArg(x, a, "flags", x.local("clone_flags") & 0xffffff00L);
                Fork.setCloneArg(x, a, "exit_signal", x.local("clone_flags") & 0xff);
                Fork.setCloneArg(x, a, "stack", x.local("newsp"));
                Fork.setCloneArg(x, a, "tls", x.local("tls"));
                Fork.setCloneArg(x, a, "child_tid", x.local("child_tidptr"));
                Fork.setCloneArg(x, a, "parent_tid", x.local("parent_tidptr"));
              })
          .call("return kernel_clone(&args)", "kernel_clone", x -> new long[] {x.localAddress("args")})
          .ret("return pid", Exec::retval).build());
      if (f != null) {
        k.add(f.localArea("args", k.t.word * Fork.CLONE_ARGS.length)
          .step("struct kernel_clone_args args = { .exit_signal = SIGCHLD }", x -> {
            Fork.zeroCloneArgs(x, x.localAddress("args"));
            Fork.setCloneArg(x, x.localAddress("args"), "exit_signal", Kernel.SIGCHLD);
          })
          .call("return kernel_clone(&args)", "kernel_clone", x -> new long[] {x.localAddress("args")})
          .ret("return pid", Exec::retval).build());
      }
    } else {
      k.add(c.call("return _do_fork(clone_flags, newsp, 0, parent_tidptr, child_tidptr, tls)",
              "_do_fork", x -> new long[] {x.local("clone_flags"), x.local("newsp"), 0,
                  x.local("parent_tidptr"), x.local("child_tidptr"), x.local("tls")})
          .ret("return pid", Exec::retval).build());
      if (f != null) {
        k.add(f.call("return _do_fork(SIGCHLD, 0, 0, NULL, NULL, 0)", "_do_fork",
                x -> new long[] {Kernel.SIGCHLD, 0, 0, 0, 0, 0})
            .ret("return pid", Exec::retval).build());
      }
    }
  }
}
