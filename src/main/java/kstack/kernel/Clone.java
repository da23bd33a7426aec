package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * clone, fork and clone3 (kernel/fork.c): the system calls that lead into _do_fork (4.16) or
 * kernel_clone (5.10+). 2.6's sys_fork and sys_clone take pt_regs and are the arch's.
 */
final class Clone {
  enum L implements Local {
      args, child_tidptr, clone_flags, err, kargs, newsp, parent_tidptr, set_tid, size, tls, uargs,
      usize
  }

  private Clone() {}

  static final String SRC = "kernel/fork.c";
  static final long EINVAL = -22;
  /** include/uapi/linux/sched.h@6.19 (the same value since 2.5). */
  static final long CLONE_THREAD = 0x10000;

  static void build(Kernel k, boolean v6) {
    RoutineBuilder c = Syscalls.entry(k, "clone", SRC, handles(k.arch.cloneParams()));
    RoutineBuilder f = k.arch.syscallNumbers().containsKey("fork") ? Syscalls.entry(k, "fork", SRC)
        : null;
    if (v6) {
      if (SiblingCall.on(k)) {
        // the real x86_64 build keeps __do_sys_clone out of line (IA32_EMULATION gives it a second
        // caller, __ia32_sys_clone) and reaches it by a sibling call from __x64_sys_clone, itself
        // reached by one from x64_sys_call: copy_process <- kernel_clone <- __do_sys_clone <-
        // do_syscall_64 on a 6.18 kernel (issue 8, item 18)
        Local[] p = handles(k.arch.cloneParams());
        k.image.add(SiblingCall.ret(k, c, "return __do_sys_clone(clone_flags, newsp, parent_tidptr, "
                + "child_tidptr, tls) [__se_sys_clone folded in]", "__do_sys_clone",
            Args.of(x -> x.get(p[0]), x -> x.get(p[1]), x -> x.get(p[2]), x -> x.get(p[3]),
                x -> x.get(p[4]))).build());
        c = k.image.c("__do_sys_clone", SRC + "@6.19:2776-2793").params(p);
      }
      k.image.add(c.localArea(L.args, k.t.word * Fork.CLONE_ARGS.length)
          .step("struct kernel_clone_args args = { .flags = lower_32_bits(clone_flags) & ~CSIGNAL, "
              + ".exit_signal = clone_flags & CSIGNAL, .stack = newsp, .tls = tls, ... }", x -> {
                long a = x.addr(L.args);
                Fork.zeroCloneArgs(x, a);
                Fork.setCloneArg(x, a, "flags", x.get(L.clone_flags) & 0xffffff00L);
                Fork.setCloneArg(x, a, "exit_signal", x.get(L.clone_flags) & 0xff);
                Fork.setCloneArg(x, a, "stack", x.get(L.newsp));
                Fork.setCloneArg(x, a, "tls", x.get(L.tls));
                Fork.setCloneArg(x, a, "child_tid", x.get(L.child_tidptr));
                Fork.setCloneArg(x, a, "parent_tid", x.get(L.parent_tidptr));
              })
          .call("return kernel_clone(&args)", "kernel_clone", Args.of(x -> x.addr(L.args)))
          .ret("return pid", Exec::retval).build());
      if (f != null) {
        k.image.add(f.localArea(L.args, k.t.word * Fork.CLONE_ARGS.length)
          .step("struct kernel_clone_args args = { .exit_signal = SIGCHLD }", x -> {
            Fork.zeroCloneArgs(x, x.addr(L.args));
            Fork.setCloneArg(x, x.addr(L.args), "exit_signal", Kernel.SIGCHLD);
          })
          .call("return kernel_clone(&args)", "kernel_clone", Args.of(x -> x.addr(L.args)))
          .ret("return pid", Exec::retval).build());
      }
    } else {
      // fork.c@4.16.13:2151-2155,2188-2195: SYSC_clone and sys_fork are `return _do_fork(...)`,
      // six register arguments: a sibling call on the ORC build
      java.util.function.Function<Exec, long[]> ca = x -> new long[] {x.get(L.clone_flags),
          x.get(L.newsp), 0, x.get(L.parent_tidptr), x.get(L.child_tidptr), x.get(L.tls)};
      String ct = "return _do_fork(clone_flags, newsp, 0, parent_tidptr, child_tidptr, tls)";
      k.image.add(SiblingCall.on(k) ? SiblingCall.ret(k, c, ct, "_do_fork", Args.computed(ca)).build()
          : c.call(ct, "_do_fork", Args.computed(ca)).ret("return pid", Exec::retval).build());
      if (f != null) {
        java.util.function.Function<Exec, long[]> fa = x -> new long[] {Kernel.SIGCHLD, 0, 0, 0, 0,
            0};
        String ft = "return _do_fork(SIGCHLD, 0, 0, NULL, NULL, 0)";
        k.image.add(SiblingCall.on(k) ? SiblingCall.ret(k, f, ft, "_do_fork", Args.computed(fa)).build()
            : f.call(ft, "_do_fork", Args.computed(fa)).ret("return pid", Exec::retval).build());
      }
    }
  }

  /** struct clone_args (include/uapi/linux/sched.h@6.19:92-104): eleven __aligned_u64. */
  static final String[] CLONE3_ARGS = {"flags", "pidfd", "child_tid", "parent_tid", "exit_signal",
      "stack", "stack_size", "tls", "set_tid", "set_tid_size", "cgroup"};
  static final int CLONE_ARGS_SIZE_VER0 = 64;

