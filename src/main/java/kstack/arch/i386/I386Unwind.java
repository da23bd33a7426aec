package kstack.arch.i386;

import kstack.kernel.TaskMember;
import kstack.stack.StackKind;
import java.util.ArrayList;
import java.util.List;
import kstack.exec.Routine;
import kstack.stack.StackRange;
import kstack.kernel.Kernel;
import kstack.stack.Frame;

/**
 * The i386 frame-pointer unwinder over simulated bytes (arch/x86/kernel/unwind_frame.c, 32-bit):
 * a switched-out task starts from the inactive_task_frame at thread.sp, then follows saved ebp
 * values; a saved ebp with bit 31 clear is an encoded pointer to pt_regs (ENCODE_FRAME_POINTER),
 * and the walk resumes in the interrupted context; the record two words below the task's pt_regs
 * ends the kernel part. The ebp chain itself crosses from the hardirq and softirq stacks back to
 * the task stack, since the handler's first frame saved the interrupted ebp.
 */
final class I386Unwind {
  private final Kernel k;
  private final I386 arch;

  I386Unwind(Kernel k, I386 arch) {
    this.k = k;
    this.arch = arch;
  }

  private long word(long a) {
    return k.readPtr(a);
  }

  private StackKind kindOf(long a, long task, int cpu, boolean running) {
    return StackRange.kindOf(ranges(task, cpu, running), a);
  }

  /** The kind of the stack a frame record (saved ebp, return address) at a lies on. */
  private StackKind recordKindOf(long a, long task, int cpu, boolean running) {
    return StackRange.recordKindOf(ranges(task, cpu, running), a, 8);
  }

  /**
   * The task's stack and, while it runs, its CPU's hardirq and softirq stacks (2.6's irq_ctx with
   * 4KSTACKS, irq_32.c@2.6.32.67:52-140) and entry stack (4.16, 6.19); which addresses are on
   * them: StackRange.
   */
  List<StackRange> ranges(long task, int cpu, boolean running) {
    long stack = k.stacks.stack(task);
    List<StackRange> r = new ArrayList<>();
    r.add(StackRange.of(StackKind.TASK, stack, stack + k.threadSize));
    List<String> vars = arch.irq().irqStackVars();
    if (!running || vars.isEmpty()) { // 2.4 has no IRQ stacks
      return r;
    }
    StackKind[] kinds = {StackKind.IRQ, StackKind.SOFTIRQ};
    for (int i = 0; i < kinds.length; i++) {
      long base = k.readPtr(k.perCpu(vars.get(i), cpu));
      if (base != 0) {
        r.add(StackRange.of(kinds[i], base, base + k.threadSize));
      }
    }
    if (arch.entry().entryStackSize() > 0) {
      long top = EntryStack.top(k, cpu); // cpu_entry_area's entry stack (4.16, 6.19)
      r.add(StackRange.of(StackKind.ENTRY, top - k.image.constant("ENTRY_STACK_SIZE"), top));
    }
    return r;
  }

