package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kstack.arch.StackWords;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import kstack.stack.StackRange;
import kstack.stack.StackWord;

/**
 * A frame-pointer unwinder that reads only simulated bytes, as arch/x86/kernel/unwind_frame.c does:
 * a switched-out task starts from the inactive_task_frame at thread.sp (its ret_addr is the first
 * frame, in __schedule), then follows saved rbp values; the chain ends at the frame record just
 * below pt_regs (is_last_task_frame: bp == task_pt_regs - 2 words) or at an encoded frame pointer.
 * If the pt_regs at the top hold a user-mode frame, the walk continues on the user stack.
 */
final class X86Unwind {
  private final Kernel k;
  private final X86_64 arch;

  X86Unwind(Kernel k, X86_64 arch) {
    this.k = k;
    this.arch = arch;
  }

  private Routine routineAt(long pc) {
    return k.host().routineAt(pc);
  }

  /** The stacks a CPU's frames can be on, by address, with the kernel's edge rules. */
  private record Stacks(List<StackRange> ranges) {
    StackKind kindOf(long a) {
      return StackRange.kindOf(ranges, a);
    }

    /** The kind of the stack a frame record (saved rbp, return address) at a lies on. */
    StackKind recordKindOf(long a) {
      return StackRange.recordKindOf(ranges, a, 16);
    }
  }

  private Stacks stacks(long task, int cpu, boolean running) {
    return new Stacks(X86Stacks.ranges(k, arch, task, cpu, running));
  }

  /** 2.6.32's paranoid entries: pt_regs on an IST stack, the handler called with rsp at them. */
  private static final java.util.Set<String> PARANOID_26 = java.util.Set.of("nmi", "debug",
      "machine_check");

  /** The frames of task, innermost first; a walk that meets unreadable memory stops there. */
  List<Frame> unwind(long task, boolean running, int cpu) {
    List<Frame> out = new ArrayList<>();
    return Frame.walk(out, () -> {
      walk(task, running, cpu, out);
      if (kstack.arch.SwitchWindow.endsAtRetFromFork(out)) {
        userPart(task, arch.taskPtRegs(k, task), out);
      }
    });
  }

