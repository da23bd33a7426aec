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
  static final String[] ARGS = {"r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di"};
  static final String[] REST = {"r15", "r14", "r13", "r12", "bp", "bx"};

  static long gs(Kernel k, Exec x, String var) {
    return X86Entry.gs(k, x, var);
  }

  /** rsp = kernel_stack... : the thread_info is kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE. */
  static long threadInfo(Kernel k, Exec x) {
    return x.read(gs(k, x, "kernel_stack")) + 40 - k.threadSize;
  }

  static void saveArgs(Kernel k, Exec x, long regs, boolean withCx) {
    for (String r : ARGS) {
      if (!r.equals("cx") || withCx) {
        x.write(regs + k.image.off("pt_regs", r), x.reg(X86Entry.reg64(r)));
      }
    }
  }

  static void restoreArgs(Kernel k, Exec x, long regs, boolean skipCx) {
    for (String r : ARGS) {
      if (!r.equals("cx") || !skipCx) {
        x.set(X86Entry.reg64(r), x.read(regs + k.image.off("pt_regs", r)));
      }
    }
  }

  static void saveRest(Kernel k, Exec x, long regs) {
    for (String r : REST) {
      x.write(regs + k.image.off("pt_regs", r), x.reg(X86Entry.reg64(r)));
    }
  }

  static void restoreRest(Kernel k, Exec x, long regs) {
    for (String r : REST) {
      x.set(X86Entry.reg64(r), x.read(regs + k.image.off("pt_regs", r)));
    }
  }

  /** FIXUP_TOP_OF_STACK (entry_64.S@2.6.32:197-205): the words the fast path left undefined. */
  static void fixupTopOfStack(Kernel k, Exec x, long regs) {
    x.write(regs + k.image.off("pt_regs", "sp"), x.read(gs(k, x, "old_rsp")));
    x.write(regs + k.image.off("pt_regs", "ss"), X86_64.USER_DS);
    x.write(regs + k.image.off("pt_regs", "cs"), X86_64.USER_CS);
    x.write(regs + k.image.off("pt_regs", "cx"), -1);
    x.write(regs + k.image.off("pt_regs", "flags"), x.read(regs + k.image.off("pt_regs", "r11")));
  }

  /**
   * RESTORE_TOP_OF_STACK %r11 (entry_64.S@2.6.32:207-212): old_rsp = regs->sp; regs->r11 =
   * regs->flags, through %r11, which is left holding the flags.
   */
  static void restoreTopOfStack(Kernel k, Exec x, long regs) {
    x.write(gs(k, x, "old_rsp"), x.read(regs + k.image.off("pt_regs", "sp")));
    x.set("r11", x.read(regs + k.image.off("pt_regs", "flags")));
    x.write(regs + k.image.off("pt_regs", "r11"), x.reg("r11"));
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
          x.set("rax", 0);
          for (long v : new long[] {X86_64.KERNEL_DS, 0, X86_64.EFLAGS_IF, X86_64.KERNEL_CS,
              ripValue.applyAsLong(x), 0}) {
            x.push(v);
          }
        });
  }

  /** iretq; going back to user mode, note what is left behind on the kernel stack. */
  static void iret(Kernel k, Exec x) {
    long regs = x.sp() - k.image.off("pt_regs", "ip");
    X86Irq.iret(x);
    if ((x.reg("cs") & 3) != 3) {
      return;
    }
    long task = k.current(x);
    long top = k.arch.taskTopOfStack(k, task);
    if (regs + 168 != top && Long.compareUnsigned(regs - k.stacks.stack(task), k.threadSize) < 0) {
      k.timeline.emit(new Event.ExecveRegsLeft(x.cpu().id(), Event.ReturnPath.IRETQ,
          k.tasks.pid(task), regs, false, "", 0));
    }
    long ip = x.reg("rip");
    long nr = x.read(regs + k.image.off("pt_regs", "orig_ax"));
    if (ip == k.image.symbol("_start")) {
      k.timeline.emit(new Event.ExecStart(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
    } else if (nr < 0) {
      k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.IRETQ));
    } else {
      k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task),
          kstack.arch.x86.EntryCommon.syscallName(k, nr), x.reg("rax")));
    }
  }
}
