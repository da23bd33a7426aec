package kstack.arch.x86_64;

import java.util.List;
import java.util.Map;
import java.util.Set;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;
import kstack.kernel.ThreadInfoMember;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import kstack.stack.StackWord;
import kstack.stack.WordKind;

/**
 * The frame-pointer walk where switch_to is inline in schedule() (2.6.32, SwitchToInline2632): a
 * switched-out task resumes at thread_return with [rbp][rflags] at thread.sp, a new one goes
 * through TIF_FORK to ret_from_fork; system_call's partial pt_regs and the paranoid and
 * interrupt entries, found by their return addresses (this generation's frames carry no
 * encoded pointer to pt_regs); head_64.S's and child_rip's fake 0 return address.
 */
final class UnwindThreadReturn2632 extends X86Unwind {
  /** The paranoid entries: pt_regs on an IST stack, the handler called with rsp at them. */
  private static final Set<String> PARANOID_ENTRIES = Set.of("nmi", "debug", "machine_check");

  UnwindThreadReturn2632(Kernel k, X86_64 arch) {
    super(k, arch);
  }

  /**
   * switch_to's SAVE_CONTEXT pushed rflags and rbp, then loaded next into rbp: schedule's frame
   * pointer is the word at rsp until the stack switch (system.h@2.6.32.67:104).
   */
  @Override
  long runningBp(Stacks st, long pc, long sp, long bp) {
    if (st.kindOf(bp) == null && k.symbols.functionName(pc).equals("schedule")
        && st.kindOf(sp) != null) {
      return k.mem.read64(sp);
    }
    return bp;
  }

  @Override
  boolean entryCodeOnPtRegs(Routine r, StackKind kind, long sp, long ptRegs) {
    return false;
  }

  @Override
  boolean endsAtReturnSlot(long task, boolean running, int cpu, Stacks st, long ptRegs, long slot,
      long sp, long bp, long pc, List<Frame> out) {
    String fn = k.symbols.functionName(pc);
    if (SYSCALL_ENTRIES.contains(fn)) {
      // a system call's first C step: the entry's (partial) pt_regs hold the user part;
      // the user rbp is still in the register, or (after push %rbp) at rsp
      userPartOfSyscall(task, running, cpu, ptRegs, fn.startsWith("stub_"), out,
          slot == sp ? bp : k.mem.read64(sp));
      return true;
    }
    // stopped at a paranoid handler's first step: the entry's pt_regs sit right above the return
    return PARANOID_ENTRIES.contains(fn) && interrupted(slot + 8, st, task, running, cpu, out);
  }

  @Override
  long[] switchedOut(long task, long ptRegs, List<Frame> out) {
    if ((k.tasks.tiRead(task, ThreadInfoMember.flags) & (1L << PartialFrame2632.TIF_FORK)) != 0) {
      out.add(new Frame("ret_from_fork", k.image.symbol("ret_from_fork"), 0, StackKind.TASK, 0, "not yet run: "
          + "TIF_FORK sends its first thread_return to ret_from_fork, on its pt_regs"));
      userPart(task, ptRegs, out);
      return null;
    }
    // switch_to's SAVE_CONTEXT left [rbp][rflags] at thread.sp; it resumes at thread_return
    long sp = k.tasks.threadSp(task);
    long pc = k.image.symbol("thread_return");
    out.add(new Frame("thread_return", pc, 0, StackKind.TASK, sp, String.format(
        "switched out: thread.sp 0x%x (saved rbp, rflags); resumes at thread_return", sp)));
    return new long[] {pc, k.mem.read64(sp)};
  }

  /** The walk ends at system_call or a stub, not at a record below pt_regs. */
  @Override
  long lastRecord(long ptRegs) {
    return -1;
  }

  @Override
  boolean stopsAtZeroReturn() {
    return true;
  }

