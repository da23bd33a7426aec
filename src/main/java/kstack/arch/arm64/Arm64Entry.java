package kstack.arch.arm64;

import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.trace.Event;

/**
 * arch/arm64/kernel/entry.S as every generation has it: the vector table with kernel_ventry's
 * overflow test, kernel_entry and kernel_exit, ret_to_user's exit, and __bad_stack. The generation's
 * modules supply the rest in link order: the vectors' names and the EL0 entry (ExceptionEntry),
 * the record kernel_entry leaves in pt_regs (FrameRecord), the system call dispatch
 * (SyscallDispatch) and the IRQ path (IrqEntry). Sequences: research/arm64.md §3-§9.
 */
final class Arm64Entry {
  static final String ENTRY = "arch/arm64/kernel/entry.S";
  static final String ENTRY_COMMON = "arch/arm64/kernel/entry-common.c";
  static final int S_FRAME_SIZE = 320;
  static final int S_LR = 240;
  static final int S_SP = 248;
  static final int S_PC = 256;
  static final int S_PSTATE = 264;
  static final int S_ORIG_X0 = 272;
  static final int S_SYSCALLNO = 280;

  private final Kernel k;
  private final Arm64Layout layout;
  private final ExceptionEntry entry;
  private final FrameRecord frames;
  private final SyscallDispatch syscalls;
  private final IrqEntry irq;

  Arm64Entry(Kernel k, Arm64 arch) {
    this.k = k;
    this.layout = arch.layout();
    this.entry = arch.entry();
    this.frames = arch.frames();
    this.syscalls = arch.syscalls();
    this.irq = arch.irq();
  }

  /** S_STACKFRAME: pt_regs->stackframe, the frame record kernel_entry fills. */
  static int stackframe(Kernel k) {
    return PtRegs.stackframe.off(k);
  }

  void build() {
    buildVectors();
    entry.buildSyncEntry(k, this);
    syscalls.build(k, this);
    RoutineBuilder b = k.image.asm("ret_to_user", ENTRY);
    entry.retToUserWork(k, b);
    b.step(entry.enableStepTsk(), x -> { });
    k.image.add(kernelExit(b, 0).build());
    irq.build(k, this);
    Arm64Irq.buildTimer(k);
    if (k.profile.config("VMAP_STACK")) { // __bad_stack and overflow_stack need it
      Arm64BadStack.build(k, this, entry.badStackSource());
    }
  }

  /**
   * vectors: 16 entries of 128 bytes (32 steps each). The used ones run kernel_ventry: make room
   * for pt_regs, test bit THREAD_SHIFT of the new SP, and branch to the handler.
   */
  private void buildVectors() {
    RoutineBuilder b = k.image.asm("vectors", ENTRY);
    long shift = k.image.constant("THREAD_SHIFT");
    boolean vmap = k.profile.config("VMAP_STACK");
    for (int slot = 0; slot < 16; slot++) {
      String target = entry.vectors().get(slot);
      boolean used = slot == 4 || slot == 5 || slot == 8 || slot == 9;
      int steps = 0;
      if (used) {
        b.step("kernel_ventry: sub sp, sp, #" + layout.ptRegsSizeName(),
            x -> x.setSp(x.sp() - S_FRAME_SIZE));
        steps = 2;
        if (vmap) { // the check is CONFIG_VMAP_STACK only (entry.S@4.16.13:89-131)
          b.step("add sp, sp, x0; sub x0, sp, x0; tbnz x0, #THREAD_SHIFT: has SP left its stack?",
              x -> {
                if ((x.sp() >>> shift & 1) != 0) {
                  overflow(x);
                }
              });
          steps = 3;
        }
        b.step("b " + target, k.image.jumpIfDefined(target));
      } else {
        b.step("(" + target + ": not modelled) b " + target + " -> panic",
            x -> k.panic("Kernel panic - not syncing: unhandled exception vector " + target));
        steps = 1;
      }
      for (int i = steps; i < 32; i++) {
        b.step("(.align 7: the rest of the 128-byte slot)", x -> { });
      }
    }
    k.image.add(b.build());
  }

  /** kernel_ventry's overflow path: stash SP and x0, move to the overflow stack, __bad_stack. */
  private void overflow(Exec x) {
    x.set(Regs.tpidr_el0, x.sp());
    x.set(Regs.tpidrro_el0, x.reg(Regs.x0));
    long top = k.perCpu("overflow_stack", x.cpu().id()) + k.image.constant("OVERFLOW_STACK_SIZE");
    x.setSp(top);
    k.timeline.emit(new Event.OverflowStackEntry(x.cpu().id(), x.reg(Regs.tpidr_el0), top));
    x.jumpTo(k.image.symbol("__bad_stack"));
  }

