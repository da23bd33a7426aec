package kstack.arch.i386;

import kstack.exec.Args;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.kernel.ThreadInfoMember;

/**
 * Boot on i386 at 2.6.11 (docs/research/i386-and-2.x.md §2.1): head.S's startup_32 loads esp from
 * stack_start (the top of init_thread_union), clears EFLAGS, reloads the segments (ds/es =
 * __USER_DS, fs = gs = 0: no per-CPU segment yet) and calls start_kernel itself, so the return
 * address L6 is the first word on the stack; trap_init's cpu_init loads TSS.esp0 from
 * init_task's thread.esp0, which INIT_THREAD leaves 0. One CPU (Machine.checkCpus says why).
 */
final class I386Boot2611 {
  private I386Boot2611() {}

  static final String HEAD = "arch/i386/kernel/head.S";

  /**
   * INIT_THREAD (processor.h@2.6.11:449-453): only sysenter_cs among the modelled members, esp0
   * stays 0; INIT_THREAD_INFO (thread_info.h@2.6.11:70-81): preempt_count 1, addr_limit KERNEL_DS.
   */
  static void initThread(Kernel k, long initTask) {
    k.tasks.taskWrite(initTask, TaskMember.thread_sysenter_cs, I386.KERNEL_CS);
    long ti = k.image.symbol("init_thread_union");
    k.writePtr(ti + k.tasks.tiOff(ThreadInfoMember.addr_limit), 0xffffffffL); // KERNEL_DS
    k.mem.write(ti + k.tasks.tiOff(ThreadInfoMember.preempt_count), 4, 1);
    k.tasks.initThreadInfoLinks(ti);
  }

  /** ENTRY(stack_start): .long init_thread_union + THREAD_SIZE; .long __BOOT_DS (head.S@2.6.11:425-427). */
  static void linkData(Kernel k, kstack.image.Linker l) {
    long stack = l.object("stack_start", k.t.array(k.t.ulong, 2), 4);
    k.image.deferInit(() -> {
      k.writePtr(stack, k.image.symbol("init_thread_union") + k.threadSize);
      k.writePtr(stack + 4, 0x18); // __BOOT_DS
    });
  }

  static void build(Kernel k) {
    k.image.add(ThreadInfoBoot.lssStackStart(k, k.image.asm("startup_32", HEAD + "@2.6.11:57-327")
        .step("cld; lgdt boot_gdt_descr; clear BSS; build the early page tables; enable paging "
            + "(not modelled)", x -> { }),
        "lss stack_start, %esp: esp = init_thread_union + THREAD_SIZE, the very top "
            + "(head.S@2.6.11:194,425-427)")
        .step("setup_idt; checkCPUtype; lgdt cpu_gdt_descr; lidt idt_descr; ss = __KERNEL_DS; "
            + "ds = es = __USER_DS; xorl %eax, %eax; fs = gs = 0; lldt %ax; cld", x -> {
              x.set(Regs.ss, I386.KERNEL_DS);
              x.set(Regs.ds, I386.USER_DS);
              x.set(Regs.es, I386.USER_DS);
              x.set(Regs.fs, 0);
              x.set(Regs.gs, 0);
              // 2.6.11 reaches per-CPU data through __per_cpu_offset[smp_processor_id()], not a
              // segment; the simulator keeps that offset in its hidden fs_base register
              x.set(Regs.fs_base, k.perCpuOffset(x.cpu().id()));
            })
        .call("call start_kernel (the boot CPU; head.S@2.6.11:327)", "start_kernel", Args.inPlace())
        .label("L6")
        .step("L6: jmp L6 (start_kernel never returns)", x -> x.jumpTo(
            x.routine().address(x.routine().label("L6")))).build());
    k.image.add(k.image.c("trap_init", "arch/i386/kernel/traps.c@2.6.11:995-1037").params()
        .step("set_trap_gate()s for the exceptions; set_system_gate(SYSCALL_VECTOR, &system_call): "
            + "int $0x80 is allowed from ring 3", x -> { })
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpu_init", "arch/i386/kernel/cpu/common.c@2.6.11:609").params()
        .step("load_idt(&idt_descr); current->active_mm = &init_mm; enter_lazy_tlb()", x -> { })
        .step("load_esp0(t, thread): TSS.esp0 = current->thread.esp0 (0 for init_task: INIT_THREAD "
            + "does not set it); set_tss_desc(cpu, t); load_TR_desc()", x -> {
              long tss = I386Entry.fs(k, x, "init_tss");
              x.set(Regs.tr_base, tss);
              x.write(tss + Tss.sp0.off(k),
                  k.tasks.taskRead(k.current(x), TaskMember.thread_esp0));
            })
        .retVoid().build());
    var initIrq = k.image.c("init_IRQ", "arch/i386/kernel/i8259.c@2.6.11:391-429").params()
        .step("init_ISA_irqs(); set_intr_gate(vector, interrupt[i]) for the external vectors",
            x -> { });
    if (k.profile.config("4KSTACKS")) {
      initIrq.call("irq_ctx_init(smp_processor_id())", "irq_ctx_init",
          Args.of(x -> x.cpu().id()));
    } else {
      initIrq.step("irq_ctx_init(smp_processor_id()): an empty macro without CONFIG_4KSTACKS "
          + "(include/asm-i386/irq.h@2.6.11:34)", x -> { });
    }
    k.image.add(initIrq.retVoid().build());
  }
}
