package kstack.arch;

import kstack.stack.WordKind;
import kstack.stack.StackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kstack.kernel.Kernel;
import kstack.layout.Field;
import kstack.stack.Frame;
import kstack.stack.StackWord;

/**
 * The labelled listing of a task's kernel stack that every arch's {@code describeStack} ends with:
 * the frame records its unwinder found, each live word from the lowest to the top, then, in front,
 * the unused part and the end-of-stack magic. The arch supplies the labels only it knows (pt_regs,
 * its switch frame).
 */
public final class StackWords {
  private StackWords() {}

  /**
   * The labels every task stack starts from: each pt_regs member at ptRegs, and each word between
   * the end of pt_regs and the top labelled as padding with the given text.
   */
  public static Map<Long, StackWord.Label> topOfStack(Kernel k, long ptRegs, long top,
      String padding) {
    Map<Long, StackWord.Label> labels = new TreeMap<>(Long::compareUnsigned);
    ptRegs(k, labels, ptRegs);
    for (long a = ptRegs + k.image.struct("pt_regs").size(); a < top; a += k.t.word) {
      labels.put(a, new StackWord.Label(WordKind.PADDING, padding));
    }
    return labels;
  }

  /**
   * The lowest live word of a task that is running: in the kernel, its stack pointer sp when that
   * lies on [stack, top), else its pt_regs; in user mode its kernel stack is empty, so pt_regs and
   * the words above them are relabelled stale.
   */
  public static long runningLow(Kernel k, Map<Long, StackWord.Label> labels, boolean userMode,
      long sp, long stack, long top, long ptRegs) {
    if (userMode) {
      stale(labels, ptRegs, top, k.t.word);
      return ptRegs;
    }
    boolean on = Long.compareUnsigned(sp, stack) >= 0 && Long.compareUnsigned(sp, top) < 0;
    return on ? sp : ptRegs;
  }

  /** Labels each pt_regs member at regs (one word per member). */
  public static void ptRegs(Kernel k, Map<Long, StackWord.Label> labels, long regs) {
    for (Field f : k.image.struct("pt_regs").fields()) {
      labels.put(regs + f.offset(), new StackWord.Label(WordKind.PT_REGS, "pt_regs->" + f.name()
          + (f.note().isEmpty() ? "" : " (" + f.note() + ")")));
    }
  }

  /**
   * A task in user mode has an empty kernel stack: the pt_regs (and anything else) still in its
   * top words are what the last kernel entry left there when it returned, not live state. Relabels
   * the pt_regs and unlabelled words in [from, top) so.
   */
  public static void stale(Map<Long, StackWord.Label> labels, long from, long top, int word) {
    for (long a = from; Long.compareUnsigned(a, top) < 0; a += word) {
      StackWord.Label l = labels.get(a);
      if (l != null && l.kind() != WordKind.PT_REGS) {
        continue; // padding no entry writes
      }
      labels.put(a, new StackWord.Label(WordKind.STALE, "stale, from the last kernel entry"
          + (l == null ? "" : ": " + l.text())));
    }
  }

  /**
   * Labels the frame records the unwinder found in [lo, hi) (saved frame pointer, then the return
   * address a word above), leaving switch-frame labels alone.
   */
  public static void frames(Kernel k, Map<Long, StackWord.Label> labels, List<Frame> frames, long lo,
      long hi, String saved, String ret) {
    for (Frame f : frames) {
      long fa = f.frameAddr();
      StackWord.Label old = labels.get(fa);
      if (fa != 0 && Long.compareUnsigned(fa - lo, hi - lo) < 0 && f.stack() != StackKind.USER
          && !f.function().startsWith("---") && (old == null || old.kind() != WordKind.SWITCH)) {
        labels.put(fa, new StackWord.Label(WordKind.FRAME, saved));
        labels.put(fa + k.t.word, new StackWord.Label(WordKind.RETADDR, ret
            + k.symbols.describeOrHex(k.readPtr(fa + k.t.word))));
      }
    }
  }

