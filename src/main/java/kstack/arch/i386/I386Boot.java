package kstack.arch.i386;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.layout.CType;
import kstack.layout.Types;
import kstack.trace.Event;

/**
 * Boot on i386 at 4.16.13 (docs/research/i386-and-2.x.md §4.1): head_32.S loads esp from
 * initial_stack (init_thread_union + THREAD_SIZE - SIZEOF_PTREGS - TOP_OF_KERNEL_STACK_PADDING),
 * points %fs at the per-CPU area and calls *initial_code = i386_start_kernel; trap_init → cpu_init
 * loads the TSS; init_IRQ allocates the hardirq and softirq stacks; secondary CPUs start in
 * startup_32_smp on their idle task's thread.sp.
 */
final class I386Boot {
  enum L implements Local { cpu, idle, unused }

  private I386Boot() {}

  static final String HEAD = "arch/x86/kernel/head_32.S";
  /** cpu_tss_rw.x86_tss.sp0 = (1UL << (BITS_PER_LONG-1)) + 1 (process.c@4.16.13:50-73). */
  static final long SP0_POISON = 0x80000001L;
  /** __KERNEL_STACK_CANARY: GDT entry 28 (segment.h), the %gs of the stack protector up to 4.x. */
  static final long KERNEL_STACK_CANARY = 0xe0;

  /** .data..percpu: the page-aligned TSS first, then the ordinary variables. */
  static List<PerCpuVar> perCpuVars(Kernel k, BootPerCpu g) {
    Types t = k.t;
    List<PerCpuVar> v = new ArrayList<>();
    CType task = t.ptrTo("task_struct");
    v.add(new PerCpuVar("cpu_tss_rw", t.struct(k.image.struct("tss_struct")), 4096,
        "DEFINE_PER_CPU_PAGE_ALIGNED (process.c@" + k.profile.version() + ")"));
    v.add(new PerCpuVar("current_task", task, 4, "= &init_task"));
    v.add(new PerCpuVar("cpu_current_top_of_stack", t.ulong, 4, g.topOfStackNote()));
    v.add(new PerCpuVar("__preempt_count", t.s32, 4, "cpu/common.c"));
    g.addStackVars(t, v);
    v.add(new PerCpuVar("cpu_number", t.s32, 4, "setup_percpu.c"));
    v.add(new PerCpuVar("this_cpu_off", t.ulong, 4, "setup_percpu.c"));
    return v;
  }

  /** head_32.S's initial_code and initial_stack (head_32.S@4.16.13:510-511,568-574). */
  static void linkData(Kernel k, Linker l) {
    Types t = k.t;
    long code = l.object("initial_code", t.ulong, 4);
    k.image.deferInit(() -> k.writePtr(code, k.image.symbol("i386_start_kernel")));
    long stack = l.object("initial_stack", t.ulong, 4);
    // 4.16: init_thread_union + THREAD_SIZE - SIZEOF_PTREGS - TOP_OF_KERNEL_STACK_PADDING;
    // 6.19: __top_init_kernel_stack, the same address (head_32.S@6.19:489)
    k.image.deferInit(() -> k.writePtr(stack, k.image.symbol("init_thread_union") + k.threadSize - 68
        - k.image.constant("TOP_OF_KERNEL_STACK_PADDING")));
  }

  /** Where the model calls enable_sep_cpu, and where the kernel does. */
  static final String SEP_TEXT = "enable_sep_cpu(): the SYSENTER MSRs (the kernel reaches it from "
      + "identify_boot_cpu() and identify_secondary_cpu(); the model calls it here, once per CPU)";

  static void initPerCpu(Kernel k, int cpu, BootPerCpu g) {
    long base = k.perCpuOffset(cpu);
    k.writePtr(base + k.image.symbol("current_task"), k.image.symbol("init_task"));
    k.writePtr(base + k.image.symbol("cpu_current_top_of_stack"), k.image.symbol("init_thread_union")
        + k.threadSize - (g.topOfStackBelowPadding() ? k.image.constant("TOP_OF_KERNEL_STACK_PADDING") : 0));
    {
      // cpu_entry_area's entry stack: SYSENTER_ESP on 4.16, also TSS.sp0 on 6.19
      long page = EntryStack.page(k, cpu);
      k.mem.map(new kstack.mem.Region("cpu_entry_area[" + cpu + "].entry_stack_page", page,
          4096, kstack.mem.Region.Kind.ENTRY_AREA));
    }
    initTss(k, base + k.image.symbol("cpu_tss_rw"), SP0_POISON);
    k.mem.write(base + k.image.symbol("cpu_number"), 4, cpu);
    k.writePtr(base + k.image.symbol("this_cpu_off"), base);
  }

