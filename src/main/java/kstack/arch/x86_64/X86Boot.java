package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.PerCpuVar;
import kstack.arch.x86.SmpBoot;
import kstack.exec.Exec;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.CType;
import kstack.layout.Types;
import kstack.mem.Region;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * Boot on x86_64: head_64.S (startup_64 and the common tail that loads the boot stack and enters C),
 * head64.c, trap_init → cpu_init → syscall_init, secondary CPU bring-up (smpboot.c), the per-CPU
 * variables the stack mechanisms use and their initial values (cpu/common.c, process.c).
 */
public final class X86Boot {
  enum L implements Local { boot_cpu, cpu, idle, real_mode_data, unused }

  private X86Boot() {}

  static final String HEAD = "arch/x86/kernel/head_64.S";

  /**
   * Per-CPU variables in .data..percpu order: 4.16 puts irq_stack_union first (DEFINE_PER_CPU_FIRST,
   * cpu/common.c@4.16.13:1444), then the page-aligned TSS; 6.19 starts with the cache-hot variables
   * (vmlinux.lds.S@6.19:333-334). Research §9.1, §10.
   */
  static List<PerCpuVar> perCpuVars(Kernel k) {
    Types t = k.t;
    boolean v6 = k.profile.has(Feature.TOP_OF_STACK_PERCPU);
    CType task = t.ptrTo("task_struct");
    List<PerCpuVar> v = new ArrayList<>();
    CType tss = t.struct(k.image.struct("tss_struct"));
    if (v6) {
      v.add(new PerCpuVar("current_task", task, 8, "cache-hot; = &init_task (cpu/common.c@6.19:2218)"));
      v.add(new PerCpuVar("cpu_current_top_of_stack", t.ulong, 8,
          "cache-hot; = TOP_OF_INIT_STACK (cpu/common.c@6.19:2225)"));
      v.add(new PerCpuVar("__preempt_count", t.s32, 4, "cache-hot"));
      v.add(new PerCpuVar("cpu_number", t.s32, 4, "cache-hot"));
      v.add(new PerCpuVar("this_cpu_off", t.ulong, 8, "cache-hot"));
      v.add(new PerCpuVar("hardirq_stack_ptr", t.voidp, 8, "irq.c@6.19:40"));
      v.add(new PerCpuVar("hardirq_stack_inuse", t.u8, 1, "irq_64.c@6.19:29"));
      v.add(new PerCpuVar("cpu_tss_rw", tss, 4096, "DEFINE_PER_CPU_PAGE_ALIGNED"));
      v.add(new PerCpuVar("__stack_chk_guard", t.ulong, 8, "cpu/common.c@6.19:2301"));
    } else {
      CType irqUnion = t.array(t.u8, (int) k.image.constant("IRQ_STACK_SIZE"));
      v.add(new PerCpuVar("irq_stack_union", irqUnion, 4096,
          "DEFINE_PER_CPU_FIRST: the IRQ stack; gs_base[40] then the stack canary at %gs:40"));
      v.add(new PerCpuVar("cpu_tss_rw", tss, 4096, "DEFINE_PER_CPU_PAGE_ALIGNED"));
      v.add(new PerCpuVar("current_task", task, 64,
          "____cacheline_aligned = &init_task (cpu/common.c@4.16.13:1451)"));
      v.add(new PerCpuVar("irq_stack_ptr", t.voidp, 8, "cpu/common.c@4.16.13:1455"));
      v.add(new PerCpuVar("irq_count", t.s32, 4, "= -1 (cpu/common.c@4.16.13:1458)"));
      v.add(new PerCpuVar("__preempt_count", t.s32, 4, "cpu/common.c@4.16.13:1460"));
      v.add(new PerCpuVar("rsp_scratch", t.ulong, 8, "process_64.c@4.16.13:62"));
      v.add(new PerCpuVar("cpu_number", t.s32, 4, "setup_percpu.c@4.16.13:26"));
      v.add(new PerCpuVar("this_cpu_off", t.ulong, 8, "setup_percpu.c@4.16.13:35"));
    }
    return v;
  }