  private Frame frame(long pc, StackKind kind, long at, String note) {
    return new Frame(k.symbols.functionName(pc), pc, k.symbols.functionOffset(pc), kind, at, note);
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
    if (k.stacks.stack(task) == 0) {
      return out;
    }
    long ptRegs = arch.taskPtRegs(k, task);
    long bp;
    if (running) {
      var c = k.cpu(cpu);
      long pc = c.get(Regs.eip);
      bp = c.get(Regs.ebp);
      long sp = c.get(Regs.esp);
      if (arch.inUserMode(k, cpu)) {
        userFrames(task, pc, bp, sp, out, true);
        return out;
      }
      if (kstack.arch.SwitchWindow.frames(k, task, pc, sp, bp, "esp", out,
          next -> unwind(next, false, cpu))) {
        return out;
      }
      StackKind kind = kindOf(sp, task, cpu, true);
      if (kind == null) {
        out.add(frame(pc, StackKind.UNKNOWN, 0, "esp is on no known stack"));
        return out;
      }
      out.add(frame(pc, kind, 0, ""));
      Routine r = k.host().routineAt(pc);
      if (r != null && r.kind() == Routine.Kind.ASM && kind == StackKind.TASK
          && Long.compareUnsigned(sp - ptRegs, PtRegs.ip.off(k) + 1) < 0
          && arch.userModeRegs(k, ptRegs)) {
        // entry or exit code on the task's own pt_regs, the CPU's frame (ip..ss) in place:
        // ret_from_fork's first step, SAVE_ALL's pushes, RESTORE_ALL's pops; the user part follows
        userPart(task, ptRegs, out, sp, bp);
        return out;
      }
      long slot = prologueSlot(pc, sp);
      {
        if (slot != 0) {
          long ret = word(slot);
          out.add(frame(ret, kind, 0, ""));
          if (slot == ptRegs - 4) {
            userPart(task, ptRegs, out);
            return out;
          }
          if (oldSwitch() && ENTRIES.contains(k.symbols.functionName(ret))) {
            // stopped at the handler's first steps: its entry's pt_regs sit right above the return
            // (and above the two words 2.4's error_code and nmi push for their handler)
            long regs = slot + 4 + argWords(k.symbols.functionName(ret));
            if (regs == ptRegs && arch.userModeRegs(k, regs)) {
              userPart(task, ptRegs, out);
              return out;
            }
            interrupted(task, true, cpu, regs, out);
          }
        }
      }
    } else if (oldSwitch() && neverRun(task)) {
      out.add(frame(k.image.symbol("ret_from_fork"), StackKind.TASK, 0, "not yet run: its first "
          + "switch_to will push " + arch.process().threadIp() + " = ret_from_fork above "
          + arch.process().threadSp() + " = its pt_regs"));
      userPart(task, ptRegs, out);
      return out;
    } else if (oldSwitch()) {
      // 2.6.32's switch_to pushed eflags, then ebp; 2.4's esi, edi, then ebp. Both saved esp in
      // thread.sp (esp) and the resume point in thread.ip (eip)
      long sp = k.tasks.threadSp(task);
      bp = word(sp);
      long pc = k.tasks.taskRead(task, TaskMember.thread_ip);
      I386ProcessModel pm = arch.process();
      out.add(frame(pc, StackKind.TASK, sp, String.format("switched out: %s 0x%x (saved %s), %s",
          pm.threadSp(), sp, String.join(", ", pm.switchSaved()), pm.threadIp())));
    } else {
      long sp = k.tasks.threadSp(task);
      bp = word(sp + InactiveTaskFrame.bp.off(k));
      long pc = word(sp + InactiveTaskFrame.ret_addr.off(k));
      out.add(frame(pc, StackKind.TASK, sp, String.format("switched out: inactive_task_frame at 0x%x", sp)));
      if (pc == k.image.symbol("ret_from_fork") && bp == 0) {
        // copy_thread's fork_frame (4.16): frame->bp = 0, and the child's pt_regs right above
        userPart(task, ptRegs, out);
        return out;
      }
    }
    walk(task, running, cpu, bp, ptRegs, out);
    return out;
  }

  /**
   * Where the return address of a C function stopped at its first step or last (before push %ebp,
   * at ret) or its second (after push %ebp) lies: at esp or esp + 4; 0 once its frame is built;
   * in __switch_to_asm, above the words it has pushed so far.
   */
  private long prologueSlot(long pc, long sp) {
    Routine r = k.host().routineAt(pc);
    if (r == null) {
      return 0;
    }
    int i = r.indexOf(pc);
    if (r.kind() == Routine.Kind.ASM) {
      // __switch_to_asm: the return address lies above the words pushed so far
      return r.name().equals("__switch_to_asm")
          ? sp + 4L * kstack.arch.SwitchWindow.pushedWords(r, i) : 0;
    }
    return i == 0 || r.insn(i).text().equals("ret") ? sp : i == 1 ? sp + 4 : 0;
  }

