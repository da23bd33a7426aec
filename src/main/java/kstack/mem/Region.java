package kstack.mem;

/**
 * A named, contiguous range of the simulated address space: a kernel image section, a vmalloc'd task
 * stack, a guard page, a per-CPU area, a user mapping. Guard regions exist so that touching them is a
 * reported fault, as an unmapped vmalloc guard page is on a real kernel.
 */
public record Region(String name, long start, long size, Kind kind) {

  /** What the range is; the renderers and the fault messages use it. */
  public enum Kind {
    KERNEL_TEXT, KERNEL_DATA, PERCPU, DIRECT_MAP, VMALLOC, STACK, GUARD, USER, ENTRY_AREA
  }

  public long end() {
    return start + size;
  }

  public boolean contains(long addr) {
    return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end()) < 0;
  }

  public boolean isGuard() {
    return kind == Kind.GUARD;
  }
}
