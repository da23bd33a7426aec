package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/** 2.6.32's layouts: thread_info at the stack base, fork passing pt_regs (ax holds the syscall number). */
public final class Layout2632 implements I386LayoutModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE, Feature.FORK_PASSES_REGS);
  }

  /** 2.6.32: the 17-word pt_regs, its thread_info and thread_struct, the 2.6 TSS. */
  @Override
  public Map<String, StructLayout> structs(Profile p, Types t) {
    Map<String, StructLayout> m = new LinkedHashMap<>();
    m.put("pt_regs", I386Layouts.ptRegs(p, t, "return value (the syscall number until the call returns)"));
    m.put("thread_info", threadInfo26(t));
    m.put("thread_struct", threadStruct26(p, t));
    I386Layouts.putTss(m, p, t, false, true);
    return m;
  }

  /**
   * The 2.6.32 i386 thread_info, 72 bytes at the base of the stack
   * (arch/x86/include/asm/thread_info.h@2.6.32:24-44; offsets re-computed with gcc -m32, research §3.1).
   */
  private static StructLayout threadInfo26(Types t) {
    return I386Layouts.threadInfoHead(StructLayout.builder("thread_info",
            "arch/x86/include/asm/thread_info.h@2.6.32:24-44"), t)
        .add("restart_block", t.array(t.u32, 8), "struct restart_block")
        .add("sysenter_return", t.voidp)
        .add("previous_esp", t.ulong, "irq_ctx only: the esp of the interrupted context")
        .add("uaccess_err", t.s32)
        .build();
  }

  /**
   * The 2.6.32 i386 thread_struct head (processor.h@2.6.32:425-470): tls_array, sp0, sp,
   * sysenter_cs, then ip (the resume address switch_to saves), gs.
   */
  private static StructLayout threadStruct26(Profile p, Types t) {
    return StructLayout.builder("thread_struct", "arch/x86/include/asm/processor.h@2.6.32:425-470")
        .add("tls_array", t.array(t.u32, 6), "3 TLS descriptors of 8 bytes")
        .add("sp0", t.ulong, "ring-0 stack top: TSS.sp0 while this task runs")
        .add("sp", t.ulong, "kernel esp saved by switch_to")
        .add("sysenter_cs", t.ulong)
        .add("ip", t.ulong, "where switch_to resumes this task: label 1 in schedule, or ret_from_fork")
        .add("gs", t.ulong)
        .build();
  }
}
