package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.trace.Event;

/**
 * Process creation at 2.4.22 (kernel/fork.c; docs/research/i386-and-2.x.md §1.5-1.7): do_fork
 * takes the whole 8 KiB task_union with alloc_task_struct, copies the parent's task_struct into its
 * base, links it with SET_LINKS (next_task/prev_task and the p_pptr/p_cptr/p_ysptr/p_osptr family
 * tree) and wakes it. Its end, do_exit and sys_wait4, is {@link Exit24}.
 */
public final class Fork24 extends ForkPassesRegs {
  enum L implements Local { arg, clone_flags, flags, fn, p, regs, stack_size, stack_start }

  static final String FORK = "kernel/fork.c";
  static final long CSIGNAL = 0xff;

  /** do_fork and kernel_thread. */
  @Override
  public void build(Kernel k) {
    k.image.add(k.image.c("do_fork", FORK).params(L.clone_flags, L.stack_start, L.regs, L.stack_size)
        .locals(L.p)
        .step("p = alloc_task_struct(): __get_free_pages(GFP_KERNEL, 1), the whole 8 KiB "
            + "task_union, aligned to its size", x -> x.set(L.p,
                k.pages.allocPagesAligned(k.threadSize, "task_union")))
        .step("*p = *current: the task_struct only, not the stack above it", x ->
            k.mem.copy(x.get(L.p), k.current(x), k.image.struct("task_struct").size()))
        .step("p->state = TASK_UNINTERRUPTIBLE; copy_flags(); p->pid = get_pid(clone_flags); "
            + "p->run_list.next = NULL; p->p_cptr = NULL; init_waitqueue_head(&p->wait_chldexit); "
            + "p->processor = current->processor", x -> initChild(k, x, x.get(L.p)))
        .step("copy_files(); copy_fs(); copy_sighand(); copy_mm(): CLONE_VM shares current's mm",
            x -> Fork.copyMmAndFiles(k, x, x.get(L.p), x.get(L.clone_flags)))
        .call("copy_thread(0, clone_flags, stack_start, stack_size, p, regs)", "copy_thread",
            Args.of(x -> 0, x -> x.get(L.clone_flags), x -> x.get(L.stack_start),
                x -> x.get(L.stack_size), x -> x.get(L.p), x -> x.get(L.regs)))
        .step("p->exit_signal = clone_flags & CSIGNAL; p->counter = (current->counter + 1) >> 1; "
            + "current->counter >>= 1; if (!current->counter) current->need_resched = 1 "
            + "(fork.c@2.4.22:770-775)", x -> {
              long p = x.get(L.p);
              long cur = k.current(x);
              k.tasks.taskWrite(p, TaskMember.exit_signal, x.get(L.clone_flags) & CSIGNAL);
              long c = k.tasks.taskRead(cur, TaskMember.counter);
              k.tasks.taskWrite(p, TaskMember.counter, (c + 1) >> 1);
              k.tasks.taskWrite(cur, TaskMember.counter, c >> 1);
              if ((c >> 1) == 0) {
                k.rq.setNeedResched(cur, true);
              }
            })
        .step("p->p_opptr = p->p_pptr = current; SET_LINKS(p); hash_pid(p); nr_threads++",
            x -> setLinks(k, x, x.get(L.p)))
        .call("wake_up_process(p): do this last", "wake_up_process", Args.of(x -> x.get(L.p)))
        .ret("return p->pid", x -> k.tasks.pid(x.get(L.p)))
        .label("bad_fork_cleanup")
        .step("put_exec_domain(p->exec_domain); bad_fork_cleanup_count: "
            + "atomic_dec(&p->user->processes); free_uid(p->user); bad_fork_free: "
            + "free_task_struct(p): the task_union's two pages go back", x -> Fork.freePages(k, x.get(L.p)))
        // retval = -EAGAIN at fork.c@2.4.22:663; bad_fork_cleanup .. bad_fork_free: 830-839
        .ret("fork_out: return retval (-EAGAIN, set before the RLIMIT_NPROC check)",
            x -> Syscalls.EAGAIN).build());
    buildKernelThread(k);
  }

