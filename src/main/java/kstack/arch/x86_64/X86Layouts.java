package kstack.arch.x86_64;

import java.util.LinkedHashMap;
import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.kernel.Kernel;
import kstack.profile.Profile;

/**
 * x86_64 struct layouts, field order as in the cited headers. Offsets are computed with LP64 natural
 * alignment; tests check them against the values in the facts sheet (pt_regs 168 bytes, fork_frame
 * 224 bytes, x86_hw_tss 104 bytes packed).
 */
final class X86Layouts {
  private X86Layouts() {}

  static Map<String, StructLayout> build(Layouts64 g, Profile p, Types t) {
    Map<String, StructLayout> m = new LinkedHashMap<>();
    StructLayout ptRegs = ptRegs(t);
    m.put("pt_regs", ptRegs);
    g.addTaskLayouts(m, p, t, ptRegs);
    StructLayout hwTss = hwTss(t);
    m.put("x86_hw_tss", hwTss);
    m.put("tss_struct", tss(g, p, t, hwTss));
    return m;
  }

  /**
   * arch/x86/include/asm/page_64_types.h (THREAD_SIZE_ORDER), thread_info.h
   * (TOP_OF_KERNEL_STACK_PADDING: 16 with CONFIG_X86_FRED on 6.19, else 0), pgtable_64_types.h;
   * the generation's values from its Layouts64 module.
   */
  static Map<String, Long> constants(Layouts64 g, Profile p) {
    Map<String, Long> c = new LinkedHashMap<>();
    long threadSize = g.threadSize(p);
    c.put("PAGE_SIZE", 4096L);
    c.put("THREAD_SIZE", threadSize);
    c.put("THREAD_ALIGN", threadSize);
    c.put("TOP_OF_KERNEL_STACK_PADDING",
        p.config().knows("X86_FRED") && p.config("X86_FRED") ? 16L : 0L);
    c.put("SIZEOF_PTREGS", 168L);
    c.put("PTREGS_SIZE", 168L); // asm-offsets.c@4.16.13:96, @6.19:104 (Generations hides it on 2.6)
    c.put("STACK_END_MAGIC", Kernel.STACK_END_MAGIC);
    c.put("__START_KERNEL_map", 0xffffffff80000000L);
    c.put("__START_KERNEL", 0xffffffff81000000L);
    c.put("PAGE_OFFSET", g.pageOffset());
    c.put("VMALLOC_START", g.vmallocStart());
    c.put("MODULES_VADDR", 0xffffffffa0000000L);
    c.put("CPU_ENTRY_AREA_PER_CPU", 0xfffffe0000001000L);
    c.put("TASK_SIZE_MAX", 0x00007ffffffff000L);
    c.put("STACK_TOP", 0x00007ffffffff000L);
    c.put("IRQ_STACK_SIZE", g.irqStackSize(threadSize));
    g.addConstants(c);
    c.put("__USER_CS", X86_64.USER_CS);
    c.put("__USER_DS", X86_64.USER_DS);
    c.put("__KERNEL_CS", X86_64.KERNEL_CS);
    c.put("__KERNEL_DS", X86_64.KERNEL_DS);
    c.put("ENTRY_STACK_SIZE", g.entryStackSize());
    return c;
  }

  /** arch/x86/include/asm/ptrace.h: 21 eight-byte slots, r15 lowest, ss highest (168 bytes). */
  static StructLayout ptRegs(Types t) {
    StructLayout.Builder b = StructLayout.builder("pt_regs", "arch/x86/include/asm/ptrace.h");
    String[][] f = {
        {"r15", "callee-saved; saved last on entry"}, {"r14", ""}, {"r13", ""}, {"r12", ""},
        {"bp", "callee-saved"}, {"bx", "callee-saved"}, {"r11", "syscall: user rflags"},
        {"r10", "syscall arg 4"}, {"r9", "arg 6"}, {"r8", "arg 5"},
        {"ax", "return value (-ENOSYS until the call returns)"}, {"cx", "syscall: user rip"},
        {"dx", "arg 3"}, {"si", "arg 2"}, {"di", "arg 1"},
        {"orig_ax", "syscall number / error code / vector"},
        {"ip", "hardware frame: return rip"}, {"cs", "hardware frame: code segment"},
        {"flags", "hardware frame: rflags"}, {"sp", "hardware frame: user rsp"},
        {"ss", "hardware frame: stack segment"}};
    for (String[] x : f) {
      b.add(x[0], t.ulong, x[1]);
    }
    return b.build();
  }

  /**
   * With THREAD_INFO_IN_TASK, thread_info is the first member of task_struct.
   * 4.16: {flags, status} (arch/x86/include/asm/thread_info.h@4.16.13:55-58);
   * 6.19: {flags, syscall_work, status, cpu} (@6.19:62-69).
   */
  static StructLayout threadInfo(Profile p, Types t, boolean syscallWorkAndCpu) {
    StructLayout.Builder b = StructLayout.builder("thread_info",
        "arch/x86/include/asm/thread_info.h@" + p.version());
    b.add("flags", t.ulong, "TIF_* flags; bit 3 is TIF_NEED_RESCHED");
    if (syscallWorkAndCpu) {
      b.add("syscall_work", t.ulong, "SYSCALL_WORK_* flags");
    }
    b.add("status", t.u32, "TS_* flags");
    if (syscallWorkAndCpu) {
      b.add("cpu", t.u32, "CONFIG_SMP: task_cpu(p) reads this");
    }
    return b.build();
  }

