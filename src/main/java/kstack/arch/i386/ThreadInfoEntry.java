package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;

/**
 * The 2.6 entry.S of i386 with thread_info at the base of the THREAD_SIZE stack, as 2.6.11
 * (arch/i386/kernel/entry.S) and 2.6.32 (arch/x86/kernel/entry_32.S) both have it:
 * GET_THREAD_INFO, the TI_flags word read through %ebp, set/clear_thread_flag, and ret_from_intr's
 * resume_userspace / resume_kernel. How the return paths learn the pending work is each
 * generation's {@link Work}: the masks differ (thread_info.h@2.6.11:156-158 against
 * arch/x86/include/asm/thread_info.h@2.6.32.67:132-139), so each keeps its own.
 */
final class ThreadInfoEntry {
  private ThreadInfoEntry() {}

  /** GET_THREAD_INFO(reg) (thread_info.h@2.6.11:120-122): movl $-THREAD_SIZE, reg; andl %esp, reg. */
  static void getThreadInfo(Kernel k, Exec x) {
    x.setFp(x.sp() & -k.threadSize);
  }

  /**
   * TI_flags(%ebp): the flags word of the thread_info %ebp points at, the one GET_THREAD_INFO
   * found at entry. After an overflow that clobbered thread_info this is whatever the overflow
   * wrote there; the source reads it all the same.
   */
  static long tiFlags(Kernel k, Exec x) {
    return x.read(x.fp() + k.tasks.tiOff(ThreadInfoMember.flags));
  }

  /** cli; movl TI_flags(%ebp), %ecx. */
  static void loadFlags(Kernel k, Exec x) {
    k.arch.irqDisable(x);
    x.set(Regs.ecx, tiFlags(k, x));
  }

  /** set_thread_flag / clear_thread_flag: on current_thread_info(), the base of this stack. */
  static void threadFlag(Kernel k, Exec x, long bit, boolean on) {
    long a = (x.sp() & -k.threadSize) + k.tasks.tiOff(ThreadInfoMember.flags);
    x.write(a, on ? x.read(a) | bit : x.read(a) & ~bit);
  }

  /** How a generation's return paths learn the pending work. */
  interface Work {
    /** resume_userspace's interrupts-off flags load. */
    void load(Kernel k, Exec x);

    /** andl $_TIF_WORK_MASK, %ecx: whether work_pending is taken. */
    boolean pending(Kernel k, Exec x);

    /** need_resched's TIF_NEED_RESCHED test in resume_kernel. */
    boolean needResched(Kernel k, Exec x);
  }

  /**
   * The work read from TI_flags through %ebp, masked by the generation's _TIF_WORK_MASK (2.6.11,
   * Feature.TIF_WORK_2611: entry.S@2.6.11:159-188 reads the word GET_THREAD_INFO found).
   */
  record TiFlagsWork(long workMask) implements Work {
    @Override
    public void load(Kernel k, Exec x) {
      loadFlags(k, x);
    }

    @Override
    public boolean pending(Kernel k, Exec x) {
      x.set(Regs.ecx, x.reg(Regs.ecx) & workMask);
      return x.reg(Regs.ecx) != 0;
    }

    @Override
    public boolean needResched(Kernel k, Exec x) {
      return (tiFlags(k, x) & 1 << Kernel.TIF_NEED_RESCHED) != 0;
    }
  }

  /**
   * The work as the model's run queue knows it: current's need_resched, the only work bit 2.6.32's
   * model raises (no signals, no tracing), in place of the TI_flags load.
   */
  static final Work RUN_QUEUE = new Work() {
    @Override
    public void load(Kernel k, Exec x) {
      k.arch.irqDisable(x);
    }

    @Override
    public boolean pending(Kernel k, Exec x) {
      return k.rq.needResched(k.current(x));
    }

    @Override
    public boolean needResched(Kernel k, Exec x) {
      return k.rq.needResched(k.current(x));
    }
  };

  /**
   * ret_from_intr's shape, shared by 2.6.11 and 2.6.32 (the words differ; the saved cs and eflags
   * are read through their handles, the members resolved when the kernel is built): user mode → resume_userspace's work check; kernel mode → resume_kernel, which with
   * CONFIG_PREEMPT calls preempt_schedule_irq while need_resched is set and the frame had IF.
   */
  static RoutineBuilder retFromIntr(Kernel k, RoutineBuilder b, String check, String userspace,
      String resumeKernel, String needResched, Work work) {
    int cs = PtRegs.cs.off(k);
    int flags = PtRegs.flags.off(k);
    return b.step("GET_THREAD_INFO(%ebp): ebp = esp & -THREAD_SIZE", x -> getThreadInfo(k, x))
        .branchIf("kernel", check, x -> (x.read(x.sp() + cs) & 3) != 3)
        .globalLabel("resume_userspace")
        .step(userspace, x -> work.load(k, x))
        .branchIf("work", "andl $_TIF_WORK_MASK, %ecx; jne work_pending", x -> work.pending(k, x))
        .step("jmp restore_all", k.image.jump("restore_all"))
        .label("work")
        .step("jmp work_pending", k.image.jump("work_pending"))
        .label("kernel")
        .branchIf("norsch", resumeKernel, x -> {
          k.arch.irqDisable(x);
          return !k.profile.config("PREEMPT")
              || x.read(x.fp() + k.tasks.tiOff(ThreadInfoMember.preempt_count), 4) != 0;
        })
        .label("need_resched")
        .branchIf("norsch", needResched, x -> !work.needResched(k, x)
            || (x.read(x.sp() + flags) & I386.EFLAGS_IF) == 0)
        .call("call preempt_schedule_irq", "preempt_schedule_irq", Args.inPlace())
        .jump("need_resched", "jmp need_resched")
        .label("norsch")
        .step("jmp restore_all", k.image.jump("restore_all"));
  }
}
