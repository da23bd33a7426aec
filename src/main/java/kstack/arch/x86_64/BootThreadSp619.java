package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.PerCpuVar;
import kstack.kernel.TaskMember;
import kstack.layout.CType;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * 6.19's boot and per-CPU data (head_64.S@6.19:61-62,325-326; processor.h@6.19:662-666;
 * vmlinux.lds.S@6.19:333-334): rsp from the current task's thread.sp in common_startup_64, the
 * cache-hot per-CPU variables first and .data..percpu in the image, cpu_current_top_of_stack its
 * own variable, a vmapped IRQ stack (irq_64.c@6.19:29-71), and HOTPLUG_SPLIT_STARTUP's
 * native_kick_ap (arch/x86/Kconfig@6.19:307-309; kernel/cpu.c@6.19:818-825; arch/x86/kernel/
 * smp.c@6.19:294; smpboot.c@6.19:975-1017), which only starts the AP: there is no native_cpu_up.
 */
public final class BootThreadSp619 extends BootEntryArea {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.BOOT_RSP_FROM_THREAD_SP, Feature.TOP_OF_STACK_PERCPU,
        Feature.PERCPU_IN_IMAGE, Feature.HOTPLUG_SPLIT_STARTUP);
  }

  @Override
  boolean topOfStackInTssSp1() {
    return false;
  }

  @Override
  public boolean perCpuZeroBased() {
    return false;
  }

  @Override
  public String cpuUpSymbol() {
    return "native_kick_ap";
  }

  @Override
  public long[] irqStack(Kernel k, int cpu) {
    return X86Boot.hardirqStack(k, cpu);
  }

  /** The cache-hot variables first (vmlinux.lds.S@6.19:333-334), then the page-aligned TSS. */
  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    Types t = k.t;
    CType task = t.ptrTo("task_struct");
    List<PerCpuVar> v = new ArrayList<>();
    CType tss = t.struct(k.image.struct("tss_struct"));
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
    return v;
  }

  @Override
  void initStackWords(Kernel k, int cpu, long base, long tss, long topOfInitStack) {
    k.mem.write64(base + k.image.symbol("cpu_current_top_of_stack"), topOfInitStack);
    k.mem.write(tss + Tss.io_bitmap_base.off(k), 2, 0x8000);
  }

  /** INIT_THREAD: .sp = &__top_init_kernel_stack (processor.h@6.19:662-666). */
  @Override
  public void initThread(Kernel k, long initTask) {
    k.tasks.taskWrite(initTask, TaskMember.thread_sp, k.image.symbol("__top_init_kernel_stack"));
  }

  @Override
  void buildStartup(Kernel k) {
    k.image.add(k.image.asm("startup_64", HEAD)
        .step("leaq __top_init_kernel_stack(%rip), %rsp: a stack for verify_cpu "
            + "(= task_pt_regs(&init_task))", x -> x.setSp(k.image.symbol("__top_init_kernel_stack")))
        .step("GS base = 0; early GDT/IDT; verify_cpu; __startup_64: early page tables "
            + "(not modelled)", x -> x.set(Regs.gs_base, 0))
        .step("jmp *.Lcommon_startup_64", k.image.jump("common_startup_64")).build());
    k.image.add(k.image.asm("common_startup_64", HEAD)
        .step("find this CPU's number; movq __per_cpu_offset(,%rcx,8), %rdx",
            x -> x.set(Regs.rdx, k.perCpuOffset(x.cpu().id())))
        .step("movq current_task(%rdx), %rax; movq TASK_threadsp(%rax), %rsp: "
            + "the stack of this CPU's current task", x -> {
              long task = x.read(x.reg(Regs.rdx) + k.image.symbol("current_task"));
              x.set(Regs.rax, task);
              x.setSp(k.tasks.threadSp(task));
              k.timeline.emit(new Event.BootStack(x.cpu().id(), "common_startup_64", "rsp",
                  "current_task->thread.sp", x.sp()));
            })
        .step("wrmsr MSR_GS_BASE: GS base = %rdx (this CPU's per-CPU offset)",
            x -> x.set(Regs.gs_base, x.reg(Regs.rdx)))
        .step("xorl %ebp, %ebp (the outermost frame)", x -> x.setFp(0))
        .callVia("callq *initial_code(%rip)", x -> x.read(k.image.symbol("initial_code")), Args.inPlace(), null)
        .step("ud2 (initial_code never returns)", x -> {
          throw new IllegalStateException("initial_code returned");
        }).build());
  }

  @Override
  void buildTrapInit(Kernel k, Exceptions64 ist) {
    k.image.add(k.image.c("trap_init", "arch/x86/kernel/traps.c").params()
        .step("setup_cpu_entry_areas(): the per-CPU entry stacks are mapped", x -> { })
        .call("cpu_init_exception_handling(true)", "cpu_init_exception_handling", Args.of(x -> 1))
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .step("(IST traps were set up by cpu_init_exception_handling)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("cpu_init_exception_handling", COMMON).params(L.boot_cpu)
        .step("setup_getcpu(); tss_setup_ist(tss): ist[IST_INDEX_DF/NMI/DB/MCE] = the tops of the "
            + "exception stacks; tss_setup_io_bitmap(tss); set_tss_desc(); load_TR_desc(); "
            + "load_current_idt()", x -> X86Exceptions.fillIst(ist, k, x))
        .retVoid().build());
    finishCpuInit(k, k.image.c("cpu_init", COMMON).params()
        .call("syscall_init()", "syscall_init", Args.inPlace()));
    buildSyscallInit(k, "idt_syscall_init() [inline]: ");
  }

  /** native_kick_ap returns once the AP is kicked: smp_init waits (InitMain.buildSmp). */
  @Override
  void finishCpuUp(Kernel k, RoutineBuilder up) {
    k.image.add(up.step("do_boot_cpu(): initial_code = start_secondary; send INIT/SIPI: the AP starts "
            + "in common_startup_64 on idle->thread.sp", x -> {
              int cpu = (int) x.get(L.cpu);
              x.write(k.image.symbol("initial_code"), k.image.symbol("start_secondary"));
              X86Boot.mapIrqStack(k, cpu); // irq_init_percpu_irqstack(cpu); the call site is not verified
              var ap = k.cpu(cpu);
              ap.set(Regs.gs_base, 0);
              ap.set(Regs.rip, k.image.symbol("common_startup_64"));
            })
        .ret("return err", x -> 0).build());
  }

  @Override
  RoutineBuilder startSecondary(Kernel k) {
    return k.image.c("start_secondary", SMP).params(L.unused)
        .call("cpu_init_exception_handling(false)", "cpu_init_exception_handling", Args.of(x -> 0));
  }

  @Override
  void irqStackStep(Kernel k, RoutineBuilder initIrq) {
    initIrq.step("irq_init_percpu_irqstack(smp_processor_id()): map_irq_stack() vmaps the per-CPU "
        + "backing store with guard pages; hardirq_stack_ptr = va + IRQ_STACK_SIZE - 8",
        x -> X86Boot.mapIrqStack(k, x.cpu().id()));
  }
}
