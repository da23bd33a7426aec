package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * Process creation from 5.10 on, as 6.19 has it (kernel/fork.c@6.19): kernel_clone(struct
 * kernel_clone_args *), whose args copy_process reads for the flags, the exit signal, PF_KTHREAD
 * and the name; copy_thread(p, args); kernel_thread and user_mode_thread as designated
 * initializers; dup_task_struct copies the task before alloc_thread_stack_node sets tsk->stack,
 * and a stack reused from the per-CPU cache is cleared first. clone3 is {@link Clone3}.
 */
public final class ForkKernelClone extends ForkRefcountedStack {
  enum L implements Local {
      arg, args, child_tidptr, clone_flags, flags, fn, name, newsp, node, nr, p, parent_tidptr, pid,
      task, tls, trace
  }

  public ForkKernelClone() {
    super(true, true);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KERNEL_CLONE, Feature.STACK_CACHE_CLEARED);
  }

  /** kernel_clone, fork.c@6.19:2610; kernel_thread, :2700; user_mode_thread, :2718. */
  @Override
  void buildEntry(Kernel k) {
    k.image.add(wakeNewTask(k, k.image.c("kernel_clone", SRC).params(L.args).locals(L.p, L.nr)
        .callInto(L.p, "p = copy_process(NULL, trace, NUMA_NO_NODE, args)", "copy_process",
            Args.of(x -> 0, x -> 0, x -> Fork.NUMA_NO_NODE, x -> x.get(L.args)))).build());
    k.image.add(cloneHelper(k, "kernel_thread", true).build());
    k.image.add(cloneHelper(k, "user_mode_thread", false).build());
  }

  private static RoutineBuilder cloneHelper(Kernel k, String name, boolean kthread) {
    RoutineBuilder b = k.image.c(name, SRC);
    b = kthread ? b.params(L.fn, L.arg, L.name, L.flags) : b.params(L.fn, L.arg, L.flags);
    return b.localArea(L.args, k.t.word * Fork.CLONE_ARGS.length)
        .step("struct kernel_clone_args args = { .flags = (flags|CLONE_VM|CLONE_UNTRACED) & ~CSIGNAL, "
            + ".exit_signal = flags & CSIGNAL, .fn = fn, .fn_arg = arg"
            + (kthread ? ", .name = name, .kthread = 1 }" : " }"), x -> {
              long a = x.addr(L.args);
              Fork.zeroCloneArgs(x, a);
              long flags = x.get(L.flags);
              Fork.setCloneArg(x, a, "flags", (flags | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED)
                  & ~0xffL);
              Fork.setCloneArg(x, a, "exit_signal", flags & 0xff);
              Fork.setCloneArg(x, a, "fn", x.get(L.fn));
              Fork.setCloneArg(x, a, "fn_arg", x.get(L.arg));
              if (kthread) {
                Fork.setCloneArg(x, a, "name", x.get(L.name));
                Fork.setCloneArg(x, a, "kthread", 1);
              }
            })
        .call("return kernel_clone(&args)", "kernel_clone", Args.of(x -> x.addr(L.args)))
        .ret("return pid", Exec::retval);
  }

  @Override
  void copyProcessParams(RoutineBuilder b) {
    b.params(L.pid, L.trace, L.node, L.args);
  }

  @Override
  long cloneFlags(Exec x) {
    return Fork.cloneArg(x, x.get(L.args), "flags");
  }

  @Override
  long exitSignal(Exec x) {
    return Fork.cloneArg(x, x.get(L.args), "exit_signal");
  }

  @Override
  String pfText() {
    return "p->flags &= ~(PF_IDLE|PF_KTHREAD...); if (args->kthread) p->flags |= PF_KTHREAD";
  }

  @Override
  long pfFlags(Exec x, long inherited) {
    long f = inherited & ~Kernel.PF_KTHREAD;
    return Fork.cloneArg(x, x.get(L.args), "kthread") != 0 ? f | Kernel.PF_KTHREAD : f;
  }

  @Override
  String commText() {
    return "if (args->name) strscpy_pad(p->comm, args->name)";
  }

  @Override
  void comm(Kernel k, Exec x) {
    long name = Fork.cloneArg(x, x.get(L.args), "name");
    if (name != 0) {
      k.tasks.setComm(x.get(L.p), k.mem.readCString(name, 16));
    }
  }

  @Override
  void copyThread(Kernel k, RoutineBuilder b) {
    b.call("copy_thread(p, args)", "copy_thread", Args.of(x -> x.get(L.p), x -> x.get(L.args)));
  }

  /** sys_clone and sys_fork fill a struct kernel_clone_args for kernel_clone (fork.c@6.19). */
  @Override
  public void buildCloneSyscalls(Kernel k) {
    RoutineBuilder c = Clone.cloneEntry(k);
    RoutineBuilder f = Clone.forkEntry(k);
    if (SiblingCall.on(k)) {
      // the real x86_64 build keeps __do_sys_clone out of line (IA32_EMULATION gives it a second
      // caller, __ia32_sys_clone) and reaches it by a sibling call from __x64_sys_clone, itself
      // reached by one from x64_sys_call: copy_process <- kernel_clone <- __do_sys_clone <-
      // do_syscall_64 on a 6.18 kernel (issue 8, item 18)
      Local[] p = Clone.handles(k.arch.cloneParams());
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
  }

  @Override
  public void buildClone3(Kernel k) {
    Clone3.build(k);
  }

  /** fork_idle: a struct kernel_clone_args with CLONE_VM, and &init_struct_pid. */
  @Override
  public void buildForkIdle(Kernel k) {
    Fork.buildForkIdle(k, fi -> fi.localArea(L.args, k.t.word * Fork.CLONE_ARGS.length)
        .step("struct kernel_clone_args args = { .flags = CLONE_VM }", x -> {
          Fork.zeroCloneArgs(x, x.addr(L.args));
          Fork.setCloneArg(x, x.addr(L.args), "flags", Kernel.CLONE_VM);
        })
        .callInto(L.task, "task = copy_process(&init_struct_pid, 0, cpu_to_node(cpu), &args)",
            "copy_process", Args.of(x -> -1, x -> 0, x -> 0, x -> x.addr(L.args))));
  }

  /**
   * -EAGAIN: alloc_pid turns idr_alloc_cyclic's -ENOSPC into it (kernel/pid.c@6.19:237-246),
   * copy_process returns ERR_PTR(retval) (kernel/fork.c@6.19:2239-2242,2542) and kernel_clone
   * PTR_ERR(p) (fork.c@6.19:2654-2655).
   */
  @Override
  long pidsExhausted() {
    return Syscalls.EAGAIN;
  }

  @Override
  String pidsExhaustedText() {
    return "-EAGAIN: alloc_pid turns idr_alloc_cyclic's -ENOSPC into it, kernel/pid.c@6.19:243-246";
  }

  /** bad_fork_free at 6.19 frees the task after an RCU grace period (fork.c@6.19:2533-2537). */
  @Override
  String freeTaskText() {
    return "delayed_free_task(p)";
  }
}
