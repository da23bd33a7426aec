package kstack.layout;

/** One member of a struct: name, byte offset, type, and a note on what it holds. */
public record Field(String name, int offset, CType type, String note) {
  public int size() {
    return type.size();
  }

  public int end() {
    return offset + size();
  }
}
