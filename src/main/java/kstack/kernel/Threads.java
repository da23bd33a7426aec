package kstack.kernel;

import java.util.function.LongConsumer;
import kstack.exec.Exec;
import kstack.layout.Member;
import kstack.trace.Event;

/**
 * Thread groups: what copy_process, exit_notify and release_task do with CLONE_THREAD, and the
 * walk of every thread that {@code ps} makes (for_each_process_thread).
 *
 * <p>The link: 2.6.32 and 4.16 chain a group's tasks through {@code task_struct.thread_group}, a
 * ring with no head (include/linux/sched.h@2.6.32:1332, @4.16.13:710; copy_process adds a thread
 * behind its group leader, kernel/fork.c@2.6.32.67:1266-1271, @4.16.13:1950). 6.19 has only
 * {@code thread_node} on {@code signal->thread_head} (sched.h@6.19:1098; fork.c@6.19:2448-2449);
 * the model has no signal_struct, so on 6.19 the same ring is walked from the group leader's
 * node, which stays on it until the whole group is released. 2.6.11 (threads on
 * pids[PIDTYPE_TGID]) and 2.4 (thread_group beside the p_pptr tree) are not modelled.
 */
public final class Threads {
  private Threads() {}

  /** include/uapi/linux/sched.h@6.19 (the same values since 2.6). */
  static final long CLONE_SIGHAND = 0x800;
  /**
   * exit_state's values: EXIT_ZOMBIE 16 and EXIT_DEAD 32 on 2.6 (include/linux/sched.h@2.6.11:
   * 111-112, @2.6.32.67:191-192), swapped to EXIT_DEAD 0x10 and EXIT_ZOMBIE 0x20 by 4.16
   * (sched.h@4.16.13:75-76, @6.19:111-112).
   */
  public static long exitZombie(Kernel k) {
    return k.tasks.model().exitZombie();
  }

  public static long exitDead(Kernel k) {
    return k.tasks.model().exitDead();
  }

  /** The task_struct member that links a thread group, or null where the model has none. */
  public static Member member(Kernel k) {
    return k.tasks.threadGroupLink();
  }

  /** Whether clone can make a thread on this profile; else why not. */
  public static String unsupported(Kernel k) {
    return k.tasks.model().threadsUnsupported();
  }

  /** INIT_TASK: init_task is a group of one (init/init_task.c@6.19:175). */
  static void initTask(Kernel k, long it) {
    Member m = member(k);
    if (m != null) {
      k.listInit(it + m.offset());
    }
  }

  /**
   * copy_process's links for a new task p of current cur: pid and tgid, parent, exit_signal, the
   * parent's children list, init_task.tasks, the thread group (fork.c@6.19:2291-2297,2370-2380,
   * 2414-2452; @4.16.13:1844-1854,1883-1895,1923-1957; @2.6.32.67:1179-1181,1219,1240-1292).
   * A thread (CLONE_THREAD) takes cur's tgid and group leader, cur's real_parent, exit_signal -1,
   * and joins the group's ring instead of init_task.tasks (2.6.32 still puts it on the parent's
   * children; later kernels only the group leader).
   */
  static void link(Kernel k, Exec x, long p, long exitSignal, long flags, int pid, boolean idle) {
    long cur = k.current(x);
    boolean thread = (flags & Clone.CLONE_THREAD) != 0 && member(k) != null;
    long parent = thread ? k.tasks.taskRead(cur, TaskMember.real_parent) : cur;
    k.tasks.taskWrite(p, TaskMember.pid, pid);
    k.tasks.taskWrite(p, TaskMember.tgid, thread ? k.tasks.taskRead(cur, TaskMember.tgid) : pid);
    k.tasks.taskWrite(p, TaskMember.real_parent, parent);
    k.tasks.taskWrite(p, TaskMember.parent, parent);
    k.tasks.taskWrite(p, TaskMember.group_leader, thread ? k.tasks.taskRead(cur, TaskMember.group_leader) : p);
    k.tasks.taskWrite(p, TaskMember.exit_signal, thread ? -1 : exitSignal);
    k.tasks.taskWrite(p, TaskMember.exit_state, 0);
    k.tasks.taskWrite(p, TaskMember.exit_code, 0);
    int children = k.tasks.off(TaskMember.children);
    int sibling = k.tasks.off(TaskMember.sibling);
    k.listInit(p + children);
    Member m = member(k);
    if (m != null) {
      k.listInit(p + m.offset());
    }
    if (idle) {
      k.listInit(p + sibling);
      k.listInit(p + k.tasks.off(TaskMember.tasks));
    } else {
      if (!thread || k.tasks.model().threadsJoinChildren()) {
        k.listAddTail(p + sibling, parent + children);
      } else {
        k.listInit(p + sibling);
      }
      if (thread) {
        k.listInit(p + k.tasks.off(TaskMember.tasks));
        long leader = k.tasks.taskRead(p, TaskMember.group_leader);
        k.listAddTail(p + m.offset(), leader + m.offset());
      } else {
        long initTask = k.image.symbol("init_task");
        k.listAddTail(p + k.tasks.off(TaskMember.tasks), initTask + k.tasks.off(TaskMember.tasks));
      }
      k.pids.registerTask(pid, p);
      k.stacks.hashed(p);
    }
    k.timeline.emit(new Event.TaskCreated(x.cpu().id(), pid, k.tasks.comm(p), k.tasks.pid(cur), p, k.stacks.stack(p)));
  }

