package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Profile;

/**
 * i386 struct layouts (ILP32: every long and pointer is 4 bytes), field order as in the cited
 * headers of the profile's version: pt_regs is 17 words, 68 bytes (arch/x86/include/asm/ptrace.h);
 * the switch frame is what __switch_to_asm pushes (asm/switch_to.h); the hardware TSS is the
 * 104-byte 32-bit one (asm/processor.h).
 */
final class I386Layouts {
  private I386Layouts() {}

  /**
   * page_32_types.h@4.16.13: THREAD_SIZE_ORDER 1; thread_info.h@4.16.13:38-43: padding 8, or 16 with
   * CONFIG_VM86; page_32_types.h: __PAGE_OFFSET 0xC0000000; CONFIG_PHYSICAL_START 0x1000000.
   */
  static Map<String, Long> constants(Profile p, I386EntryModel entry) {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("PAGE_SIZE", 4096L);
    long threadSize = p.optional("4KSTACKS") ? 4096L : 8192L;
    c.put("THREAD_SIZE", threadSize);
    c.put("THREAD_ALIGN", threadSize);
    // the name dates from 4.2; 2.6.32 writes the same 8 into task_pt_regs (processor.h@2.6.32:949-964)
    // 2.4 leaves no gap above its 60-byte pt_regs: copy_thread puts them at the very top
    // (process.c@2.4.22:589); 2.6.11 as 2.4: task_pt_regs is KSTK_TOP - 1 (processor.h@2.6.11:511-526)
    boolean pt60 = entry.ptRegsSize() == 60;
    c.put("TOP_OF_KERNEL_STACK_PADDING", pt60 ? 0L : p.optional("VM86") ? 16L : 8L);
    c.put("SIZEOF_PTREGS", entry.ptRegsSize());
    c.put("PTREGS_SIZE", entry.ptRegsSize()); // asm-offsets.c@4.16.13:96, @6.19:104 (4.x on)
    if (!pt60) {
      c.put("STACK_END_MAGIC", kstack.kernel.Kernel.STACK_END_MAGIC); // 2.4 has no end-of-stack magic
    }
    c.put("PAGE_OFFSET", 0xC0000000L);
    c.put("__START_KERNEL", 0xC1000000L);
    c.put("VMALLOC_START", 0xF8800000L);
    c.put("VMALLOC_ALLOC_START", 0xF9000000L);
    c.put("MODULES_VADDR", 0xF8800000L);
    c.put("TASK_SIZE_MAX", 0xC0000000L);
    c.put("STACK_TOP", 0xC0000000L);
    c.put("IRQ_STACK_SIZE", threadSize);
    long[] sel = entry.selectors();
    c.put("__USER_CS", sel[2]);
    c.put("__USER_DS", sel[3]);
    c.put("__KERNEL_CS", sel[0]);
    c.put("__KERNEL_DS", sel[1]);
    if (!pt60) {
      c.put("__KERNEL_PERCPU", I386.KERNEL_PERCPU); // 2.4 and 2.6.11 have no per-CPU segment
    }
    if (entry.entryStackSize() > 0) {
      c.put("CPU_ENTRY_AREA_PER_CPU", 0xffa00000L); // the simulator's placement of cpu_entry_area
      // SIZEOF_entry_stack (asm-offsets.c@4.16.13:105, @6.19:112)
      c.put("ENTRY_STACK_SIZE", entry.entryStackSize());
    }
    return c;
  }

  /**
   * arch/x86/include/asm/ptrace.h@4.16.13:12-37 (CONFIG_X86_32): bx..ax, the four data segment
   * registers, orig_ax, then the frame the CPU pushes: ip, cs, flags, and sp, ss only on a change of
   * privilege level.
   */
  static StructLayout ptRegs(Profile p, Types t, String axNote) {
    StructLayout.Builder b = StructLayout.builder("pt_regs",
        "arch/x86/include/asm/ptrace.h@" + p.version() + " (CONFIG_X86_32)");
    String[][] f = {
        {"bx", "syscall arg 1"}, {"cx", "arg 2"}, {"dx", "arg 3"}, {"si", "arg 4"},
        {"di", "arg 5"}, {"bp", "arg 6"}, {"ax", axNote},
        {"ds", ""}, {"es", ""}, {"fs", "the interrupted %fs (the kernel runs on __KERNEL_PERCPU)"},
        {"gs", ""},
        {"orig_ax", "syscall number / ~vector"},
        {"ip", "hardware frame: return eip"}, {"cs", "hardware frame: code segment"},
        {"flags", "hardware frame: eflags"},
        {"sp", "hardware frame: user esp (pushed only on a privilege change)"},
        {"ss", "hardware frame: user ss (pushed only on a privilege change)"}};
    for (String[] x : f) {
      b.add(x[0], t.ulong, x[1]);
    }
    return b.build();
  }

