package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * Kernel threads at 6.19 (kernel/kthread.c@6.19): copy_process has already given the task its
 * struct kthread (to_kthread), create->full_name names it when kernel_thread forks it, kthread()
 * completes and sleeps with preemption disabled, and ends in kthread_exit → do_exit(0).
 */
public final class Kthreadd619 extends KthreaddOnNode {
  public Kthreadd619() {
    super(true, "self = to_kthread(current)", true, true);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KERNEL_CLONE);
  }
}