  /**
   * Per-CPU names that are macros in the profile: 4.16 {@code cpu_current_top_of_stack} is
   * {@code cpu_tss_rw.x86_tss.sp1}; {@code cpu_tss_rw + TSS_sp2} is the 6.19 syscall scratch slot.
   * Returns the link address (symbol + offset) the %gs-relative access uses.
   */
  static long perCpuMacro(Kernel k, String name) {
    return switch (name) {
      case "cpu_tss_rw + TSS_sp2" -> k.image.symbol("cpu_tss_rw") + k.image.offPath("tss_struct", "x86_tss.sp2");
      case "cpu_tss_rw + TSS_sp0" -> k.image.symbol("cpu_tss_rw") + k.image.offPath("tss_struct", "x86_tss.sp0");
      case "cpu_current_top_of_stack" -> k.profile.has(Feature.TOP_OF_STACK_IN_TSS_SP1)
          ? k.image.symbol("cpu_tss_rw") + k.image.offPath("tss_struct", "x86_tss.sp1")
          : k.image.symbol("cpu_current_top_of_stack");
      default -> k.image.symbol(name);
    };
  }

  /** head_64.S's boot data: initial_stack (4.16 only), initial_code, initial_gs. */
  static void linkData(Kernel k, Linker l) {
    Types t = k.t;
    if (k.profile.has(Feature.BOOT_RSP_FROM_INITIAL_STACK)) {
      long at = l.object("initial_stack", t.ulong, 8);
      k.image.deferInit(() -> k.mem.write64(at, k.image.symbol("init_thread_union") + k.threadSize - 168));
      long gs = l.object("initial_gs", t.ulong, 8);
      k.image.deferInit(() -> k.mem.write64(gs, k.perCpuOffset(0)));
    }
    long code = l.object("initial_code", t.ulong, 8);
    k.image.deferInit(() -> k.mem.write64(code, k.image.symbol("x86_64_start_kernel")));
  }

  /** The values each CPU's per-CPU area starts with (the DEFINE_PER_CPU initialisers). */
  static void initPerCpu(Kernel k, int cpu) {
    boolean v6 = k.profile.has(Feature.TOP_OF_STACK_PERCPU);
    long base = k.perCpuOffset(cpu);
    long initTask = k.image.symbol("init_task");
    long topOfInitStack = k.image.symbol("init_stack") + k.threadSize
        - k.image.constant("TOP_OF_KERNEL_STACK_PADDING");
    k.mem.write64(base + k.image.symbol("current_task"), initTask);
    long tss = base + k.image.symbol("cpu_tss_rw");
    // .x86_tss.sp0 = (1UL << (BITS_PER_LONG-1)) + 1: a poison until cpu_init loads the entry stack
    k.mem.write64(tss + k.image.offPath("tss_struct", "x86_tss.sp0"), (1L << 63) + 1);
    if (v6) {
      k.mem.write64(base + k.image.symbol("cpu_current_top_of_stack"), topOfInitStack);
      k.mem.write(tss + k.image.offPath("tss_struct", "x86_tss.io_bitmap_base"), 2, 0x8000);
    } else {
      k.mem.write64(tss + k.image.offPath("tss_struct", "x86_tss.sp1"), topOfInitStack);
      k.mem.write(base + k.image.symbol("irq_count"), 4, 0xffffffffL);
      k.mem.write64(base + k.image.symbol("irq_stack_ptr"), base + k.image.symbol("irq_stack_union")
          + k.image.constant("IRQ_STACK_SIZE"));
    }
    k.mem.write(base + k.image.symbol("cpu_number"), 4, cpu);
    k.mem.write64(base + k.image.symbol("this_cpu_off"), base);
    long entry = entryStackTop(k, cpu) - k.image.constant("ENTRY_STACK_SIZE");
    k.mem.map(new Region("cpu_entry_area[" + cpu + "].entry_stack_page", entry & -4096L, 4096,
        Region.Kind.ENTRY_AREA));
    X86Exceptions.mapIstStacks(k, cpu);
  }

  /** cpu_entry_stack(cpu) + 1: the top of the per-CPU entry (trampoline) stack. */
  static long entryStackTop(Kernel k, int cpu) {
    return k.image.constant("CPU_ENTRY_AREA_PER_CPU") + cpu * 0x40000L + 4096 + k.image.constant("ENTRY_STACK_SIZE");
  }

  /** INIT_THREAD: 6.19 sets .sp = &__top_init_kernel_stack (processor.h@6.19:662-666); 4.16 none. */
  static void initThread(Kernel k, long initTask) {
    if (k.profile.has(Feature.BOOT_RSP_FROM_THREAD_SP)) {
      k.tasks.taskWrite(initTask, "thread.sp", k.image.symbol("__top_init_kernel_stack"));
    }
  }

