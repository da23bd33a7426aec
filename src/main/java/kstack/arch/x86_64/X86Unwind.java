package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
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
abstract class X86Unwind {
  final Kernel k;
  final X86_64 arch;

  X86Unwind(Kernel k, X86_64 arch) {
    this.k = k;
    this.arch = arch;
  }

  /** Labels the switch frame a switched-out task left at thread.sp (low). */
  abstract void labelSwitchFrame(Map<Long, StackWord.Label> labels, long task, long low);

  /** Where the frame records of the stack view may lie up to (pt_regs or the stack top). */
  abstract long framesTop(long top, long ptRegs);

  /** The frame pointer of the function at pc while it runs (it may still be on the stack). */
  long runningBp(Stacks st, long pc, long sp, long bp) {
    return bp;
  }

  /**
   * Whether entry or exit code runs on the task's own pt_regs, which then end the kernel part
   * (the generations whose entry code keeps the full pt_regs at the top of the stack).
   */
  abstract boolean entryCodeOnPtRegs(Routine r, StackKind kind, long sp, long ptRegs);

  /**
   * After a running function's return address was read from slot: whether the walk is over (the
   * caller is entry code whose pt_regs end the kernel part).
   */
  abstract boolean endsAtReturnSlot(long task, boolean running, int cpu, Stacks st, long ptRegs,
      long slot, long sp, long bp, long pc, List<Frame> out);

  /**
   * A switched-out task's first frame: adds it and returns {pc, bp} to walk on from, or null when
   * the task's frames are complete.
   */
  abstract long[] switchedOut(long task, long ptRegs, List<Frame> out);

  /** The frame record whose return ends the kernel part (just below pt_regs), or -1: none. */
  abstract long lastRecord(long ptRegs);

  /** Whether a return address of 0 ends the walk (a fake one pushed to stop unwinders). */
  boolean stopsAtZeroReturn() {
    return false;
  }

  /**
   * A frame record whose return address is an entry's: the next bp to follow (0: the walk is
   * over), or null when ret is ordinary code.
   */
  Long entryRecord(long task, Stacks st, long bp, long ret, long ptRegs, boolean running, int cpu,
      List<Frame> out) {
    return null;
  }

  Routine routineAt(long pc) {
    return k.host().routineAt(pc);
  }

