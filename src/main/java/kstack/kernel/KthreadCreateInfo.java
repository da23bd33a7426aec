package kstack.kernel;

import kstack.layout.StructLayout;
import kstack.layout.Types;

/**
 * The shapes of struct kthread_create_info (kernel/kthread.c), the request kthread_create hands
 * kthreadd (or 2.6.11's helper workqueue): each a layout, picked by the generation's task model.
 */
public enum KthreadCreateInfo {
  /** No kernel/kthread.c (2.4.22 has no kthread API). */
  NONE,
  /** On kthread_create's stack with two completions (kernel/kthread.c@2.6.11:19-27). */
  TWO_COMPLETIONS,
  /** On kthread_create's stack with the completion inside it (kernel/kthread.c@2.6.32). */
  COMPLETION_INSIDE,
  /** kmalloc'd, pointing at the creator's completion (kernel/kthread.c@4.16). */
  COMPLETION_POINTER,
  /** As COMPLETION_POINTER with full_name first (kernel/kthread.c@6.19). */
  FULL_NAME_FIRST;

  /** Whether kthread_create_list and kthreadd_done exist (a kthreadd to hand requests to). */
  boolean kthreaddLists() {
    return this != NONE && this != TWO_COMPLETIONS;
  }

  StructLayout layout(Types t, StructLayout listHead, StructLayout completion, String version) {
    StructLayout.Builder b = StructLayout.builder("kthread_create_info",
        "kernel/kthread.c@" + version);
    switch (this) {
      case TWO_COMPLETIONS:
        return b.add("threadfn", t.voidp, "int (*)(void *)").add("data", t.voidp)
            .add("started", t.struct(completion), "kthread() has run and sleeps")
            .add("result", t.ptrTo("task_struct")).add("done", t.struct(completion)).build();
      case COMPLETION_INSIDE:
        return b.add("threadfn", t.voidp, "int (*)(void *)").add("data", t.voidp)
            .add("result", t.ptrTo("task_struct")).add("done", t.struct(completion))
            .add("list", t.struct(listHead)).build();
      case FULL_NAME_FIRST:
        b.add("full_name", t.ptr(t.charT));
        break;
      case COMPLETION_POINTER:
        break;
      default:
        throw new IllegalStateException("no kthread_create_info without kernel/kthread.c");
    }
    return b.add("threadfn", t.voidp, "int (*)(void *)").add("data", t.voidp)
        .add("node", t.s32).add("result", t.ptrTo("task_struct"))
        .add("done", t.ptrTo("completion")).add("list", t.struct(listHead)).build();
  }
}
