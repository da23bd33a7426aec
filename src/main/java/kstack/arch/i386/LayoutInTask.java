package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Profile;

/**
 * The layouts of the generations with thread_info inside task_struct: pt_regs, a small thread_info,
 * the switch frame __switch_to_asm pushes, fork_frame and the page-aligned TSS; the generations'
 * modules extend it with what differs.
 */
public abstract class LayoutInTask implements I386LayoutModel {
  private final boolean cpuInThreadInfo;
  private final boolean frameSavesFlags;
  private final boolean ioBitmapStruct;

  /**
   * cpuInThreadInfo: syscall_work and cpu in thread_info; frameSavesFlags: the switch frame saves
   * eflags; ioBitmapStruct: the TSS's I/O bitmap is struct x86_io_bitmap.
   */
  protected LayoutInTask(boolean cpuInThreadInfo, boolean frameSavesFlags, boolean ioBitmapStruct) {
    this.cpuInThreadInfo = cpuInThreadInfo;
    this.frameSavesFlags = frameSavesFlags;
    this.ioBitmapStruct = ioBitmapStruct;
  }

  @Override
  public Map<String, StructLayout> structs(Profile p, Types t) {
    Map<String, StructLayout> m = new LinkedHashMap<>();
    StructLayout ptRegs = I386Layouts.ptRegs(p, t, "return value (-ENOSYS until the call returns)");
    m.put("pt_regs", ptRegs);
    StructLayout.Builder ti = StructLayout.builder("thread_info",
        "arch/x86/include/asm/thread_info.h@" + p.version())
        .add("flags", t.ulong, "TIF_* flags; bit 3 is TIF_NEED_RESCHED");
    if (cpuInThreadInfo) {
      ti.add("syscall_work", t.ulong, "SYSCALL_WORK_* flags");
    }
    ti.add("status", t.u32, "TS_* flags");
    if (cpuInThreadInfo) {
      ti.add("cpu", t.u32, "CONFIG_SMP: task_cpu(p) reads this");
    }
    m.put("thread_info", ti.build());
    m.put("thread_struct", threadStruct(p, t));
    StructLayout.Builder fb = StructLayout.builder("inactive_task_frame",
        "arch/x86/include/asm/switch_to.h@" + p.version() + " (CONFIG_X86_32)");
    if (frameSavesFlags) {
      fb.add("flags", t.ulong, "6.19 saves eflags too (against AC leakage); X86_EFLAGS_FIXED when forked");
    }
    StructLayout frame = fb
        .add("si", t.ulong).add("di", t.ulong, "kthread: fn arg")
        .add("bx", t.ulong, "kthread: fn").add("bp", t.ulong, "frame pointer of the switched-out context")
        .add("ret_addr", t.ulong, "where __switch_to returns: __schedule or ret_from_fork")
        .build();
    m.put("inactive_task_frame", frame);
    m.put("fork_frame", StructLayout.builder("fork_frame", "arch/x86/include/asm/switch_to.h@"
        + p.version()).add("frame", t.struct(frame)).add("regs", t.struct(ptRegs)).build());
    I386Layouts.putTss(m, p, t, ioBitmapStruct, false);
    return m;
  }

  /**
   * The head of the i386 thread_struct (processor.h@4.16.13:447-480): tls_array[3] of 8-byte
   * descriptors, sp0 (the top TSS.sp0 gets), sp (saved by __switch_to_asm), sysenter_cs, fs, gs.
   */
  private static StructLayout threadStruct(Profile p, Types t) {
    return StructLayout.builder("thread_struct", "arch/x86/include/asm/processor.h@" + p.version())
        .add("tls_array", t.array(t.u32, 6), "3 TLS descriptors of 8 bytes")
        .add("sp0", t.ulong, "ring-0 stack top: TSS.sp0 while this task runs")
        .add("sp", t.ulong, "kernel esp saved by __switch_to_asm")
        .add("sysenter_cs", t.ulong).add("fs", t.ulong).add("gs", t.ulong)
        .build();
  }
}
