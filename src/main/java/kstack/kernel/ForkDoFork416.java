package kstack.kernel;

import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * Process creation at 4.16 (kernel/fork.c@4.16.13): _do_fork(clone_flags, stack_start,
 * stack_size, parent_tidptr, child_tidptr, tls) with copy_process's eight parameters (two on the
 * stack on x86_64), PF_KTHREAD inherited from the parent, copy_thread_tls, and a stack that
 * dup_task_struct takes before copying the task.
 */
public final class ForkDoFork416 extends ForkRefcountedStack {
  enum L implements Local {
      arg, child_tidptr, clone_flags, flags, fn, newsp, node, nr, p, parent_tidptr, pid, stack_size,
      stack_start, task, tls, trace
  }

  public ForkDoFork416() {
    super(false, false);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.DO_FORK);
  }

  /** _do_fork and kernel_thread (fork.c@4.16.13:2056-2148). */
  @Override
  void buildEntry(Kernel k) {
    k.image.add(wakeNewTask(k, k.image.c("_do_fork", SRC)
        .params(L.clone_flags, L.stack_start, L.stack_size, L.parent_tidptr, L.child_tidptr, L.tls)
        .locals(L.p, L.nr)
        .callWithStackArgs("p = copy_process(clone_flags, stack_start, stack_size, child_tidptr, "
            + "NULL, trace, tls, NUMA_NO_NODE)", "copy_process",
            Args.of(x -> x.get(L.clone_flags), x -> x.get(L.stack_start), x -> x.get(L.stack_size),
                x -> x.get(L.child_tidptr), x -> 0, x -> 0, x -> x.get(L.tls), x -> Fork.NUMA_NO_NODE), 2)
        .step("p = returned task", x -> x.set(L.p, x.retval()))).build());
    RoutineBuilder kt = k.image.c("kernel_thread", SRC + "@4.16.13:2144-2148").params(L.fn, L.arg, L.flags);
    Function<Exec, long[]> ktArgs = x -> new long[] {
        x.get(L.flags) | Kernel.CLONE_VM | Kernel.CLONE_UNTRACED, x.get(L.fn), x.get(L.arg),
        0, 0, 0};
    String ktText = "_do_fork(flags|CLONE_VM|CLONE_UNTRACED, (unsigned long)fn, (unsigned long)arg, "
        + "NULL, NULL, 0)";
    k.image.add(SiblingCall.on(k) ? SiblingCall.ret(k, kt, "return " + ktText, "_do_fork", Args.computed(ktArgs)).build()
        : kt.call(ktText, "_do_fork", Args.computed(ktArgs)).ret("return pid", Exec::retval).build());
  }

  @Override
  void copyProcessParams(RoutineBuilder b) {
    b.params(L.clone_flags, L.stack_start, L.stack_size, L.child_tidptr, L.pid, L.trace, L.tls, L.node);
  }

  @Override
  long cloneFlags(Exec x) {
    return x.get(L.clone_flags);
  }

  @Override
  long exitSignal(Exec x) {
    return x.get(L.clone_flags) & 0xff;
  }

  @Override
  String pfText() {
    return "p->flags &= ~(PF_SUPERPRIV | PF_WQ_WORKER | PF_IDLE) (PF_KTHREAD is inherited)";
  }

  @Override
  long pfFlags(Exec x, long inherited) {
    return inherited;
  }

  @Override
  String commText() {
    return "(the comm is the parent's)";
  }

  @Override
  void comm(Kernel k, Exec x) {
    // the child keeps the comm arch_dup_task_struct copied
  }

  /**
   * copy_thread_tls(clone_flags, stack_start, stack_size, p, tls) (fork.c@4.16.13:1802). x86
   * selects HAVE_COPY_THREAD_TLS and defines it with all five (process_64.c@4.16.13:267,
   * process_32.c@4.16.13:124); arm64 does not, so sched/task.h@4.16.13:53-58 makes it an inline
   * wrapper that drops tls and calls copy_thread(clone_flags, sp, arg, p), four arguments
   * (arm64 process.c@4.16.13:309).
   */
  @Override
  void copyThread(Kernel k, RoutineBuilder b) {
    String ct = k.arch.copyThreadSymbol(k.profile);
    boolean wrapper = !ct.equals("copy_thread_tls");
    ToLongFunction<Exec> flags = x -> x.get(L.clone_flags);
    ToLongFunction<Exec> sp = x -> x.get(L.stack_start);
    ToLongFunction<Exec> arg = x -> x.get(L.stack_size);
    ToLongFunction<Exec> p = x -> x.get(L.p);
    ToLongFunction<Exec> tls = x -> Clone.stackParam(x, L.tls, 6);
    b.call("copy_thread_tls(clone_flags, stack_start, stack_size, p, tls)"
        + (wrapper ? " [inline wrapper] -> " + ct + "(...)" : ""), ct,
        wrapper ? Args.of(flags, sp, arg, p) : Args.of(flags, sp, arg, p, tls));
  }

  /**
   * sys_clone and sys_fork (fork.c@4.16.13:2151-2155,2188-2195): `return _do_fork(...)`, six
   * register arguments: a sibling call on the ORC build.
   */
  @Override
  public void buildCloneSyscalls(Kernel k) {
    RoutineBuilder c = Clone.cloneEntry(k);
    RoutineBuilder f = Clone.forkEntry(k);
    Function<Exec, long[]> ca = x -> new long[] {x.get(L.clone_flags),
        x.get(L.newsp), 0, x.get(L.parent_tidptr), x.get(L.child_tidptr), x.get(L.tls)};
    String ct = "return _do_fork(clone_flags, newsp, 0, parent_tidptr, child_tidptr, tls)";
    k.image.add(SiblingCall.on(k) ? SiblingCall.ret(k, c, ct, "_do_fork", Args.computed(ca)).build()
        : c.call(ct, "_do_fork", Args.computed(ca)).ret("return pid", Exec::retval).build());
    if (f != null) {
      Function<Exec, long[]> fa = x -> new long[] {Kernel.SIGCHLD, 0, 0, 0, 0, 0};
      String ft = "return _do_fork(SIGCHLD, 0, 0, NULL, NULL, 0)";
      k.image.add(SiblingCall.on(k) ? SiblingCall.ret(k, f, ft, "_do_fork", Args.computed(fa)).build()
          : f.call(ft, "_do_fork", Args.computed(fa)).ret("return pid", Exec::retval).build());
    }
  }

  /** clone3 came in 5.3: 4.16 has none. */
  @Override
  public void buildClone3(Kernel k) {
  }

  /** fork_idle: copy_process's eight arguments, the last two on the stack on x86_64. */
  @Override
  public void buildForkIdle(Kernel k) {
    Fork.buildForkIdle(k, fi -> fi.callWithStackArgs("task = copy_process(CLONE_VM, 0, 0, NULL, "
            + "&init_struct_pid, 0, 0, cpu_to_node(cpu))", "copy_process",
            Args.of(x -> Kernel.CLONE_VM, x -> 0, x -> 0, x -> 0, x -> -1, x -> 0, x -> 0, x -> 0), 2)
        .step("task = returned task", x -> x.set(L.task, x.retval())));
  }

  /**
   * -ENOSPC: idr_get_free finds no free id (lib/radix-tree.c@4.16.13:2153,2185), idr_alloc_cyclic
   * returns it after its wrap to start (lib/idr.c@4.16.13:128-134), alloc_pid sets retval = nr
   * (kernel/pid.c@4.16.13:197-200,246), copy_process returns ERR_PTR(retval)
   * (kernel/fork.c@4.16.13:1807-1810,2024) and _do_fork PTR_ERR(p) (fork.c@4.16.13:2091-2092).
   */
  @Override
  long pidsExhausted() {
    return -28;
  }

  @Override
  String pidsExhaustedText() {
    return "-ENOSPC: alloc_pid passes on idr_alloc_cyclic's error, kernel/pid.c@4.16.13:197-200";
  }

  /** bad_fork_free at 4.16 frees the task at once (fork.c@4.16.13:2019-2022). */
  @Override
  String freeTaskText() {
    return "free_task(p)";
  }
}
