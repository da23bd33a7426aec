package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.machine.FrameDetails;
import kstack.machine.Machine;
import kstack.stack.FrameDetail;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskStack;
import kstack.stack.WordKind;

/**
 * {@code bt} with its options ({@link BtArgs.Shape}): gdb's frame limit ({@code -n N} innermost,
 * {@code -n -N} outermost, "(More stack frames follow...)" as gdb says), crash's {@code -f} and
 * {@code -F} (after each frame the words of its stack, labelled with its arguments, locals and
 * frame record; {@code -F} shows a value that points into the image as its symbol) and crash's
 * {@code -r} (the task's live kernel stack word by word, as {@code rd} shows memory).
 */
final class Backtraces {
  private Backtraces() {}

  static Result run(Machine m, String cmd, Integer pid, BtArgs.Shape sh) {
    TaskStack t = m.inspector().taskStack(pid, sh.contents() == 'r');
    if (sh.contents() == 'r') {
      return raw(m, cmd, t);
    }
    List<FrameDetail> details = FrameDetails.of(m, t);
    int total = details.size();
    long limit = sh.limit();
    int from = limit < 0 ? (int) Math.max(0, total + limit) : 0;
    int below = limit > 0 ? (int) Math.min(limit, Integer.MAX_VALUE) : Integer.MAX_VALUE;
    Result r = StackViews.bt(m, cmd, pid, t, from, below);
    List<String> text = new ArrayList<>(r.text());
    if (limit > 0 && total > limit) {
      text.add("(More stack frames follow...)");
    }
    if (sh.contents() != 0) {
      text = withWords(m, text, details, sh.contents() == 'F');
      List<Object> json = new ArrayList<>();
      for (FrameDetail d : details.subList(from, Math.min(below, total))) {
        json.add(argsJson(d));
      }
      r.with("frame_args", json);
    }
    return new Result(r.command(), text, r.json());
  }

  /** After each frame line (#N ...), that frame's words. */
  private static List<String> withWords(Machine m, List<String> lines, List<FrameDetail> details,
      boolean symbolic) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line);
      int level = levelOf(line);
      if (level >= 0 && level < details.size()) {
        FrameDetail d = details.get(level);
        if (!d.args().isEmpty()) {
          out.add("    args: " + String.join(", ", FrameViews.slots(m, d, true)));
        }
        out.addAll(FrameViews.words(m, d, symbolic));
      }
    }
    return out;
  }

  private static int levelOf(String line) {
    if (!line.startsWith("#")) {
      return -1;
    }
    int end = line.indexOf(' ');
    try {
      return Integer.parseInt(line.substring(1, end));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static Map<String, Object> argsJson(FrameDetail d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("level", d.level());
    o.put("function", d.frame().function());
    Map<String, Object> args = new LinkedHashMap<>();
    d.args().forEach(a -> args.put(a.name(), a.value()));
    o.put("args", args);
    Map<String, Object> locals = new LinkedHashMap<>();
    d.locals().forEach(a -> locals.put(a.name(), a.value()));
    o.put("locals", locals);
    return o;
  }

  /**
   * crash's bt -r: the raw words of the task's kernel stack from its lowest live word (below it
   * the stack has never been used, or holds thread_info / STACK_END_MAGIC) to its top, as rd
   * shows them.
   */
  private static Result raw(Machine m, String cmd, TaskStack t) {
    StackRegion s = t.stack();
    if (s == null) {
      throw new IllegalStateException("bt -r: pid " + t.owner().pid() + "'s stack cannot be found"
          + " (" + t.damage() + ")");
    }
    long low = s.high();
    for (StackWord w : s.words()) {
      WordKind k = w.kind();
      if (k != WordKind.UNUSED && k != WordKind.MAGIC && k != WordKind.THREAD_INFO
          && k != WordKind.TASK_STRUCT) {
        low = Math.min(low, w.address());
      }
    }
    int word = m.arch().abi().wordSize();
    List<String> text = new ArrayList<>();
    text.add(String.format("Raw kernel stack of pid %d (%s): " + m.hexFormat() + ".."
        + m.hexFormat(), t.owner().pid(), t.owner().comm(), low, s.high()));
    text.addAll(Rd.lines(m, low, (s.high() - low) / word));
    return Result.of(cmd, text).with("pid", t.owner().pid())
        .with("low", "0x" + Long.toHexString(low)).with("high", "0x" + Long.toHexString(s.high()));
  }
}