  /** kernel_thread (kernel/fork.c@2.4.22:601-624): the arch does the clone. */
  private static void buildKernelThread(Kernel k) {
    k.image.add(k.image.c("kernel_thread", FORK).params(L.fn, L.arg, L.flags)
        .step("task_lock(current); refuse if ptraced; old = current->task_dumpable; "
            + "current->task_dumpable = 0", x -> { })
        .call("ret = arch_kernel_thread(fn, arg, flags)", "arch_kernel_thread",
            Args.of(x -> x.get(L.fn), x -> x.get(L.arg), x -> x.get(L.flags)))
        .ret("current->task_dumpable = old (only the parent gets here); return ret",
            Exec::retval).build());
  }

  /** 2.4.22 has no fork_idle (2.6's CPU hotplug): its SMP boot forks idle tasks in smp_boot_cpus. */
  @Override
  public void buildForkIdle(Kernel k) {
  }

  private static void initChild(Kernel k, Exec x, long p) {
    k.tasks.setState(p, Kernel.TASK_UNINTERRUPTIBLE);
    int pid = k.pids.tryAllocPid();
    if (pid < 0 && k.tasks.pid(k.current(x)) != 0) {
      // get_pid found every pid in use and returned 0 (nomorepids, fork.c@2.4.22:137-140):
      // if (p->pid == 0 && current->pid != 0) goto bad_fork_cleanup (fork.c@2.4.22:695-697)
      x.jump("bad_fork_cleanup");
      return;
    }
    k.tasks.taskWrite(p, TaskMember.pid, pid);
    k.tasks.taskWrite(p, TaskMember.tgid, pid);
    k.writePtr(p + k.tasks.off(TaskMember.run_list), 0);
    k.writePtr(p + k.tasks.off(TaskMember.run_list) + k.t.word, 0);
    k.tasks.taskWrite(p, TaskMember.p_cptr, 0);
    k.tasks.taskWrite(p, TaskMember.need_resched, 0);
    k.tasks.taskWrite(p, TaskMember.exit_code, 0);
    k.listInit(p + k.tasks.off(TaskMember.wait_chldexit_task_list));
    k.tasks.setTaskCpu(p, x.cpu().id());
    k.pages.relabelStack(p, "task_union of pid " + pid);
  }

  /** SET_LINKS (include/linux/sched.h@2.4.22:870-879) and hash_pid. */
  static void setLinks(Kernel k, Exec x, long p) {
    long cur = k.current(x);
    k.tasks.taskWrite(p, TaskMember.p_opptr, cur);
    k.tasks.taskWrite(p, TaskMember.p_pptr, cur);
    linkTask(k, p);
    k.pids.registerTask(k.tasks.pid(p), p);
    k.stacks.hashed(p);
    k.timeline.emit(new Event.TaskCreated(x.cpu().id(), k.tasks.pid(p), k.tasks.comm(p), k.tasks.pid(cur), p, p));
  }

  /** The list half of SET_LINKS: at the tail of init_task's list, the youngest of p_pptr's. */
  static void linkTask(Kernel k, long p) {
    long init = k.image.symbol("init_task");
    long last = k.tasks.taskRead(init, TaskMember.prev_task);
    k.tasks.taskWrite(p, TaskMember.next_task, init);
    k.tasks.taskWrite(p, TaskMember.prev_task, last);
    k.tasks.taskWrite(last, TaskMember.next_task, p);
    k.tasks.taskWrite(init, TaskMember.prev_task, p);
    long parent = k.tasks.taskRead(p, TaskMember.p_pptr);
    long older = k.tasks.taskRead(parent, TaskMember.p_cptr);
    k.tasks.taskWrite(p, TaskMember.p_ysptr, 0);
    k.tasks.taskWrite(p, TaskMember.p_osptr, older);
    if (older != 0) {
      k.tasks.taskWrite(older, TaskMember.p_ysptr, p);
    }
    k.tasks.taskWrite(parent, TaskMember.p_cptr, p);
  }

}
