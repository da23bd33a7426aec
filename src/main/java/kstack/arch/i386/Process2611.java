package kstack.arch.i386;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;
import kstack.profile.Feature;

/**
 * 2.6.11's process.c: switch_to inline with 2.6.11's names, current read through the thread_info at
 * the stack base (I386Process2611).
 */
public final class Process2611 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.PT_REGS_60, Feature.CURRENT_FROM_THREAD_INFO);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process2611.build(k);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    I386Process2611.inlineSwitch(k, b);
  }

  /** switch_to (system.h@2.6.11): pushfl; pushl %ebp, with 2.4's thread member names. */
  @Override
  public java.util.List<String> switchSaved() {
    return java.util.List.of("ebp", "eflags");
  }

  @Override
  public String threadSp() {
    return "thread.esp";
  }

  @Override
  public String threadIp() {
    return "thread.eip";
  }

  /**
   * get_current() = current_thread_info()->task (current.h@2.6.11:8-13): the masked esp, then a
   * load; in user mode the stack the next entry will use, TSS.esp0's.
   */
  @Override
  public long current(Kernel k, int cpu, boolean userMode) {
    long ti = SwitchToEsp.stackBlock(k, k.cpu(cpu), userMode);
    return ti == k.image.symbol("init_task") ? ti : k.readPtr(ti + k.tasks.tiOff(ThreadInfoMember.task));
  }

  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return I386ProcessModel.threadInfoPreemptCount(k, cpu);
  }
}
