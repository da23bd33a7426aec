package kstack.arch.i386;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * arch/i386/kernel/entry.S at 2.6.11 (docs/research/i386-and-2.x.md §2.3, §2.5): system_call saves
 * the 60-byte pt_regs with 2.4's SAVE_ALL (no fs, gs; ds and es get __USER_DS), points %ebp at
 * thread_info, calls through sys_call_table (fork, clone and execve included: they take pt_regs by
 * value), and leaves through syscall_exit, work_pending/work_resched and RESTORE_ALL's iret;
 * ret_from_fork hands prev to schedule_tail and joins syscall_exit.
 */
final class I386Entry2611 {
  private I386Entry2611() {}

  static final String ENTRY = "arch/i386/kernel/entry.S";

  /** GET_THREAD_INFO(reg) (thread_info.h@2.6.11:120-122): movl $-THREAD_SIZE, reg; andl %esp, reg. */
  static void getThreadInfo(Kernel k, Exec x) {
    x.setFp(x.sp() & -k.threadSize);
  }

  static void build(Kernel k) {
    RoutineBuilder b = k.asm("system_call", ENTRY + "@2.6.11:241-261")
        .step("pushl %eax: orig_eax, the system call number", x -> x.push(x.reg("eax")));
    I386Entry24.saveAll(b, "__USER_DS", I386.USER_DS)
        .step("GET_THREAD_INFO(%ebp): ebp = esp & -THREAD_SIZE, the thread_info whose task is "
            + "current", x -> {
              getThreadInfo(k, x);
              I386Entry.entered(k, x);
            })
        .step("testb $(_TIF_SYSCALL_TRACE|_TIF_SYSCALL_AUDIT), TI_flags(%ebp) (no tracing); "
            + "cmpl $(nr_syscalls), %eax; jae syscall_badsys", x -> { })
        .globalLabel("syscall_call")
        .callVia("call *sys_call_table(,%eax,4): the saved ebx, ecx, edx... are the stack "
            + "arguments", x -> target(k, x.reg("eax")), null, null)
        .step("movl %eax, EAX(%esp): the result into pt_regs->eax",
            x -> x.write(x.sp() + k.off("pt_regs", "eax"), x.retval()))
        .globalLabel("syscall_exit")
        .step("cli; movl TI_flags(%ebp), %ecx", x -> k.arch.irqDisable(x))
        .branchIf("work_pending", "testw $_TIF_ALLWORK_MASK, %cx; jne syscall_exit_work",
            x -> k.needResched(k.current(x)))
        .globalLabel("restore_all");
    I386Entry26.workPending(k, I386Entry24.restoreAll(k, b, "RESTORE_ALL: RESTORE_INT_REGS"),
        "cli; movl TI_flags(%ebp), %ecx");
    k.add(b.build());
    k.add(k.c("sys_ni_syscall", "kernel/sys_ni.c").params().asmlinkage()
        .ret("return -ENOSYS", x -> I386.ENOSYS).build());
    k.add(k.asm("ret_from_fork", ENTRY + "@2.6.11:143-148")
        .call("pushl %eax (prev, as __switch_to returned it); call schedule_tail",
            "schedule_tail", x -> new long[] {x.reg("eax")})
        .step("GET_THREAD_INFO(%ebp); popl %eax (already dropped)", x -> getThreadInfo(k, x))
        .step("jmp syscall_exit", x -> x.jumpTo(k.symbol("syscall_exit"))).build());
  }

  private static long target(Kernel k, long nr) {
    String s = k.sysCallTable.get((int) nr);
    return k.symbol(s == null ? "sys_ni_syscall" : s);
  }
}
