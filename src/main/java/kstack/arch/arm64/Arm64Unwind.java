package kstack.arch.arm64;

import kstack.kernel.TaskMember;
import kstack.stack.WordKind;
import kstack.stack.StackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kstack.exec.Routine;
import kstack.stack.StackRange;
import kstack.arch.StackWords;
import kstack.kernel.Kernel;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.stack.Frame;
import kstack.stack.StackWord;
import kstack.mem.Memory;

/**
 * The arm64 frame-record unwinder (stacktrace.c@4.16.13:43-87, @6.19:165-245): a blocked task
 * starts at thread.cpu_context (pc in __switch_to, fp its record); each record is {fp, lr}. 4.16
 * ends at a {0, 0} record (or fp 0 after ret_from_fork); 6.19 ends at the FINAL metadata record at
 * task_pt_regs(task)->stackframe, and a PT_REGS record continues from regs->pc and regs->regs[29]
 * (the generation's FrameRecord says which {0, 0} records it crosses).
 */
final class Arm64Unwind {
  private final Kernel k;
  private final Arm64 arch;
  /** The generation's end rule for a {0, 0} record that is not the final one. */
  private final FrameRecord frames;
  /** The EL0 vectors that begin with kernel_entry 0 (entry.S@4.16.13, @6.19). */
  private final java.util.Set<String> kernelEntry;
  /** The running task is in an entry's kernel_entry, which fills its pt_regs step by step. */
  private boolean regsFilling;

  Arm64Unwind(Kernel k, Arm64 arch) {
    this.k = k;
    this.arch = arch;
    this.frames = arch.frames();
    this.kernelEntry = java.util.Set.of(arch.entry().el0Sync(), arch.entry().el0Irq());
  }

  private StackKind kindOf(long a, long task, int cpu, boolean running) {
    return StackRange.kindOf(ranges(task, cpu, running), a);
  }

  /**
   * The task's stack and, while it runs, its CPU's IRQ stack and (VMAP_STACK) the per-CPU
   * overflow stack (stacktrace.h@4.16.13:42-70, @6.19:25-77); which addresses are on them:
   * StackRange.
   */
  List<StackRange> ranges(long task, int cpu, boolean running) {
    long s = k.stacks.stack(task);
    List<StackRange> r = new ArrayList<>();
    r.add(StackRange.of(StackKind.TASK, s, s + k.threadSize));
    if (!running) {
      return r;
    }
    long irq = k.mem.read64(k.perCpu("irq_stack_ptr", cpu));
    if (irq != 0) {
      r.add(StackRange.of(StackKind.IRQ, irq, irq + k.threadSize));
    }
    if (k.profile.config("VMAP_STACK")) {
      long ov = k.perCpu("overflow_stack", cpu);
      r.add(StackRange.of(StackKind.OVERFLOW, ov, ov + 4096));
    }
    return r;
  }

  /** The frames of task, innermost first; a walk that meets unreadable memory stops there. */
  List<Frame> unwind(long task, boolean running, int cpu) {
    List<Frame> out = new ArrayList<>();
    return Frame.walk(out, () -> {
      walk(task, running, cpu, out);
      if (kstack.arch.SwitchWindow.endsAtRetFromFork(out)) {
        userAfterRegs(task, arch.taskPtRegs(k, task), out);
      }
    });
  }

