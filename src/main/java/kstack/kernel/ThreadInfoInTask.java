package kstack.kernel;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;

/**
 * THREAD_INFO_IN_TASK (4.9 on; arch/x86/Kconfig@4.16.13:192): thread_info is task_struct's first
 * member and the stack holds nothing but the stack, its lowest word STACK_END_MAGIC.
 *
 * @param stateField state, or __state (include/linux/sched.h@6.19)
 * @param cpuMember the task_struct path of the CPU: cpu, or thread_info.cpu (sched.h@6.19:2215-2218)
 * @param threadGroupLink the thread group's list_head: thread_group, or 6.x's thread_node
 * @param completionWait the completion's wait queue head type
 * @param kthreadCreateInfo the shape of kthread_create_info
 */
public record ThreadInfoInTask(String stateField, TaskMember cpuMember, String threadGroupLink,
    String completionWait, KthreadCreateInfo kthreadCreateInfo) implements TaskModel {

  @Override
  public Set<Feature> features() {
    EnumSet<Feature> f = EnumSet.of(Feature.THREAD_INFO_IN_TASK);
    if (stateField.equals("__state")) {
      f.add(Feature.TASK_STATE_DUNDER);
    }
    if (cpuMember == TaskMember.thread_info_cpu) {
      f.add(Feature.TASK_CPU_IN_THREAD_INFO);
    }
    return f;
  }

  @Override
  public StructLayout taskStruct(Types t, Map<String, StructLayout> arch, StructLayout listHead,
      String version) {
    return KernelLayouts.listedTaskStruct(t, arch, listHead, version, new KernelLayouts.TaskShape(
        stateField, "stack", false, cpuMember == TaskMember.cpu, false, threadGroupLink));
  }

  @Override
  public String stackMember() {
    return "stack";
  }

  @Override
  public boolean threadInfoAtBase() {
    return false;
  }

  @Override
  public long initTaskFlags() {
    return Kernel.PF_KTHREAD;
  }

  @Override
  public String idleLoop() {
    return "cpu_startup_entry";
  }

  @Override
  public boolean initModuleTakesUargs() {
    return false;
  }

  @Override
  public boolean hasStackEndMagic() {
    return true;
  }

  @Override
  public boolean initSetsStackEndMagic() {
    return true;
  }

  /** With THREAD_INFO_IN_TASK end_of_stack is the stack's lowest word. */
  @Override
  public long endOfStack(Kernel k, long task) {
    return stack(k, task);
  }

  @Override
  public long threadInfo(Kernel k, long task) {
    return task + k.tasks.off(TaskMember.thread_info);
  }

  @Override
  public int taskCpu(Kernel k, long task) {
    return (int) k.tasks.taskRead(task, cpuMember);
  }

  @Override
  public void setTaskCpu(Kernel k, long task, int cpu) {
    k.tasks.taskWrite(task, cpuMember, cpu);
  }

  /** Only where thread_info keeps an addr_limit (arm64 4.16); x86 4.16 keeps it unmodelled. */
  @Override
  public void setFsUserDs(Kernel k, long task, long ds) {
    if (k.image.struct("thread_info").has("addr_limit")) {
      k.tasks.taskWrite(task, TaskMember.thread_info_addr_limit, ds);
    }
  }

  @Override
  public void initThreadInfo(Kernel k, long it) {
    k.tasks.taskWrite(it, TaskMember.stack_refcount, 1);
    if (k.image.struct("thread_info").has("addr_limit")) {
      // arm64 4.16's INIT_THREAD_INFO: .addr_limit = KERNEL_DS (thread_info.h@4.16.13:51)
      k.tasks.taskWrite(it, TaskMember.thread_info_addr_limit, -1L);
    }
  }

  /** 4.x on: a thread is not put on its parent's children (fork.c@4.16.13 copy_process). */
  @Override
  public boolean threadsJoinChildren() {
    return false;
  }
}