  private void walk(long task, boolean running, int cpu, long bp, long ptRegs, List<Frame> out) {
    // the record of the function system_call (or ret_from_fork's kthread branch) called; a 2.6
    // kernel thread runs its function from inside its unused pt_regs instead (kernel_thread_helper)
    long last = oldSwitch() && k.tasks.taskRead(task, TaskMember.mm) == 0 ? -1 : ptRegs - 8;
    for (int guard = 0; bp != 0 && guard < 512; guard++) {
      if (!oldSwitch() && (bp & 0x80000000L) == 0) {
        long regs = bp | 0x80000000L;
        long cs = word(regs + PtRegs.cs.off(k));
        long ip = word(regs + PtRegs.ip.off(k));
        boolean user = (cs & 3) == 3;
        StackKind where = kindOf(regs, task, cpu, running);
        out.add(new Frame("--- pt_regs ---", regs, 0, where == null ? StackKind.TASK : where, regs,
            String.format("interrupted %s at %s; pt_regs at 0x%x", user ? "user mode" : "kernel mode",
                k.symbols.describeOrHex(ip), regs)));
        if (user) {
          userFrames(task, ip, word(regs + PtRegs.bp.off(k)), word(regs + PtRegs.sp.off(k)),
              out, false);
          return;
        }
        // from kernel mode the CPU pushed no esp: the interrupted esp is where the frame began
        // (6.19's FIXUP_FRAME stores it in regs->sp)
        long sp = interruptedSp(regs);
        StackKind kind = kindOf(sp, task, cpu, running);
        out.add(frame(ip, kind == null ? StackKind.UNKNOWN : kind, 0, ""));
        long slot = prologueSlot(ip, sp);
        if (slot != 0) {
          // interrupted before its push %ebp / mov %esp, %ebp: the caller is found through esp
          out.add(frame(word(slot), kind == null ? StackKind.UNKNOWN : kind, 0, ""));
        }
        bp = word(regs + PtRegs.bp.off(k));
        continue;
      }
      StackKind kind = recordKindOf(bp, task, cpu, running);
      if (kind == null) {
        break;
      }
      long ret = word(bp + 4);
      if (ret == 0) {
        break; // head_32.S's fake return address: the outermost frame
      }
      out.add(frame(ret, kind, bp, ""));
      if (bp == last) {
        break;
      }
      if (oldSwitch() && ENTRIES.contains(k.symbols.functionName(ret))) {
        long regs = bp + 8 + argWords(k.symbols.functionName(ret));
        if (regs == ptRegs && arch.userModeRegs(k, regs)) {
          userPart(task, ptRegs, out);
          return;
        }
        interrupted(task, running, cpu, regs, out);
      }
      long next = word(bp);
      if (next != 0 && (next & 0x80000000L) != 0 && kind.equals(recordKindOf(next, task, cpu, running))
          && Long.compareUnsigned(next, bp) <= 0) {
        break;
      }
      bp = next;
    }
    if (bp == last) {
      userPart(task, ptRegs, out);
    }
  }

  /**
   * The bytes between an entry's call and its pt_regs: 2.4's error_code and nmi push the pt_regs
   * pointer and the error code for a handler that takes them on the stack (entry.S@2.4.22:274-303,
   * 332-340); everywhere else the handler's pt_regs start right above the return address.
   */
  private long argWords(String entry) {
    return arch.entry().handlerArgBytes(entry);
  }

  /** 2.4 and 2.6: switch_to inline in schedule(), no frame-pointer encoding of pt_regs. */
  boolean oldSwitch() {
    return !arch.process().switchSaved().isEmpty();
  }