  /** Power-on state: the BSP starts at startup_64 with no usable stack; APs wait for INIT/SIPI. */
  static void powerOn(Kernel k, int cpu) {
    var c = k.cpu(cpu);
    c.set("cs", X86_64.KERNEL_CS);
    c.set("ss", X86_64.KERNEL_DS);
    c.set("eflags", 0x2);
    c.set("cr3", kstack.kernel.PageTableRoot.ofInitMm(k));
    c.set("rip", cpu == 0 ? k.image.symbol("startup_64") : 0);
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.BOOT_RSP_FROM_THREAD_SP);
    if (v6) {
      k.image.add(k.image.asm("startup_64", HEAD)
          .step("leaq __top_init_kernel_stack(%rip), %rsp: a stack for verify_cpu "
              + "(= task_pt_regs(&init_task))", x -> x.setSp(k.image.symbol("__top_init_kernel_stack")))
          .step("GS base = 0; early GDT/IDT; verify_cpu; __startup_64: early page tables "
              + "(not modelled)", x -> x.set("gs_base", 0))
          .step("jmp *.Lcommon_startup_64", x -> x.jumpTo(k.image.symbol("common_startup_64"))).build());
      k.image.add(k.image.asm("common_startup_64", HEAD)
          .step("find this CPU's number; movq __per_cpu_offset(,%rcx,8), %rdx",
              x -> x.set("rdx", k.perCpuOffset(x.cpu().id())))
          .step("movq current_task(%rdx), %rax; movq TASK_threadsp(%rax), %rsp: "
              + "the stack of this CPU's current task", x -> {
                long task = x.read(x.reg("rdx") + k.image.symbol("current_task"));
                x.set("rax", task);
                x.setSp(k.tasks.threadSp(task));
                k.timeline.emit(new Event.BootStack(x.cpu().id(), "common_startup_64", "rsp",
                    "current_task->thread.sp", x.sp()));
              })
          .step("wrmsr MSR_GS_BASE: GS base = %rdx (this CPU's per-CPU offset)",
              x -> x.set("gs_base", x.reg("rdx")))
          .step("xorl %ebp, %ebp (the outermost frame)", x -> x.setFp(0))
          .callVia("callq *initial_code(%rip)", x -> x.read(k.image.symbol("initial_code")), Args.inPlace(), null)
          .step("ud2 (initial_code never returns)", x -> {
            throw new IllegalStateException("initial_code returned");
          }).build());
    } else {
      k.image.add(k.image.asm("startup_64", HEAD)
          .step("leaq (__end_init_task - SIZEOF_PTREGS)(%rip), %rsp: a stack for verify_cpu",
              x -> {
                x.setSp(k.image.symbol("__end_init_task") - 168);
                k.timeline.emit(new Event.BootStack(x.cpu().id(), "startup_64", "rsp",
                    "__end_init_task - SIZEOF_PTREGS", x.sp()));
              })
          .step("call verify_cpu; call __startup_64: early page tables (not modelled)", x -> { })
          .step("jmp 1f: into secondary_startup_64's common tail",
              x -> x.jumpTo(k.image.symbol("secondary_startup_64") + 4)).build());
      k.image.add(k.image.asm("secondary_startup_64", HEAD)
          .step("(an AP arrives here from the real-mode trampoline)", x -> { })
          .step("lgdt early_gdt_descr; reload the segment registers", x -> { })
          .step("movl $MSR_GS_BASE, %ecx; initial_gs -> wrmsr: GS base = this CPU's per-CPU area",
              x -> x.set("gs_base", x.cpu().id() == 0 ? x.read(k.image.symbol("initial_gs"))
                  : k.perCpuOffset(x.cpu().id())))
          .step("movq initial_stack(%rip), %rsp", x -> {
            x.setSp(x.read(k.image.symbol("initial_stack")));
            k.timeline.emit(new Event.BootStack(x.cpu().id(), "secondary_startup_64", "rsp",
                "initial_stack", x.sp()));
          })
          .step("pushq $.Lafter_lret (a return address for the unwinder); xorl %ebp, %ebp", x -> {
            x.push(k.image.symbol("secondary_startup_64") + 4L * 7);
            x.setFp(0);
          })
          .step("pushq $__KERNEL_CS; pushq initial_code; lretq", x -> x.jumpTo(x.read(k.image.symbol("initial_code"))))
          .step("(not reached)", x -> { })
          .step(".Lafter_lret", x -> { }).build());
    }
    String head64 = "arch/x86/kernel/head64.c";
    k.image.add(k.image.c("x86_64_start_kernel", head64).params(L.real_mode_data)
        .step("early page tables, clear_bss(), idt_setup_early_handler(), copy_bootdata() "
            + "(not modelled)", x -> { })
        .call("x86_64_start_reservations(real_mode_data)", "x86_64_start_reservations",
            Args.of(x -> x.get(L.real_mode_data)))
        .retVoid().build());
    k.image.add(k.image.c("x86_64_start_reservations", head64).params(L.real_mode_data)
        .call("start_kernel()", "start_kernel", Args.inPlace())
        .retVoid().build());
    buildTrapInit(k, v6);
    buildSmp(k, v6);
    var irq = k.image.c("init_IRQ", "arch/x86/kernel/irqinit.c").params()
        .step("x86_init.irqs.intr_init(): interrupt gates for the external vectors "
            + "(irq_entries_start) and the APIC vectors", x -> { });
    if (k.profile.has(Feature.IRQENTRY)) {
      irq.step("irq_init_percpu_irqstack(smp_processor_id()): map_irq_stack() vmaps the per-CPU "
          + "backing store with guard pages; hardirq_stack_ptr = va + IRQ_STACK_SIZE - 8",
          x -> mapIrqStack(k, x.cpu().id()));
    } else {
      irq.step("(the IRQ stack is the per-CPU irq_stack_union; irq_stack_ptr points at its top)",
          x -> { });
    }
    k.image.add(irq.retVoid().build());
  }

  /**
   * irq_64.c@6.19:29-71: the IRQ stack seen through a vmap alias with guard pages. The simulator
   * models the alias (the backing store is not given separate bytes); the pointer is the top minus
   * one word ("Store actual TOS").
   */
  static void mapIrqStack(Kernel k, int cpu) {
    long size = k.image.constant("IRQ_STACK_SIZE");
    long va = k.pages.vmalloc(size, size, "IRQ stack of CPU " + cpu);
    k.mem.write64(k.perCpu("hardirq_stack_ptr", cpu), va + size - 8);
  }

  /** The IRQ stack of a CPU as [low, high), for unwinders and the stack labels. */
  static long[] irqStack(Kernel k, int cpu) {
    long size = k.image.constant("IRQ_STACK_SIZE");
    if (k.profile.has(Feature.IRQENTRY)) {
      long ptr = k.mem.read64(k.perCpu("hardirq_stack_ptr", cpu));
      return ptr == 0 ? null : new long[] {ptr + 8 - size, ptr + 8};
    }
    long base = k.perCpu("irq_stack_union", cpu);
    return new long[] {base, base + size};
  }

  private static void buildTrapInit(Kernel k, boolean v6) {
    String traps = "arch/x86/kernel/traps.c";
    String common = "arch/x86/kernel/cpu/common.c";
    var t = k.image.c("trap_init", traps).params()
        .step("setup_cpu_entry_areas(): the per-CPU entry stacks are mapped", x -> { });
    if (v6) {
      t.call("cpu_init_exception_handling(true)", "cpu_init_exception_handling", Args.of(x -> 1));
    } else {
      t.step("idt_setup_traps()", x -> { });
    }
    k.image.add(t.call("cpu_init()", "cpu_init", Args.inPlace())
        .step(v6 ? "(IST traps were set up by cpu_init_exception_handling)" : "idt_setup_ist_traps()",
            x -> { })
        .retVoid().build());
    if (v6) {
      k.image.add(k.image.c("cpu_init_exception_handling", common).params(L.boot_cpu)
          .step("setup_getcpu(); tss_setup_ist(tss): ist[IST_INDEX_DF/NMI/DB/MCE] = the tops of the "
              + "exception stacks; tss_setup_io_bitmap(tss); set_tss_desc(); load_TR_desc(); "
              + "load_current_idt()", x -> X86Exceptions.fillIst(k, x))
          .retVoid().build());
    }
    var c = k.image.c("cpu_init", common).params();
    if (!v6) {
      c.step("switch_to_new_gdt(cpu); load_current_idt()", x -> { });
    }
    c.call("syscall_init()", "syscall_init", Args.inPlace());
    if (!v6) {
      c.step("t->x86_tss.ist[v] = the top of each exception stack in cpu_entry_area; "
          + "set_tss_desc(); load_TR_desc()", x -> X86Exceptions.fillIst(k, x));
    }
    k.image.add(c.step("load_sp0((unsigned long)(cpu_entry_stack(cpu) + 1)): TSS.sp0 = top of the "
            + "entry stack", x -> {
              long tss = X86Entry.gs(k, x, "cpu_tss_rw");
              x.write(tss + k.image.offPath("tss_struct", "x86_tss.sp0"), entryStackTop(k, x.cpu().id()));
              k.timeline.emit(new Event.EntryStackSet(x.cpu().id(), entryStackTop(k, x.cpu().id())));
            })
        .step("current->active_mm = &init_mm (mmgrab)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("syscall_init", common).params()
        .step("wrmsr(MSR_STAR, ...); " + (v6 ? "idt_syscall_init() [inline]: " : "")
            + "wrmsrl(MSR_LSTAR, (unsigned long)entry_SYSCALL_64); MSR_SYSCALL_MASK", x -> {
              x.set("lstar", k.image.symbol("entry_SYSCALL_64"));
              k.timeline.emit(new Event.SyscallEntrySet(x.cpu().id(), k.image.symbol("entry_SYSCALL_64")));
            })
        .retVoid().build());
  }

  private static void buildSmp(Kernel k, boolean v6) {
    String smp = "arch/x86/kernel/smpboot.c";
    var up = k.image.c(k.arch.cpuUpSymbol(), smp).params(L.cpu, L.idle)
        .step("common_cpu_up(cpu, idle): per_cpu(current_task, cpu) = idle; "
            + "per_cpu(cpu_current_top_of_stack, cpu) = task_top_of_stack(idle)", x -> {
              int cpu = (int) x.get(L.cpu);
              long idle = x.get(L.idle);
              k.mem.write64(k.perCpu("current_task", cpu), idle);
              k.mem.write64(perCpuMacro(k, "cpu_current_top_of_stack") + k.perCpuOffset(cpu),
                  k.arch.taskTopOfStack(k, idle));
            })
        .step(v6 ? "do_boot_cpu(): initial_code = start_secondary; send INIT/SIPI: the AP starts "
                + "in common_startup_64 on idle->thread.sp"
                : "do_boot_cpu(): initial_code = start_secondary; initial_stack = idle->thread.sp; "
                + "send INIT/SIPI: the AP starts in secondary_startup_64", x -> {
                  int cpu = (int) x.get(L.cpu);
                  x.write(k.image.symbol("initial_code"), k.image.symbol("start_secondary"));
                  if (!v6) {
                    x.write(k.image.symbol("initial_stack"), k.tasks.threadSp(x.get(L.idle)));
                  }
                  if (v6) {
                    mapIrqStack(k, cpu); // irq_init_percpu_irqstack(cpu); the call site is not verified
                  }
                  var ap = k.cpu(cpu);
                  ap.set("gs_base", 0);
                  ap.set("rip", k.image.symbol(v6 ? "common_startup_64" : "secondary_startup_64"));
                });
    if (v6) { // native_kick_ap returns once the AP is kicked: smp_init waits (InitMain.buildSmp)
      k.image.add(up.ret("return err", x -> 0).build());
    } else {
      k.image.add(up.label("wait")
          .branchIf("wait", "while (!cpu_online(cpu)) wait: the AP is booting",
              x -> !online(k, (int) x.get(L.cpu)))
          .step("the AP is online", x -> k.timeline.emit(new Event.CpuOnline(x.cpu().id(), x.get(L.cpu))))
          .ret("return 0", x -> 0).build());
    }
    var ss = k.image.c("start_secondary", smp).params(L.unused);
    if (v6) {
      ss.call("cpu_init_exception_handling(false)", "cpu_init_exception_handling", Args.of(x -> 0));
    }
    k.image.add(SmpBoot.online(k, ss.call("cpu_init()", "cpu_init", Args.inPlace()))
        .call("cpu_startup_entry(CPUHP_AP_ONLINE_IDLE)", "cpu_startup_entry", Args.of(x -> 0))
        .retVoid().build());
  }

  static boolean online(Kernel k, int cpu) {
    return (k.mem.read64(k.image.symbol("__cpu_online_mask")) & (1L << cpu)) != 0;
  }

  static long gsVar(Kernel k, Exec x, String var) {
    return X86Entry.gs(k, x, var);
  }
}