  /** The stacks a CPU's frames can be on, by address, with the kernel's edge rules. */
  record Stacks(List<StackRange> ranges) {
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
      pc = c.get(Regs.rip);
      bp = c.get(Regs.rbp);
      long sp = c.get(Regs.rsp);
      if (arch.inUserMode(k, cpu)) {
        userFrames(task, pc, bp, sp, out, true);
        return out;
      }
      if (kstack.arch.SwitchWindow.frames(k, task, pc, sp, bp, "rsp", out,
          next -> unwind(next, false, cpu))) {
        return out;
      }
      bp = runningBp(st, pc, sp, bp);
      StackKind kind = st.kindOf(sp);
      if (kind == null && Long.compareUnsigned(sp, arch.userTop()) < 0
          && k.tasks.taskRead(task, TaskMember.mm) != 0) {
        // SYSCALL does not switch stacks: until the entry loads the kernel rsp (and again after
        // the exit restored the user's, before sysretq) rsp is the user's, the user rip in rcx
        out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.USER, 0,
            "rsp is still the user stack pointer: SYSCALL does not switch stacks; user rip in rcx"));
        userFrames(task, k.cpu(cpu).get(Regs.rcx), bp, sp, out, true);
        return out;
      }
      if (kind == null) {
        out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.UNKNOWN, 0, "rsp is on no known stack"));
        return out;
      }
      out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), kind, 0, ""));
      Routine r = routineAt(pc);
      if (entryCodeOnPtRegs(r, kind, sp, ptRegs)) {
        userPart(task, ptRegs, out, sp, bp);
        return out;
      }
      if (r != null) {
        long slot = returnSlot(r, pc, sp);
        if (slot != 0) {
          pc = k.mem.read64(slot);
          out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), kind, 0, ""));
          if (endsAtReturnSlot(task, running, cpu, st, ptRegs, slot, sp, bp, pc, out)) {
            return out;
          }
        }
      }
    } else {
      long[] start = switchedOut(task, ptRegs, out);
      if (start == null) {
        return out;
      }
      pc = start[0];
      bp = start[1];
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
    long last = lastRecord(ptRegs);
    for (int guard = 0; bp != 0 && guard < 512; guard++) {
      if ((bp & 1) != 0) {
        long regs = bp - 1;
        long cs = k.mem.read64(regs + PtRegs.cs.off(k));
        long ip = k.mem.read64(regs + PtRegs.ip.off(k));
        long sp = k.mem.read64(regs + PtRegs.sp.off(k));
        StackKind where = st.kindOf(regs);
        out.add(new Frame("--- pt_regs ---", regs, 0, where == null ? StackKind.TASK : where, regs,
            String.format("interrupted %s at %s, rsp 0x%x; pt_regs at 0x%x",
                (cs & 3) == 3 ? "user mode" : "kernel mode", k.symbols.describeOrHex(ip), sp, regs)));
        if ((cs & 3) == 3) {
          userFrames(task, ip, k.mem.read64(regs + PtRegs.bp.off(k)), sp, out, false);
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
        bp = k.mem.read64(regs + PtRegs.bp.off(k));
        continue;
      }
      StackKind kind = st.recordKindOf(bp);
      if (kind == null) {
        break;
      }
      long ret = k.mem.read64(bp + 8);
      if (ret == 0 && stopsAtZeroReturn()) {
        break;
      }
      out.add(new Frame(k.symbols.functionName(ret), ret, k.symbols.functionOffset(ret), kind, bp, ""));
      if (bp == last) {
        break;
      }
      Long entry = entryRecord(task, st, bp, ret, ptRegs, running, cpu, out);
      if (entry != null) {
        bp = entry;
        continue;
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

  /** The task's own pt_regs, if they hold a user frame, and the user stack behind them. */
  void userPart(long task, long ptRegs, List<Frame> out) {
    userPart(task, ptRegs, out, 0, 0);
  }

  /**
   * The same while entry or exit code runs with sp at liveSp inside the pt_regs: a bp slot below
   * sp is not written yet (or already popped), and the user's frame pointer is still (again) in
   * the register, liveBp.
   */
  private void userPart(long task, long ptRegs, List<Frame> out, long liveSp, long liveBp) {
    long cs = k.mem.read64(ptRegs + PtRegs.cs.off(k));
    if ((cs & 3) == 3 && k.tasks.taskRead(task, TaskMember.mm) != 0) {
      long uip = k.mem.read64(ptRegs + PtRegs.ip.off(k));
      long slot = ptRegs + PtRegs.bp.off(k);
      long ubp = Long.compareUnsigned(slot, liveSp) >= 0 ? k.mem.read64(slot) : liveBp;
      long usp = k.mem.read64(ptRegs + PtRegs.sp.off(k));
      out.add(new Frame("--- pt_regs ---", ptRegs, 0, StackKind.TASK, ptRegs,
          String.format("user rip 0x%x, rsp 0x%x at task_pt_regs 0x%x", uip, usp, ptRegs)));
      userFrames(task, uip, ubp, usp, out, false);
    }
  }

  void userFrames(long task, long pc, long bp, long sp, List<Frame> out, boolean live) {
    kstack.arch.UserFrames.walk(k, task, pc, bp, sp, out);
  }

  private static boolean inRange(long a, long lo, long hi) {
    return Long.compareUnsigned(a, lo) >= 0 && Long.compareUnsigned(a, hi) < 0;
  }

  static Map<String, Long> empty() {
    return new LinkedHashMap<>();
  }
}
