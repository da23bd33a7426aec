package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;

/** 2.4.22's layouts: the task_union generation, no thread_info. */
public final class Layout24 implements I386LayoutModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  /**
   * 2.4.22 (docs/research/i386-and-2.x.md §1.2-1.3): pt_regs is 15 words with the old names
   * (entry.S@2.4.22:24-63), thread_struct is esp0, eip, esp, fs, gs ... io_bitmap (processor.h@2.4.22:
   * 360-379); there is no thread_info.
   */
  @Override
  public Map<String, StructLayout> structs(Profile p, Types t) {
    Map<String, StructLayout> m = new LinkedHashMap<>();
    m.put("pt_regs", I386Layouts.ptRegs60(t, "include/asm-i386/ptrace.h@2.4.22:26-42"));
    m.put("thread_struct", StructLayout.builder("thread_struct",
            "include/asm-i386/processor.h@2.4.22:360-379")
        .add("esp0", t.ulong, "the top of the task_union: TSS.esp0 while this task runs")
        .add("eip", t.ulong, "where switch_to resumes it: label 1 in schedule, or ret_from_fork")
        .add("esp", t.ulong, "kernel esp saved by switch_to ([ebp][edi][esi] above it)")
        .add("fs", t.ulong).add("gs", t.ulong)
        .add("debugreg", t.array(t.ulong, 8), "%db0-7")
        .add("cr2", t.ulong).add("trap_no", t.ulong).add("error_code", t.ulong)
        .add("i387", t.array(t.u8, 512), "union i387_union: the 512-byte fxsave image")
        .add("vm86_info", t.voidp).add("screen_bitmap", t.ulong)
        .add("v86flags", t.ulong).add("v86mask", t.ulong).add("saved_esp0", t.ulong)
        .add("ioperm", t.s32)
        .add("io_bitmap", t.array(t.ulong, 33), "IO_BITMAP_SIZE + 1: the task's I/O permissions")
        .build());
    m.put("tss_struct", tss24(t));
    return m;
  }

  /**
   * The 2.4.22 tss_struct (include/asm-i386/processor.h@2.4.22:329-358): the hardware TSS fields
   * with their old names, then bitmap, io_bitmap[IO_BITMAP_SIZE+1] and a cacheline filler.
   */
  private static StructLayout tss24(Types t) {
    StructLayout.Builder b = StructLayout.builder("tss_struct",
            "include/asm-i386/processor.h@2.4.22:329-358")
        .add("back_link", t.u16).add("__blh", t.u16)
        .add("esp0", t.ulong, "ring-0 stack: __switch_to writes next->thread.esp0 here")
        .add("ss0", t.u16).add("__ss0h", t.u16)
        .add("esp1", t.ulong).add("ss1", t.u16).add("__ss1h", t.u16)
        .add("esp2", t.ulong).add("ss2", t.u16).add("__ss2h", t.u16)
        .add("__cr3", t.ulong).add("eip", t.ulong).add("eflags", t.ulong);
    for (String r : new String[] {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"}) {
      b.add(r, t.ulong);
    }
    for (String s : new String[] {"es", "cs", "ss", "ds", "fs", "gs", "ldt"}) {
      b.add(s, t.u16).add("__" + s + "h", t.u16);
    }
    return b.add("trace", t.u16).add("bitmap", t.u16, "IO_BITMAP_OFFSET or INVALID_IO_BITMAP_OFFSET")
        .add("io_bitmap", t.array(t.ulong, 33), "IO_BITMAP_SIZE + 1")
        .add("__cacheline_filler", t.array(t.ulong, 5)).build();
  }
}
