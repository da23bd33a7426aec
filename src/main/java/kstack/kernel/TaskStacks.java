package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import kstack.trace.JCell;

/**
 * A task's kernel stack as include/linux/sched/task_stack.h sees it: task_stack_page, end_of_stack
 * and its STACK_END_MAGIC, stack_not_used; and the checks that tell an overwritten task_struct
 * from a live one.
 */
public final class TaskStacks {
  private final Kernel k;
  private final TaskModel model;
  /** Whether set_task_stack_end_magic(&init_task) has run (start_kernel's first call). */
  private final JCell<Boolean> initStackEndMagicSet;
  /**
   * Each hashed task by its stack's base, as it was when the task was hashed: which task's stack
   * holds an address is a lookup, not a walk over a million tasks (stacks are THREAD_SIZE-aligned).
   */
  private final JLongLongMap owners;

  TaskStacks(Kernel k, TaskModel model) {
    this.k = k;
    this.model = model;
    this.initStackEndMagicSet = new JCell<>(k.timeline, false);
    this.owners = new JLongLongMap(k.timeline);
  }

  public long stack(long task) {
    return model.stack(k, task);
  }

  /** The task was hashed under its pid (attach_pid, hash_pid): its stack is indexed; recorded. */
  void hashed(long task) {
    long s = stack(task);
    if (s != 0) {
      owners.put(s, task);
    }
  }

  /** The task was unhashed: its stack is no longer indexed; recorded. */
  void unhashed(long task) {
    long s = stack(task);
    if (s != 0 && owners.get(s) == task) {
      owners.remove(s);
    }
  }

  /**
   * The hashed task whose kernel stack [stack, stack + THREAD_SIZE) holds a, or 0 when none does;
   * its stack field is read again (an overflow may have overwritten it since).
   */
  public long hashedOwner(long a) {
    long base = a & -k.threadSize;
    long t = owners.get(base);
    return t != 0 && k.pids.findTask(k.tasks.pid(t)) == t && stack(t) == base ? t : 0;
  }

  /**
   * Why a task_struct no longer describes its task, or null while it does: the pid hash does not
   * find it under its own pid, or its stack pointer is not a THREAD_SIZE-aligned stack. A stack
   * overflow that runs off the bottom of a page-allocator stack writes over whatever lies below,
   * in this model the task_struct allocated just before it.
   */
  public String overwritten(long task) {
    try {
      int pid = k.tasks.pid(task);
      long stack = stack(task);
      if (pid != 0 && k.pids.findTask(pid) != task) { // the idle tasks (pid 0) are not hashed
        return String.format("task_struct 0x%x is overwritten (its pid field reads %d)", task, pid);
      }
      if ((stack & (k.threadSize - 1)) != 0 || k.mem.regionAt(stack) == null) {
        return String.format("task_struct 0x%x is overwritten (its stack field reads 0x%x)", task,
            stack);
      }
      return null;
    } catch (kstack.mem.MemoryFault f) {
      return String.format("task_struct 0x%x is unreadable (%s)", task, f.getMessage());
    }
  }

  /**
   * {@code end_of_stack(task)}: with THREAD_INFO_IN_TASK the lowest word of the stack; with
   * thread_info at the base, the word right after it ((unsigned long *)(task_thread_info(p) + 1),
   * include/linux/sched.h@2.6.32).
   */
  public long endOfStack(long task) {
    return model.endOfStack(k, task);
  }

  /**
   * Whether a STACK_END_MAGIC word marks the end of the stack: not on 2.4 (TASK_UNION) nor on
   * 2.6.11 (CURRENT_FROM_THREAD_INFO), which have neither the magic nor end_of_stack().
   */
  public boolean hasStackEndMagic() {
    return model.hasStackEndMagic();
  }

  /**
   * Whether the task's STACK_END_MAGIC has been written: at fork by dup_task_struct, for
   * init_task by start_kernel's set_task_stack_end_magic(&init_task) (init/main.c@4.16.13:520,
   * @6.19:1010). Before that the word is not a magic at all, and no check can read it as one.
   */
  public boolean stackEndMagicSet(long task) {
    return task != k.image.symbol("init_task") || initStackEndMagicSet.get();
  }

