package kstack.kernel;

import java.util.Map;
import java.util.function.Consumer;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.mem.Memory;

/**
 * Process creation, kernel/fork.c, in what every generation shares: struct kernel_clone_args, the
 * model's halves of sched_fork, copy_mm/copy_files and the pid and list links, put_task_struct, and
 * fork_idle's frame. Each generation's entry, copy_process and dup_task_struct are its
 * {@link ProcessCreation} module, which the profile table picks; the arch's copy_thread forges the
 * child's first frames.
 */
final class Fork {
  enum L implements Local { cpu, p, task }

  private Fork() {}

  static final String SRC = "kernel/fork.c";
  static final long NUMA_NO_NODE = -1;

  /** struct kernel_clone_args members the model uses, in include/linux/sched/task.h@6.19 order. */
  static final String[] CLONE_ARGS = {"flags", "pidfd", "child_tid", "parent_tid", "exit_signal",
      "stack", "stack_size", "tls", "kthread", "name", "fn", "fn_arg"};

  static long cloneArg(Exec x, long args, String field) {
    return x.read(args + (long) x.word() * indexOf(field));
  }

  /** A designated initializer: every member not named is zero. */
  static void zeroCloneArgs(Exec x, long args) {
    for (int i = 0; i < CLONE_ARGS.length; i++) {
      x.write(args + (long) x.word() * i, 0);
    }
  }

  static void setCloneArg(Exec x, long args, String field, long v) {
    x.write(args + (long) x.word() * indexOf(field), v);
  }

  private static int indexOf(String f) {
    for (int i = 0; i < CLONE_ARGS.length; i++) {
      if (CLONE_ARGS[i].equals(f)) {
        return i;
      }
    }
    throw new IllegalArgumentException(f);
  }

  /** Builds the profile's process creation (its {@link ProcessCreation} module). */
  static void build(Kernel k) {
    k.profile.module(ProcessCreation.class).build(k);
  }

  /**
   * put_task_struct (include/linux/sched.h@2.6.32, inline): the last reference frees the task
   * through __put_task_struct → free_task → free_thread_info, which returns the stack's pages.
   */
  static void putTaskStruct(Kernel k, long tsk) {
    long usage = k.tasks.taskRead(tsk, TaskMember.usage) - 1;
    k.tasks.taskWrite(tsk, TaskMember.usage, usage);
    if (usage != 0) {
      return;
    }
    freePages(k, k.stacks.stack(tsk));
    k.tasks.taskWrite(tsk, TaskMember.stack, 0);
  }

  /** free_pages or vfree of the block at addr: its region is unmapped (recorded). */
  static void freePages(Kernel k, long addr) {
    kstack.mem.Region r = k.mem.regionAt(addr);
    if (r != null) {
      k.mem.unmap(r);
      k.timeline.recordChange(() -> k.mem.map(r), () -> k.mem.unmap(r));
    }
  }

  /** 2.6.11: the pid was allocated by do_fork before copy_process (fork.c@2.6.11:1133). */
  static void linkNewWithPid(Kernel k, Exec x, long p, long exitSignal, int pid) {
    Threads.link(k, x, p, exitSignal, 0, pid, false);
  }

  /** The model's half of sched_fork: the given state, on no run queue, on this CPU, no TIF flags. */
  static void schedFork(Kernel k, Exec x, long state) {
    long p = x.get(L.p);
    k.tasks.setState(p, state);
    k.tasks.setTaskCpu(p, x.cpu().id());
    k.tasks.taskWrite(p, TaskMember.on_cpu, 0);
    k.tasks.taskWrite(p, TaskMember.on_rq, 0);
    k.tasks.tiWrite(p, ThreadInfoMember.flags, 0);
  }

  /** Deterministic "random" canary: the simulator must replay byte for byte. */
  static long canary(Kernel k, long tsk) {
    long z = tsk * 0x9E3779B97F4A7C15L + k.timeline.steps();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    return (z ^ (z >>> 31)) & 0xffffffffffffff00L; // the low byte is 0, as get_random_canary makes it
  }

  /**
   * fork_idle(cpu) (kernel/fork.c): the generation's call of copy_process for the idle task, given
   * as {@code copy}, then init_idle(task, cpu).
   */
  static void buildForkIdle(Kernel k, Consumer<RoutineBuilder> copy) {
    RoutineBuilder fi = k.image.c("fork_idle", SRC).params(L.cpu).locals(L.task);
    copy.accept(fi);
    k.image.add(fi.call("init_idle(task, cpu)", "init_idle", Args.of(x -> x.get(L.task), x -> x.get(L.cpu)))
        .ret("return task", x -> x.get(L.task)).build());
  }

  /** copy_files and copy_mm: CLONE_VM shares current's mm, otherwise dup_mm copies it. */
  static void copyMmAndFiles(Kernel k, Exec x, long p, long cloneFlags) {
    long cur = k.current(x);
    long mm = k.tasks.taskRead(cur, TaskMember.mm);
    Map<Integer, Long> files = k.files.fds(cur);
    k.files.setFds(p, files); // an immutable table: the child shares it until either changes it
    if (mm == 0 || (cloneFlags & Kernel.CLONE_VM) != 0) {
      if (mm != 0) {
        k.mem.write(mm + k.mm.off(MmMember.mm_users), 4,
            k.mem.read(mm + k.mm.off(MmMember.mm_users), 4) + 1);
      }
      return;
    }
    long newMm = k.pages.kmalloc(k.image.struct("mm_struct").size(), "mm_struct");
    k.mem.copy(newMm, mm, k.image.struct("mm_struct").size());
    k.mem.write(newMm + k.mm.off(MmMember.mm_users), 4, 1);
    k.writePtr(newMm + k.mm.off(MmMember.pgd), newMm);
    Memory child = k.mm.newUserSpace(newMm);
    k.mm.userSpace(mm).copyInto(child);
    k.tasks.taskWrite(p, TaskMember.mm, newMm);
    k.tasks.taskWrite(p, TaskMember.active_mm, newMm);
  }

  /**
   * copy_process's failure path past copy_mm (bad_fork_cleanup_mm, bad_fork_cleanup_files): the
   * child's descriptor table goes, and mmput drops its mm: CLONE_VM's reference to current's, or
   * the only one to the copy (mm_users 0; as exit_mm does in the model, p->mm = NULL).
   */
  static void uncopyMmAndFiles(Kernel k, long p, long cloneFlags) {
    k.files.removeFds(p);
    long mm = k.tasks.taskRead(p, TaskMember.mm);
    if (mm == 0) {
      return;
    }
    long users = mm + k.mm.off(MmMember.mm_users);
    k.mem.write(users, 4, k.mem.read(users, 4) - 1);
    if ((cloneFlags & Kernel.CLONE_VM) == 0) {
      k.tasks.taskWrite(p, TaskMember.mm, 0);
      k.tasks.taskWrite(p, TaskMember.active_mm, 0);
    }
  }

  /**
   * copy_process's links (pidArg -1 is fork_idle's &init_struct_pid: the idle task keeps pid 0),
   * or false with nothing linked when alloc_pid finds no free pid.
   */
  static boolean tryLinkNew(Kernel k, Exec x, long p, long exitSignal, long flags, long pidArg) {
    boolean idle = x.signed(pidArg) == -1;
    int pid = idle ? 0 : k.pids.tryAllocPid();
    if (pid < 0) {
      return false;
    }
    Threads.link(k, x, p, exitSignal, flags, pid, idle);
    return true;
  }
}
