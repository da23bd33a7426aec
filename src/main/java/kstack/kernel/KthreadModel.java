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
}
