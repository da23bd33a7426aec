package kstack.arch.i386;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's process_32.c: switch_to inline in schedule(), preempt_count in the thread_info at the
 * stack base (I386Process2632, then start_thread).
 */
public final class Process2632 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process2632.build(k);
    I386Process.buildStartThread(k, false, "; free_thread_xstate(current)", false);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    I386Process2632.inlineSwitch(k, b);
  }

  /** switch_to (system.h@2.6.32.67): pushfl; pushl %ebp. */
  @Override
  public java.util.List<String> switchSaved() {
    return java.util.List.of("ebp", "eflags");
  }

  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return I386ProcessModel.threadInfoPreemptCount(k, cpu);
  }
}
