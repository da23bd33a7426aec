package kstack.arch.x86_64;

import kstack.arch.x86.SmpBoot;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.mem.Region;
import kstack.trace.Event;

/**
 * Boot and per-CPU data with the cpu_entry_area (4.15 on): head_64.S's startup, head64.c,
 * trap_init → cpu_init → syscall_init with TSS.sp0 on the per-CPU entry stack, cpu_tss_rw, the
 * per-CPU __preempt_count (cpu/common.c), secondary CPU bring-up (smpboot.c). What the generations
 * with it share; each module gives its startup path, per-CPU variables and bring-up.
 */
public abstract class BootEntryArea implements Boot64 {
  enum L implements Local { boot_cpu, cpu, idle, real_mode_data, unused }

  static final String HEAD = X86Boot.HEAD;
  static final String COMMON = "arch/x86/kernel/cpu/common.c";
  static final String SMP = "arch/x86/kernel/smpboot.c";

  /** Whether cpu_current_top_of_stack is cpu_tss_rw.x86_tss.sp1 (a macro), or its own variable. */
  abstract boolean topOfStackInTssSp1();

  /** head_64.S: startup_64 and the common tail that loads the boot stack and enters C. */
  abstract void buildStartup(Kernel k);

  /** trap_init, cpu_init (ending in {@link #finishCpuInit}) and syscall_init. */
  abstract void buildTrapInit(Kernel k, Exceptions64 ist);

  /** The bring-up hook after its common_cpu_up step, and start_secondary's first steps. */
  abstract void finishCpuUp(Kernel k, RoutineBuilder up);

  abstract RoutineBuilder startSecondary(Kernel k);

  /** init_IRQ's step that sets up (or names) the IRQ stack. */
  abstract void irqStackStep(Kernel k, RoutineBuilder initIrq);

  /** The generation's stack words of a CPU's per-CPU area and TSS. */
  abstract void initStackWords(Kernel k, int cpu, long base, long tss, long topOfInitStack);

  /** The boot words head_64.S reads besides initial_code. */
  void linkBootStack(Kernel k, Linker l) {}

  @Override
  public void build(Kernel k) {
    buildStartup(k);
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
    buildTrapInit(k, k.profile.module(Exceptions64.class));
    buildSmp(k);
    var irq = k.image.c("init_IRQ", "arch/x86/kernel/irqinit.c").params()
        .step("x86_init.irqs.intr_init(): interrupt gates for the external vectors "
            + "(irq_entries_start) and the APIC vectors", x -> { });
    irqStackStep(k, irq);
    k.image.add(irq.retVoid().build());
  }

  /** cpu_init's end: TSS.sp0 = the top of the entry stack; syscall_init's MSR_LSTAR. */
  static void finishCpuInit(Kernel k, RoutineBuilder c) {
    k.image.add(c.step("load_sp0((unsigned long)(cpu_entry_stack(cpu) + 1)): TSS.sp0 = top of the "
            + "entry stack", x -> {
              long tss = X86Entry.gs(k, x, "cpu_tss_rw");
              x.write(tss + Tss.sp0.off(k), X86Boot.entryStackTop(k, x.cpu().id()));
              k.timeline.emit(new Event.EntryStackSet(x.cpu().id(), X86Boot.entryStackTop(k, x.cpu().id())));
            })
        .step("current->active_mm = &init_mm (mmgrab)", x -> { })
        .retVoid().build());
  }

  /** syscall_init: MSR_LSTAR = entry_SYSCALL_64, with the generation's inline step named. */
  static void buildSyscallInit(Kernel k, String inlined) {
    k.image.add(k.image.c("syscall_init", COMMON).params()
        .step("wrmsr(MSR_STAR, ...); " + inlined
            + "wrmsrl(MSR_LSTAR, (unsigned long)entry_SYSCALL_64); MSR_SYSCALL_MASK", x -> {
              x.set(Regs.lstar, k.image.symbol("entry_SYSCALL_64"));
              k.timeline.emit(new Event.SyscallEntrySet(x.cpu().id(), k.image.symbol("entry_SYSCALL_64")));
            })
        .retVoid().build());
  }