  /** kernel_entry el (entry.S@4.16.13:140-240, @6.19:197-333). */
  RoutineBuilder kernelEntry(RoutineBuilder b, int el) {
    int sf = stackframe(k);
    b.step("kernel_entry " + el + ": stp x0, x1, [sp, #16*0] .. stp x28, x29, [sp, #16*14]", x -> {
      for (int i = 0; i <= 29; i++) {
        x.write(x.sp() + 8L * i, x.reg(Regs.x0 + i));
      }
    });
    if (el == 0) {
      entry.el0EntryTask(k, b);
    } else {
      b.step("add x21, sp, #S_FRAME_SIZE (the interrupted SP); get_current_task tsk", x -> {
        x.set(Regs.x21, x.sp() + S_FRAME_SIZE);
        x.set(Regs.x28, x.reg(Regs.sp_el0));
      });
    }
    b.step("mrs x22, elr_el1; mrs x23, spsr_el1; stp lr, x21, [sp, #S_LR]", x -> {
      x.set(Regs.x22, x.reg(Regs.elr_el1));
      x.set(Regs.x23, x.reg(Regs.spsr_el1));
      x.write(x.sp() + S_LR, x.reg(Regs.x30));
      x.write(x.sp() + S_SP, x.reg(Regs.x21));
    });
    frames.entryRecord(b, el, sf);
    b.step("stp x22, x23, [sp, #S_PC]" + (el == 0 ? "; mov w21, #NO_SYSCALL; str w21, "
        + "[sp, #S_SYSCALLNO]" : ""), x -> {
          x.write(x.sp() + S_PC, x.reg(Regs.x22));
          x.write(x.sp() + S_PSTATE, x.reg(Regs.x23));
          if (el == 0) {
            x.write(x.sp() + S_SYSCALLNO, 4, 0xffffffffL);
          }
        });
    if (el == 0) {
      entry.el0SetCurrentLast(b);
    }
    return b;
  }

  /** kernel_exit el (entry.S@4.16.13:242-346, @6.19:335-463). */
  RoutineBuilder kernelExit(RoutineBuilder b, int el) {
    b.step("kernel_exit " + el + ": ldp x21, x22, [sp, #S_PC]" + (el == 0
        ? "; ldr x23, [sp, #S_SP]; msr sp_el0, x23: SP_EL0 = the user SP" : ""), x -> {
          x.set(Regs.x21, x.read(x.sp() + S_PC));
          x.set(Regs.x22, x.read(x.sp() + S_PSTATE));
          if (el == 0) {
            x.set(Regs.sp_el0, x.read(x.sp() + S_SP));
          }
        })
        .step("msr elr_el1, x21; msr spsr_el1, x22; ldp x0, x1 .. x28, x29; ldr lr, [sp, #S_LR]",
            x -> {
              x.set(Regs.elr_el1, x.reg(Regs.x21));
              x.set(Regs.spsr_el1, x.reg(Regs.x22));
              for (int i = 0; i <= 29; i++) {
                x.set(Regs.x0 + i, x.read(x.sp() + 8L * i));
              }
              x.set(Regs.x30, x.read(x.sp() + S_LR));
            })
        .step("add sp, sp, #S_FRAME_SIZE" + (el == 0 ? ": SP_EL1 is the top of the task stack again"
            : ""), x -> {
              if (el == 0) {
                checkEmpty(x);
              }
              x.setSp(x.sp() + S_FRAME_SIZE);
            })
        .step("eret: pc = ELR_EL1, PSTATE = SPSR_EL1", this::eret);
    return b;
  }

  /** Back to EL0 the task's stack must be empty, unless the story overwrote its frames. */
  private void checkEmpty(Exec x) {
    long task = entryTask(x);
    String broken = k.stacks.overwritten(task);
    if (broken != null) {
      k.timeline.emit(new Event.CorruptReturn(x.cpu().id(), Event.ReturnPath.ERET, broken));
    }
    long top = broken != null ? x.sp() + S_FRAME_SIZE : k.arch.taskTopOfStack(k, task);
    if (x.sp() + S_FRAME_SIZE != top) {
      throw new IllegalStateException(String.format(
          "kernel stack not empty on return to user: sp 0x%x, top 0x%x",
          x.sp() + S_FRAME_SIZE, top));
    }
  }

  /** [ARCH] ERET: back to the mode in SPSR; to EL0 the stack pointer becomes SP_EL0 again. */
  private void eret(Exec x) {
    long spsr = x.reg(Regs.spsr_el1);
    if ((spsr & 0xf) == Arm64.PSR_MODE_EL0T) {
      x.set(Regs.sp_el1, x.sp());
      long task = entryTask(x);
      x.set(Regs.pstate, spsr);
      x.setSp(x.reg(Regs.sp_el0));
      long nr = k.mem.read(k.arch.taskPtRegs(k, task) + S_SYSCALLNO, 4);
      k.timeline.emit(nr == 0xffffffffL
          ? new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.ERET)
          : new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task), k.syscallName(nr), x.reg(Regs.x0)));
    } else {
      x.set(Regs.pstate, spsr);
    }
    x.jumpTo(x.reg(Regs.elr_el1));
  }

  /** The task returning to EL0 (SP_EL0 already holds the user SP at this point). */
  private long entryTask(Exec x) {
    return x.read(k.perCpu("__entry_task", x.cpu().id()));
  }

  /** The story's system call entry: the number in regs->regs[8]. */
  void entered(Exec x, long regs) {
    long nr = k.mem.read64(regs + 8L * 8);
    long task = k.current(x);
    k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(task), k.syscallName(nr), nr,
        x.read(regs + S_SP), regs));
  }

  /** sys_call_table[nr], or the generation's ni_syscall for an empty slot. */
  long target(long nr) {
    return k.image.sysCallTarget(nr, syscalls.niSyscall());
  }
}
