package kstack.kernel;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;

/**
 * 2.6's thread_union: thread_info at the base of the kernel stack, the stack growing down towards
 * it (include/linux/sched.h@2.6.32:2302-2330; @2.6.11:530, where task->thread_info is the pointer
 * later kernels call task->stack). The task's CPU and addr_limit live in thread_info.
 *
 * @param stackMember the task_struct member pointing at the stack: thread_info (2.6.11), stack
 * @param stackEndMagic whether end_of_stack() holds STACK_END_MAGIC (2.6.32; not 2.6.11)
 * @param initTaskFlags INIT_TASK's flags (0 before PF_KTHREAD, 2.6.27)
 * @param deadState what schedule() leaves in state for a task gone for good (2.6.11's EXIT_DEAD)
 * @param syscallTraceMembers ptrace and audit_context, read by 2.6.11's do_syscall_trace
 * @param threadGroupLink the thread group's list_head member, or null (2.6.11 models none)
 * @param kthreadCreateInfo the shape of kthread_create_info
 */
public record ThreadInfoAtBase(String stackMember, boolean stackEndMagic, long initTaskFlags,
    long deadState, boolean syscallTraceMembers, String threadGroupLink,
    KthreadCreateInfo kthreadCreateInfo) implements TaskModel {

  @Override
  public Set<Feature> features() {
    return stackMember.equals("thread_info")
        ? EnumSet.of(Feature.THREAD_INFO_AT_BASE, Feature.CURRENT_FROM_THREAD_INFO)
        : EnumSet.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public StructLayout taskStruct(Types t, Map<String, StructLayout> arch, StructLayout listHead,
      String version) {
    return KernelLayouts.listedTaskStruct(t, arch, listHead, version, new KernelLayouts.TaskShape(
        "state", stackMember, true, false, syscallTraceMembers, threadGroupLink));
  }

  @Override
  public String stateField() {
    return "state";
  }

  @Override
  public boolean threadInfoAtBase() {
    return true;
  }

  @Override
  public String idleLoop() {
    return "cpu_idle";
  }

  @Override
  public boolean initModuleTakesUargs() {
    return true;
  }

  @Override
  public boolean hasStackEndMagic() {
    return stackEndMagic;
  }

  /** 2.6.32 writes the magic only in dup_task_struct (kernel/fork.c@2.6.32.67:254). */
  @Override
  public boolean initSetsStackEndMagic() {
    return false;
  }

  /** (unsigned long *)(task_thread_info(p) + 1): the word right after thread_info. */
  @Override
  public long endOfStack(Kernel k, long task) {
    return stack(k, task) + k.image.struct("thread_info").size();
  }

  @Override
  public long threadInfo(Kernel k, long task) {
    return stack(k, task);
  }

  @Override
  public int taskCpu(Kernel k, long task) {
    return (int) k.tasks.tiRead(task, ThreadInfoMember.cpu);
  }

  @Override
  public void setTaskCpu(Kernel k, long task, int cpu) {
    k.tasks.tiWrite(task, ThreadInfoMember.cpu, cpu);
  }

  @Override
  public void setFsUserDs(Kernel k, long task, long ds) {
    k.tasks.tiWrite(task, ThreadInfoMember.addr_limit, ds);
  }

  /** INIT_THREAD_INFO(init_task) at the base of init_thread_union. */
  @Override
  public void initThreadInfo(Kernel k, long it) {
    k.tasks.tiWrite(it, ThreadInfoMember.task, it);
  }

  /** Without a thread-group link (2.6.11 here) clone makes no threads. */
  @Override
  public String threadsUnsupported() {
    return threadGroupLink == null
        ? "2.6.11's thread groups (pids[PIDTYPE_TGID]) are not modelled" : null;
  }

  /** EXIT_ZOMBIE 16 and EXIT_DEAD 32 (sched.h@2.6.11:111-112, @2.6.32.67:191-192). */
  @Override
  public long exitZombie() {
    return 16;
  }

  @Override
  public long exitDead() {
    return 32;
  }

  @Override
  public boolean defaultExecDomain() {
    return true;
  }
}