  /** A group leader's other threads, in the order they joined (for_each_thread). */
  static void forEachOther(Kernel k, long leader, LongConsumer each) {
    Member m = member(k);
    if (m == null) {
      return;
    }
    int off = m.offset();
    long head = leader + off;
    int n = 0;
    for (long node = k.readPtr(head); node != head && node != 0 && n++ < 100_000;
        node = k.readPtr(node)) {
      each.accept(node - off);
    }
  }

  /** How many other threads of task's group have not exited (zap_other_threads' targets). */
  public static int otherThreads(Kernel k, long task) {
    if (member(k) == null) {
      return 0;
    }
    long leader = k.tasks.taskRead(task, TaskMember.group_leader);
    int[] n = {0};
    LongConsumer count = t -> n[0] += t != task && k.tasks.taskRead(t, TaskMember.exit_state) == 0 ? 1 : 0;
    count.accept(leader);
    forEachOther(k, leader, count);
    return n[0];
  }

  /**
   * find_alive_thread(father): the first thread of father's group not PF_EXITING, the new parent
   * of father's children (exit.c@6.19:586-596,635-642; @4.16.13 and @2.6.32.67 find_new_reaper
   * likewise); 0 if none.
   */
  static long aliveThread(Kernel k, long father) {
    long[] found = {0};
    long leader = k.tasks.taskRead(father, TaskMember.group_leader);
    LongConsumer pick = t -> {
      if (found[0] == 0 && t != father && (k.tasks.taskRead(t, TaskMember.flags) & Kernel.PF_EXITING) == 0) {
        found[0] = t;
      }
    };
    pick.accept(leader);
    forEachOther(k, leader, pick);
    return found[0];
  }

  /** thread_group_empty(p): no other thread in p's group. */
  static boolean groupEmpty(Kernel k, long p) {
    Member m = member(k);
    if (m == null) {
      return true;
    }
    long node = p + m.offset();
    long next = k.readPtr(node);
    return next == node || next == 0;
  }

  /** A task that exit_notify reaped itself (EXIT_DEAD, a sub-thread) and has left its CPU. */
  public static boolean autoreaped(Kernel k, long task) {
    return member(k) != null && k.tasks.taskRead(task, TaskMember.exit_state) == exitDead(k) && !leader(k, task);
  }

  /** A task release_task has unhashed (EXIT_DEAD): reaped by its parent, or autoreaped. */
  public static boolean reaped(Kernel k, long task) {
    return k.tasks.model().hasExitState()
        && k.tasks.taskRead(task, TaskMember.exit_state) == exitDead(k);
  }

  /** thread_group_leader(p). */
  static boolean leader(Kernel k, long p) {
    return k.tasks.taskRead(p, TaskMember.group_leader) == p;
  }

  /** __unhash_process's last step: list_del_rcu(&p->thread_node) (or thread_group). */
  static void unhash(Kernel k, long p) {
    Member m = member(k);
    if (m != null) {
      k.listDelInit(p + m.offset());
    }
  }
}