  /**
   * The head of x86_64 thread_struct: tls_array[GDT_ENTRY_TLS_ENTRIES = 3] of 8-byte descriptors, then
   * sp (the saved kernel rsp of a switched-out task), then segment selectors and fs/gs bases. x86_64 has
   * no thread.sp0 since 4.15 (arch/x86/include/asm/processor.h).
   */
  static StructLayout threadStruct(Types t) {
    return StructLayout.builder("thread_struct", "arch/x86/include/asm/processor.h")
        .add("tls_array", t.array(t.u64, 3), "TLS descriptors")
        .add("sp", t.ulong, "kernel rsp saved by __switch_to_asm")
        .add("es", t.u16).add("ds", t.u16).add("fsindex", t.u16).add("gsindex", t.u16)
        .add("fsbase", t.ulong).add("gsbase", t.ulong)
        .build();
  }

  /**
   * The 2.6.32 thread_info at the base of the stack, 104 bytes on x86_64
   * (arch/x86/include/asm/thread_info.h@2.6.32:26-43; linux-facts §3.4).
   */
  static StructLayout threadInfo26(Types t) {
    return StructLayout.builder("thread_info", "arch/x86/include/asm/thread_info.h@2.6.32:26-43")
        .add("task", t.ptrTo("task_struct"), "main task structure")
        .add("exec_domain", t.voidp)
        .add("flags", t.u32, "TIF_* flags: bit 3 TIF_NEED_RESCHED, bit 18 TIF_FORK")
        .add("status", t.u32)
        .add("cpu", t.u32)
        .add("preempt_count", t.s32)
        .add("addr_limit", t.ulong, "mm_segment_t")
        .add("restart_block", t.array(t.u64, 6), "struct restart_block (48 bytes)")
        .add("sysenter_return", t.voidp)
        .add("uaccess_err", t.s32)
        .build();
  }

  /**
   * The 2.6.32 x86_64 thread_struct head (processor.h@2.6.32:425-470): tls_array, sp0 (the top),
   * sp (saved by switch_to), usersp (the user rsp while switched out), selectors, fs and gs bases.
   */
  static StructLayout threadStruct26(Types t) {
    return StructLayout.builder("thread_struct", "arch/x86/include/asm/processor.h@2.6.32:425-470")
        .add("tls_array", t.array(t.u64, 3), "TLS descriptors")
        .add("sp0", t.ulong, "the top of the stack: TSS.sp0 while this task runs")
        .add("sp", t.ulong, "kernel rsp saved by switch_to: [rbp][rflags] above it")
        .add("usersp", t.ulong, "old_rsp while switched out")
        .add("es", t.u16).add("ds", t.u16).add("fsindex", t.u16).add("gsindex", t.u16)
        .add("fs", t.ulong).add("gs", t.ulong)
        .build();
  }

  /** arch/x86/include/asm/switch_to.h: what __switch_to_asm leaves on a switched-out stack (56 B). */
  static StructLayout inactiveTaskFrame(Types t) {
    return StructLayout.builder("inactive_task_frame", "arch/x86/include/asm/switch_to.h")
        .add("r15", t.ulong).add("r14", t.ulong).add("r13", t.ulong).add("r12", t.ulong, "kthread: fn arg")
        .add("bx", t.ulong, "kthread: fn").add("bp", t.ulong, "frame pointer of the switched-out context")
        .add("ret_addr", t.ulong, "where __switch_to returns: __schedule or ret_from_fork")
        .build();
  }

  /** arch/x86/include/asm/processor.h: the hardware TSS, packed, 104 bytes. */
  static StructLayout hwTss(Types t) {
    return StructLayout.builder("x86_hw_tss", "arch/x86/include/asm/processor.h").packed()
        .add("reserved1", t.u32).add("sp0", t.u64, "ring-0 stack: the entry (trampoline) stack")
        .add("sp1", t.u64).add("sp2", t.u64).add("reserved2", t.u64)
        .add("ist", t.array(t.u64, 7), "interrupt stack table").add("reserved3", t.u32)
        .add("reserved4", t.u32).add("reserved5", t.u16).add("io_bitmap_base", t.u16)
        .build();
  }

  /**
   * tss_struct: the hardware TSS followed by the I/O bitmap, page aligned. 4.16: io_bitmap is
   * unsigned long[IO_BITMAP_LONGS + 1] (12288 bytes in all, processor.h@4.16.13:348-363); 6.19: a
   * struct x86_io_bitmap (20480 bytes in all, processor.h@6.19:372-409).
   */
  static StructLayout tss(Layouts64 g, Profile p, Types t, StructLayout hw) {
    StructLayout.Builder b = StructLayout.builder("tss_struct",
        "arch/x86/include/asm/processor.h@" + p.version()).add("x86_tss", t.struct(hw));
    g.addIoBitmap(b, t);
    return b.aligned(4096).build();
  }

  /** io_bitmap as unsigned long[IO_BITMAP_LONGS + 1] (processor.h@4.16.13:348-363). */
  static void ioBitmapLongs(StructLayout.Builder tss, Types t) {
    tss.add("io_bitmap", t.array(t.ulong, 1025), "IO_BITMAP_LONGS + 1");
  }
}
