package kstack.kernel;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;

/**
 * 2.4's task_union: task_struct at the base of the 8 KiB kernel stack, no thread_info, current =
 * esp & ~8191 (include/linux/sched.h@2.4.22:515-522). Tasks are linked by pointers to task_structs
 * (next_task/prev_task, the p_opptr/p_cptr/p_osptr family), the CPU is task->processor, a zombie
 * is state TASK_ZOMBIE, need_resched is a member, and a queued task is on runqueue_head's list.
 */
public final class TaskUnion implements TaskModel {
  /** 2.4's zombie state (include/linux/sched.h@2.4.22:88-92); later kernels use exit_state. */
  static final int TASK_ZOMBIE = Kernel.TASK_ZOMBIE_24;


  @Override
  public Set<Feature> features() {
    return EnumSet.of(Feature.TASK_UNION);
  }

  @Override
  public StructLayout taskStruct(Types t, Map<String, StructLayout> arch, StructLayout listHead,
      String version) {
    return KernelLayouts.taskStruct24(t, arch, listHead);
  }

  @Override
  public String stateField() {
    return "state";
  }

  @Override
  public String stackMember() {
    return null;
  }

  @Override
  public boolean threadInfoAtBase() {
    return false;
  }

  @Override
  public long deadState() {
    return Kernel.TASK_DEAD;
  }

  @Override
  public long initTaskFlags() {
    return 0;
  }

  @Override
  public String idleLoop() {
    return "cpu_idle";
  }

  /** 2.4's init_module(name, image). */
  @Override
  public boolean initModuleTakesUargs() {
    return false;
  }

  @Override
  public boolean hasStackEndMagic() {
    return false;
  }

  @Override
  public boolean initSetsStackEndMagic() {
    return false;
  }

  /** There is no thread_info to initialise. */
  @Override
  public void initThreadInfo(Kernel k, long it) {
  }

  @Override
  public KthreadCreateInfo kthreadCreateInfo() {
    return KthreadCreateInfo.NONE;
  }

  @Override
  public long stack(Kernel k, long task) {
    return task;
  }

  /** No end-of-stack word: the lowest stack word is the one above task_struct. */
  @Override
  public long endOfStack(Kernel k, long task) {
    return task + ((k.image.struct("task_struct").size() + k.t.word - 1) & -k.t.word);
  }

  /** There is no thread_info: asking for it names the missing member. */
  @Override
  public long threadInfo(Kernel k, long task) {
    return task + k.tasks.off(TaskMember.thread_info);
  }

  @Override
  public int taskCpu(Kernel k, long task) {
    return (int) k.tasks.taskRead(task, TaskMember.processor);
  }

  @Override
  public void setTaskCpu(Kernel k, long task, int cpu) {
    k.tasks.taskWrite(task, TaskMember.processor, cpu);
  }

  @Override
  public boolean needResched(Kernel k, long task) {
    return k.tasks.taskRead(task, TaskMember.need_resched) != 0;
  }

  @Override
  public void setNeedResched(Kernel k, long task, boolean on) {
    k.tasks.taskWrite(task, TaskMember.need_resched, on ? 1 : 0);
  }

  /**
   * add_to_runqueue / del_from_runqueue: the run_list link into runqueue_head, whose NULL
   * run_list.next means "not queued".
   */
  @Override
  public void setOnRunqueue(Kernel k, long task, boolean on) {
    long node = task + k.tasks.off(TaskMember.run_list);
    boolean queued = k.readPtr(node) != 0;
    if (on && !queued) {
      k.listAddTail(node, k.image.symbol("runqueue_head"));
    } else if (!on && queued) {
      long next = k.readPtr(node);
      long prev = k.readPtr(node + k.t.word);
      k.writePtr(prev, next);
      k.writePtr(next + k.t.word, prev);
      k.writePtr(node, 0);
      k.writePtr(node + k.t.word, 0);
    }
  }

  @Override
  public boolean isZombie(Kernel k, long task) {
    return k.tasks.state(task) == TASK_ZOMBIE;
  }

  /** 2.4 has no PF_KTHREAD: a kernel thread has no mm. */
  @Override
  public boolean isKthread(Kernel k, long task) {
    return k.tasks.taskRead(task, TaskMember.mm) == 0;
  }

  @Override
  public long realParent(Kernel k, long task) {
    return k.tasks.taskRead(task, TaskMember.p_opptr);
  }

  /** Youngest first: p_cptr, then each p_osptr. */
  @Override
  public void forEachChild(Kernel k, long task, LongConsumer each) {
    for (long c = k.tasks.taskRead(task, TaskMember.p_cptr); c != 0; c = k.tasks.taskRead(c, TaskMember.p_osptr)) {
      each.accept(c);
    }
  }

  /** next_task/prev_task point at task_structs, not at list_heads (SET_LINKS). */
  @Override
  public void forEachTask(Kernel k, LongConsumer each) {
    long init = k.image.symbol("init_task");
    int n = 0;
    for (long t = k.tasks.taskRead(init, TaskMember.next_task); t != init && t != 0 && n++ < 1_000_000;
        t = k.tasks.taskRead(t, TaskMember.next_task)) {
      each.accept(t);
    }
  }

  @Override
  public void setFsUserDs(Kernel k, long task, long ds) {
    k.tasks.taskWrite(task, TaskMember.addr_limit, ds);
  }

  /** INIT_TASK (include/linux/sched.h@2.4.22:471-512) at the base of init_task_union. */
  @Override
  public void initTask(Kernel k, long it, long initMm) {
    TaskAccess ts = k.tasks;
    ts.taskWrite(it, TaskMember.state, Kernel.TASK_RUNNING);
    ts.taskWrite(it, TaskMember.addr_limit, 0xffffffffL);
    ts.taskWrite(it, TaskMember.exec_domain, k.image.symbol("default_exec_domain"));
    ts.taskWrite(it, TaskMember.lock_depth, -1);
    ts.taskWrite(it, TaskMember.counter, 10);
    ts.taskWrite(it, TaskMember.cpus_runnable, -1);
    ts.taskWrite(it, TaskMember.cpus_allowed, -1);
    k.listInit(it + k.tasks.off(TaskMember.run_list));
    ts.taskWrite(it, TaskMember.next_task, it);
    ts.taskWrite(it, TaskMember.prev_task, it);
    ts.taskWrite(it, TaskMember.active_mm, initMm);
    ts.taskWrite(it, TaskMember.p_opptr, it);
    ts.taskWrite(it, TaskMember.p_pptr, it);
    k.listInit(it + k.tasks.off(TaskMember.wait_chldexit_task_list));
  }

  /** runqueue_head and the startup completion (COMPLETION_INITIALIZER). */
  @Override
  public void initStaticData(Kernel k) {
    k.listInit(k.image.symbol("runqueue_head"));
    k.listInit(k.image.symbol("startup") + CompletionMember.wait_head.off(k));
  }

  /** 2.4 models no thread group. */
  @Override
  public String threadGroupLink() {
    return null;
  }

  @Override
  public String threadsUnsupported() {
    return "2.4's thread groups (task_struct.thread_group beside the p_pptr tree) are not modelled";
  }

  @Override
  public boolean hasExitState() {
    return false;
  }

  @Override
  public boolean defaultExecDomain() {
    return true;
  }

  @Override
  public boolean taskStructInStack() {
    return true;
  }
}