  private void buildSmp(Kernel k) {
    var up = k.image.c(cpuUpSymbol(), SMP).params(L.cpu, L.idle)
        .step("common_cpu_up(cpu, idle): per_cpu(current_task, cpu) = idle; "
            + "per_cpu(cpu_current_top_of_stack, cpu) = task_top_of_stack(idle)", x -> {
              int cpu = (int) x.get(L.cpu);
              long idle = x.get(L.idle);
              k.mem.write64(k.perCpu("current_task", cpu), idle);
              k.mem.write64(perCpuAddress(k, "cpu_current_top_of_stack") + k.perCpuOffset(cpu),
                  k.arch.taskTopOfStack(k, idle));
            });
    finishCpuUp(k, up);
    k.image.add(SmpBoot.online(k, startSecondary(k).call("cpu_init()", "cpu_init", Args.inPlace()))
        .call("cpu_startup_entry(CPUHP_AP_ONLINE_IDLE)", "cpu_startup_entry", Args.of(x -> 0))
        .retVoid().build());
  }

  /** initial_code, which head_64.S jumps through. */
  @Override
  public void linkData(Kernel k, Linker l) {
    linkBootStack(k, l);
    long code = l.object("initial_code", k.t.ulong, 8);
    k.image.deferInit(() -> k.mem.write64(code, k.image.symbol("x86_64_start_kernel")));
  }

  /** The values each CPU's per-CPU area starts with (the DEFINE_PER_CPU initialisers). */
  @Override
  public void initPerCpu(Kernel k, int cpu) {
    long base = k.perCpuOffset(cpu);
    long initTask = k.image.symbol("init_task");
    long topOfInitStack = k.image.symbol("init_stack") + k.threadSize
        - k.image.constant("TOP_OF_KERNEL_STACK_PADDING");
    k.mem.write64(base + k.image.symbol("current_task"), initTask);
    long tss = base + k.image.symbol("cpu_tss_rw");
    // .x86_tss.sp0 = (1UL << (BITS_PER_LONG-1)) + 1: a poison until cpu_init loads the entry stack
    k.mem.write64(tss + Tss.sp0.off(k), (1L << 63) + 1);
    initStackWords(k, cpu, base, tss, topOfInitStack);
    k.mem.write(base + k.image.symbol("cpu_number"), 4, cpu);
    k.mem.write64(base + k.image.symbol("this_cpu_off"), base);
    long entry = X86Boot.entryStackTop(k, cpu) - k.image.constant("ENTRY_STACK_SIZE");
    k.mem.map(new Region("cpu_entry_area[" + cpu + "].entry_stack_page", entry & -4096L, 4096,
        Region.Kind.ENTRY_AREA));
  }

  /**
   * Per-CPU names that are macros: {@code cpu_current_top_of_stack} where it is
   * {@code cpu_tss_rw.x86_tss.sp1}; {@code cpu_tss_rw + TSS_sp2}, the 6.x syscall scratch slot.
   * Returns the link address (symbol + offset) the %gs-relative access uses.
   */
  @Override
  public long perCpuAddress(Kernel k, String name) {
    return switch (name) {
      case "cpu_tss_rw + TSS_sp2" -> k.image.symbol("cpu_tss_rw") + Tss.sp2.off(k);
      case "cpu_tss_rw + TSS_sp0" -> k.image.symbol("cpu_tss_rw") + Tss.sp0.off(k);
      case "cpu_current_top_of_stack" -> topOfStackInTssSp1()
          ? k.image.symbol("cpu_tss_rw") + Tss.sp1.off(k)
          : k.image.symbol("cpu_current_top_of_stack");
      default -> k.image.symbol(name);
    };
  }

  /** DEFINE_PER_CPU(int, __preempt_count) (cpu/common.c@4.16.13:1460, @6.19:2222). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return k.perCpu("__preempt_count", cpu);
  }

  @Override
  public String tssSymbol() {
    return "cpu_tss_rw";
  }

  @Override
  public long[] entryStack(Kernel k, int cpu) {
    long top = X86Boot.entryStackTop(k, cpu);
    return new long[] {top - k.image.constant("ENTRY_STACK_SIZE"), top};
  }
}
