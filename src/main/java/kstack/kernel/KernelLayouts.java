package kstack.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;

/**
 * Generic struct layouts. task_struct is modelled as the subset of members the stack mechanisms use,
 * in the kernel's member order (include/linux/sched.h of the profile's version); members the
 * simulator does not use are left out, so offsets are the simulator's own (a real build's depend on
 * its configuration anyway). thread_info comes first and thread last, as in Linux.
 */
final class KernelLayouts {
  private KernelLayouts() {}

  /** The generic kernel's layouts beside the arch's, as the profile's task model shapes them. */
  static Map<String, StructLayout> build(TaskModel model, String version, Types t,
      Map<String, StructLayout> arch) {
    Map<String, StructLayout> m = new LinkedHashMap<>(arch);
    StructLayout listHead = StructLayout.builder("list_head", "include/linux/types.h")
        .add("next", t.ptrTo("list_head")).add("prev", t.ptrTo("list_head")).build();
    m.put("list_head", listHead);
    m.put("task_struct", model.taskStruct(t, arch, listHead, version));
    StructLayout completion = StructLayout.builder("completion", "include/linux/completion.h")
        .add("done", t.u32, "count of complete() calls not yet consumed")
        .add("wait", t.struct(StructLayout.builder(model.completionWait(), "include/linux/wait.h")
            .add("lock", t.u32).add("head", t.struct(listHead)).build()))
        .build();
    m.put("completion", completion);
    KthreadCreateInfo kci = model.kthreadCreateInfo();
    if (kci != KthreadCreateInfo.NONE) {
      // 2.4.22 has no kernel/kthread.c (nor any kthread API); 2.6.11 has it (kthread.c@2.6.11:23)
      m.put("kthread_create_info", kci.layout(t, listHead, completion, version));
    }
    if (kci == KthreadCreateInfo.TWO_COMPLETIONS) {
      workqueue2611(m, t, listHead); // 2.6.11's kthread_create queues its request as work
    }
    m.put("mm_struct", StructLayout.builder("mm_struct", "include/linux/mm_types.h")
        .add("mmap_base", t.ulong).add("task_size", t.ulong).add("pgd", t.voidp,
            "page-table root; CR3 names this mm")
        .add("mm_users", t.s32).add("mm_count", t.s32).add("start_stack", t.ulong).build());
    return m;
  }

  /**
   * The 2.4.22 task_struct at the base of the task_union (include/linux/sched.h@2.4.22:283-418):
   * the members up to active_mm in full with their real offsets (docs/research/i386-and-2.x.md
   * §1.2: processor at 48), then the ones the mechanisms use, in order.
   */
  static StructLayout taskStruct24(Types t, Map<String, StructLayout> arch, StructLayout listHead) {
    StructLayout waitQueue = StructLayout.builder("wait_queue_head_t", "include/linux/wait.h@2.4.22")
        .add("lock", t.u32).add("task_list", t.struct(listHead)).build();
    return StructLayout.builder("task_struct", "include/linux/sched.h@2.4.22:283-418 (modelled "
            + "members, kernel order; offsets exact up to active_mm)")
        .add("state", t.slong, "-1 unrunnable, 0 runnable, >0 stopped; TASK_ZOMBIE 4")
        .add("flags", t.ulong).add("sigpending", t.s32).add("addr_limit", t.ulong)
        .add("exec_domain", t.voidp)
        .add("need_resched", t.slong, "set by the tick or a wake-up; checked on the way out")
        .add("ptrace", t.ulong).add("lock_depth", t.s32)
        .add("counter", t.slong, "the time slice left (ticks)").add("nice", t.slong)
        .add("policy", t.ulong).add("mm", t.ptrTo("mm_struct"))
        .add("processor", t.s32, "the CPU it runs or last ran on")
        .add("cpus_runnable", t.ulong).add("cpus_allowed", t.ulong)
        .add("run_list", t.struct(listHead)).add("sleep_time", t.ulong)
        .add("next_task", t.ptrTo("task_struct"), "the task list: init_task.next_task...")
        .add("prev_task", t.ptrTo("task_struct"))
        .add("active_mm", t.ptrTo("mm_struct"))
        .add("exit_code", t.s32).add("exit_signal", t.s32)
        .add("pid", t.s32).add("pgrp", t.s32).add("tgid", t.s32)
        .add("p_opptr", t.ptrTo("task_struct"), "original parent")
        .add("p_pptr", t.ptrTo("task_struct"), "parent")
        .add("p_cptr", t.ptrTo("task_struct"), "youngest child")
        .add("p_ysptr", t.ptrTo("task_struct"), "younger sibling")
        .add("p_osptr", t.ptrTo("task_struct"), "older sibling")
        .add("wait_chldexit", t.struct(waitQueue), "wait4 sleeps here")
        .add("comm", t.array(t.charT, 16), "TASK_COMM_LEN")
        .add("thread", t.struct(arch.get("thread_struct")), "esp0, eip, esp, fs, gs")
        .build();
  }

  /**
   * What differs in the task_struct of 2.6 on, as the task model says it.
   *
   * @param stateField state or __state
   * @param stackField the stack pointer member: stack, or 2.6.11's thread_info
   * @param threadInfoAtBase thread_info at the stack base (else the first member)
   * @param cpuInTask whether task->cpu is a member (else thread_info's)
   * @param syscallTrace ptrace and audit_context (2.6.11's do_syscall_trace reads them)
   * @param threadGroupLink thread_group, thread_node, or null
   */
  record TaskShape(String stateField, String stackField, boolean threadInfoAtBase,
      boolean cpuInTask, boolean syscallTrace, String threadGroupLink) {}