  /** A 2.4/2.6 task that copy_thread prepared and no switch_to has resumed yet. */
  boolean neverRun(long task) {
    return k.tasks.taskRead(task, TaskMember.thread_ip) == k.image.symbol("ret_from_fork");
  }

  /**
   * Entries that build pt_regs and call their handler with esp at them (2.6.32 has no marker): on
   * 2.4 also system_call itself, which arch_kernel_thread and init()'s execve stub enter from
   * kernel mode, and common_interrupt's call_do_IRQ label (2.6.32's system_call calls from its
   * syscall_call label, so this names nothing there).
   */
  private static final java.util.Set<String> ENTRIES = java.util.Set.of("common_interrupt",
      "apic_timer_interrupt", "nmi", "debug", "error_code", "call_do_IRQ", "system_call");

  /**
   * 2.6.32: the handler's frame record sits two words below the pt_regs its entry built. For a
   * kernel-mode interruption, name the interrupted function (the frame-pointer chain, which goes on
   * through the saved ebp, would skip it); kstack finds these pt_regs from the entry's return
   * address, which 2.6.32's own unwinder does not do.
   */
  private void interrupted(long task, boolean running, int cpu, long regs, List<Frame> out) {
    long cs = word(regs + PtRegs.cs.off(k));
    if ((cs & 3) == 3) {
      return;
    }
    long ip = word(regs + PtRegs.ip.off(k));
    StackKind where = kindOf(regs, task, cpu, running);
    out.add(new Frame("--- pt_regs ---", regs, 0, where == null ? StackKind.TASK : where, regs,
        String.format("interrupted kernel mode at %s; pt_regs at 0x%x", k.symbols.describeOrHex(ip),
            regs)));
    long sp = interruptedSp(regs);
    out.add(frame(ip, where == null ? StackKind.UNKNOWN : where, 0, ""));
    long slot = prologueSlot(ip, sp);
    if (slot != 0) {
      out.add(frame(word(slot), where == null ? StackKind.UNKNOWN : where, 0, ""));
    }
  }

  /** The esp a kernel-mode interruption left: regs->sp after FIXUP_FRAME, else &regs->sp. */
  private long interruptedSp(long regs) {
    return (word(regs + PtRegs.cs.off(k)) & I386.CS_FROM_KERNEL) != 0
        ? word(regs + PtRegs.sp.off(k)) : regs + PtRegs.sp.off(k);
  }

  private void userPart(long task, long ptRegs, List<Frame> out) {
    userPart(task, ptRegs, out, 0, 0);
  }

  /**
   * The same while entry or exit code runs with sp at liveSp inside the pt_regs: a bp slot below
   * sp is not written yet (or already popped), and the user's frame pointer is still (again) in
   * the register, liveBp.
   */
  private void userPart(long task, long ptRegs, List<Frame> out, long liveSp, long liveBp) {
    long cs = word(ptRegs + PtRegs.cs.off(k));
    if ((cs & 3) == 3 && k.tasks.taskRead(task, TaskMember.mm) != 0) {
      long uip = word(ptRegs + PtRegs.ip.off(k));
      long usp = word(ptRegs + PtRegs.sp.off(k));
      out.add(new Frame("--- pt_regs ---", ptRegs, 0, StackKind.TASK, ptRegs,
          // 2.4 has no task_pt_regs: copy_thread's (THREAD_SIZE + p) - 1 (process.c@2.4.22:588)
          String.format("user eip 0x%x, esp 0x%x at %s 0x%x", uip, usp,
              arch.process().ptRegsName(), ptRegs)));
      long slot = ptRegs + PtRegs.bp.off(k);
      userFrames(task, uip, Long.compareUnsigned(slot, liveSp) >= 0 ? word(slot) : liveBp, usp,
          out, false);
    }
  }

  private void userFrames(long task, long pc, long bp, long sp, List<Frame> out, boolean live) {
    kstack.arch.UserFrames.walk(k, task, pc, bp, sp, out);
  }
}
