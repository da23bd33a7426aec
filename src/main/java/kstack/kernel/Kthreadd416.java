package kstack.kernel;

import java.util.Set;
import kstack.profile.Feature;

/**
 * Kernel threads at 4.16 (kernel/kthread.c@4.16.13): kthread() kzallocs its struct kthread, runs
 * complete and schedule with preemption on, and ends in do_exit(ret); the name is formatted after
 * the thread has started, and kernel_thread takes none.
 */
public final class Kthreadd416 extends KthreaddOnNode {
  public Kthreadd416() {
    super(false, "self = kzalloc(sizeof(*self)); set_kthread_struct(self)", false, false);
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.DO_FORK);
  }
}