  /** task_struct from 2.6 on (include/linux/sched.h of version; modelled members, kernel order). */
  static StructLayout listedTaskStruct(Types t, Map<String, StructLayout> arch,
      StructLayout listHead, String version, TaskShape s) {
    StructLayout.Builder b = StructLayout.builder("task_struct",
        "include/linux/sched.h@" + version + " (modelled members, kernel order)");
    if (!s.threadInfoAtBase()) {
      b.add("thread_info", t.struct(arch.get("thread_info")), "THREAD_INFO_IN_TASK: first member");
    }
    if (s.stateField().equals("__state")) {
      b.add("__state", t.u32, "TASK_RUNNING 0, INTERRUPTIBLE 1, UNINTERRUPTIBLE 2, DEAD 0x80");
    } else {
      b.add("state", t.slong, "-1 unrunnable, 0 runnable, >0 stopped");
    }
    if (s.stackField().equals("thread_info")) {
      // 2.6.11 calls the stack pointer by what sits at its base (include/linux/sched.h@2.6.11:530)
      b.add("thread_info", t.ptrTo("thread_info"), "the thread_info at the base of the kernel "
          + "stack (later kernels: task->stack)");
    } else {
      b.add("stack", t.voidp, s.threadInfoAtBase() ? "the thread_info at the base of the kernel stack"
          : "the kernel stack: THREAD_SIZE bytes, lowest address");
    }
    b
        .add("usage", t.s32, "reference count")
        .add("flags", t.u32, "PF_* flags: PF_KTHREAD 0x00200000, PF_IDLE 0x2");
    if (s.syscallTrace()) {
      b.add("ptrace", t.ulong, "PT_PTRACED 0x1: read by do_syscall_trace");
    }
    b.add("on_cpu", t.s32);
    if (s.cpuInTask()) {
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
        .add("group_leader", t.ptrTo("task_struct"));
    if ("thread_node".equals(s.threadGroupLink())) {
      b.add("thread_node", t.struct(listHead), "on signal->thread_head: the thread group (the "
          + "model has no signal_struct: a ring walked from the group leader)");
    } else if (s.threadGroupLink() != null) {
      b.add(s.threadGroupLink(), t.struct(listHead), "the thread group: a ring with no head");
    }
    b.add("comm", t.array(t.charT, 16), "TASK_COMM_LEN");
    if (!s.threadInfoAtBase()) {
      b.add("stack_vm_area", t.voidp, "CONFIG_VMAP_STACK: the vm area of the stack")
          .add("stack_refcount", t.s32, "THREAD_INFO_IN_TASK: the stack's own reference count");
    }
    b.add("thread", t.struct(arch.get("thread_struct")), s.syscallTrace() ? "arch state"
        : "arch state; last member");
    if (s.syscallTrace()) {
      b.add("audit_context", t.voidp, "NULL: no syscall audit; read by do_syscall_trace");
    }
    return b.build();
  }

  /**
   * 2.6.11's work items and queues (include/linux/workqueue.h@2.6.11:14-21; kernel/workqueue.c@
   * 2.6.11:38-63). work_struct's trailing timer_list (delayed work only) is not modelled, nor the
   * cacheline alignment of cpu_workqueue_struct; NR_CPUS is 1 (one CPU in this profile).
   */
  private static void workqueue2611(Map<String, StructLayout> m, Types t, StructLayout listHead) {
    StructLayout waitQueue = StructLayout.builder("wait_queue_head_t", "include/linux/wait.h@2.6.11")
        .add("lock", t.u32).add("task_list", t.struct(listHead)).build();
    m.put("work_struct", StructLayout.builder("work_struct", "include/linux/workqueue.h@2.6.11:14-21 "
            + "(without the delayed-work timer)")
        .add("pending", t.ulong, "bit 0: queued").add("entry", t.struct(listHead), "on cwq->worklist")
        .add("func", t.voidp, "void (*)(void *)").add("data", t.voidp)
        .add("wq_data", t.voidp, "the cpu_workqueue_struct it was queued on").build());
    StructLayout cwq = StructLayout.builder("cpu_workqueue_struct", "kernel/workqueue.c@2.6.11:38-51")
        .add("lock", t.u32).add("remove_sequence", t.slong).add("insert_sequence", t.slong)
        .add("worklist", t.struct(listHead), "queued work_structs")
        .add("more_work", t.struct(waitQueue), "the worker thread sleeps here")
        .add("work_done", t.struct(waitQueue)).add("wq", t.ptrTo("workqueue_struct"))
        .add("thread", t.ptrTo("task_struct"), "the worker thread").add("run_depth", t.s32).build();
    m.put("cpu_workqueue_struct", cwq);
    m.put("workqueue_struct", StructLayout.builder("workqueue_struct",
            "kernel/workqueue.c@2.6.11:59-63 (NR_CPUS 1)")
        .add("cpu_wq", t.array(t.struct(cwq), 1)).add("name", t.ptr(t.charT))
        .add("list", t.struct(listHead), "on workqueues; empty if single-threaded").build());
  }
}
