package kstack.kernel;

import kstack.profile.Module;

/**
 * How kernel threads are made in one generation, and the demo module that makes one: 2.4's
 * kernel_thread and daemonize (no kthread API), 2.6.11's kthread helper workqueue, and from 2.6.22
 * on kthreadd draining kthread_create_list (kernel/kthread.c). The profile table picks one;
 * {@link Kthread} holds what they share.
 */
public interface KthreadModel extends Module {
  /** The kthread machinery, the kstack_demo module and its loader, in the image's order. */
  void build(Kernel k);

  /**
   * The kthread machinery's objects in .data: kthreadd's kthread_create_list, kthreadd_task and
   * kthreadd_done (kernel/kthread.c) from 2.6.22 on; the older generations override.
   */
  default void linkData(Kernel k, kstack.image.Linker l) {
    kstack.layout.Types t = k.t;
    l.object("kthread_create_list", t.struct(k.image.struct("list_head")), t.word);
    l.object("kthreadd_task", t.ptrTo("task_struct"), t.word);
    l.object("kthreadd_done", t.struct(k.image.struct("completion")), t.word);
  }
}
