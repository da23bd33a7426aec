package kstack.view;

import java.util.ArrayList;
import java.util.List;
import kstack.stack.Frame;
import kstack.stack.StackKind;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.WordKind;
import kstack.view.Picture.Block;
import kstack.view.Picture.Field;

/**
 * A task stack's labelled words grouped into the regions a picture shows: the thread_info or
 * (2.4) task_struct at the base, the end-of-stack magic, the unused space, each frame (its locals,
 * saved frame pointer and return address, named after the function it belongs to), the switch
 * frame, the pt_regs block, the padding above it, stale words from the last kernel entry. Words of
 * one kind that follow each other form one block; a frame ends at its return address (x86: the
 * record is at the frame's top) or starts at its frame record (arm64: the record is at the bottom).
 */
final class Blocks {
  static final String STALE_PREFIX = "stale, from the last kernel entry: ";

  private final String prefix;
  private final StackRegion region;
  private final List<Frame> backtrace;
  private final int word;
  private final List<Block> out = new ArrayList<>();
  private final List<StackWord> run = new ArrayList<>();

  private Blocks(String prefix, StackRegion region, List<Frame> backtrace, int word) {
    this.prefix = prefix;
    this.region = region;
    this.backtrace = backtrace;
    this.word = word;
  }

  /** The blocks of a task's own stack, lowest first; ids start with prefix. */
  static List<Block> of(String prefix, StackRegion region, List<Frame> backtrace, int word) {
    return new Blocks(prefix, region, backtrace, word).group();
  }

  private List<Block> group() {
    List<StackWord> words = region.words();
    boolean recordAtBottom = words.stream().anyMatch(w -> w.label().startsWith("frame record:"));
    for (int i = 0; i < words.size(); i++) {
      StackWord w = words.get(i);
      long next = i + 1 < words.size() ? words.get(i + 1).address() : region.high();
      if (w.kind() == WordKind.UNUSED) {
        flush();
        out.add(block("unused", w.address(), next, unusedLabel(w), List.of()));
        continue;
      }
      boolean frameWord = isFrameWord(w.kind());
      if (!run.isEmpty() && (category(run.get(0).kind()) != category(w.kind())
          || (recordAtBottom && w.kind() == WordKind.FRAME))) {
        flush();
      }
      run.add(w);
      if (frameWord && !recordAtBottom && w.kind() == WordKind.RETADDR) {
        flush();
      }
    }
    flush();
    return out;
  }

  private static boolean isFrameWord(WordKind k) {
    return k == WordKind.FRAME || k == WordKind.RETADDR || k == WordKind.LOCAL;
  }

  /** Frame words (locals, saved fp, return address) group together; other kinds by kind. */
  private static WordKind category(WordKind k) {
    return isFrameWord(k) ? WordKind.FRAME : k;
  }

  private void flush() {
    if (run.isEmpty()) {
      return;
    }
    StackWord first = run.get(0);
    StackWord last = run.get(run.size() - 1);
    List<Field> fields = new ArrayList<>();
    for (StackWord w : run) {
      fields.add(new Field(w.address(), fieldName(w), w.value()));
    }
    String kind = category(first.kind()).label();
    out.add(block(kind, first.address(), last.address() + word, label(kind), fields));
    run.clear();
  }

  private Block block(String kind, long low, long high, String label, List<Field> fields) {
    return new Block(prefix + "-b" + out.size(), kind, low, high, label, fields);
  }

  private String label(String kind) {
    return switch (kind) {
      case "thread_info" -> "thread_info";
      case "task_struct" -> "task_struct (the task_union's base)";
      case "magic" -> "STACK_END_MAGIC";
      case "switch" -> "switch frame (saved by switch_to)";
      case "pt_regs" -> "pt_regs";
      case "padding" -> "padding (TOP_OF_KERNEL_STACK_PADDING)";
      case "stale" -> "stale, from the last kernel entry";
      default -> frameLabel();
    };
  }

  /** A frame: whose it is (the function the return address leads back from) and where it returns. */
  private String frameLabel() {
    StackWord ret = run.stream().filter(w -> w.kind() == WordKind.RETADDR).findFirst().orElse(null);
    if (ret == null) {
      return "locals / saved registers";
    }
    String returnsTo = ret.label().replaceFirst("^.*-> ", "");
    for (int i = 1; i < backtrace.size(); i++) {
      Frame f = backtrace.get(i);
      if (f.address() == ret.value() && f.stack() == StackKind.TASK) {
        return "frame of " + backtrace.get(i - 1).function() + ", returns to " + returnsTo;
      }
    }
    return "frame, returns to " + returnsTo;
  }

  /** A word's name in its block: pt_regs->r15, thread_info->flags, saved rbp. */
  static String fieldName(StackWord w) {
    String l = w.label().startsWith(STALE_PREFIX) ? w.label().substring(STALE_PREFIX.length())
        : w.label();
    return l;
  }

  private String unusedLabel(StackWord w) {
    return "unused: " + w.label();
  }
}