  /** start_kernel's set_task_stack_end_magic(&init_task) has run. */
  void setInitStackEndMagic() {
    initStackEndMagicSet.set(true);
  }

  /**
   * Whether start_kernel writes init_task's magic: from 3.18 (init/main.c@4.16.13:520). 2.6.32
   * writes it only in dup_task_struct (kernel/fork.c@2.6.32.67:254), so init_task's word is never
   * set there (its start_kernel, init/main.c@2.6.32.67:520, has no such call).
   */
  public boolean initSetsStackEndMagic() {
    return model.initSetsStackEndMagic();
  }

  /**
   * Whether the task's end-of-stack magic is still to be written rather than overwritten: only
   * init_task's, before start_kernel's set_task_stack_end_magic(&init_task) (on 2.6.32: ever).
   */
  public boolean stackEndMagicNotYetWritten(long task) {
    return hasStackEndMagic() && !stackEndMagicSet(task);
  }

  /** {@code task_stack_page(task)} */
  public long taskStackPage(long task) {
    return stack(task);
  }

  /**
   * stack_not_used(p) (CONFIG_DEBUG_STACK_USAGE, task_stack.h@4.16.13, exit.c@6.19:781-805): skip
   * the magic word, count the zero words above it; the bytes below the first non-zero word.
   */
  public long stackNotUsed(long task) {
    if (stack(task) == 0) {
      return 0;
    }
    // the first word that may hold stack data: past the magic, or right above task_struct (2.4) or
    // thread_info (2.6.11)
    long first = endOfStack(task) + (hasStackEndMagic() ? k.t.word : 0);
    long top = stack(task) + k.threadSize;
    long n = first;
    while (n < top && k.readPtr(n) == 0) {
      n += k.t.word;
    }
    return n - first;
  }

  /**
   * What is wrong with a 2.4 task_struct, which an overflowing stack reaches first from its last
   * member down (2.4 keeps no magic word between them): thread.esp0, which copy_thread set to the
   * top of the union (0 in init_task, INIT_THREAD); the pid hash, which must still find the task
   * under its pid; and the task list, whose neighbours must point back. Empty when all hold.
   */
  public List<String> taskUnionDamage(long task) {
    List<String> out = new ArrayList<>();
    // the last member, reached first: without sys_ioperm (ioperm 0) io_bitmap stays INIT_THREAD's
    // {~0, 0, ...} (processor.h@2.4.22:381-389; only ioport.c@2.4.22:70-84 changes it, ioperm = 1)
    TaskAccess tasks = k.tasks;
    long ioperm = tasks.taskRead(task, TaskMember.thread_ioperm);
    int bitmap = k.tasks.off(TaskMember.thread_io_bitmap);
    boolean initial = k.readPtr(task + bitmap) == 0xffffffffL;
    for (int i = 1; i < 33 && initial; i++) {
      initial = k.readPtr(task + bitmap + 4L * i) == 0;
    }
    if (ioperm != 0 && ioperm != 1 || ioperm == 0 && !initial) {
      out.add(String.format("thread.ioperm = %d with thread.io_bitmap no longer INIT_THREAD's "
          + "{~0, 0, ...} (last word 0x%x)", ioperm, k.readPtr(task + bitmap + 4L * 32)));
    }
    long esp0 = tasks.taskRead(task, TaskMember.thread_esp0);
    if (esp0 != task + k.threadSize && !(esp0 == 0 && task == k.image.symbol("init_task"))) {
      out.add(String.format("thread.esp0 = 0x%x, not the union's top 0x%x", esp0,
          task + k.threadSize));
    }
    int pid = tasks.pid(task);
    if (task != k.image.symbol("init_task") && k.pids.findTask(pid) != task) {
      out.add(String.format("pid = %d, which the pid hash does not map to this task", pid));
    }
    long next = tasks.taskRead(task, TaskMember.next_task);
    long prev = tasks.taskRead(task, TaskMember.prev_task);
    if (!readable(next) || tasks.taskRead(next, TaskMember.prev_task) != task
        || !readable(prev) || tasks.taskRead(prev, TaskMember.next_task) != task) {
      out.add(String.format("next_task 0x%x / prev_task 0x%x do not point back", next, prev));
    }
    return out;
  }

  private boolean readable(long task) {
    return k.mem.regionAt(task) != null;
  }
}
