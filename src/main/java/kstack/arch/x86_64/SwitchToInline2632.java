package kstack.arch.x86_64;

import java.util.List;
import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's switch (asm/system.h@2.6.32:100-149, process_64.c@2.6.32; X86Process26): switch_to
 * inline in schedule() saving rflags and rbp, thread_return's TIF_FORK test, copy_thread setting
 * thread.sp = childregs.
 */
public final class SwitchToInline2632 implements SwitchFrame64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SCHEDULE_SWITCH_INLINE);
  }

  @Override
  public void build(Kernel k) {
    X86Process26.build(k);
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    X86Process26.inlineSwitch(k, b);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }

  /** asm/elf.h@2.6.32.67:173-189: ax too (later it keeps execve's return value). */
  @Override
  public List<String> elfPlatInitRegs() {
    return List.of("ax", "bx", "cx", "dx", "si", "di", "bp", "r8", "r9", "r10", "r11", "r12",
        "r13", "r14", "r15");
  }
}
