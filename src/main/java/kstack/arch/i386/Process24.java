package kstack.arch.i386;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.4.22's process.c: switch_to inline, current = esp & ~8191, no preempt_count (I386Process24). */
public final class Process24 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process24.build(k);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread_tls"; // not asked: 2.4's do_fork calls its own copy_thread
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    I386Process24.inlineSwitch(k, b);
  }

  /** switch_to (system.h@2.4.22:15-33): pushl %esi; pushl %edi; pushl %ebp. */
  @Override
  public java.util.List<String> switchSaved() {
    return java.util.List.of("ebp", "edi", "esi");
  }

  @Override
  public String threadSp() {
    return "thread.esp";
  }

  @Override
  public String threadIp() {
    return "thread.eip";
  }

  /** 2.4 has no task_pt_regs: copy_thread's (THREAD_SIZE + p) - 1 (process.c@2.4.22:588). */
  @Override
  public String ptRegsName() {
    return "the task_union's top pt_regs";
  }

  @Override
  public long current(Kernel k, int cpu, boolean userMode) {
    return SwitchToEsp.stackBlock(k, k.cpu(cpu), userMode);
  }

  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    throw new IllegalStateException("2.4 has no preempt_count: in_interrupt() reads local_irq_count");
  }
}
