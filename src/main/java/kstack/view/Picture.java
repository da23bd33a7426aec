package kstack.view;

import java.util.List;

/**
 * A drawing of stacks as data, made from a snapshot ({@link Pictures}) and rendered to SVG
 * ({@link SvgPicture}) or to a boxed text diagram ({@link TextPicture}). Addresses are the
 * machine's; every stack is a column growing downward (its high end on top), at one scale for all.
 *
 * @param title    what is drawn (profile, step, task)
 * @param wordSize the machine's word in bytes
 * @param columns  the stacks, each with its labelled blocks and marks
 * @param boxes    what the arrows leave from or point at outside the stacks: CPUs, task_structs
 * @param arrows   the pointers between boxes and stacks
 */
public record Picture(String title, int wordSize, List<Column> columns, List<Box> boxes,
    List<Arrow> arrows) {

  public Picture {
    columns = List.copyOf(columns);
    boxes = List.copyOf(boxes);
    arrows = List.copyOf(arrows);
  }

  /**
   * One stack: its id (stable: "task-PID", "cpuN-KIND[-n]", "user-PID"), title, kind (the
   * StackKind's label), bounds [low, high), the guard pages next to it, blocks and marks.
   */
  public record Column(String id, String title, String kind, long low, long high,
      List<Block> guards, List<Block> blocks, List<Mark> marks) {
    public Column {
      guards = List.copyOf(guards);
      blocks = List.copyOf(blocks);
      marks = List.copyOf(marks);
    }

    /** Whether the address lies on this stack, [low, high). */
    public boolean holds(long a) {
      return Long.compareUnsigned(a, low) >= 0 && Long.compareUnsigned(a, high) < 0;
    }
  }

  /**
   * A labelled region of a stack, [low, high): its kind (thread_info, task_struct, magic, unused,
   * frame, switch, pt_regs, padding, stale, local, guard), label, and its words' names.
   */
  public record Block(String id, String kind, long low, long high, String label,
      List<Field> fields) {
    public Block {
      fields = List.copyOf(fields);
    }
  }

  /** One named word of a block (a pt_regs member, a thread_info member, a saved register). */
  public record Field(long address, String name, long value) {}

  /** A point on a stack: a stack pointer, the high-water mark, task_pt_regs, a TSS sp0. */
  public record Mark(String kind, String label, long address) {}

  /** A CPU or a task_struct drawn beside the stacks, with the lines of text it shows. */
  public record Box(String id, String kind, String label, long address, List<String> lines) {
    public Box {
      lines = List.copyOf(lines);
    }
  }

  /**
   * A pointer: name, the element (box, block or column id) and address it leaves from, and the
   * element and address it points at.
   */
  public record Arrow(String id, String name, String fromId, long from, String toId, long to) {}
}
