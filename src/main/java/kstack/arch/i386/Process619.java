package kstack.arch.i386;

import java.util.Set;
import kstack.arch.x86.Idle;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 6.19's process_32.c: __switch_to after __switch_to_asm, copy_thread taking kernel_clone_args (I386Process). */
public final class Process619 implements I386ProcessModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void buildProcess(Kernel k) {
    I386Process.buildSwitchTo(k, "switch_fpu(prev_p, cpu); load_TLS(next, cpu) (not modelled)", true,
        "raw_cpu_write");
    I386Process.buildCopyThread6(k);
    I386Process.buildStartThread(k, true, "; regs->flags = X86_EFLAGS_IF", true);
    Idle.buildArchCpuIdle(k, Idle.STATIC_CALL_X86_IDLE);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }
}
