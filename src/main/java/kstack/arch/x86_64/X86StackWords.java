package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.arch.StackWords;
import kstack.kernel.Kernel;
import kstack.stack.StackWord;

/**
 * The labelled words of an x86_64 task stack (the `stack` command): pt_regs at the top, the
 * padding above them, the switch frame at thread.sp, and the frame records X86Unwind finds.
 */
final class X86StackWords {
  private X86StackWords() {}

  /**
   * Every word of the task's kernel stack from its lowest live word to the top, labelled, plus the
   * end-of-stack magic and a summary of the unused part.
   */
  static List<StackWord> describe(Kernel k, X86_64 arch, long task, boolean running, int cpu) {
    running = kstack.arch.SwitchWindow.runsOnItsStack(k, task, running, cpu);
    X86Unwind u = arch.unwinder(k);
    long stack = k.stacks.stack(task);
    if (stack == 0) {
      return new ArrayList<>();
    }
    long top = stack + k.threadSize;
    long ptRegs = arch.taskPtRegs(k, task);
    long pad = k.image.constant("TOP_OF_KERNEL_STACK_PADDING");
    Map<Long, StackWord.Label> labels = StackWords.topOfStack(k, ptRegs, top,
        "TOP_OF_KERNEL_STACK_PADDING (" + pad + " bytes)");
    long low;
    if (running) {
      low = StackWords.runningLow(k, labels, arch.inUserMode(k, cpu), k.cpu(cpu).get(Regs.rsp), stack,
          top, ptRegs);
    } else {
      low = k.tasks.threadSp(task);
      u.labelSwitchFrame(labels, task, low);
    }
    StackWords.frames(k, labels, u.unwind(task, running, cpu), stack, u.framesTop(top, ptRegs),
        "saved rbp (frame record)", "return address -> ");
    return StackWords.list(k, task, low, labels, true);
  }
}
