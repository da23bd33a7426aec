package kstack.layout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A struct's memory layout as data: the kernel's field order is the memory order, offsets follow the
 * ABI's natural alignment (as gcc lays them out), and the total size is rounded to the struct's
 * alignment. The byte-level writes, the renderers and {@code sizeof} all derive from this one table.
 */
public final class StructLayout {
  private final String name;
  private final String source;
  private final List<Field> fields;
  private final Map<String, Field> byName;
  private final int size;
  private final int align;

  private StructLayout(String name, String source, List<Field> fields, int size, int align) {
    this.name = name;
    this.source = source;
    this.fields = Collections.unmodifiableList(fields);
    this.byName = new LinkedHashMap<>();
    for (Field f : fields) {
      byName.put(f.name(), f);
    }
    this.size = size;
    this.align = align;
  }

  public String name() {
    return name;
  }

  /** Where the layout comes from: kernel file and version, e.g. {@code arch/x86/include/asm/ptrace.h@4.16.13}. */
  public String source() {
    return source;
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return size;
  }

  public int align() {
    return align;
  }

  public Field field(String fieldName) {
    Field f = byName.get(fieldName);
    if (f == null) {
      throw new IllegalArgumentException("struct " + name + " has no member named '" + fieldName + "'");
    }
    return f;
  }

  public boolean has(String fieldName) {
    return byName.containsKey(fieldName);
  }

  public int offset(String fieldName) {
    return field(fieldName).offset();
  }

  /** Offset of a dotted member path such as {@code thread.sp}. */
  public int offsetOfPath(String path) {
    StructLayout s = this;
    int off = 0;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      Field f = s.field(parts[i]);
      off += f.offset();
      if (i + 1 < parts.length) {
        if (!(f.type() instanceof CType.Struct st)) {
          throw new IllegalArgumentException(parts[i] + " is not a struct");
        }
        s = st.layout();
      }
    }
    return off;
  }

  /** Whether a dotted member path exists. */
  public boolean hasPath(String path) {
    StructLayout s = this;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      if (!s.has(parts[i])) {
        return false;
      }
      if (i + 1 < parts.length) {
        if (!(s.field(parts[i]).type() instanceof CType.Struct st)) {
          return false;
        }
        s = st.layout();
      }
    }
    return true;
  }

  /** The member a dotted path names. */
  public Field fieldAtPath(String path) {
    StructLayout s = this;
    Field f = null;
    for (String part : path.split("\\.")) {
      if (f != null) {
        if (!(f.type() instanceof CType.Struct st)) {
          throw new IllegalArgumentException(f.name() + " is not a struct");
        }
        s = st.layout();
      }
      f = s.field(part);
    }
    return f;
  }

  /**
   * The member a dotted path names, resolved to its offset and size; a path the layout lacks is
   * refused with the struct's and the path's names.
   */
  public Member member(String path) {
    if (!hasPath(path)) {
      throw new IllegalArgumentException("struct " + name + " has no member '" + path + "'");
    }
    return new Member(name, path, offsetOfPath(path), fieldAtPath(path).size());
  }

  /** The field covering byte offset off, or null in padding. */
  public Field fieldAt(int off) {
    for (Field f : fields) {
      if (off >= f.offset() && off < f.end()) {
        return f;
      }
    }
    return null;
  }

  /**
   * A layout whose offsets and size are given rather than computed (a kernel's, read from its
   * type information): fields are kept in offset order; bytes no field covers are padding.
   */
  public static StructLayout placed(String name, String source, List<Field> fields, int size,
      int align) {
    List<Field> sorted = new ArrayList<>(fields);
    sorted.sort(java.util.Comparator.comparingInt(Field::offset));
    return new StructLayout(name, source, sorted, size, align);
  }

  public static Builder builder(String name, String source) {
    return new Builder(name, source);
  }

  /** Lays out fields in the order added, with natural alignment unless {@link #packed()}. */
  public static final class Builder {
    private final String name;
    private final String source;
    private final List<Field> fields = new ArrayList<>();
    private int offset;
    private int align = 1;
    private boolean packed;
    private int minSize;

    private Builder(String name, String source) {
      this.name = name;
      this.source = source;
    }

    /** Like {@code __attribute__((packed))}: no padding between members. */
    public Builder packed() {
      packed = true;
      return this;
    }

    public Builder add(String fieldName, CType type) {
      return add(fieldName, type, "");
    }

    public Builder add(String fieldName, CType type, String note) {
      int a = packed ? 1 : type.align();
      offset = (offset + a - 1) / a * a;
      fields.add(new Field(fieldName, offset, type, note));
      offset += type.size();
      align = Math.max(align, a);
      return this;
    }

    /** Skips to an absolute offset (for unmodelled members whose total size the source fixes). */
    public Builder gap(int toOffset) {
      if (toOffset < offset) {
        throw new IllegalStateException(name + ": gap to " + toOffset + " is behind " + offset);
      }
      offset = toOffset;
      return this;
    }

    /** Raises the struct's alignment, as {@code __aligned(n)} does. */
    public Builder aligned(int a) {
      align = Math.max(align, a);
      return this;
    }

    public Builder minSize(int bytes) {
      minSize = bytes;
      return this;
    }

    public StructLayout build() {
      int size = Math.max(offset, minSize);
      size = (size + align - 1) / align * align;
      return new StructLayout(name, source, fields, size, align);
    }
  }
}
