package kstack.arch.x86_64;

import java.util.List;
import java.util.Map;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.layout.Field;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import kstack.stack.StackWord;
import kstack.stack.WordKind;

/**
 * The frame-pointer walk of arch/x86/kernel/unwind_frame.c (4.16, 6.19): a switched-out task
 * starts from the inactive_task_frame at thread.sp; the chain ends at the frame record just below
 * pt_regs (is_last_task_frame) or at an encoded frame pointer; entry code on the task's own
 * pt_regs ends the kernel part.
 */
final class UnwindInactiveTaskFrame extends X86Unwind {
  UnwindInactiveTaskFrame(Kernel k, X86_64 arch) {
    super(k, arch);
  }

  /**
   * Entry or exit code on the task's own pt_regs, their hardware frame (ip..ss) in place:
   * ret_from_fork's first steps, an entry's pushes before its call, an exit's pops. The kernel
   * part is this one frame, the user part follows.
   */
  @Override
  boolean entryCodeOnPtRegs(Routine r, StackKind kind, long sp, long ptRegs) {
    return r != null && r.kind() == Routine.Kind.ASM && kind == StackKind.TASK
        && Long.compareUnsigned(sp - ptRegs, PtRegs.ip.off(k) + 1) < 0;
  }

  /** Called straight from the entry code, whose rbp is not a frame: the kernel part ends. */
  @Override
  boolean endsAtReturnSlot(long task, boolean running, int cpu, Stacks st, long ptRegs, long slot,
      long sp, long bp, long pc, List<Frame> out) {
    if (slot == ptRegs - 8) {
      userPart(task, ptRegs, out);
      return true;
    }
    return false;
  }

  @Override
  long[] switchedOut(long task, long ptRegs, List<Frame> out) {
    long sp = k.tasks.threadSp(task);
    long bp = k.mem.read64(sp + InactiveTaskFrame.bp.off(k));
    long pc = k.mem.read64(sp + InactiveTaskFrame.ret_addr.off(k));
    out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.TASK, sp, "switched out: inactive_task_frame at "
        + String.format("0x%x", sp)));
    if (pc == k.image.symbol("ret_from_fork") && bp == 0) {
      // copy_thread's fork_frame (4.16): frame->bp = 0, and the child's pt_regs right above
      userPart(task, ptRegs, out);
      return null;
    }
    return new long[] {pc, bp};
  }

  /** is_last_task_frame: the record two words below pt_regs. */
  @Override
  long lastRecord(long ptRegs) {
    return ptRegs - 16;
  }

  @Override
  void labelSwitchFrame(Map<Long, StackWord.Label> labels, long task, long low) {
    for (Field fl : k.image.struct("inactive_task_frame").fields()) {
      labels.put(low + fl.offset(), new StackWord.Label(WordKind.SWITCH, "inactive_task_frame." + fl.name()
          + (fl.name().equals("ret_addr") ? " -> " + k.symbols.describeOrHex(k.mem.read64(low + fl.offset())) : "")));
    }
  }

  @Override
  long framesTop(long top, long ptRegs) {
    return ptRegs;
  }
}