  private List<Frame> walk(long task, boolean running, int cpu, List<Frame> out) {
    long stack = k.stacks.stack(task);
    if (stack == 0) {
      return out;
    }
    Stacks st = stacks(task, cpu, running);
    long ptRegs = arch.taskPtRegs(k, task);
    long pc;
    long bp;
    if (running) {
      var c = k.cpu(cpu);
      pc = c.get("rip");
      bp = c.get("rbp");
      long sp = c.get("rsp");
      if (arch.inUserMode(k, cpu)) {
        userFrames(task, pc, bp, sp, out, true);
        return out;
      }
      if (kstack.arch.SwitchWindow.frames(k, task, pc, sp, bp, "rsp", out,
          next -> unwind(next, false, cpu))) {
        return out;
      }
      if (arch.v26() && st.kindOf(bp) == null && k.symbols.functionName(pc).equals("schedule")
          && st.kindOf(sp) != null) {
        // switch_to's SAVE_CONTEXT pushed rflags and rbp, then loaded next into rbp: schedule's
        // frame pointer is the word at rsp until the stack switch (system.h@2.6.32.67:104)
        bp = k.mem.read64(sp);
      }
      StackKind kind = st.kindOf(sp);
      if (kind == null && Long.compareUnsigned(sp, arch.userTop()) < 0
          && k.tasks.taskRead(task, "mm") != 0) {
        // SYSCALL does not switch stacks: until the entry loads the kernel rsp (and again after
        // the exit restored the user's, before sysretq) rsp is the user's, the user rip in rcx
        out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.USER, 0,
            "rsp is still the user stack pointer: SYSCALL does not switch stacks; user rip in rcx"));
        userFrames(task, k.cpu(cpu).get("rcx"), bp, sp, out, true);
        return out;
      }
      if (kind == null) {
        out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.UNKNOWN, 0, "rsp is on no known stack"));
        return out;
      }
      out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), kind, 0, ""));
      Routine r = routineAt(pc);
      if (r != null && r.kind() == Routine.Kind.ASM && kind == StackKind.TASK && !arch.v26()
          && Long.compareUnsigned(sp - ptRegs, k.image.off("pt_regs", "ip") + 1) < 0) {
        // entry or exit code on the task's own pt_regs, their hardware frame (ip..ss) in place:
        // ret_from_fork's first steps, an entry's pushes before its call, an exit's pops. The
        // kernel part is this one frame, the user part follows
        userPart(task, ptRegs, out, sp, bp);
        return out;
      }
      if (r != null) {
        long slot = returnSlot(r, pc, sp);
        if (slot != 0) {
          pc = k.mem.read64(slot);
          out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), kind, 0, ""));
          if (slot == ptRegs - 8 && !arch.v26()) {
            // called straight from the entry code, whose rbp is not a frame: the kernel part ends
            userPart(task, ptRegs, out);
            return out;
          }
          if (arch.v26() && SYSCALL_26.contains(k.symbols.functionName(pc))) {
            // a system call's first C step: the entry's (partial) pt_regs hold the user part;
            // the user rbp is still in the register, or (after push %rbp) at rsp
            userPart26(task, running, cpu, ptRegs, k.symbols.functionName(pc).startsWith("stub_"),
                out, slot == sp ? bp : k.mem.read64(sp));
            return out;
          }
          if (arch.v26() && PARANOID_26.contains(k.symbols.functionName(pc))
              && interrupted26(slot + 8, st, task, running, cpu, out)) {
            // stopped at the handler's first step: the entry's pt_regs sit right above the return
            return out;
          }
        }
      }
    } else if (arch.v26() && (k.tasks.tiRead(task, "flags") & (1L << X86Entry26.TIF_FORK)) != 0) {
      out.add(new Frame("ret_from_fork", k.image.symbol("ret_from_fork"), 0, StackKind.TASK, 0, "not yet run: "
          + "TIF_FORK sends its first thread_return to ret_from_fork, on its pt_regs"));
      userPart(task, ptRegs, out);
      return out;
    } else if (arch.v26()) {
      // switch_to's SAVE_CONTEXT left [rbp][rflags] at thread.sp; it resumes at thread_return
      long sp = k.tasks.threadSp(task);
      bp = k.mem.read64(sp);
      pc = k.image.symbol("thread_return");
      out.add(new Frame("thread_return", pc, 0, StackKind.TASK, sp, String.format(
          "switched out: thread.sp 0x%x (saved rbp, rflags); resumes at thread_return", sp)));
    } else {
      long sp = k.tasks.threadSp(task);
      bp = k.mem.read64(sp + k.image.off("inactive_task_frame", "bp"));
      pc = k.mem.read64(sp + k.image.off("inactive_task_frame", "ret_addr"));
      out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.TASK, sp, "switched out: inactive_task_frame at "
          + String.format("0x%x", sp)));
      if (pc == k.image.symbol("ret_from_fork") && bp == 0) {
        // copy_thread's fork_frame (4.16): frame->bp = 0, and the child's pt_regs right above
        userPart(task, ptRegs, out);
        return out;
      }
    }
    walk(task, st, bp, ptRegs, out, running, cpu);
    return out;
  }

  /**
   * Where the return address of the function at pc lies while its frame record is not (or no
   * longer) built: a C function's first step or its ret (at rsp) or its second (rsp + 8);
   * __switch_to_asm's above the words it has pushed so far; 0 otherwise.
   */
  private long returnSlot(Routine r, long pc, long sp) {
    int i = r.indexOf(pc);
    if (r.kind() == Routine.Kind.ASM) {
      return r.name().equals("__switch_to_asm")
          ? sp + 8L * kstack.arch.SwitchWindow.pushedWords(r, i) : 0;
    }
    return i == 0 || r.insn(i).text().equals("ret") ? sp : i == 1 ? sp + 8 : 0;
  }

  /**
   * Follows saved rbp values across stacks. An odd rbp is an encoded pointer to pt_regs (an
   * interrupt or exception frame, ENCODE_FRAME_POINTER): the walk resumes in the interrupted
   * context. The record just below the task's own pt_regs ends the kernel part; if those pt_regs
   * hold a user frame, the user stack follows.
   */
  private void walk(long task, Stacks st, long bp, long ptRegs, List<Frame> out, boolean running,
      int cpu) {
    long last = arch.v26() ? -1 : ptRegs - 16; // 2.6.32: the walk ends at system_call or a stub
    for (int guard = 0; bp != 0 && guard < 512; guard++) {
      if ((bp & 1) != 0) {
        long regs = bp - 1;
        long cs = k.mem.read64(regs + k.image.off("pt_regs", "cs"));
        long ip = k.mem.read64(regs + k.image.off("pt_regs", "ip"));
        long sp = k.mem.read64(regs + k.image.off("pt_regs", "sp"));
        StackKind where = st.kindOf(regs);
        out.add(new Frame("--- pt_regs ---", regs, 0, where == null ? StackKind.TASK : where, regs,
            String.format("interrupted %s at %s, rsp 0x%x; pt_regs at 0x%x",
                (cs & 3) == 3 ? "user mode" : "kernel mode", k.symbols.describeOrHex(ip), sp, regs)));
        if ((cs & 3) == 3) {
          userFrames(task, ip, k.mem.read64(regs + k.image.off("pt_regs", "bp")), sp, out, false);
          return;
        }
        StackKind kind = st.kindOf(sp);
        long base = k.stacks.stack(task);
        boolean below = kind == null && Long.compareUnsigned(sp, base) < 0 && base - sp <= 4096;
        if (below) {
          kind = StackKind.TASK; // the overflow: rsp has left the bottom of the task stack
        }
        out.add(new Frame(k.symbols.functionName(ip), ip, k.symbols.functionOffset(ip), kind == null ? StackKind.UNKNOWN : kind, 0,
            below ? "rsp below the stack's base" : ""));
        bp = k.mem.read64(regs + k.image.off("pt_regs", "bp"));
        continue;
      }
      StackKind kind = st.recordKindOf(bp);
      if (kind == null) {
        break;
      }
      long ret = k.mem.read64(bp + 8);
      if (arch.v26() && ret == 0) {
        break; // head_64.S's and child_rip's fake return address
      }
      out.add(new Frame(k.symbols.functionName(ret), ret, k.symbols.functionOffset(ret), kind, bp, ""));
      if (bp == last) {
        break;
      }
      if (arch.v26()) {
        String fn = k.symbols.functionName(ret);
        if (SYSCALL_26.contains(fn)) {
          userPart26(task, running, cpu, ptRegs, fn.startsWith("stub_"), out);
          return;
        }
        if (PARANOID_26.contains(fn)) {
          // a paranoid entry called its handler with rsp at its pt_regs: the record is 16 below
          if (interrupted26(bp + 16, st, task, running, cpu, out)) {
            return;
          }
          bp = k.mem.read64(bp);
          continue;
        }
        if (fn.equals("common_interrupt") || fn.equals("apic_timer_interrupt")) {
          // save_args linked rbp into pt_regs' rbx slot: the handler's saved rbp is regs + 40
          long regs = k.mem.read64(bp) - 40;
          if (interrupted26(regs, st, task, running, cpu, out)) {
            return;
          }
          bp = k.mem.read64(regs + 40);
          continue;
        }
      }
      long next = k.mem.read64(bp);
      if (next != 0 && (next & 1) == 0 && kind.equals(st.recordKindOf(next))
          && Long.compareUnsigned(next, bp) <= 0) {
        break;
      }
      bp = next;
    }
    if (bp == last) {
      userPart(task, ptRegs, out);
    }
  }

  private static final java.util.Set<String> SYSCALL_26 = java.util.Set.of("system_call",
      "system_call_fastpath", "stub_fork", "stub_clone", "stub_execve");

  /**
   * 2.6.32's interrupted context, found from the entry's return address (its unwinder has no
   * marker); returns true when it was user mode and the walk is over.
   */
  private boolean interrupted26(long regs, Stacks st, long task, boolean running, int cpu,
      List<Frame> out) {
    long cs = k.mem.read64(regs + k.image.off("pt_regs", "cs"));
    long ip = k.mem.read64(regs + k.image.off("pt_regs", "ip"));
    StackKind where = st.kindOf(regs);
    out.add(new Frame("--- pt_regs ---", regs, 0, where == null ? StackKind.TASK : where, regs,
        String.format("interrupted %s at %s; pt_regs at 0x%x", (cs & 3) == 3 ? "user mode"
            : "kernel mode", k.symbols.describeOrHex(ip), regs)));
    if ((cs & 3) == 3) {
      userFrames(task, ip, k.mem.read64(regs + 40), k.mem.read64(regs + k.image.off("pt_regs", "sp")),
          out, false);
      return true;
    }
    long sp = k.mem.read64(regs + k.image.off("pt_regs", "sp"));
    StackKind on = st.kindOf(sp);
    where = on == null ? StackKind.TASK : on; // the interrupted code's own stack (an NMI's pt_regs are on the IST)
    out.add(new Frame(k.symbols.functionName(ip), ip, k.symbols.functionOffset(ip), where, 0, ""));
    Routine r = routineAt(ip);
    if (r != null && r.kind() != Routine.Kind.ASM) {
      int i = r.indexOf(ip);
      long slot = i == 0 || r.insn(i).text().equals("ret") ? sp : i == 1 ? sp + 8 : 0;
      if (slot != 0) {
        // interrupted before its frame was built: its caller is found through rsp
        long ret = k.mem.read64(slot);
        out.add(new Frame(k.symbols.functionName(ret), ret, k.symbols.functionOffset(ret),
            where == null ? StackKind.TASK : where, 0, ""));
      }
    }
    return false;
  }

  /**
   * The user part behind a 2.6.32 system call. The fast path saved only the argument registers:
   * the user rsp is in old_rsp (thread.usersp while switched out), the user rbp in the first C
   * frame's record; the stub paths completed pt_regs.
   */
  private void userPart26(long task, boolean running, int cpu, long ptRegs, boolean full,
      List<Frame> out) {
    userPart26(task, running, cpu, ptRegs, full, out, null);
  }

  /** The same with the user rbp known from elsewhere (userBp non-null) than the frame record. */
  private void userPart26(long task, boolean running, int cpu, long ptRegs, boolean full,
      List<Frame> out, Long userBp) {
    if (k.tasks.taskRead(task, "mm") == 0) {
      return;
    }
    long uip = k.mem.read64(ptRegs + k.image.off("pt_regs", "ip"));
    long usp = full ? k.mem.read64(ptRegs + k.image.off("pt_regs", "sp"))
        : running ? k.mem.read64(k.perCpu("old_rsp", cpu)) : k.tasks.taskRead(task, "thread.usersp");
    long ubp = userBp != null ? userBp
        : k.mem.read64(ptRegs + (full ? k.image.off("pt_regs", "bp") : 32));
    out.add(new Frame("--- pt_regs ---", ptRegs, 0, StackKind.TASK, ptRegs, String.format(
        "user rip 0x%x, rsp 0x%x (%s) at task_pt_regs 0x%x", uip, usp,
        full ? "pt_regs->sp" : running ? "old_rsp" : "thread.usersp", ptRegs)));
    userFrames(task, uip, ubp, usp, out, false);
  }

  /** The task's own pt_regs, if they hold a user frame, and the user stack behind them. */
  private void userPart(long task, long ptRegs, List<Frame> out) {
    userPart(task, ptRegs, out, 0, 0);
  }

  /**
   * The same while entry or exit code runs with sp at liveSp inside the pt_regs: a bp slot below
   * sp is not written yet (or already popped), and the user's frame pointer is still (again) in
   * the register, liveBp.
   */
  private void userPart(long task, long ptRegs, List<Frame> out, long liveSp, long liveBp) {
    long cs = k.mem.read64(ptRegs + k.image.off("pt_regs", "cs"));
    if ((cs & 3) == 3 && k.tasks.taskRead(task, "mm") != 0) {
      long uip = k.mem.read64(ptRegs + k.image.off("pt_regs", "ip"));
      long slot = ptRegs + k.image.off("pt_regs", "bp");
      long ubp = Long.compareUnsigned(slot, liveSp) >= 0 ? k.mem.read64(slot) : liveBp;
      long usp = k.mem.read64(ptRegs + k.image.off("pt_regs", "sp"));
      out.add(new Frame("--- pt_regs ---", ptRegs, 0, StackKind.TASK, ptRegs,
          String.format("user rip 0x%x, rsp 0x%x at task_pt_regs 0x%x", uip, usp, ptRegs)));
      userFrames(task, uip, ubp, usp, out, false);
    }
  }

  private void userFrames(long task, long pc, long bp, long sp, List<Frame> out, boolean live) {
    kstack.arch.UserFrames.walk(k, task, pc, bp, sp, out);
  }

  private static boolean inRange(long a, long lo, long hi) {
    return Long.compareUnsigned(a, lo) >= 0 && Long.compareUnsigned(a, hi) < 0;
  }

  static Map<String, Long> empty() {
    return new LinkedHashMap<>();
  }
}
