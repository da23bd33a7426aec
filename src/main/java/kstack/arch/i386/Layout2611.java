package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/** 2.6.11's layouts: thread_info at the stack base with the 15-word pt_regs. */
public final class Layout2611 implements I386LayoutModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.PT_REGS_60, Feature.THREAD_INFO_AT_BASE, Feature.CURRENT_FROM_THREAD_INFO);
  }

  /** 2.6.11: the 60-byte pt_regs, its thread_info and thread_struct, the 2.6 TSS. */
  @Override
  public Map<String, StructLayout> structs(Profile p, Types t) {
    Map<String, StructLayout> m = new LinkedHashMap<>();
    m.put("pt_regs", I386Layouts.ptRegs60(t, "include/asm-i386/ptrace.h@2.6.11:26-42"));
    m.put("thread_info", threadInfo2611(t));
    m.put("thread_struct", threadStruct2611(t));
    I386Layouts.putTss(m, p, t, false, true);
    return m;
  }

  /**
   * The 2.6.11 i386 thread_info, 52 bytes at the base of the stack: 2.6.32's without
   * sysenter_return and uaccess_err (include/asm-i386/thread_info.h@2.6.11:28-47; research §2.1).
   */
  private static StructLayout threadInfo2611(Types t) {
    return I386Layouts.threadInfoHead(StructLayout.builder("thread_info",
            "include/asm-i386/thread_info.h@2.6.11:28-47"), t)
        .add("restart_block", t.array(t.u32, 5), "struct restart_block: fn, arg0..arg3")
        .add("previous_esp", t.ulong, "irq_ctx only: the esp of the interrupted context")
        .build();
  }

  /**
   * The 2.6.11 thread_struct head (include/asm-i386/processor.h@2.6.11:423-447): tls_array, esp0,
   * sysenter_cs, eip (where switch_to resumes), esp (saved by switch_to), fs, gs, debugreg.
   */
  private static StructLayout threadStruct2611(Types t) {
    return StructLayout.builder("thread_struct", "include/asm-i386/processor.h@2.6.11:423-447")
        .add("tls_array", t.array(t.u32, 6), "3 TLS descriptors of 8 bytes")
        .add("esp0", t.ulong, "ring-0 stack top: load_esp0 puts it in TSS.esp0")
        .add("sysenter_cs", t.ulong)
        .add("eip", t.ulong, "where switch_to resumes this task: label 1 in schedule, or ret_from_fork")
        .add("esp", t.ulong, "kernel esp saved by switch_to ([ebp][eflags] above it)")
        .add("fs", t.ulong).add("gs", t.ulong)
        .add("debugreg", t.array(t.ulong, 8), "%db0-7")
        .build();
  }
}
