package kstack.arch.i386;

import java.util.Set;
import kstack.arch.x86.Idle;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 4.16's process_32.c: __switch_to after __switch_to_asm, copy_thread_tls (I386Process). */
public final class Process416 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process.buildSwitchTo(k, "switch_fpu_prepare(); lazy_save_gs(prev->gs); load_TLS(next, cpu); "
        + "__switch_to_xtra() (not modelled)", false,
        "lazy_load_gs(next->gs); switch_fpu_finish(); this_cpu_write");
    I386Process.buildCopyThread(k);
    I386Process.buildStartThread(k, false, "; regs->flags = X86_EFLAGS_IF; force_iret()", true);
    Idle.buildArchCpuIdle(k, Idle.X86_IDLE);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread_tls";
  }
}