  private List<Frame> walk(long task, boolean running, int cpu, List<Frame> out) {
    if (k.stacks.stack(task) == 0) {
      return out;
    }
    long pc;
    long fp;
    if (running) {
      var c = k.cpu(cpu);
      pc = c.get(Regs.pc);
      fp = c.get(Regs.x29);
      long sp = c.get(Regs.sp);
      if (arch.inUserMode(k, cpu)) {
        userFrames(task, pc, fp, sp, c.get(Regs.x30), out);
        return out;
      }
      StackKind kind = kindOf(sp, task, cpu, true);
      long on = kind == null ? kstack.arch.SwitchWindow.stackOwner(k, sp) : 0;
      String note = "";
      if (on != 0 && on != task) {
        // cpu_switch_to between mov sp, x9 and msr sp_el0, x1: next's stack, prev still current
        note = kstack.arch.SwitchWindow.note(k, "sp", on, task);
        task = on;
        kind = StackKind.TASK;
      }
      out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), kind == null ? StackKind.UNKNOWN : kind, 0, note));
      Routine r = k.host().routineAt(pc);
      long lr0 = c.get(Regs.x30);
      if (r != null && r.kind() == Routine.Kind.ASM && lr0 != 0 && k.host().routineAt(lr0) != null
          && k.host().routineAt(lr0).kind() != Routine.Kind.USER // at entry lr is the user's
          && k.host().routineAt(lr0) != r && (fp == 0
          || StackRange.recordKindOf(ranges(task, cpu, true), fp, 16) == null // a user fp
          || k.mem.read64(fp + 8) != lr0)) {
        // a leaf assembly routine (cpu_do_idle): its caller is only in the link register
        out.add(new Frame(k.symbols.functionName(lr0), lr0, k.symbols.functionOffset(lr0), kind == null ? StackKind.UNKNOWN : kind, 0, ""));
      }
      if (r != null && (r.name().equals("ret_from_fork") || r.name().equals("cpu_switch_to"))
          && sp == arch.taskPtRegs(k, task)) {
        // on the child's pt_regs (complete: copy_thread copied them): ret_from_fork's first
        // step, or cpu_switch_to about to return there; the user part follows. (An entry's
        // kernel_entry is on its pt_regs too, but fills them only step by step.)
        userAfterRegs(task, sp, out);
        return out;
      }
      // kernel_entry (entry.S) on the pt_regs: pc, pstate and sp are stored only at its later
      // steps, so until the entry calls on, they may still be the previous entry's
      regsFilling = r != null && kernelEntry.contains(r.name())
          && sp == arch.taskPtRegs(k, task);
      if (r != null && r.kind() != Routine.Kind.ASM) {
        int i = r.indexOf(pc);
        if ((i == 0 || r.insn(i).text().startsWith("ret: pc")) && c.get(Regs.x30) != 0) {
          // (lr 0: head.S enters start_kernel by b with x29 = x30 = 0, head.S@4.16.13:449-451)
          long lr = c.get(Regs.x30);
          out.add(new Frame(k.symbols.functionName(lr), lr, k.symbols.functionOffset(lr), kind == null ? StackKind.UNKNOWN : kind, 0, ""));
        } else if (i == 1) {
          long lr = k.mem.read64(sp + 8);
          out.add(new Frame(k.symbols.functionName(lr), lr, k.symbols.functionOffset(lr), kind == null ? StackKind.UNKNOWN : kind, 0, ""));
        }
      }
    } else {
      pc = k.mem.read64(task + CpuContext.pc.off(k));
      fp = k.mem.read64(task + CpuContext.fp.off(k));
      out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.TASK, 0, "blocked in __switch_to: "
          + "thread.cpu_context"));
    }
    walk(task, fp, running, cpu, out);
    return out;
  }

  private void walk(long task, long fp, boolean running, int cpu, List<Frame> out) {
    long regsTop = arch.taskPtRegs(k, task);
    long finalRecord = regsTop + Arm64Entry.stackframe(k);
    for (int guard = 0; fp != 0 && guard < 512; guard++) {
      StackKind kind = StackRange.recordKindOf(ranges(task, cpu, running), fp, 16);
      if (kind == null || (fp & 7) != 0) {
        break;
      }
      long nfp = k.mem.read64(fp);
      long lr = k.mem.read64(fp + 8);
      if (nfp == 0 && lr == 0) {
        if (fp == finalRecord) {
          userAfterRegs(task, regsTop, out);
          return;
        }
        if (frames.crossesPtRegs(k, fp)) {
          long regs = fp - Arm64Entry.stackframe(k);
          long ip = k.mem.read64(regs + Arm64Entry.S_PC);
          out.add(new Frame("--- pt_regs ---", regs, 0, kind, regs,
              "interrupted kernel code at " + k.symbols.describeOrHex(ip)));
          StackKind k2 = kindOf(k.mem.read64(regs + Arm64Entry.S_SP), task, cpu, running);
          out.add(new Frame(k.symbols.functionName(ip), ip, k.symbols.functionOffset(ip), k2 == null ? kind : k2, 0, ""));
          fp = k.mem.read64(regs + 8L * 29);
          continue;
        }
        break;
      }
      out.add(new Frame(k.symbols.functionName(lr), lr, k.symbols.functionOffset(lr), kind, fp, ""));
      fp = nfp;
    }
  }

  private void userAfterRegs(long task, long regs, List<Frame> out) {
    if (regsFilling) {
      return;
    }
    long pstate = k.mem.read64(regs + Arm64Entry.S_PSTATE);
    if ((pstate & 0xf) != Arm64.PSR_MODE_EL0T || k.tasks.taskRead(task, TaskMember.mm) == 0) {
      return;
    }
    long pc = k.mem.read64(regs + Arm64Entry.S_PC);
    long sp = k.mem.read64(regs + Arm64Entry.S_SP);
    out.add(new Frame("--- pt_regs ---", regs, 0, StackKind.TASK, regs,
        String.format("user pc 0x%x, sp 0x%x at task_pt_regs 0x%x", pc, sp, regs)));
    userFrames(task, pc, k.mem.read64(regs + 8L * 29), sp, k.mem.read64(regs + 8L * 30), out);
  }

  private void userFrames(long task, long pc, long fp, long sp, long lr, List<Frame> out) {
    Memory um = k.host().userMemoryOf(task);
    if (um == null) {
      return;
    }
    out.add(new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), StackKind.USER, 0, ""));
    Routine r = k.host().routineAt(pc);
    if (r != null && r.kind() == Routine.Kind.USER && r.bodyStart() > 0) {
      int i = r.indexOf(pc);
      if (i == 0 || r.insn(i).text().startsWith("ret: pc")) {
        out.add(new Frame(k.symbols.functionName(lr), lr, k.symbols.functionOffset(lr), StackKind.USER, 0, ""));
      } else if (i == 1) {
        long l = um.isMapped(sp + 8) ? um.read64(sp + 8) : 0;
        out.add(new Frame(k.symbols.functionName(l), l, k.symbols.functionOffset(l), StackKind.USER, 0, ""));
      }
    }
    for (int guard = 0; fp != 0 && guard < 256; guard++) {
      if (!um.isMapped(fp)) {
        break;
      }
      long ret = um.read64(fp + 8);
      long next = um.read64(fp);
      if (ret == 0) {
        break;
      }
      out.add(new Frame(k.symbols.functionName(ret), ret, k.symbols.functionOffset(ret), StackKind.USER, fp, ""));
      if (next != 0 && Long.compareUnsigned(next, fp) <= 0) {
        break;
      }
      fp = next;
    }
  }

  List<StackWord> describe(long task, boolean running, int cpu) {
    running = kstack.arch.SwitchWindow.runsOnItsStack(k, task, running, cpu);
    List<StackWord> out = new ArrayList<>();
    long stack = k.stacks.stack(task);
    if (stack == 0) {
      return out;
    }
    long top = stack + k.threadSize;
    long regs = arch.taskPtRegs(k, task);
    Map<Long, StackWord.Label> labels = new TreeMap<>(Long::compareUnsigned);
    StructLayout l = k.image.struct("pt_regs");
    for (Field f : l.fields()) {
      for (int w = 0; w < Math.max(1, f.size() / 8); w++) {
        String n = f.name().equals("regs") ? "pt_regs->regs[" + w + "]"
            : f.size() > 8 ? "pt_regs->" + f.name() + "[" + w + "]" : "pt_regs->" + f.name();
        labels.put(regs + f.offset() + 8L * w, new StackWord.Label(WordKind.PT_REGS, n
            + (f.note().isEmpty() || w > 0 ? "" : " (" + f.note() + ")")));
      }
    }
    long low;
    if (running) {
      low = StackWords.runningLow(k, labels, arch.inUserMode(k, cpu), k.cpu(cpu).get(Regs.sp), stack,
          top, regs);
    } else {
      low = k.mem.read64(task + CpuContext.sp.off(k));
    }
    StackWords.frames(k, labels, unwind(task, running, cpu), stack, top,
        "frame record: saved x29", "frame record: x30 -> ");
    return StackWords.list(k, task, low, labels, false);
  }
}
