package kstack.arch.i386;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kstack.arch.StackWords;
import kstack.kernel.Kernel;
import kstack.layout.Field;
import kstack.stack.StackWord;
import kstack.stack.WordKind;

/**
 * The labelled words of an i386 task stack (the `stack` command): pt_regs at the top, the padding
 * above them, the generation's switch frame at thread.sp (2.4's and 2.6's switch_to pushes, or
 * inactive_task_frame), and the frame records I386Unwind finds.
 */
final class I386StackWords {
  private I386StackWords() {}

  /** Every word of the task's kernel stack from its lowest live word to the top, labelled. */
  static List<StackWord> describe(Kernel k, I386 arch, long task, boolean running, int cpu) {
    I386Unwind u = new I386Unwind(k, arch);
    running = kstack.arch.SwitchWindow.runsOnItsStack(k, task, running, cpu);
    long stack = k.stacks.stack(task);
    if (stack == 0) {
      return new ArrayList<>();
    }
    long top = stack + k.threadSize;
    long ptRegs = arch.taskPtRegs(k, task);
    long pad = k.image.constant("TOP_OF_KERNEL_STACK_PADDING");
    // 2.6.32's task_pt_regs leaves the same bytes without the name, which dates from 4.x
    // (processor.h@2.6.32.67:959-964; thread_info.h@4.16.13:38-43)
    String name = kstack.profile.Generations.whyMissing(k.profile, "TOP_OF_KERNEL_STACK_PADDING")
        .isPresent() ? "the -8 of task_pt_regs" : "TOP_OF_KERNEL_STACK_PADDING";
    Map<Long, StackWord.Label> labels = StackWords.topOfStack(k, ptRegs, top, name + " (" + pad
        + " bytes: room for the ss/esp a kernel-mode interrupt frame lacks)");
    long low;
    if (running) {
      low = StackWords.runningLow(k, labels, arch.inUserMode(k, cpu), k.cpu(cpu).get(Regs.esp), stack,
          top, ptRegs);
    } else if (u.oldSwitch() && u.neverRun(task)) {
      low = k.tasks.threadSp(task);
    } else if (u.oldSwitch()) {
      low = k.tasks.threadSp(task);
      List<String> saved = arch.process().switchSaved();
      for (int i = 0; i < saved.size(); i++) {
        labels.put(low + 4L * i, new StackWord.Label(WordKind.SWITCH, "switch_to: saved " + saved.get(i)));
      }
    } else {
      low = k.tasks.threadSp(task);
      for (Field f : k.image.struct("inactive_task_frame").fields()) {
        labels.put(low + f.offset(), new StackWord.Label(WordKind.SWITCH, "inactive_task_frame." + f.name()
            + (f.name().equals("ret_addr") ? " -> " + k.symbols.describeOrHex(k.readPtr(low + f.offset())) : "")));
      }
    }
    // a 2.6 kernel thread's frames start inside its (unused) pt_regs: kernel_thread_helper runs at
    // the esp the iret to ring 0 left, pt_regs->sp's own address
    StackWords.frames(k, labels, u.unwind(task, running, cpu), stack, u.oldSwitch() ? top : ptRegs,
        "saved ebp (frame record)", "return address -> ");
    return StackWords.list(k, task, low, labels, true);
  }
}
