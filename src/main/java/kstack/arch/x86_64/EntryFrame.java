package kstack.arch.x86_64;

import kstack.exec.Exec;
import kstack.kernel.Kernel;
import kstack.kernel.LinkedAddress;
import kstack.trace.Event;

/**
 * What the SYSCALL entry and the two exits to user mode read of pt_regs, the TSS and the image
 * (entry_64.S, entry/common.c@4.16, entry/syscall_64.c@6.19), resolved once when the routines are
 * built: each member's offset from the profile's layout and each symbol's address as the link
 * fixes it, so a step that runs on every system call adds ints and reads fields, names nothing.
 */
final class EntryFrame {
  private final Kernel k;
  private final int[] off = new int[PtRegs.values().length];
  private final int tssSp0;
  private final LinkedAddress start;
  private final LinkedAddress tss;

  EntryFrame(Kernel k) {
    this.k = k;
    for (PtRegs r : PtRegs.values()) {
      off[r.ordinal()] = r.off(k);
    }
    this.tssSp0 = Tss.sp0.off(k);
    this.start = k.image.ref("_start");
    this.tss = k.image.ref("cpu_tss_rw");
  }

  private long at(long regs, PtRegs r) {
    return regs + off[r.ordinal()];
  }

  /** The SyscallEntry event of the task whose pt_regs the stack pointer addresses. */
  void entered(Exec x) {
    long regs = x.sp();
    long nr = x.read(at(regs, PtRegs.orig_ax));
    long task = k.current(x.cpu().id());
    k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(task), k.syscallName(nr), nr,
        x.read(at(regs, PtRegs.sp)), regs));
  }

  /** The event of a return to user mode: a system call's result, an exec's start, or an IRETQ. */
  void exited(Exec x) {
    long task = k.current(x.cpu().id());
    long regs = k.arch.taskPtRegs(k, task);
    long nr = k.mem.read64(at(regs, PtRegs.orig_ax));
    if (nr < 0) {
      k.timeline.emit(new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.IRETQ));
      return;
    }
    if (k.mem.read64(at(regs, PtRegs.ip)) == start.get()) {
      k.timeline.emit(new Event.ExecStart(x.cpu().id(), k.tasks.pid(task), k.tasks.comm(task)));
      return;
    }
    k.timeline.emit(new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task), k.syscallName(nr),
        x.reg(Regs.rax)));
  }

  /** The invariant of every return to user mode: nothing of the kernel is left below pt_regs. */
  void toEntryStack(Exec x) {
    long task = k.current(x.cpu().id());
    long di = at(k.arch.taskPtRegs(k, task), PtRegs.di);
    if (x.sp() != di) {
      throw new IllegalStateException(String.format(
          "kernel stack not empty on return to user: rsp 0x%x, expected 0x%x", x.sp(), di));
    }
    x.set(Regs.rdi, x.sp());
    x.setSp(x.read(x.reg(Regs.gs_base) + tss.get() + tssSp0));
  }

  /** Whether SYSRET may return: cx == ip, r11 == flags, user cs/ss, canonical ip, no RF/TF. */
  boolean sysretOk(Exec x) {
    long regs = k.arch.taskPtRegs(k, k.current(x.cpu().id()));
    long ip = x.read(at(regs, PtRegs.ip));
    long cx = x.read(at(regs, PtRegs.cx));
    long r11 = x.read(at(regs, PtRegs.r11));
    long flags = x.read(at(regs, PtRegs.flags));
    long cs = x.read(at(regs, PtRegs.cs));
    long ss = x.read(at(regs, PtRegs.ss));
    boolean canonical = (ip >> 47) == 0;
    return ip == cx && canonical && cs == X86_64.USER_CS && r11 == flags
        && (flags & 0x10100) == 0 && ss == X86_64.USER_DS;
  }
}
