package kstack.arch.i386;

import java.util.List;
import kstack.exec.Args;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.layout.Types;
import kstack.trace.Event;

/**
 * Boot on i386 at 2.4.22 (docs/research/i386-and-2.x.md §1.1): head.S loads esp from stack_start =
 * init_task_union + 8192 and calls start_kernel (a real call: its return address is L6, a jmp-to-
 * itself loop); trap_init ends in cpu_init, which copies current->thread.esp0 (0 for init_task)
 * into TSS.esp0; init_tss is a plain array, 2.4 has no per-CPU areas.
 */
final class I386Boot24 {
  private I386Boot24() {}

  static final String HEAD = "arch/i386/kernel/head.S";

  /** 2.4 has no per-CPU section: its per-CPU data are NR_CPUS arrays such as init_tss. */
  static List<PerCpuVar> perCpuVars(Kernel k) {
    return List.of();
  }

  /**
   * stack_start = { init_task_union + 8192, __KERNEL_DS } (head.S@2.4.22:322-324); struct
   * tss_struct init_tss[NR_CPUS] = { INIT_TSS } (init_task.c@2.4.22:32), esp0 the top of
   * init_stack and ss0 __KERNEL_DS (processor.h@2.4.22:391-405).
   */
  static void linkData(Kernel k, Linker l) {
    Types t = k.t;
    long stack = l.object("stack_start", t.array(t.ulong, 2), 4);
    k.image.deferInit(() -> {
      k.writePtr(stack, k.image.symbol("init_task_union") + k.threadSize);
      k.writePtr(stack + 4, I386Process24.KERNEL_DS);
    });
    long tss = l.object("init_tss", t.array(t.struct(k.image.struct("tss_struct")), k.cpus), 64);
    k.image.deferInit(() -> {
      for (int c = 0; c < k.cpus; c++) {
        long at = tss + (long) c * k.image.struct("tss_struct").size();
        k.writePtr(at + Tss.sp0.off(k), k.image.symbol("init_task_union") + k.threadSize);
        k.mem.write(at + Tss.ss0.off(k), 2, I386Process24.KERNEL_DS);
        k.mem.write(at + Tss.io_bitmap_base.off(k), 2, 0x8000); // INVALID_IO_BITMAP_OFFSET
      }
    });
  }

  static void initPerCpu(Kernel k, int cpu) {
    // nothing: 2.4 keeps no per-CPU areas
  }

  static void powerOn(Kernel k, int cpu) {
    var c = k.cpu(cpu);
    c.set(Regs.cs, I386Process24.KERNEL_CS);
    c.set(Regs.ss, I386Process24.KERNEL_DS);
    c.set(Regs.eflags, 0x2);
    c.set(Regs.cr3, kstack.kernel.PageTableRoot.ofInitMm(k));
    c.set(Regs.tr_base, k.image.symbol("init_tss") + (long) cpu * k.image.struct("tss_struct").size());
    c.set(Regs.eip, cpu == 0 ? k.image.symbol("startup_32") : 0);
  }

  static void build(Kernel k) {
    k.image.add(k.image.asm("startup_32", HEAD)
        .step("set up the segments, clear BSS, build the early page tables and enable paging "
            + "(not modelled)", x -> { })
        .step("lss stack_start, %esp: esp = init_task_union + 8192, the very top of "
            + "init_task's union (head.S@2.4.22:107)", x -> {
              x.setSp(x.read(k.image.symbol("stack_start")));
              x.set(Regs.ss, I386Process24.KERNEL_DS);
              k.timeline.emit(new Event.BootStackTaskUnion(x.cpu().id(), x.sp(),
                  x.sp() - 1 & -k.threadSize));
            })
        .step("pushl $0; popfl; lgdt, lidt; reload the segment registers with __KERNEL_DS",
            x -> {
              x.set(Regs.eflags, 0x2);
              x.set(Regs.ds, I386Process24.KERNEL_DS);
              x.set(Regs.es, I386Process24.KERNEL_DS);
            })
        .call("call start_kernel (head.S@2.4.22:270)", "start_kernel", Args.inPlace())
        .label("L6")
        .step("L6: jmp L6 (start_kernel never returns)", kstack.exec.Exec::stay).build());
    k.image.add(k.image.c("trap_init", "arch/i386/kernel/traps.c").params()
        .step("set_trap_gate()s for the exceptions; set_system_gate(SYSCALL_VECTOR, "
            + "&system_call): int $0x80 is allowed from ring 3; the lcall7/lcall27 call gates",
            x -> { })
        .call("cpu_init()", "cpu_init", Args.inPlace())
        .retVoid().build());
    k.image.add(k.image.c("cpu_init", "arch/i386/kernel/setup.c").params()
        .step("load the GDT and IDT; current->active_mm = &init_mm; enter_lazy_tlb()",
            x -> k.tasks.taskWrite(k.current(x), TaskMember.active_mm, k.image.symbol("init_mm")))
        .step("t = &init_tss[nr]; t->esp0 = current->thread.esp0 (0: INIT_THREAD); "
            + "set_tss_desc(nr, t); load_TR(nr)", x -> {
              long tss = k.image.symbol("init_tss") + (long) x.cpu().id() * k.image.struct("tss_struct").size();
              x.set(Regs.tr_base, tss);
              x.write(tss + Tss.sp0.off(k), k.tasks.taskRead(k.current(x), TaskMember.thread_esp0));
            })
        .retVoid().build());
    k.image.add(k.image.c("init_IRQ", "arch/i386/kernel/i8259.c").params()
        .step("init_ISA_irqs(); set_intr_gate(FIRST_EXTERNAL_VECTOR + i, interrupt[i]) for every "
            + "IRQ but the system call vector (i8259.c@2.4.22:443-460)", x -> { })
        .retVoid().build());
  }
}
