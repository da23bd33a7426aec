package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * arch/i386/kernel/entry.S and the IRQ stubs of include/asm-i386/hw_irq.h at 2.4.22
 * (docs/research/i386-and-2.x.md §1.3, §1.5, §1.8): system_call saves pt_regs with SAVE_ALL, keeps
 * current in %ebx (GET_CURRENT: esp & -8192) and calls through sys_call_table with pt_regs as the
 * stack arguments; ret_from_sys_call tests current->need_resched and reschedules there; IRQn
 * stubs push irq - 256 and share common_interrupt, which calls do_IRQ on whatever stack the CPU
 * is on: 2.4 has no IRQ stacks.
 */
final class I386Entry24 {
  private I386Entry24() {}

  static final String ENTRY = "arch/i386/kernel/entry.S";
  static final String HW_IRQ = "include/asm-i386/hw_irq.h";

  /**
   * The IDT entry of a vector: system_call, nmi, or IRQ0x0N_interrupt (i8259.c@2.4.22:443-460); #DB
   * and #MC are debug and machine_check (traps.c@2.4.22:967,984, Traps24).
   */
  static String handler(int vector) {
    if (vector == I386.SYSCALL_VECTOR) {
      return "system_call";
    }
    if (vector == I386Irq.NMI_VECTOR) {
      return "nmi"; // set_intr_gate(2, &nmi) (traps.c@2.4.22:968)
    }
    int irq = vector - I386Irq.FIRST_EXTERNAL_VECTOR;
    if (irq >= 0 && irq < 16) {
      return irqStub(irq);
    }
    throw new IllegalArgumentException("no IDT entry is modelled for vector " + vector + " on 2.4");
  }

  static String irqStub(int irq) {
    return String.format("IRQ0x%02x_interrupt", irq);
  }

  /** 2.4's SAVE_ALL (entry.S@2.4.22:87-100): cld, the pushes, then __KERNEL_DS into ds and es. */
  static RoutineBuilder saveAll(RoutineBuilder b) {
    return SaveAll60.saveAll(b, "__KERNEL_DS", I386Process24.KERNEL_DS);
  }

  /** GET_CURRENT(reg) (entry.S@2.4.22:133-135): movl $-8192, reg; andl %esp, reg. */
  private static void getCurrent(Kernel k, Exec x) {
    x.set(Regs.ebx, x.sp() & -k.threadSize);
  }

  static void build(Kernel k) {
    RoutineBuilder b = k.image.asm("system_call", ENTRY)
        .step("pushl %eax: orig_eax, the system call number", x -> x.push(x.reg(Regs.eax)));
    saveAll(b)
        .step("GET_CURRENT(%ebx): ebx = esp & -8192, the task_struct at the base of this stack",
            x -> {
              getCurrent(k, x);
              I386Entry.entered(k, x);
            })
        .step("testb $0x02, tsk_ptrace(%ebx) (not traced); cmpl $(NR_syscalls), %eax; jae badsys",
            x -> { })
        .callVia("call *sys_call_table(,%eax,4): the saved ebx, ecx, edx... are the stack "
            + "arguments", x -> target(k, x.reg(Regs.eax)), Args.inPlace(), null)
        .step("movl %eax, EAX(%esp): the result into pt_regs->eax",
            x -> x.write(x.sp() + PtRegs.ax.off(k), x.retval()))
        .globalLabel("ret_from_sys_call")
        .step("cli", x -> k.arch.irqDisable(x))
        .branchIf("reschedule", "cmpl $0, need_resched(%ebx); jne reschedule",
            x -> k.rq.needResched(x.reg(Regs.ebx)))
        .step("cmpl $0, sigpending(%ebx); jne signal_return (no signals are modelled)", x -> { })
        .globalLabel("restore_all");
    SaveAll60.restoreAll(k, b, "RESTORE_ALL")
        .globalLabel("reschedule")
        .call("call schedule", "schedule", Args.inPlace())
        .jump("ret_from_sys_call", "jmp ret_from_sys_call");
    k.image.add(b.build());
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys.c").params().asmlinkage()
        .ret("return -ENOSYS", x -> I386.ENOSYS).build());
    // entry.S@2.4.22:186-193
    k.image.add(k.image.asm("ret_from_fork", ENTRY)
        .call("pushl %ebx (prev, left there by switch_to); call schedule_tail", "schedule_tail",
            Args.of(x -> x.reg(Regs.ebx)))
        .step("GET_CURRENT(%ebx); testb $0x02, tsk_ptrace(%ebx) (not traced)",
            x -> getCurrent(k, x))
        .step("jmp ret_from_sys_call", k.image.jump("ret_from_sys_call")).build());
    buildInterrupts(k);
  }

  private static long target(Kernel k, long nr) {
    return k.image.sysCallTarget(nr, "sys_ni_syscall");
  }

  /**
   * BUILD_IRQ and BUILD_COMMON_IRQ (hw_irq.h@2.4.22:155-181), ret_from_intr (entry.S@2.4.22:256-263):
   * back to user mode through ret_from_sys_call's checks, to kernel mode straight to restore_all
   * (2.4 does not preempt the kernel).
   */
  private static void buildInterrupts(Kernel k) {
    for (int irq = 0; irq < 16; irq++) {
      int n = irq;
      k.image.add(k.image.asm(irqStub(irq), "arch/i386/kernel/i8259.c (BUILD_16_IRQS(0x0))")
          .step(String.format("pushl $0x%02x-256: orig_eax = irq - 256", n), x -> x.push(n - 256))
          .step("jmp common_interrupt", k.image.jump("common_interrupt")).build());
    }
    k.image.add(saveAll(k.image.asm("common_interrupt", HW_IRQ))
        .globalLabel("call_do_IRQ")
        .call("call do_IRQ: its by-value pt_regs are the frame SAVE_ALL just built", "do_IRQ", Args.inPlace())
        .step("jmp ret_from_intr", k.image.jump("ret_from_intr")).build());
    k.image.add(k.image.asm("ret_from_intr", ENTRY)
        .step("GET_CURRENT(%ebx)", x -> getCurrent(k, x))
        .globalLabel("ret_from_exception")
        .step("ret_from_exception: movl EFLAGS(%esp), %eax; movb CS(%esp), %al; "
            + "testl $(VM_MASK | 3), %eax; jne ret_from_sys_call; jmp restore_all", x -> {
              boolean user = (x.read(x.sp() + PtRegs.cs.off(k)) & 3) != 0;
              x.jumpTo(k.image.symbol(user ? "ret_from_sys_call" : "restore_all"));
            }).build());
  }
}
