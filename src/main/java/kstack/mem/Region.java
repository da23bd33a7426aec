package kstack.mem;

import java.util.Objects;

/**
 * A named, contiguous range of the simulated address space: a kernel image section, a vmalloc'd task
 * stack, a guard page, a per-CPU area, a user mapping. Guard regions exist so that touching them is a
 * reported fault, as an unmapped vmalloc guard page is on a real kernel.
 *
 * <p>A value: two regions are equal when name, start, size and kind are. A name that ends in an
 * address ("kernel stack of task_struct 0x...") may be given as its prefix and the address, and is
 * then spelled out only when asked for: a machine of millions of tasks keeps millions of them.
 */
public final class Region {

  /** What the range is; the renderers and the fault messages use it. */
  public enum Kind {
    KERNEL_TEXT, KERNEL_DATA, PERCPU, DIRECT_MAP, VMALLOC, STACK, GUARD, USER, ENTRY_AREA
  }

  private final String name;
  /** When not 0, the name is name followed by this in hex. */
  private final long nameAddr;
  private final long start;
  private final long size;
  private final Kind kind;

  public Region(String name, long start, long size, Kind kind) {
    this(name, 0, start, size, kind);
  }

  private Region(String name, long nameAddr, long start, long size, Kind kind) {
    this.name = Objects.requireNonNull(name);
    this.nameAddr = nameAddr;
    this.start = start;
    this.size = size;
    this.kind = Objects.requireNonNull(kind);
  }

  /** A region named prefix followed by addr in hex ("kernel stack of task_struct 0x", task). */
  public static Region named(String prefix, long addr, long start, long size, Kind kind) {
    return new Region(prefix, addr, start, size, kind);
  }

  /** The same range and kind under another name (prefix and address as for {@link #named}). */
  public Region renamed(String prefix, long addr) {
    return new Region(prefix, addr, start, size, kind);
  }

  public String name() {
    return nameAddr == 0 ? name : name + Long.toHexString(nameAddr);
  }

  public long start() {
    return start;
  }

  public long size() {
    return size;
  }

  public Kind kind() {
    return kind;
  }

  public long end() {
    return start + size;
  }

  public boolean contains(long addr) {
    return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end()) < 0;
  }

  /** Whether all of [addr, addr + n) lies in this region (n at least 1): two compares. */
  public boolean holds(long addr, int n) {
    return size >= n && Long.compareUnsigned(addr - start, size - n) <= 0;
  }

  public boolean isGuard() {
    return kind == Kind.GUARD;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Region r && start == r.start && size == r.size && kind == r.kind
        && name().equals(r.name());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name(), start, size, kind);
  }

  @Override
  public String toString() {
    return "Region[name=" + name() + ", start=" + start + ", size=" + size + ", kind=" + kind + "]";
  }
}
