package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Local;

/**
 * Process creation at 2.6.11 (kernel/fork.c@2.6.11:134-159,786-1075,1124-1184): do_fork takes the
 * pid before copy_process, and dup_task_struct's thread_info block comes from kmalloc.
 */
public final class Fork2611 extends ForkPassesRegs {
  enum L implements Local {
      child_tidptr, clone_flags, nr, orig, p, parent_tidptr, pid, regs, stack_size, stack_start, ti,
      tsk
  }

  @Override
  public void build(Kernel k) {
    buildFork(k);
    buildDupTaskStruct(k);
  }

  /**
   * 2.6.11's do_fork and copy_process (kernel/fork.c@2.6.11:786-1075,1124-1184): do_fork takes
   * the pid from alloc_pidmap before copy_process and passes it down, and when alloc_pidmap finds
   * none (-1, kernel/pid.c@2.6.11:131) returns -EAGAIN with nothing allocated to undo
   * (fork.c@2.6.11:1133-1136); copy_flags sets no
   * PF_STARTING; sched_fork(p) comes after copy_thread, which takes a leading nr of 0; the task is
   * linked with SET_LINKS and attach_pid under tasklist_lock.
   */
  private static void buildFork(Kernel k) {
    String src = SRC + "@2.6.11";
    k.image.add(k.image.c("do_fork", src + ":1124-1184")
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.parent_tidptr, L.child_tidptr)
        .locals(L.p, L.nr)
        .step("pid = alloc_pidmap(); if (pid < 0) return -EAGAIN; trace = 0 (current is not "
            + "ptraced)", x -> {
              int pid = k.pids.tryAllocPid();
              if (pid < 0) {
                x.jump("eagain"); // every pid below pid_max is in use (fork.c@2.6.11:1133-1136)
              } else {
                x.set(L.nr, pid);
              }
            })
        .callInto(L.p, "p = copy_process(clone_flags, stack_start, regs, stack_size, "
            + "parent_tidptr, child_tidptr, pid)", "copy_process", Args.of(x -> x.get(L.clone_flags), x -> x.get(L.stack_start), x -> x.get(L.regs),
                x -> x.get(L.stack_size), x -> x.get(L.parent_tidptr), x -> x.get(L.child_tidptr),
                x -> x.get(L.nr)))
        // wake_up_new_task(task_t *p, unsigned long clone_flags): kernel/sched.c@2.6.11:1205
        .call("if (!(clone_flags & CLONE_STOPPED)) wake_up_new_task(p, clone_flags)",
            "wake_up_new_task", Args.of(x -> x.get(L.p), x -> x.get(L.clone_flags)))
        .ret("return pid", x -> x.get(L.nr))
        .label("eagain")
        .ret("return -EAGAIN", x -> Syscalls.EAGAIN).build());
    k.image.add(k.image.c("copy_process", src + ":786-1075")
        .params(L.clone_flags, L.stack_start, L.regs, L.stack_size, L.parent_tidptr, L.child_tidptr, L.pid)
        .locals(L.p)
        .callInto(L.p, "p = dup_task_struct(current)", "dup_task_struct",
            Args.of(x -> k.current(x)))
        .step("p->did_exec = 0; copy_flags(clone_flags, p): p->flags &= ~PF_SUPERPRIV; p->flags "
            + "|= PF_FORKNOEXEC; p->pid = pid", x -> {
              long p = x.get(L.p);
              k.tasks.taskWrite(p, TaskMember.flags, (k.tasks.taskRead(p, TaskMember.flags) & ~PF_SUPERPRIV) | PF_FORKNOEXEC);
              k.tasks.taskWrite(p, TaskMember.pid, x.get(L.pid));
            })
        .step("p->tgid = p->pid; copy_semundo(); copy_files(); copy_fs(); copy_sighand(); "
            + "copy_signal(); copy_mm(): CLONE_VM shares current's mm, otherwise a new mm_struct "
            + "and dup_mmap()", x -> Fork.copyMmAndFiles(k, x, x.get(L.p),
                x.get(L.clone_flags)))
        .call("retval = copy_thread(0, clone_flags, stack_start, stack_size, p, regs)",
            "copy_thread", Args.of(x -> 0, x -> x.get(L.clone_flags), x -> x.get(L.stack_start),
                x -> x.get(L.stack_size), x -> x.get(L.p), x -> x.get(L.regs)))
        .step("p->exit_signal = clone_flags & CSIGNAL; p->exit_state = 0; sched_fork(p): "
            + "p->state = TASK_RUNNING (on no run queue yet, so nothing can wake it), half of "
            + "current's time_slice", x -> Fork.schedFork(k, x, Kernel.TASK_RUNNING))
        .step("write_lock_irq(&tasklist_lock); set_task_cpu(p, smp_processor_id()); "
            + "p->real_parent = p->parent = current; SET_LINKS(p): onto init_task.tasks and "
            + "current->children; attach_pid(p, PIDTYPE_PID, p->pid) and the TGID, PGID, SID",
            x -> Fork.linkNewWithPid(k, x, x.get(L.p), x.get(L.clone_flags) & 0xff,
                (int) x.get(L.pid)))
        .ret("return p", x -> x.get(L.p)).build());
  }

  /**
   * 2.6.11's dup_task_struct (kernel/fork.c@2.6.11:134-159): the thread_info block comes from
   * kmalloc (alloc_thread_info, include/asm-i386/thread_info.h@2.6.11:99-113; the size-8192 cache
   * is assumed THREAD_SIZE aligned, which the esp mask needs), both structs are copied whole and
   * linked both ways; nothing marks the end of the stack.
   */
  private static void buildDupTaskStruct(Kernel k) {
    k.image.add(k.image.c("dup_task_struct", SRC + "@2.6.11:134-157").params(L.orig).locals(L.tsk, L.ti)
        .step("prepare_to_copy(orig); tsk = alloc_task_struct() (kmem_cache_alloc of "
            + "task_struct_cachep)", x -> x.set(L.tsk, k.pages.kmalloc(k.image.struct("task_struct").size(),
                "task_struct")))
        .step("ti = alloc_thread_info(tsk): kmalloc(THREAD_SIZE, GFP_KERNEL)", x -> x.set(L.ti,
            k.pages.allocPagesAligned(k.threadSize, "thread_info block (kmalloc) of task_struct 0x"
                + Long.toHexString(x.get(L.tsk)))))
        .step("*ti = *orig->thread_info; *tsk = *orig; tsk->thread_info = ti; ti->task = tsk",
            x -> {
              long tsk = x.get(L.tsk);
              k.mem.copy(x.get(L.ti), k.tasks.threadInfo(x.get(L.orig)),
                  k.image.struct("thread_info").size());
              k.mem.copy(tsk, x.get(L.orig), k.image.struct("task_struct").size());
              k.tasks.taskWrite(tsk, TaskMember.stack, x.get(L.ti));
              k.tasks.tiWrite(tsk, ThreadInfoMember.task, tsk);
            })
        .step("atomic_set(&tsk->usage, 2)", x -> k.tasks.taskWrite(x.get(L.tsk), TaskMember.usage, 2))
        .ret("return tsk", x -> x.get(L.tsk)).build());
  }
}