  @Override
  Long entryRecord(long task, Stacks st, long bp, long ret, long ptRegs, boolean running, int cpu,
      List<Frame> out) {
    String fn = k.symbols.functionName(ret);
    if (SYSCALL_ENTRIES.contains(fn)) {
      userPartOfSyscall(task, running, cpu, ptRegs, fn.startsWith("stub_"), out);
      return 0L;
    }
    if (PARANOID_ENTRIES.contains(fn)) {
      // a paranoid entry called its handler with rsp at its pt_regs: the record is 16 below
      return interrupted(bp + 16, st, task, running, cpu, out) ? 0L : k.mem.read64(bp);
    }
    if (fn.equals("common_interrupt") || fn.equals("apic_timer_interrupt")) {
      // save_args linked rbp into pt_regs' rbx slot: the handler's saved rbp is regs + 40
      long regs = k.mem.read64(bp) - 40;
      return interrupted(regs, st, task, running, cpu, out) ? 0L : k.mem.read64(regs + 40);
    }
    return null;
  }

  /** The entries whose return address starts a system call's user part. */
  private static final Set<String> SYSCALL_ENTRIES = Set.of("system_call",
      "system_call_fastpath", "stub_fork", "stub_clone", "stub_execve");

  /**
   * The interrupted context, found from the entry's return address (its unwinder has no
   * marker); returns true when it was user mode and the walk is over.
   */
  private boolean interrupted(long regs, Stacks st, long task, boolean running, int cpu,
      List<Frame> out) {
    long cs = k.mem.read64(regs + PtRegs.cs.off(k));
    long ip = k.mem.read64(regs + PtRegs.ip.off(k));
    StackKind where = st.kindOf(regs);
    out.add(new Frame("--- pt_regs ---", regs, 0, where == null ? StackKind.TASK : where, regs,
        String.format("interrupted %s at %s; pt_regs at 0x%x", (cs & 3) == 3 ? "user mode"
            : "kernel mode", k.symbols.describeOrHex(ip), regs)));
    if ((cs & 3) == 3) {
      userFrames(task, ip, k.mem.read64(regs + 40), k.mem.read64(regs + PtRegs.sp.off(k)),
          out, false);
      return true;
    }
    long sp = k.mem.read64(regs + PtRegs.sp.off(k));
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
   * The user part behind a system call. The fast path saved only the argument registers:
   * the user rsp is in old_rsp (thread.usersp while switched out), the user rbp in the first C
   * frame's record; the stub paths completed pt_regs.
   */
  private void userPartOfSyscall(long task, boolean running, int cpu, long ptRegs, boolean full,
      List<Frame> out) {
    userPartOfSyscall(task, running, cpu, ptRegs, full, out, null);
  }

  /** The same with the user rbp known from elsewhere (userBp non-null) than the frame record. */
  private void userPartOfSyscall(long task, boolean running, int cpu, long ptRegs, boolean full,
      List<Frame> out, Long userBp) {
    if (k.tasks.taskRead(task, TaskMember.mm) == 0) {
      return;
    }
    long uip = k.mem.read64(ptRegs + PtRegs.ip.off(k));
    long usp = full ? k.mem.read64(ptRegs + PtRegs.sp.off(k))
        : running ? k.mem.read64(k.perCpu("old_rsp", cpu)) : k.tasks.taskRead(task, TaskMember.thread_usersp);
    long ubp = userBp != null ? userBp
        : k.mem.read64(ptRegs + (full ? PtRegs.bp.off(k) : 32));
    out.add(new Frame("--- pt_regs ---", ptRegs, 0, StackKind.TASK, ptRegs, String.format(
        "user rip 0x%x, rsp 0x%x (%s) at task_pt_regs 0x%x", uip, usp,
        full ? "pt_regs->sp" : running ? "old_rsp" : "thread.usersp", ptRegs)));
    userFrames(task, uip, ubp, usp, out, false);
  }

  @Override
  void labelSwitchFrame(Map<Long, StackWord.Label> labels, long task, long low) {
    if ((k.tasks.tiRead(task, ThreadInfoMember.flags) & (1L << PartialFrame2632.TIF_FORK)) == 0) {
      labels.put(low, new StackWord.Label(WordKind.SWITCH, "switch_to: saved rbp"));
      labels.put(low + 8, new StackWord.Label(WordKind.SWITCH, "switch_to: saved rflags"));
    }
  }

  /** The partial pt_regs do not end the frames: records may lie up to the stack top. */
  @Override
  long framesTop(long top, long ptRegs) {
    return top;
  }
}