  /** INIT_THREAD (processor.h@4.16.13:850-855): sp0 = TOP_OF_INIT_STACK, sysenter_cs = __KERNEL_CS. */
  static void initThread(Kernel k, long initTask) {
    k.tasks.taskWrite(initTask, TaskMember.thread_sp0, k.image.symbol("init_stack") + k.threadSize
        - k.image.constant("TOP_OF_KERNEL_STACK_PADDING"));
    k.tasks.taskWrite(initTask, TaskMember.thread_sysenter_cs, I386.KERNEL_CS);
  }

  /**
   * Power-on: the boot CPU starts in startup_32; the others wait for INIT/SIPI. TR (the task
   * register, whose hidden base the CPU reads TSS.sp0 through) is loaded by cpu_init; the simulator
   * points it at the CPU's own TSS from the start.
   */
  static void powerOn(Kernel k, int cpu) {
    powerOn(k, cpu, "cpu_tss_rw");
  }

  /** The power-on state both generations share; tss names the per-CPU TSS variable. */
  static void powerOn(Kernel k, int cpu, String tss) {
    var c = k.cpu(cpu);
    c.set(Regs.cs, I386.KERNEL_CS);
    c.set(Regs.ss, I386.KERNEL_DS);
    c.set(Regs.eflags, 0x2);
    c.set(Regs.cr3, kstack.kernel.PageTableRoot.ofInitMm(k));
    c.set(Regs.tr_base, k.perCpuOffset(cpu) + k.image.symbol(tss));
    c.set(Regs.eip, cpu == 0 ? k.image.symbol("startup_32") : 0);
  }

  /** INIT_TSS's ring-0 fields: sp0, ss0 = __KERNEL_DS, ss1 = __KERNEL_CS, no I/O bitmap. */
  static void initTss(Kernel k, long tss, long sp0) {
    k.writePtr(tss + Tss.sp0.off(k), sp0);
    k.mem.write(tss + Tss.ss0.off(k), 2, I386.KERNEL_DS);
    k.mem.write(tss + Tss.ss1.off(k), 2, I386.KERNEL_CS);
    k.mem.write(tss + Tss.io_bitmap_base.off(k), 2, 0x8000);
  }

  /**
   * head_32.S's segment loads: %fs = __KERNEL_PERCPU (base: this CPU's offset); %gs =
   * __KERNEL_STACK_CANARY up to 4.16, cleared on 6.19, whose stack protector no longer uses a
   * segment (head_32.S@6.19:286-287): the generation's gs.
   */
  static void perCpuSegments(Kernel k, kstack.exec.Exec x, long gs) {
    x.set(Regs.fs, I386.KERNEL_PERCPU);
    x.set(Regs.fs_base, k.perCpuOffset(x.cpu().id()));
    x.set(Regs.gs, gs);
    x.set(Regs.ds, I386.USER_DS);
    x.set(Regs.es, I386.USER_DS);
  }

  /** The end of native_cpu_up: wait until the AP marks itself online. */
  static kstack.exec.RoutineBuilder waitOnline(Kernel k, kstack.exec.RoutineBuilder b) {
    return b.label("wait")
        .branchIf("wait", "while (!cpu_online(cpu)) wait: the AP is booting",
            x -> (k.readPtr(k.image.symbol("__cpu_online_mask")) & (1L << x.get(L.cpu))) == 0)
        .step("the AP is online", x -> k.timeline.emit(new Event.CpuOnline(x.cpu().id(), x.get(L.cpu))))
        .ret("return 0", x -> 0);
  }

  /** start_secondary: cpu_init, online, then the generation's idle loop. */
  static void startSecondary(Kernel k, String idle, long[] args) {
    k.image.add(kstack.arch.x86.SmpBoot.online(k, k.image.c("start_secondary", "arch/x86/kernel/smpboot.c")
        .params(L.unused).call("cpu_init()", "cpu_init", Args.inPlace()))
        .call(idle, idle.substring(0, idle.indexOf('(')), Args.computed(x -> args))
        .retVoid().build());
  }

  static void build(Kernel k, BootPerCpu g) {
    k.image.add(k.image.asm("startup_32", HEAD)
        .step("movl pa(initial_stack), %ecx; leal -__PAGE_OFFSET(%ecx), %esp: the boot stack "
            + "(through its physical alias until paging is on)", x -> {
              x.setSp(x.read(k.image.symbol("initial_stack")));
              k.timeline.emit(new Event.BootStack(x.cpu().id(), "startup_32", "esp",
                  g.initialStackText(), x.sp()));
            })
        .step("clear BSS; copy boot parameters; build the early page tables (not modelled)", x -> { })
        .step("jmp .Ldefault_entry", x -> x.jumpTo(k.image.symbol("startup_32_smp") + 4)).build());
    k.image.add(k.image.asm("startup_32_smp", HEAD)
        .step("(an AP arrives here from the trampoline) movl pa(initial_stack), %ecx; "
            + "leal -__PAGE_OFFSET(%ecx), %esp", x -> x.setSp(x.read(k.image.symbol("initial_stack"))))
        .step(".Ldefault_entry: pushl $0; popfl: clear EFLAGS", x -> {
          x.push(0);
          x.set(Regs.eflags, x.pop() | 0x2);
        })
        .step("enable paging; addl $__PAGE_OFFSET, %esp: the virtual address of the same stack",
            x -> { })
        .step("lgdt early_gdt_descr; movl $(__KERNEL_PERCPU), %eax; movl %eax, %fs: %fs reaches "
            + "this CPU's per-CPU area; " + g.gsText(),
            x -> perCpuSegments(k, x, g.gs()))
        .callVia("call *(initial_code)", x -> x.read(k.image.symbol("initial_code")), Args.inPlace(), null)
        .step("1: jmp 1b (initial_code never returns)", x -> {
          throw new IllegalStateException("initial_code returned");
        }).build());
    k.image.add(k.image.c("i386_start_kernel", "arch/x86/kernel/head32.c").params().asmlinkage()
        .step("cr4_init_shadow(); sanitize_boot_params(); x86_early_init_platform_quirks() "
            + "(not modelled)", x -> { })
        .call("start_kernel()", "start_kernel", Args.inPlace())
        .retVoid().build());
    buildTrapInit(k, g);
    buildSmp(k, g);
  }

