package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kstack.arch.x86.SmpBoot;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.kernel.PerCpuVar;
import kstack.kernel.TaskMember;
import kstack.kernel.ThreadInfoMember;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * x86_64 boot and per-CPU data at 2.6.32 (docs/research/i386-and-2.x.md §7.1; head_64.S@2.6.32:
 * 201-269; cpu/common.c@2.6.32:995-1006): rsp = stack_start = the top of init_thread_union less 8,
 * a fake 0 return address pushed before lretq into x86_64_start_kernel; kernel_stack (top - 40)
 * and old_rsp are the per-CPU words system_call uses; the IRQ stack is the per-CPU irq_stack_union.
 */
public final class BootStackStart2632 implements Boot64 {
  enum L implements Local { cpu, idle, real_mode_data, unused }


  static final String HEAD = "arch/x86/kernel/head_64.S";

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    Types t = k.t;
    List<PerCpuVar> v = new ArrayList<>();
    v.add(new PerCpuVar("exception_stacks", t.array(t.u8, 20480), 4096,
        "DEFINE_PER_CPU_PAGE_ALIGNED: the IST stacks DF, NMI, DEBUG (8 KiB), MCE "
            + "(cpu/common.c@2.6.32:1014-1020)"));
    v.add(new PerCpuVar("irq_stack_union", t.array(t.u8, (int) k.image.constant("IRQ_STACK_SIZE")), 4096,
        "DEFINE_PER_CPU_FIRST: the IRQ stack; gs_base[40] then the stack canary at %gs:40"));
    v.add(new PerCpuVar("init_tss", t.struct(k.image.struct("tss_struct")), 64,
        "DEFINE_PER_CPU_SHARED_ALIGNED = INIT_TSS"));
    v.add(new PerCpuVar("current_task", t.ptrTo("task_struct"), 64,
        "____cacheline_aligned = &init_task (cpu/common.c@2.6.32:995)"));
    v.add(new PerCpuVar("kernel_stack", t.ulong, 8,
        "= &init_thread_union - KERNEL_STACK_OFFSET + THREAD_SIZE (cpu/common.c@2.6.32:999)"));
    v.add(new PerCpuVar("old_rsp", t.ulong, 8, "the user rsp during a system call"));
    v.add(new PerCpuVar("irq_stack_ptr", t.voidp, 8, "= irq_stack + IRQ_STACK_SIZE - 64"));
    v.add(new PerCpuVar("irq_count", t.s32, 4, "= -1"));
    v.add(new PerCpuVar("cpu_number", t.s32, 4, "setup_percpu.c"));
    v.add(new PerCpuVar("this_cpu_off", t.ulong, 8, "setup_percpu.c"));
    return v;
  }

  /** stack_start (.quad init_thread_union+THREAD_SIZE-8), initial_code, initial_gs. */
  @Override
  public void linkData(Kernel k, Linker l) {
    Types t = k.t;
    long stack = l.object("stack_start", t.ulong, 8);
    k.image.deferInit(() -> k.writePtr(stack, k.image.symbol("init_thread_union") + k.threadSize - 8));
    long code = l.object("initial_code", t.ulong, 8);
    k.image.deferInit(() -> k.writePtr(code, k.image.symbol("x86_64_start_kernel")));
    long gs = l.object("initial_gs", t.ulong, 8);
    k.image.deferInit(() -> k.writePtr(gs, k.perCpuOffset(0)));
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    long base = k.perCpuOffset(cpu);
    k.writePtr(base + k.image.symbol("current_task"), k.image.symbol("init_task"));
    k.writePtr(base + k.image.symbol("kernel_stack"), k.image.symbol("init_thread_union") + k.threadSize - 40);
    k.writePtr(base + k.image.symbol("irq_stack_ptr"), base + k.image.symbol("irq_stack_union")
        + k.image.constant("IRQ_STACK_SIZE") - 64);
    k.mem.write(base + k.image.symbol("irq_count"), 4, 0xffffffffL);
    // INIT_TSS (processor.h@2.6.32:988-994): .x86_tss.sp0 = the top of init_stack
    k.writePtr(base + k.image.symbol("init_tss") + Tss.sp0.off(k),
        k.image.symbol("init_stack") + k.threadSize);
    k.mem.write(base + k.image.symbol("cpu_number"), 4, cpu);
    k.writePtr(base + k.image.symbol("this_cpu_off"), base);
  }

  /** INIT_THREAD (processor.h@2.6.32:988): sp0 = the top of init_stack; INIT_THREAD_INFO. */
  @Override
  public void initThread(Kernel k, long initTask) {
    k.tasks.taskWrite(initTask, TaskMember.thread_sp0, k.image.symbol("init_stack") + k.threadSize);
    long ti = k.image.symbol("init_thread_union");
    k.writePtr(ti + k.tasks.tiOff(ThreadInfoMember.addr_limit), -1L); // KERNEL_DS
    k.mem.write(ti + k.tasks.tiOff(ThreadInfoMember.preempt_count), 4, 0x10000001L); // INIT_PREEMPT_COUNT
    k.tasks.initThreadInfoLinks(ti);
  }

  @Override
  public void build(Kernel k) {
    k.image.add(k.image.asm("startup_64", HEAD)
        .step("fix up the early page tables for phys_base (not modelled)", x -> { })
        .step("jmp secondary_startup_64", k.image.jump("secondary_startup_64"))
        .build());
    // secondary_startup_64 (head_64.S@2.6.32:149-256), also an AP's way in from the trampoline
    k.image.add(k.image.asm("secondary_startup_64", HEAD)
        .step("CR4 = PAE | PGE; cr3 = init_level4_pgt; jump to the kernel's virtual address "
            + "(not modelled)", x -> { })
        .step("movq stack_start(%rip), %rsp: the top of init_thread_union less 8 (an AP: its idle "
            + "task's thread.sp); pushq $0; popfq", x -> {
              x.setSp(x.read(k.image.symbol("stack_start")));
              x.set(Regs.eflags, 0x2);
              k.timeline.emit(new Event.BootStack(x.cpu().id(), "secondary_startup_64", "rsp",
                  "stack_start", x.sp()));
            })
        .step("lgdt early_gdt_descr; load the data segments; movl $MSR_GS_BASE, %ecx; movq "
            + "initial_gs(%rip), %rax; wrmsr: GS base = this CPU's per-CPU area; movl %esi, %edi "
            + "(the real-mode data pointer)", x -> x.set(Regs.gs_base, x.read(k.image.symbol("initial_gs"))))
        .step("movq initial_code(%rip), %rax; pushq $0: a fake return address to stop the unwinder",
            x -> {
              x.set(Regs.rax, x.read(k.image.symbol("initial_code")));
              x.push(0);
            })
        .step("pushq $__KERNEL_CS; pushq %rax; lretq", x -> x.jumpTo(x.reg(Regs.rax))).build());
    String head64 = "arch/x86/kernel/head64.c";
    k.image.add(k.image.c("x86_64_start_kernel", head64).params(L.real_mode_data)
        .step("clear_bss(); early page tables and IDT; copy_bootdata() (not modelled)", x -> { })
        .call("x86_64_start_reservations(real_mode_data)", "x86_64_start_reservations",
            Args.of(x -> x.get(L.real_mode_data)))
        .retVoid().build());
    k.image.add(k.image.c("x86_64_start_reservations", head64).params(L.real_mode_data)
        .call("start_kernel()", "start_kernel", Args.inPlace())
        .retVoid().build());
    String common = "arch/x86/kernel/cpu/common.c";
    k.image.add(k.image.c("trap_init", "arch/x86/kernel/traps.c").params()
        .step("set_intr_gate()s; set_intr_gate_ist(2, &nmi, NMI_STACK); "
            + "set_intr_gate_ist(8, &double_fault, DOUBLEFAULT_STACK)", x -> { })
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpu_init", common).params()
        .step("load the GDT and IDT; wrmsrl(MSR_GS_BASE, per_cpu offset); syscall_init(): "
            + "MSR_LSTAR = system_call", x -> x.set(Regs.lstar, k.image.symbol("system_call")))
        .step("t->x86_tss.ist[] = the tops of the exception stacks; load_sp0(t, &current->thread): "
            + "TSS.sp0 = current->thread.sp0; set_tss_desc(); load_TR_desc()", x -> {
              long tss = X86Entry.gs(k, x, "init_tss");
              x.write(tss + Tss.sp0.off(k), k.tasks.taskRead(k.current(x), TaskMember.thread_sp0));
              for (int i = 0; i < ParanoidIst2632.SIZES.length; i++) {
                x.write(tss + Tss.ist.off(k) + 8L * i,
                    ParanoidIst2632.istTop(k, x.cpu().id(), i));
              }
            })
        .retVoid().build());
    k.image.add(k.image.c("init_IRQ", "arch/x86/kernel/irqinit.c").params()
        .step("x86_init.irqs.intr_init() = native_init_IRQ(): interrupt gates for the external "
            + "vectors and the APIC vectors (the IRQ stack is the per-CPU irq_stack_union)", x -> { })
        .retVoid().build());
    String smp = "arch/x86/kernel/smpboot.c";
    k.image.add(SmpBoot.forkIdle(k, k.image.c("native_cpu_up", smp).params(L.cpu, L.idle))
        .step("do_boot_cpu(): per_cpu(current_task, cpu) = idle; clear_tsk_thread_flag(idle, "
            + "TIF_FORK); initial_gs = per_cpu_offset(cpu); per_cpu(kernel_stack, cpu) = "
            + "task_stack_page(idle) - KERNEL_STACK_OFFSET + THREAD_SIZE; initial_code = "
            + "start_secondary; stack_start.sp = idle->thread.sp; INIT/SIPI", x -> {
              int cpu = (int) x.get(L.cpu);
              long idle = x.get(L.idle);
              // smpboot.c@2.6.32:752-766: the idle task never returns through ret_from_fork, so
              // its first thread_return must not take the TIF_FORK branch.
              k.writePtr(k.perCpu("current_task", cpu), idle);
              k.tasks.tiWrite(idle, ThreadInfoMember.flags, k.tasks.tiRead(idle, ThreadInfoMember.flags) & ~(1L << PartialFrame2632.TIF_FORK));
              x.write(k.image.symbol("initial_gs"), k.perCpuOffset(cpu));
              k.writePtr(k.perCpu("kernel_stack", cpu), k.stacks.taskStackPage(idle) + k.threadSize - 40);
              x.write(k.image.symbol("initial_code"), k.image.symbol("start_secondary"));
              x.write(k.image.symbol("stack_start"), k.tasks.threadSp(idle));
              k.cpu(cpu).set(Regs.rip, k.image.symbol("secondary_startup_64"));
            })
        .label("wait")
        .branchIf("wait", "while (!cpu_online(cpu)) wait: the AP is booting",
            x -> !X86Boot.online(k, (int) x.get(L.cpu)))
        .step("the AP is online", x -> k.timeline.emit(new Event.CpuOnline(x.cpu().id(), x.get(L.cpu))))
        .ret("return 0", x -> 0).build());
    k.image.add(SmpBoot.online(k, k.image.c("start_secondary", smp).params(L.unused)
        .call("cpu_init()", "cpu_init", Args.inPlace()))
        .call("cpu_idle()", "cpu_idle", Args.inPlace())
        .retVoid().build());
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return k.image.symbol(name);
  }

  /** current_thread_info() = kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE (even on the IRQ stack). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return k.readPtr(k.perCpu("kernel_stack", cpu)) + 40 - k.threadSize
        + k.tasks.tiOff(ThreadInfoMember.preempt_count);
  }

  @Override
  public boolean perCpuZeroBased() {
    return true;
  }

  @Override
  public String tssSymbol() {
    return "init_tss";
  }

  @Override
  public String cpuUpSymbol() {
    return "native_cpu_up";
  }

  @Override
  public long[] irqStack(Kernel k, int cpu) {
    return X86Boot.irqStackUnion(k, cpu);
  }

  @Override
  public long[] entryStack(Kernel k, int cpu) {
    return null;
  }
}
