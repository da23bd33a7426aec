package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/** clone3(2), 5.3+ (kernel/fork.c@6.19:2796-2955): the system call of {@link ForkKernelClone}. */
final class Clone3 {
  enum L implements Local { args, err, kargs, set_tid, size, uargs, usize }

  private Clone3() {}

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
  static void build(Kernel k) {
    RoutineBuilder e = Syscalls.entry(k, "clone3", Fork.SRC + "@6.19:2932-2955", L.uargs, L.size);
    if (SiblingCall.on(k)) {
      k.image.add(SiblingCall.ret(k, e, "return __do_sys_clone3(uargs, size) [__se_sys_clone3 folded in]",
          "__do_sys_clone3", Args.of(x -> x.get(L.uargs), x -> x.get(L.size))).build());
      e = k.image.c("__do_sys_clone3", Fork.SRC + "@6.19:2932-2955").params(L.uargs, L.size);
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
        .ret("return -EINVAL", x -> Clone.EINVAL)
        .label("valid")
        .call("return kernel_clone(&kargs)", "kernel_clone",
            Args.of(x -> x.addr(L.kargs)))
        .ret("return pid", Exec::retval).build());
    k.image.add(k.image.c("copy_clone_args_from_user", Fork.SRC + "@6.19:2796-2864").params(L.kargs, L.uargs, L.usize).locals(L.err).localArea(L.args, 8 * CLONE3_ARGS.length)
        .step("if (unlikely(usize > PAGE_SIZE)) err = -E2BIG; if (unlikely(usize < "
            + "CLONE_ARGS_SIZE_VER0)) err = -EINVAL", x -> x.set(L.err,
                x.get(L.usize) > 4096 ? -7 : x.get(L.usize) < CLONE_ARGS_SIZE_VER0 ? Clone.EINVAL
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
    if ((flags & (Clone.CLONE_THREAD | 0x8000L)) != 0 && sig != 0) { // CLONE_PARENT
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
}