  private static void buildTrapInit(Kernel k, BootPerCpu g) {
    k.image.add(k.image.c("trap_init", "arch/x86/kernel/traps.c").params()
        .step("setup_cpu_entry_areas(); idt_setup_traps(): vector 0x80 is a DPL-3 gate to "
            + "entry_INT80_32" + g.trapInitTss(), x -> { })
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpu_init", "arch/x86/kernel/cpu/common.c").params()
        .step("load_current_idt(); switch_to_new_gdt(cpu); current->active_mm = &init_mm; "
            + "set_tss_desc(cpu, &get_cpu_entry_area(cpu)->tss.x86_tss); load_TR_desc(): TR = this "
            + "CPU's TSS. TSS.sp0 keeps its poison: the idle task never goes to user mode",
            x -> x.set(Regs.tr_base, I386Entry.fs(k, x, "cpu_tss_rw")))
        .step(g.sp0Text(),
            x -> {
              if (g.sp0OnEntryStack()) {
                x.write(I386Entry.fs(k, x, "cpu_tss_rw") + Tss.sp0.off(k),
                    EntryStack.top(k, x.cpu().id()));
              }
            })
        .call(SEP_TEXT, "enable_sep_cpu", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("init_IRQ", "arch/x86/kernel/irqinit.c").params()
        .step("x86_init.irqs.intr_init(): interrupt gates for the external vectors "
            + "(irq_entries_start) and the APIC vectors", x -> { })
        .call(g.irqStackInit() + "(smp_processor_id())", g.irqStackInit(), Args.of(x -> x.cpu().id()))
        .retVoid().build());
  }

  private static void buildSmp(Kernel k, BootPerCpu g) {
    String smp = "arch/x86/kernel/smpboot.c";
    // common_cpu_up and do_boot_cpu: smpboot.c@4.16.13:890-926, smpboot.c@6.19:881-924.
    var cpuUp = k.image.c(k.arch.cpuUpSymbol(), smp).params(L.cpu, L.idle)
        .step("common_cpu_up(cpu, idle): per_cpu(current_task, cpu) = idle", x ->
            k.writePtr(k.perCpu("current_task", (int) x.get(L.cpu)), x.get(L.idle)))
        .call(g.irqStackInit() + "(cpu)", g.irqStackInit(), Args.of(x -> x.get(L.cpu)))
        .step("per_cpu(cpu_current_top_of_stack, cpu) = task_top_of_stack(idle): the end of its "
            + "pt_regs, below the padding", x -> k.writePtr(
                k.perCpu("cpu_current_top_of_stack", (int) x.get(L.cpu)),
                k.arch.taskTopOfStack(k, x.get(L.idle))))
        .step("do_boot_cpu(): idle->thread.sp = task_pt_regs(idle); initial_code = "
            + "start_secondary; initial_stack = idle->thread.sp; send INIT/SIPI: the AP starts in "
            + "startup_32_smp on the idle task's stack, below where its pt_regs would be", x -> {
              int cpu = (int) x.get(L.cpu);
              long idle = x.get(L.idle);
              k.tasks.taskWrite(idle, TaskMember.thread_sp, k.arch.taskPtRegs(k, idle));
              x.write(k.image.symbol("initial_code"), k.image.symbol("start_secondary"));
              x.write(k.image.symbol("initial_stack"), k.tasks.threadSp(idle));
              k.cpu(cpu).set(Regs.eip, k.image.symbol("startup_32_smp"));
            });
    // native_kick_ap (6.19) returns once the AP is kicked: smp_init waits (InitMain.buildSmp)
    k.image.add((g.cpuUpWaitsOnline() ? waitOnline(k, cpuUp) : cpuUp.ret("return err", x -> 0)).build());
    startSecondary(k, "cpu_startup_entry(CPUHP_AP_ONLINE_IDLE)", new long[] {0});
  }
}
