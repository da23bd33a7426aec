package kstack.arch.x86_64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.arch.StackWords;
import kstack.kernel.Kernel;
import kstack.layout.Field;
import kstack.stack.StackWord;
import kstack.stack.WordKind;

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
    X86Unwind u = new X86Unwind(k, arch);
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
      low = StackWords.runningLow(k, labels, arch.inUserMode(k, cpu), k.cpu(cpu).get("rsp"), stack,
          top, ptRegs);
    } else if (arch.v26()) {
      low = k.tasks.threadSp(task);
      if ((k.tasks.tiRead(task, "flags") & (1L << X86Entry26.TIF_FORK)) == 0) {
        labels.put(low, new StackWord.Label(WordKind.SWITCH, "switch_to: saved rbp"));
        labels.put(low + 8, new StackWord.Label(WordKind.SWITCH, "switch_to: saved rflags"));
      }
    } else {
      low = k.tasks.threadSp(task);
      switchFrame(k, labels, low);
    }
    StackWords.frames(k, labels, u.unwind(task, running, cpu), stack, arch.v26() ? top : ptRegs,
        "saved rbp (frame record)", "return address -> ");
    return StackWords.list(k, task, low, labels, true);
  }

  private static void switchFrame(Kernel k, Map<Long, StackWord.Label> labels, long low) {
    for (Field fl : k.image.struct("inactive_task_frame").fields()) {
      labels.put(low + fl.offset(), new StackWord.Label(WordKind.SWITCH, "inactive_task_frame." + fl.name()
          + (fl.name().equals("ret_addr") ? " -> " + k.symbols.describeOrHex(k.mem.read64(low + fl.offset())) : "")));
    }
  }

}
