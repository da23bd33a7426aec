package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.kernel.ThreadInfoMember;
import kstack.layout.Types;

/**
 * Boot on i386 at 2.6.32 (docs/research/i386-and-2.x.md §3.1; head_32.S@2.6.32:268-465,605,659):
 * lss stack_start puts esp at the very top of init_thread_union, whose base holds init_task's
 * thread_info; a fake 0 return address is pushed for the unwinder and initial_code
 * (i386_start_kernel) is entered by a jmp. cpu_init loads TSS.sp0 from init_task's thread.sp0.
 */
final class I386Boot2632 {
  enum L implements Local { cpu, idle }

  private I386Boot2632() {}

  static final String HEAD = "arch/x86/kernel/head_32.S";

  /** stack_start = { init_thread_union + THREAD_SIZE, __BOOT_DS }; initial_code = i386_start_kernel. */
  static void linkData(Kernel k, Linker l) {
    Types t = k.t;
    long code = l.object("initial_code", t.ulong, 4);
    k.image.deferInit(() -> k.writePtr(code, k.image.symbol("i386_start_kernel")));
    long stack = l.object("stack_start", t.array(t.ulong, 2), 4);
    k.image.deferInit(() -> {
      k.writePtr(stack, k.image.symbol("init_thread_union") + k.threadSize);
      k.writePtr(stack + 4, 0x18); // __BOOT_DS
    });
  }

  /**
   * INIT_THREAD (processor.h@2.6.32:917-923): sp0 = the top of init_stack, with no 8-byte gap; and
   * INIT_THREAD_INFO (thread_info.h@2.6.32:46-57) at the base of init_thread_union.
   */
  static void initThread(Kernel k, long initTask) {
    k.tasks.taskWrite(initTask, TaskMember.thread_sp0, k.image.symbol("init_stack") + k.threadSize);
    k.tasks.taskWrite(initTask, TaskMember.thread_sysenter_cs, I386.KERNEL_CS);
    long ti = k.image.symbol("init_thread_union");
    k.writePtr(ti + k.tasks.tiOff(ThreadInfoMember.addr_limit), 0xffffffffL); // KERNEL_DS
    k.mem.write(ti + k.tasks.tiOff(ThreadInfoMember.preempt_count), 4, 0x10000001L); // INIT_PREEMPT_COUNT
    k.tasks.initThreadInfoLinks(ti);
  }

  static void build(Kernel k) {
    k.image.add(k.image.asm("startup_32", HEAD)
        .step("clear BSS; copy boot parameters; build the early page tables; enable paging "
            + "(not modelled)", x -> { })
        .step("jmp into the common tail", x -> x.jumpTo(k.image.symbol("startup_32_smp") + 4)).build());
    k.image.add(ThreadInfoBoot.lssStackStart(k, k.image.asm("startup_32_smp", HEAD)
        .step("(an AP arrives here from the trampoline; paging on)", x -> { }),
        "lss stack_start, %esp: esp = stack_start.sp (init_thread_union + THREAD_SIZE on the "
            + "boot CPU: the very top, no pt_regs gap)")
        .step("lgdt early_gdt_descr; movl $(__KERNEL_PERCPU), %eax; movl %eax, %fs; "
            + "movl $(__KERNEL_STACK_CANARY), %eax; movl %eax, %gs",
            x -> I386Boot.perCpuSegments(k, x, I386Boot.KERNEL_STACK_CANARY))
        .step("xorl %eax, %eax; lldt %ax; cld; pushl $0: a fake return address for the unwinder",
            x -> x.push(0))
        .step("the first CPU keeps it; an AP reloads esp from stack_start (its idle task's "
            + "thread.sp)", x -> {
              if (x.cpu().id() != 0) {
                x.setSp(x.read(k.image.symbol("stack_start")));
              }
            })
        .step("jmp *(initial_code)", x -> x.jumpTo(x.read(k.image.symbol("initial_code")))).build());
    k.image.add(k.image.c("i386_start_kernel", "arch/x86/kernel/head32.c").params()
        .step("reserve_trampoline_memory(); reserve_early(kernel text and data); "
            + "i386_default_early_setup() (not modelled)", x -> { })
        .call("start_kernel()", "start_kernel", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("trap_init", "arch/x86/kernel/traps.c").params()
        .step("set_intr_gate()s for the exceptions; set_system_trap_gate(SYSCALL_VECTOR, "
            + "&system_call): int $0x80 is allowed from ring 3", x -> { })
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpu_init", "arch/x86/kernel/cpu/common.c").params()
        .step("load_idt(&idt_descr); switch_to_new_gdt(cpu); curr->active_mm = &init_mm; "
            + "enter_lazy_tlb()", x -> { })
        .step("load_sp0(t, thread): TSS.sp0 = current->thread.sp0; set_tss_desc(cpu, t); "
            + "load_TR_desc()", x -> {
              long tss = I386Entry.fs(k, x, "init_tss");
              x.set(Regs.tr_base, tss);
              x.write(tss + Tss.sp0.off(k),
                  k.tasks.taskRead(k.current(x), TaskMember.thread_sp0));
            })
        .call(I386Boot.SEP_TEXT, "enable_sep_cpu", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("init_IRQ", "arch/x86/kernel/irqinit.c").params()
        .step("x86_init.irqs.intr_init() = native_init_IRQ(): interrupt gates for the external "
            + "vectors (interrupt[]) and the APIC vectors", x -> { })
        .call("irq_ctx_init(smp_processor_id()) (irqinit.c@2.6.32:249)", "irq_ctx_init",
            Args.of(x -> x.cpu().id()))
        .retVoid().build());
    buildSmp(k);
  }

  private static void buildSmp(Kernel k) {
    String smp = "arch/x86/kernel/smpboot.c";
    var cpuUp = kstack.arch.x86.SmpBoot.forkIdle(k, k.image.c("native_cpu_up", smp)
            .params(L.cpu, L.idle))
        .step("do_boot_cpu(apicid, cpu): per_cpu(current_task, cpu) = idle; "
            + "stack_start.sp = (void *) idle->thread.sp; initial_code = start_secondary", x -> {
              int cpu = (int) x.get(L.cpu);
              long idle = x.get(L.idle);
              k.writePtr(k.perCpu("current_task", cpu), idle);
              x.write(k.image.symbol("stack_start"), k.tasks.threadSp(idle));
              x.write(k.image.symbol("initial_code"), k.image.symbol("start_secondary"));
            })
        .call("irq_ctx_init(cpu) (smpboot.c@2.6.32:755)", "irq_ctx_init",
            Args.of(x -> x.get(L.cpu)))
        .step("wakeup_secondary_cpu_via_init(): INIT/SIPI; the AP starts in startup_32_smp",
            x -> k.cpu((int) x.get(L.cpu)).set(Regs.eip, k.image.symbol("startup_32_smp")));
    k.image.add(I386Boot.waitOnline(k, cpuUp).build());
    I386Boot.startSecondary(k, "cpu_idle()", new long[0]);
  }
}
