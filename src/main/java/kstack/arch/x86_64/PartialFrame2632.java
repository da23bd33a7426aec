package kstack.arch.x86_64;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * 2.6.32's partial pt_regs (arch/x86/kernel/entry_64.S@2.6.32, calling.h@2.6.32:55-83): the
 * argument part SAVE_ARGS stores below kernel_stack, the rest part SAVE_REST adds, the words
 * FIXUP_TOP_OF_STACK fills in, FAKE_STACK_FRAME, current_thread_info() from kernel_stack, and the
 * iretq that leaves them. Shared by 2.6.32's system call, interrupt, NMI and switch modules.
 */
final class PartialFrame2632 {
  private PartialFrame2632() {}

  static final String ENTRY = "arch/x86/kernel/entry_64.S";
  static final int TIF_FORK = 18; // thread_info.h@2.6.32
  static final int ARGOFFSET = 48; // R11 in calling.h@2.6.32:55-83
  static final PtRegs[] ARGS = {PtRegs.r11, PtRegs.r10, PtRegs.r9, PtRegs.r8, PtRegs.ax,
      PtRegs.cx, PtRegs.dx, PtRegs.si, PtRegs.di};
  static final PtRegs[] REST = {PtRegs.r15, PtRegs.r14, PtRegs.r13, PtRegs.r12, PtRegs.bp,
      PtRegs.bx};

  static long gs(Kernel k, Exec x, String var) {
    return X86Entry.gs(k, x, var);
  }

  /** rsp = kernel_stack... : the thread_info is kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE. */
  static long threadInfo(Kernel k, Exec x) {
    return x.read(gs(k, x, "kernel_stack")) + 40 - k.threadSize;
  }

  static void saveArgs(Kernel k, Exec x, long regs, boolean withCx) {
    for (PtRegs r : ARGS) {
      if (r != PtRegs.cx || withCx) {
        x.write(regs + r.off(k), x.reg(X86Entry.regOf(r)));
      }
    }
  }

  static void restoreArgs(Kernel k, Exec x, long regs, boolean skipCx) {
    for (PtRegs r : ARGS) {
      if (r != PtRegs.cx || !skipCx) {
        x.set(X86Entry.regOf(r), x.read(regs + r.off(k)));
      }
    }
  }

  static void saveRest(Kernel k, Exec x, long regs) {
    for (PtRegs r : REST) {
      x.write(regs + r.off(k), x.reg(X86Entry.regOf(r)));
    }
  }

  static void restoreRest(Kernel k, Exec x, long regs) {
    for (PtRegs r : REST) {
      x.set(X86Entry.regOf(r), x.read(regs + r.off(k)));
    }
  }

  /** FIXUP_TOP_OF_STACK (entry_64.S@2.6.32:197-205): the words the fast path left undefined. */
  static void fixupTopOfStack(Kernel k, Exec x, long regs) {
    x.write(regs + PtRegs.sp.off(k), x.read(gs(k, x, "old_rsp")));
    x.write(regs + PtRegs.ss.off(k), X86_64.USER_DS);
    x.write(regs + PtRegs.cs.off(k), X86_64.USER_CS);
    x.write(regs + PtRegs.cx.off(k), -1);
    x.write(regs + PtRegs.flags.off(k), x.read(regs + PtRegs.r11.off(k)));
  }

  /**
   * RESTORE_TOP_OF_STACK %r11 (entry_64.S@2.6.32:207-212): old_rsp = regs->sp; regs->r11 =
   * regs->flags, through %r11, which is left holding the flags.
   */
  static void restoreTopOfStack(Kernel k, Exec x, long regs) {
    x.write(gs(k, x, "old_rsp"), x.read(regs + PtRegs.sp.off(k)));
    x.set(Regs.r11, x.read(regs + PtRegs.flags.off(k)));
    x.write(regs + PtRegs.r11.off(k), x.reg(Regs.r11));
  }

  /**
   * FAKE_STACK_FRAME (entry_64.S@2.6.32:214-234): xorl %eax, %eax, then an iret frame with rsp 0,
   * and orig_ax 0, both pushed from the cleared %rax.
   */
  static RoutineBuilder fakeStackFrame(Kernel k, RoutineBuilder b, String rip,
      java.util.function.ToLongFunction<Exec> ripValue) {
    return b.step("FAKE_STACK_FRAME " + rip + ": xorl %eax, %eax; pushq $__KERNEL_DS (ss); pushq "
        + "%rax (rsp); pushq $X86_EFLAGS_IF; pushq $__KERNEL_CS; pushq " + rip + " (rip); pushq %rax "
        + "(orig_ax)", x -> {
          x.set(Regs.rax, 0);
          for (long v : new long[] {X86_64.KERNEL_DS, 0, X86_64.EFLAGS_IF, X86_64.KERNEL_CS,
              ripValue.applyAsLong(x), 0}) {
            x.push(v);
          }
        });
  }

  /** iretq; going back to user mode, note what is left behind on the kernel stack. */
  static void iret(Kernel k, Exec x) {
    long regs = x.sp() - PtRegs.ip.off(k);
    X86Irq.iret(x);
    if ((x.reg(Regs.cs) & 3) != 3) {
      return;
    }
    long task = k.current(x);
    long top = k.arch.taskTopOfStack(k, task);
    if (regs + 168 != top && Long.compareUnsigned(regs - k.stacks.stack(task), k.threadSize) < 0) {
      k.timeline.emit(new Event.ExecveRegsLeft(x.cpu().id(), Event.ReturnPath.IRETQ,
          k.tasks.pid(task), regs, false, "", 0));
    }
    long ip = x.reg(Regs.rip);
    long nr = x.read(regs + PtRegs.orig_ax.off(k));
    if (ip == k.image.symbol("_start")) {
      k.timeline.emit(new Event.ExecStart(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
    } else if (nr < 0) {
      k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.IRETQ));
    } else {
      k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task),
          k.syscallName(nr), x.reg(Regs.rax)));
    }
  }
}
