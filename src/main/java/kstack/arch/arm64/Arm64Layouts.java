package kstack.arch.arm64;

import java.util.LinkedHashMap;
import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Profile;

/**
 * arm64 struct layouts (linux-facts §2.3, research arm64.md §3.4, §6.2): pt_regs is 320 bytes in
 * both generations, ending in the final frame record; cpu_context (x19..x28, fp, sp, pc) opens
 * thread_struct. CONFIG_ARM64_SW_TTBR0_PAN and shadow call stacks are off (their members are absent).
 * What a generation changed comes from its {@link Arm64Layout}.
 */
final class Arm64Layouts {
  private Arm64Layouts() {}

  static Map<String, StructLayout> build(Profile p, Types t, Arm64Layout g) {
    Map<String, StructLayout> m = new LinkedHashMap<>();
    StructLayout.Builder r = StructLayout.builder("pt_regs",
        "arch/arm64/include/asm/ptrace.h@" + p.version())
        .add("regs", t.array(t.u64, 31), "x0..x30 at the exception (x8: syscall number)")
        .add("sp", t.u64, "the interrupted SP (SP_EL0 for EL0 entries)")
        .add("pc", t.u64, "ELR_EL1: where the exception returns")
        .add("pstate", t.u64, "SPSR_EL1 (mode EL0t 0x0, EL1h 0x5)")
        .add("orig_x0", t.u64, "the first argument, kept for restarts")
        .add("syscallno", t.s32, "NO_SYSCALL (-1) or the number");
    g.addPtRegsTail(m, r, t);
    m.put("pt_regs", r.build());
    StructLayout.Builder ti = StructLayout.builder("thread_info",
        "arch/arm64/include/asm/thread_info.h@" + p.version()).add("flags", t.ulong, "TIF_* flags");
    g.addThreadInfo(ti, t);
    m.put("thread_info", ti.build());
    StructLayout ctx = StructLayout.builder("cpu_context", "arch/arm64/include/asm/processor.h@"
        + p.version())
        .add("x19", t.ulong, "kernel thread: the function").add("x20", t.ulong, "kernel thread: its argument")
        .add("x21", t.ulong).add("x22", t.ulong).add("x23", t.ulong).add("x24", t.ulong)
        .add("x25", t.ulong).add("x26", t.ulong).add("x27", t.ulong).add("x28", t.ulong)
        .add("fp", t.ulong, "x29 at the switch").add("sp", t.ulong, "SP at the switch")
        .add("pc", t.ulong, "where cpu_switch_to returns: in __switch_to, or ret_from_fork").build();
    m.put("cpu_context", ctx);
    m.put("thread_struct", StructLayout.builder("thread_struct", "arch/arm64/include/asm/processor.h@"
        + p.version()).add("cpu_context", t.struct(ctx), "first member")
        .add("tp_value", t.ulong, "TPIDR_EL0").build());
    return m;
  }

  /** The profile constants Arm64.constants answers with (see there for the sources). */
  static Map<String, Long> constants(Profile p, Arm64Layout g) {
    boolean kasan = p.config("KASAN");
    long threadSize = kasan ? 32768 : 16384;
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("PAGE_SIZE", 4096L);
    c.put("THREAD_SIZE", threadSize);
    c.put("THREAD_ALIGN", p.config("VMAP_STACK") || g.threadAlignAlwaysDoubled()
        ? 2 * threadSize : threadSize);
    c.put("THREAD_SHIFT", kasan ? 15L : 14L);
    c.put("TOP_OF_KERNEL_STACK_PADDING", 0L);
    c.put("SIZEOF_PTREGS", 320L);
    // DEFINE(S_FRAME_SIZE / PT_REGS_SIZE, sizeof(struct pt_regs)): asm-offsets.c@4.16.13:81, @6.19:81
    c.put(g.ptRegsSizeName(), 320L);
    c.put("IRQ_STACK_SIZE", threadSize);
    c.put("OVERFLOW_STACK_SIZE", 4096L);
    c.put("STACK_END_MAGIC", kstack.kernel.Kernel.STACK_END_MAGIC);
    Arm64Layout.VaMap va = g.va();
    c.put("PAGE_OFFSET", va.pageOffset());
    c.put("MODULES_VADDR", va.modulesVaddr());
    c.put("KIMAGE_VADDR", va.kimageVaddr());
    c.put("__START_KERNEL", va.startKernel());
    c.put("VMALLOC_START", va.vmallocStart());
    c.put("VMALLOC_ALLOC_START", va.vmallocAllocStart());
    c.put("TASK_SIZE_MAX", 1L << 48);
    c.put("STACK_TOP", 1L << 48);
    return c;
  }
}