  /**
   * Every word from low (rounded down to a word) to the top of the task's stack with its label; an
   * unlabelled word that points into code is shown as a return address when guessCode. In front:
   * the unused words above the end of the stack and the STACK_END_MAGIC word itself.
   */
  public static List<StackWord> list(Kernel k, long task, long low, Map<Long, StackWord.Label> labels,
      boolean guessCode) {
    int w = k.t.word;
    long stack = k.stacks.stack(task);
    long top = stack + k.threadSize;
    List<StackWord> out = new ArrayList<>();
    for (long a = low & -w; Long.compareUnsigned(a, top) < 0; a += w) {
      long v = k.readPtr(a);
      StackWord.Label l = labels.get(a);
      if (l == null) {
        String sym = guessCode ? k.symbols.describe(v) : null;
        l = sym != null && k.host().routineAt(v) != null
            ? new StackWord.Label(WordKind.RETADDR, "return address -> " + sym)
            : new StackWord.Label(WordKind.LOCAL, "local / saved register");
      }
      out.add(new StackWord(a, v, l.kind(), l.text()));
    }
    long end = k.stacks.endOfStack(task);
    boolean taskUnion = k.tasks.model().taskStructInStack();
    long unusedFrom = k.stacks.hasStackEndMagic() ? end + w : end; // 2.4 and 2.6.11 have no magic word
    if (low - unusedFrom > 0) {
      out.add(0, new StackWord(unusedFrom, 0, WordKind.UNUSED, String.format(
          "%d bytes below the live stack (0x%x..0x%x)", low - unusedFrom, unusedFrom, low - 1)));
    }
    if (taskUnion) {
      out.addAll(0, members(k, k.image.struct("task_struct"), stack, "task_struct->"));
      return out;
    }
    if (!k.stacks.hasStackEndMagic()) {
      out.addAll(0, threadInfo(k, task, stack)); // 2.6.11: the stack runs straight into it
      return out;
    }
    long magic = k.readPtr(end);
    out.add(0, new StackWord(end, magic, WordKind.MAGIC, !k.stacks.stackEndMagicNotYetWritten(task)
        ? magic == Kernel.STACK_END_MAGIC ? "STACK_END_MAGIC (end_of_stack)"
            : "end_of_stack: STACK_END_MAGIC overwritten!"
        : k.stacks.initSetsStackEndMagic() ? "end_of_stack: STACK_END_MAGIC not written yet "
            + "(set_task_stack_end_magic(&init_task) has not run)"
        : "end_of_stack: STACK_END_MAGIC never written for init_task in this generation (only "
            + "dup_task_struct writes it)"));
    if (end != stack) {
      out.addAll(0, threadInfo(k, task, stack));
    }
    return out;
  }

  /**
   * 2.4's task_struct at the base of the union, one line a member (a nested struct's members one
   * by one, an array as one line with its size): the first word of each, named.
   */
  private static List<StackWord> members(Kernel k, kstack.layout.StructLayout s, long base,
      String prefix) {
    List<StackWord> out = new ArrayList<>();
    for (Field f : s.fields()) {
      long a = base + f.offset();
      if (f.type() instanceof kstack.layout.CType.Struct st && f.size() > 2 * k.t.word) {
        out.addAll(members(k, st.layout(), a, prefix + f.name() + "."));
        continue;
      }
      long v = k.mem.read(a, Math.min(k.t.word, f.size()));
      out.add(new StackWord(a, v, WordKind.TASK_STRUCT, prefix + f.name()
          + (f.size() > k.t.word ? " (" + f.size() + " bytes)" : "")));
    }
    return out;
  }

  /** The words of a thread_info at the base of the stack (2.6), each named after its member. */
  private static List<StackWord> threadInfo(Kernel k, long task, long stack) {
    return baseStruct(k, "thread_info", WordKind.THREAD_INFO, stack, task);
  }

  /** The words of the struct at the base of the stack (2.6's thread_info), named. */
  private static List<StackWord> baseStruct(Kernel k, String struct, WordKind kind, long stack,
      long task) {
    List<StackWord> out = new ArrayList<>();
    int w = k.t.word;
    for (Field f : k.image.struct(struct).fields()) {
      for (int at = 0; at < f.size(); at += w) {
        long a = stack + f.offset() + at;
        long v = k.mem.read(a, Math.min(w, f.size() - at));
        String note = struct + "->" + f.name() + (at > 0 ? " +" + at : "");
        if (struct.equals("thread_info") && f.name().equals("task")) {
          note += v == task ? " (-> this task)" : " (not this task: overwritten!)";
        }
        out.add(new StackWord(a, v, kind, note));
      }
    }
    return out;
  }
}