  /**
   * x86_hw_tss, then tss_struct: the hardware TSS, the I/O bitmap (struct x86_io_bitmap from 5.x,
   * processor.h@6.19:372-398), and on 2.6 the emergency stack, cacheline aligned (page aligned later).
   */
  static void putTss(Map<String, StructLayout> m, Profile p, Types t, boolean ioBitmapStruct,
      boolean emergencyStack) {
    StructLayout hw = hwTss(t);
    m.put("x86_hw_tss", hw);
    StructLayout.Builder tss = StructLayout.builder("tss_struct",
        "arch/x86/include/asm/processor.h@" + p.version()).add("x86_tss", t.struct(hw));
    if (ioBitmapStruct) {
      tss.add("io_bitmap", t.struct(StructLayout.builder("x86_io_bitmap", "processor.h@6.19:372-398")
          .add("prev_sequence", t.u64).add("prev_max", t.u32)
          .add("bitmap", t.array(t.ulong, 2049)).add("mapall", t.array(t.ulong, 2049)).build()));
    } else {
      tss.add("io_bitmap", t.array(t.ulong, 2049), "IO_BITMAP_LONGS + 1");
    }
    if (emergencyStack) {
      // processor.h@2.6.32.67:254-272: 0x100 more bytes of emergency stack, cacheline aligned;
      // SYSENTER_ESP points just past them
      tss.add("stack", t.array(t.ulong, 64), "the emergency kernel stack");
    }
    m.put("tss_struct", tss.aligned(emergencyStack ? 64 : 4096).build());
  }

  /**
   * The 15-word pt_regs of 2.4 and 2.6.11 with the e-prefixed registers and x-prefixed segments
   * (entry.S@2.4.22:24-63; entry.S@2.6.11:54-68): no fs, no gs.
   */
  static StructLayout ptRegs60(Types t, String source) {
    StructLayout.Builder b = StructLayout.builder("pt_regs", source);
    String[][] f = {
        {"ebx", "syscall arg 1"}, {"ecx", "arg 2"}, {"edx", "arg 3"}, {"esi", "arg 4"},
        {"edi", "arg 5"}, {"ebp", "arg 6"}, {"eax", "the syscall number, then the result"},
        {"xds", ""}, {"xes", ""}, {"orig_eax", "syscall number / irq - 256"},
        {"eip", "hardware frame: return eip"}, {"xcs", "hardware frame: code segment"},
        {"eflags", "hardware frame: eflags"},
        {"esp", "hardware frame: user esp (pushed only on a privilege change)"},
        {"xss", "hardware frame: user ss (pushed only on a privilege change)"}};
    for (String[] x : f) {
      b.add(x[0], t.ulong, x[1]);
    }
    return b.build();
  }

  /** task .. addr_limit: the first seven members, the same in 2.6.11 and 2.6.32. */
  static StructLayout.Builder threadInfoHead(StructLayout.Builder b, Types t) {
    return b.add("task", t.ptrTo("task_struct"), "main task structure: current_thread_info()->task")
        .add("exec_domain", t.voidp)
        .add("flags", t.ulong, "TIF_* flags; bit 3 is TIF_NEED_RESCHED")
        .add("status", t.ulong, "thread-synchronous flags")
        .add("cpu", t.u32, "current CPU")
        .add("preempt_count", t.s32, "0 => preemptable, <0 => BUG")
        .add("addr_limit", t.ulong, "mm_segment_t: thread address space");
  }

  /** The 32-bit hardware TSS, 104 bytes (processor.h@4.16.13:281-312). */
  static StructLayout hwTss(Types t) {
    StructLayout.Builder b = StructLayout.builder("x86_hw_tss", "arch/x86/include/asm/processor.h")
        .add("back_link", t.u16).add("__blh", t.u16)
        .add("sp0", t.ulong, "ring-0 stack: where int $0x80 and interrupts from user mode land")
        .add("ss0", t.u16).add("__ss0h", t.u16)
        .add("sp1", t.ulong).add("ss1", t.u16, "MSR_IA32_SYSENTER_CS mirror").add("__ss1h", t.u16)
        .add("sp2", t.ulong).add("ss2", t.u16).add("__ss2h", t.u16)
        .add("__cr3", t.ulong).add("ip", t.ulong).add("flags", t.ulong);
    for (String r : new String[] {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"}) {
      b.add(r, t.ulong);
    }
    for (String s : new String[] {"es", "cs", "ss", "ds", "fs", "gs", "ldt"}) {
      b.add(s, t.u16).add("__" + s + "h", t.u16);
    }
    return b.add("trace", t.u16).add("io_bitmap_base", t.u16).build();
  }
}
