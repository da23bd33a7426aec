package kstack.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/**
 * Generic struct layouts. task_struct is modelled as the subset of members the stack mechanisms use,
 * in the kernel's member order (include/linux/sched.h of the profile's version); members the
 * simulator does not use are left out, so offsets are the simulator's own (a real build's depend on
 * its configuration anyway). thread_info comes first and thread last, as in Linux.
 */
final class KernelLayouts {
  private KernelLayouts() {}

  static Map<String, StructLayout> build(Profile p, Types t, Map<String, StructLayout> arch) {
    Map<String, StructLayout> m = new LinkedHashMap<>(arch);
    StructLayout listHead = StructLayout.builder("list_head", "include/linux/types.h")
        .add("next", t.ptrTo("list_head")).add("prev", t.ptrTo("list_head")).build();
    m.put("list_head", listHead);
    m.put("task_struct", taskStruct(p, t, arch, listHead));
    StructLayout completion = StructLayout.builder("completion", "include/linux/completion.h")
        .add("done", t.u32, "count of complete() calls not yet consumed")
        .add("wait", t.struct(StructLayout.builder(p.has(Feature.SCHEDULE_LOOP)
            ? "swait_queue_head" : "wait_queue_head", "include/linux/wait.h")
            .add("lock", t.u32).add("head", t.struct(listHead)).build()))
        .build();
    m.put("completion", completion);
    m.put("kthread_create_info", kthreadCreateInfo(p, t, listHead, completion));
    m.put("mm_struct", StructLayout.builder("mm_struct", "include/linux/mm_types.h")
        .add("mmap_base", t.ulong).add("task_size", t.ulong).add("pgd", t.voidp,
            "page-table root; CR3 names this mm")
        .add("mm_users", t.s32).add("mm_count", t.s32).add("start_stack", t.ulong).build());
    return m;
  }

  private static StructLayout taskStruct(Profile p, Types t, Map<String, StructLayout> arch,
      StructLayout listHead) {
    boolean dunder = p.has(Feature.TASK_STATE_DUNDER);
    StructLayout.Builder b = StructLayout.builder("task_struct",
        "include/linux/sched.h@" + p.version() + " (modelled members, kernel order)");
    boolean tiAtBase = p.has(Feature.THREAD_INFO_AT_BASE);
    if (!tiAtBase) {
      b.add("thread_info", t.struct(arch.get("thread_info")), "THREAD_INFO_IN_TASK: first member");
    }
    if (dunder) {
      b.add("__state", t.u32, "TASK_RUNNING 0, INTERRUPTIBLE 1, UNINTERRUPTIBLE 2, DEAD 0x80");
    } else {
      b.add("state", t.slong, "-1 unrunnable, 0 runnable, >0 stopped");
    }
    b.add("stack", t.voidp, tiAtBase ? "the thread_info at the base of the kernel stack"
            : "the kernel stack: THREAD_SIZE bytes, lowest address")
        .add("usage", t.s32, "reference count")
        .add("flags", t.u32, "PF_* flags: PF_KTHREAD 0x00200000, PF_IDLE 0x2")
        .add("on_cpu", t.s32);
    if (!p.has(Feature.TASK_CPU_IN_THREAD_INFO) && !tiAtBase) {
      b.add("cpu", t.u32, "CPU the task last ran on");
    }
    b.add("on_rq", t.s32)
        .add("prio", t.s32)
        .add("tasks", t.struct(listHead), "link in init_task.tasks, the list of all tasks")
        .add("mm", t.ptrTo("mm_struct"), "user address space; NULL for kernel threads")
        .add("active_mm", t.ptrTo("mm_struct"))
        .add("exit_state", t.s32).add("exit_code", t.s32).add("exit_signal", t.s32)
        .add("pid", t.s32).add("tgid", t.s32)
        .add("stack_canary", t.ulong, "CONFIG_STACKPROTECTOR")
        .add("real_parent", t.ptrTo("task_struct"))
        .add("parent", t.ptrTo("task_struct"))
        .add("children", t.struct(listHead))
        .add("sibling", t.struct(listHead))
        .add("group_leader", t.ptrTo("task_struct"))
        .add("comm", t.array(t.charT, 16), "TASK_COMM_LEN");
    if (!tiAtBase) {
      b.add("stack_vm_area", t.voidp, "CONFIG_VMAP_STACK: the vm area of the stack")
          .add("stack_refcount", t.s32, "THREAD_INFO_IN_TASK: the stack's own reference count");
    }
    b.add("thread", t.struct(arch.get("thread_struct")), "arch state; last member");
    return b.build();
  }

  /** kernel/kthread.c: 4.16 has no full_name; 6.19 puts it first. */
  private static StructLayout kthreadCreateInfo(Profile p, Types t, StructLayout listHead,
      StructLayout completion) {
    StructLayout.Builder b = StructLayout.builder("kthread_create_info",
        "kernel/kthread.c@" + p.version());
    if (p.has(Feature.FORK_PASSES_REGS)) {
      // 2.6.32: on kthread_create's stack, with the completion inside it
      return b.add("threadfn", t.voidp, "int (*)(void *)").add("data", t.voidp)
          .add("result", t.ptrTo("task_struct")).add("done", t.struct(completion))
          .add("list", t.struct(listHead)).build();
    }
    if (p.has(Feature.KERNEL_CLONE)) {
      b.add("full_name", t.ptr(t.charT));
    }
    return b.add("threadfn", t.voidp, "int (*)(void *)").add("data", t.voidp)
        .add("node", t.s32).add("result", t.ptrTo("task_struct"))
        .add("done", t.ptrTo("completion")).add("list", t.struct(listHead)).build();
  }
}
