package kstack.arch.i386;

import kstack.cpu.Cpu;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;

/**
 * i386's task switch on thread.esp, thread.esp0 and thread.eip, as 2.4.22 and 2.6.11 both have it
 * (docs/research/i386-and-2.x.md §1.4-1.6, §2.4-2.6): the THREAD_SIZE block found by masking esp
 * (2.4's task_union, 2.6.11's thread_info at the base), the middle of the switch_to macro, and
 * copy_thread's copy of the parent's 60-byte pt_regs to the top of the child's block.
 */
final class SwitchToEsp {
  enum L implements Local { childregs, esp, p, regs }

  private SwitchToEsp() {}

  /** The label switch_to's "1:" resumes at (system.h@2.4.22:16-34, @2.6.11:15-31). */
  static final String RESUME = "switch_to_1";
  /** sizeof(struct pt_regs) without xfs/xgs (ptrace.h@2.4.22, @2.6.11). */
  static final long PTREGS = 60;

  /**
   * esp & ~(THREAD_SIZE - 1): get_current() at 2.4.22 (current.h@2.4.22:6-13), the task_struct at
   * the base; current_thread_info() at 2.6.11 (thread_info.h@2.6.11:86-91). In user mode the block
   * the next entry will use, the one under TSS.esp0. Before head.S's first lss there is no stack at
   * all; the simulator then names init_task, whose union that lss is about to load.
   */
  static long stackBlock(Kernel k, Cpu c, boolean user) {
    long sp = user ? k.readPtr(c.get(Regs.tr_base) + 4) - 1 : c.get(Regs.esp);
    if (sp == 0 || sp == -1) {
      return k.image.symbol("init_task");
    }
    return sp & -k.threadSize;
  }

  /**
   * The middle of i386's switch_to, the same from 2.4.22 to 2.6.11 (system.h@2.4.22:16-34,
   * @2.6.11:15-31): prev's esp into prev->thread.esp, next's loaded, prev->thread.eip = the resume
   * label, next->thread.eip pushed, and the jump to __switch_to. eax = prev, edx = next.
   */
  static RoutineBuilder swapStacks(Kernel k, RoutineBuilder b, String nextCurrent) {
    return b.step("  movl %esp, prev->thread.esp; movl next->thread.esp, %esp: next's stack, and "
            + "with it the next " + nextCurrent, x -> {
              k.tasks.taskWrite(x.reg(Regs.eax), TaskMember.thread_esp, x.sp());
              x.setSp(k.tasks.taskRead(x.reg(Regs.edx), TaskMember.thread_esp));
            })
        .step("  movl $1f, prev->thread.eip; pushl next->thread.eip; jmp __switch_to", x -> {
          k.tasks.taskWrite(x.reg(Regs.eax), TaskMember.thread_eip, x.routine().address(x.routine().label(RESUME)));
          x.push(k.tasks.taskRead(x.reg(Regs.edx), TaskMember.thread_eip));
          x.jumpTo(k.image.symbol("__switch_to"));
        })
        .label(RESUME);
  }

  /**
   * copy_thread's middle on the 60-byte pt_regs (process.c@2.4.22:582-605, @2.6.11:382-398): the
   * parent's registers copied to childregs with eax 0 (the child's fork result) and the given esp,
   * then thread.esp = childregs, thread.esp0 = the top, thread.eip = ret_from_fork.
   */
  static RoutineBuilder childFrame(Kernel k, RoutineBuilder b, String copy) {
    return b.step(copy + "; childregs->eax = 0; childregs->esp = esp", x -> {
      long r = x.get(L.childregs);
      k.mem.copy(r, x.get(L.regs), (int) PTREGS);
      x.write(r + PtRegs.ax.off(k), 0);
      x.write(r + PtRegs.sp.off(k), x.get(L.esp));
    }).step("p->thread.esp = childregs; p->thread.esp0 = childregs + 1 (the top); "
        + "p->thread.eip = ret_from_fork", x -> {
          long p = x.get(L.p);
          k.tasks.taskWrite(p, TaskMember.thread_esp, x.get(L.childregs));
          k.tasks.taskWrite(p, TaskMember.thread_esp0, x.get(L.childregs) + PTREGS);
          k.tasks.taskWrite(p, TaskMember.thread_eip, k.image.symbol("ret_from_fork"));
        });
  }
}