  /**
   * clone3(uargs, size), 5.3+ (fork.c@6.19:2796-2955): copy_clone_args_from_user (noinline) copies
   * and checks struct clone_args into the on-stack kernel_clone_args, clone3_args_valid (static,
   * inlined) rejects CSIGNAL bits in flags and an exit_signal with CLONE_THREAD, and
   * clone3_stack_valid (inline) turns [stack, stack + stack_size) into the stack's top.
   */
  static void buildClone3(Kernel k) {
    if (!k.profile.has(Feature.KERNEL_CLONE)) {
      return;
    }
    RoutineBuilder e = Syscalls.entry(k, "clone3", SRC + "@6.19:2932-2955", L.uargs, L.size);
    if (SiblingCall.on(k)) {
      k.image.add(SiblingCall.ret(k, e, "return __do_sys_clone3(uargs, size) [__se_sys_clone3 folded in]",
          "__do_sys_clone3", Args.of(x -> x.get(L.uargs), x -> x.get(L.size))).build());
      e = k.image.c("__do_sys_clone3", SRC + "@6.19:2932-2955").params(L.uargs, L.size);
    }
    int w = k.t.word;
    k.image.add(e.locals(L.err).localArea(L.kargs, w * Fork.CLONE_ARGS.length)
        .localArea(L.set_tid, 4 * 32)
        .callInto(L.err, "kargs.set_tid = set_tid; err = copy_clone_args_from_user(&kargs, uargs, "
            + "size)", "copy_clone_args_from_user", Args.of(x -> x.addr(L.kargs),
                x -> x.get(L.uargs), x -> x.get(L.size)))
        .branchIf("copied", "if (err) return err", x -> x.get(L.err) == 0)
        .ret("return err", x -> x.get(L.err))
        .label("copied")
        .branchIf("valid", "if (!clone3_args_valid(&kargs)) return -EINVAL [inline: no CSIGNAL "
            + "or CLONE_DETACHED in flags, no exit_signal with CLONE_THREAD|CLONE_PARENT; "
            + "clone3_stack_valid: stack and stack_size both or neither, then kargs.stack += "
            + "kargs.stack_size]", x -> clone3Valid(x, x.addr(L.kargs)))
        .ret("return -EINVAL", x -> EINVAL)
        .label("valid")
        .call("return kernel_clone(&kargs)", "kernel_clone",
            Args.of(x -> x.addr(L.kargs)))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("copy_clone_args_from_user", SRC + "@6.19:2796-2864").params(L.kargs, L.uargs, L.usize).locals(L.err).localArea(L.args, 8 * CLONE3_ARGS.length)
        .step("if (unlikely(usize > PAGE_SIZE)) err = -E2BIG; if (unlikely(usize < "
            + "CLONE_ARGS_SIZE_VER0)) err = -EINVAL", x -> x.set(L.err,
                x.get(L.usize) > 4096 ? -7 : x.get(L.usize) < CLONE_ARGS_SIZE_VER0 ? EINVAL
                    : 0))
        .branchIf("sized", "if (err) return err; copy_struct_from_user(&args, sizeof(args), "
            + "uargs, usize)", x -> x.get(L.err) == 0)
        .ret("return err", x -> x.get(L.err))
        .label("sized")
        .step("*kargs = (struct kernel_clone_args){ .flags = args.flags, .exit_signal = "
            + "args.exit_signal, .stack = args.stack, .stack_size = args.stack_size, .tls = "
            + "args.tls, ... }", x -> {
              long a = x.addr(L.args);
              int n = (int) Math.min(x.get(L.usize), 8L * CLONE3_ARGS.length) / 8;
              for (int i = 0; i < CLONE3_ARGS.length; i++) {
                x.write(a + 8L * i, 8, i < n ? x.read(x.get(L.uargs) + 8L * i, 8) : 0);
              }
              long ka = x.get(L.kargs);
              Fork.zeroCloneArgs(x, ka);
              for (String m : new String[] {"flags", "pidfd", "child_tid", "parent_tid",
                  "exit_signal", "stack", "stack_size", "tls"}) {
                Fork.setCloneArg(x, ka, m, x.read(a + 8L * indexOf(m), 8));
              }
            })
        .ret("return 0", x -> 0).build());
  }

  private static int indexOf(String m) {
    return java.util.Arrays.asList(CLONE3_ARGS).indexOf(m);
  }

  /** clone3_args_valid and clone3_stack_valid (fork.c@6.19:2873-2921), the kernel's own checks. */
  private static boolean clone3Valid(Exec x, long ka) {
    long flags = Fork.cloneArg(x, ka, "flags");
    long sig = Fork.cloneArg(x, ka, "exit_signal");
    long stack = Fork.cloneArg(x, ka, "stack");
    long size = Fork.cloneArg(x, ka, "stack_size");
    long csignal = 0xff & ~0x80L; // CSIGNAL & ~CLONE_NEWTIME
    if ((flags & (0x00400000L | csignal)) != 0) { // CLONE_DETACHED
      return false;
    }
    if ((flags & (CLONE_THREAD | 0x8000L)) != 0 && sig != 0) { // CLONE_PARENT
      return false;
    }
    if (stack == 0 ? size != 0 : size == 0) {
      return false;
    }
    if (stack != 0) {
      Fork.setCloneArg(x, ka, "stack", stack + size);
    }
    return true;
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

  /** The handles of parameters named in a table of names (a name missing from L fails the build). */
  private static Local[] handles(String[] names) {
    Local[] h = new Local[names.length];
    for (int i = 0; i < names.length; i++) {
      h[i] = L.valueOf(names[i]);
    }
    return h;
  }
}
