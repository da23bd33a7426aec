package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.kernel.PerCpuVar;
import kstack.layout.CType;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * 4.16's boot and per-CPU data (head_64.S@4.16.13:74-75,164,265-270; cpu/common.c@4.16.13:
 * 1444-1460): rsp from initial_stack in secondary_startup_64, irq_stack_union first in
 * .data..percpu (zero-based, vmlinux.lds.S@4.16.13:210-217), the stack top in
 * cpu_tss_rw.x86_tss.sp1, native_cpu_up waiting for the AP.
 */
public final class BootInitialStack416 extends BootEntryArea {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.BOOT_RSP_FROM_INITIAL_STACK, Feature.TOP_OF_STACK_IN_TSS_SP1);
  }

  @Override
  boolean topOfStackInTssSp1() {
    return true;
  }

  @Override
  public boolean perCpuZeroBased() {
    return true;
  }

  @Override
  public String cpuUpSymbol() {
    return "native_cpu_up";
  }

  @Override
  public long[] irqStack(Kernel k, int cpu) {
    return X86Boot.irqStackUnion(k, cpu);
  }

  /**
   * Per-CPU variables in .data..percpu order: irq_stack_union first (DEFINE_PER_CPU_FIRST,
   * cpu/common.c@4.16.13:1444), then the page-aligned TSS. Research §9.1, §10.
   */
  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    Types t = k.t;
    CType task = t.ptrTo("task_struct");
    List<PerCpuVar> v = new ArrayList<>();
    CType tss = t.struct(k.image.struct("tss_struct"));
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
    return v;
  }

  /** head_64.S's initial_stack and initial_gs. */
  @Override
  void linkBootStack(Kernel k, Linker l) {
    long at = l.object("initial_stack", k.t.ulong, 8);
    k.image.deferInit(() -> k.mem.write64(at, k.image.symbol("init_thread_union") + k.threadSize - 168));
    long gs = l.object("initial_gs", k.t.ulong, 8);
    k.image.deferInit(() -> k.mem.write64(gs, k.perCpuOffset(0)));
  }

  @Override
  void initStackWords(Kernel k, int cpu, long base, long tss, long topOfInitStack) {
    k.mem.write64(tss + Tss.sp1.off(k), topOfInitStack);
    k.mem.write(base + k.image.symbol("irq_count"), 4, 0xffffffffL);
    k.mem.write64(base + k.image.symbol("irq_stack_ptr"), base + k.image.symbol("irq_stack_union")
        + k.image.constant("IRQ_STACK_SIZE"));
  }

  /** INIT_THREAD sets no stack pointer on 4.16. */
  @Override
  public void initThread(Kernel k, long initTask) {}

  @Override
  void buildStartup(Kernel k) {
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
            x -> x.set(Regs.gs_base, x.cpu().id() == 0 ? x.read(k.image.symbol("initial_gs"))
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

  @Override
  void buildTrapInit(Kernel k, Exceptions64 ist) {
    k.image.add(k.image.c("trap_init", "arch/x86/kernel/traps.c").params()
        .step("setup_cpu_entry_areas(): the per-CPU entry stacks are mapped", x -> { })
        .step("idt_setup_traps()", x -> { })
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .step("idt_setup_ist_traps()", x -> { })
        .retVoid().build());
    finishCpuInit(k, k.image.c("cpu_init", COMMON).params()
        .step("switch_to_new_gdt(cpu); load_current_idt()", x -> { })
        .call("syscall_init()", "syscall_init", Args.inPlace())
        .step("t->x86_tss.ist[v] = the top of each exception stack in cpu_entry_area; "
            + "set_tss_desc(); load_TR_desc()", x -> X86Exceptions.fillIst(ist, k, x)));
    buildSyscallInit(k, "");
  }

  @Override
  void finishCpuUp(Kernel k, RoutineBuilder up) {
    k.image.add(up.step("do_boot_cpu(): initial_code = start_secondary; initial_stack = idle->thread.sp; "
            + "send INIT/SIPI: the AP starts in secondary_startup_64", x -> {
              int cpu = (int) x.get(L.cpu);
              x.write(k.image.symbol("initial_code"), k.image.symbol("start_secondary"));
              x.write(k.image.symbol("initial_stack"), k.tasks.threadSp(x.get(L.idle)));
              var ap = k.cpu(cpu);
              ap.set(Regs.gs_base, 0);
              ap.set(Regs.rip, k.image.symbol("secondary_startup_64"));
            })
        .label("wait")
        .branchIf("wait", "while (!cpu_online(cpu)) wait: the AP is booting",
            x -> !X86Boot.online(k, (int) x.get(L.cpu)))
        .step("the AP is online", x -> k.timeline.emit(new Event.CpuOnline(x.cpu().id(), x.get(L.cpu))))
        .ret("return 0", x -> 0).build());
  }

  @Override
  RoutineBuilder startSecondary(Kernel k) {
    return k.image.c("start_secondary", SMP).params(L.unused);
  }

  @Override
  void irqStackStep(Kernel k, RoutineBuilder initIrq) {
    initIrq.step("(the IRQ stack is the per-CPU irq_stack_union; irq_stack_ptr points at its top)",
        x -> { });
  }
}
