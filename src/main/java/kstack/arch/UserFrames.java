package kstack.arch;

import kstack.stack.StackKind;
import java.util.List;
import kstack.exec.Routine;
import kstack.kernel.Kernel;
import kstack.stack.Frame;
import kstack.mem.Memory;

/**
 * The user-stack part of an x86 backtrace (64-bit and 32-bit alike): the innermost function, its
 * caller found through the stack pointer while it is still in its prologue or at its ret, then the
 * chain of saved frame pointers, each with the return address one word above it. Reads the task's
 * own address space; stops at an unmapped word, a zero return address or a chain that goes down.
 */
public final class UserFrames {
  private UserFrames() {}

  public static void walk(Kernel k, long task, long pc, long bp, long sp, List<Frame> out) {
    Memory um = k.host().userMemoryOf(task);
    if (um == null) {
      return;
    }
    int w = k.t.word;
    out.add(frame(k, pc, 0));
    Routine r = k.host().routineAt(pc);
    if (r != null && r.name().equals(k.arch.vdsoSyscallEntry())) {
      // the vDSO's frameless entry: its return address sits above the words it has pushed so far,
      // as its .eh_frame describes (vdso32/sysenter.S, vdso32/system_call.S)
      out.add(frame(k, read(um, sp + (long) w * pushedBefore(r, r.indexOf(pc)), w), 0));
    } else if (r != null && r.kind() == Routine.Kind.USER && r.bodyStart() > 0) {
      int i = r.indexOf(pc);
      long slot = i == 0 || r.insn(i).text().equals("ret") ? sp : i == 1 ? sp + w : 0;
      if (slot != 0) {
        out.add(frame(k, read(um, slot, w), 0));
      }
    }
    for (int guard = 0; bp != 0 && guard < 256; guard++) {
      long ret = read(um, bp + w, w);
      long next = read(um, bp, w);
      if (ret == 0) {
        break;
      }
      out.add(frame(k, ret, bp));
      if (next != 0 && Long.compareUnsigned(next, bp) <= 0) {
        break;
      }
      bp = next;
    }
  }

  private static int pushedBefore(Routine r, int i) {
    int n = 0;
    for (int j = 0; j < i; j++) {
      String t = r.insn(j).text();
      n += t.startsWith("push") ? 1 : t.startsWith("pop") ? -1 : 0;
    }
    return n;
  }

  private static Frame frame(Kernel k, long pc, long at) {
    return new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.USER, at, "");
  }

  private static long read(Memory m, long a, int w) {
    return m.isMapped(a) ? m.read(a, w) : 0;
  }
}
