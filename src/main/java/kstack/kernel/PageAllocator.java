package kstack.kernel;

import java.util.ArrayList;
import java.util.List;
import kstack.mem.Memory;
import kstack.mem.Region;
import kstack.trace.JCell;
import kstack.trace.JList;
import kstack.trace.Timeline;

/**
 * Where kernel memory comes from: the buddy allocator's pages in the direct map (mm/page_alloc.c),
 * kmalloc's small objects, vmalloc's areas with their guard pages (mm/vmalloc.c), and each CPU's
 * cache of freed vmalloc'd stacks (kernel/fork.c's cached_stacks). Each mapping is undone with
 * the timeline.
 */
public final class PageAllocator {
  private final Memory mem;
  private final Timeline timeline;
  private final long pageSize;
  private final JCell<Long> directMapNext;
  private final JCell<Long> vmallocNext;
  /** Per CPU: the freed thread stacks kept for reuse (NR_CACHED_STACKS). */
  final List<JList<Long>> cachedStacks = new ArrayList<>();
  private String guardOf;
  private String guardName;

  PageAllocator(Memory mem, Timeline timeline, long pageSize, long directMapStart,
      long vmallocStart, int cpus) {
    this.mem = mem;
    this.timeline = timeline;
    this.pageSize = pageSize;
    this.directMapNext = new JCell<>(timeline, directMapStart);
    this.vmallocNext = new JCell<>(timeline, vmallocStart);
    for (int c = 0; c < cpus; c++) {
      cachedStacks.add(new JList<>(timeline));
    }
  }

  /** Pages from the direct map (the buddy allocator's answer, as a linear address). */
  public long allocPages(long bytes, String what) {
    return allocPages(bytes, what, 0);
  }

  /** As {@link #allocPages(long, String)}, the region named what followed by whatAddr in hex. */
  private long allocPages(long bytes, String what, long whatAddr) {
    long size = (bytes + pageSize - 1) & -pageSize;
    long at = directMapNext.get();
    directMapNext.set(at + size);
    mapRegion(Region.named(what, whatAddr, at, size, Region.Kind.DIRECT_MAP));
    return at;
  }

  /**
   * {@code alloc_pages(order)}: a block of 2^order pages, which the buddy allocator hands out
   * naturally aligned to its own size (so masking a stack pointer finds the block's base).
   */
  public long allocPagesAligned(long bytes, String what) {
    return allocPagesAligned(bytes, what, 0);
  }

  /**
   * As {@link #allocPagesAligned(long, String)}, the region named what followed by whatAddr in hex
   * ("thread_union of task_struct 0x", the task), spelled out only when a message needs it.
   */
  public long allocPagesAligned(long bytes, String what, long whatAddr) {
    long size = Long.highestOneBit(Math.max(pageSize, bytes) * 2 - 1);
    long from = directMapNext.get();
    long at = (from + size - 1) & -size;
    if (at != from) {
      // the pages skipped for alignment stay free, but the direct map maps all of RAM
      mapRegion(new Region("free pages", from, at - from, Region.Kind.DIRECT_MAP));
      directMapNext.set(at);
    }
    return allocPages(size, what, whatAddr);
  }

  /** A small object (task_struct, kthread_create_info, mm_struct): kmalloc/kmem_cache. */
  public long kmalloc(long bytes, String what) {
    return allocPages(bytes, what);
  }

  /**
   * {@code __vmalloc_node_range(size, align, ...)}: a THREAD_ALIGN-aligned area followed by one guard
   * page (mm/vmalloc.c adds PAGE_SIZE unless VM_NO_GUARD), zeroed.
   */
  public long vmalloc(long size, long align, String what) {
    long at = (vmallocNext.get() + align - 1) & -align;
    vmallocNext.set(at + size + pageSize);
    mapRegion(new Region(what, at, size, Region.Kind.STACK));
    mapRegion(new Region(guardName(what), at + size, pageSize, Region.Kind.GUARD));
    return at;
  }

  /** "guard page after " what, made once per what: every task stack's guard shares its name. */
  private String guardName(String what) {
    if (!what.equals(guardOf)) {
      guardOf = what;
      guardName = "guard page after " + what;
    }
    return guardName;
  }

  private void mapRegion(Region r) {
    mem.map(r);
    if (timeline.isRecording()) {
      timeline.recordChange(() -> mem.unmap(r), () -> mem.map(r));
    }
  }

  /** Renames the region holding a stack (after it is reused from the cache). */
  public void relabelStack(long stack, String what) {
    relabelStack(stack, what, 0);
  }

  /** Renames the region holding a stack what followed by whatAddr in hex (0: nothing follows). */
  public void relabelStack(long stack, String what, long whatAddr) {
    Region old = mem.regionAt(stack);
    if (old == null || old.start() != stack) {
      return;
    }
    mem.unmap(old);
    Region now = old.renamed(what, whatAddr);
    mem.map(now);
    timeline.recordChange(() -> {
      mem.unmap(now);
      mem.map(old);
    }, () -> {
      mem.unmap(old);
      mem.map(now);
    });
  }
}
