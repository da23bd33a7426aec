package kstack.stack;

import java.util.List;

/**
 * One stack of the machine at a point in time, as data: whose it is, its kind and name, its bounds
 * [low, high) (the edge rule of {@link StackRange}), the words of it the arch labels (a task's
 * stack: every word from its lowest live one up, as {@code stack} shows them; a per-CPU stack: none
 * yet, the arch labels task stacks only) and the frames whose records lie on it, innermost first.
 * No text is formatted here: the labels are the arch's, the rendering is the command language's.
 */
public record StackRegion(StackOwner owner, StackKind kind, String name, long low, long high,
    List<StackWord> words, List<Frame> frames) {

  public StackRegion {
    words = List.copyOf(words);
    frames = List.copyOf(frames);
  }

  /** The region's bounds with its kind and name, as the unwinders' edge rule takes them. */
  public StackRange range() {
    return new StackRange(kind, name, low, high);
  }

  /** Its size in bytes. */
  public long size() {
    return high - low;
  }
}
