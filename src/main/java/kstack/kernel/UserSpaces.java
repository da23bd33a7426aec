package kstack.kernel;

import kstack.layout.Member;
import kstack.layout.StructLayout;
import kstack.mem.Memory;

/**
 * The user address spaces: one Memory per mm_struct, and the mm each page-table root (the value
 * CR3/TTBR0 holds for it) belongs to, so that a switch of the MMU register selects its space.
 */
public final class UserSpaces {
  private final Kernel k;
  private final JLongMap<Memory> userSpaces;
  private final JLongLongMap mmByRoot;
  /** Every MmMember's offset and size, by ordinal, resolved when the kernel is built. */
  private final Member[] members;
  private int nextSpaceId = 1;

  UserSpaces(Kernel k) {
    this.k = k;
    StructLayout mm = k.image.struct("mm_struct");
    this.members = new Member[MmMember.values().length];
    for (MmMember m : MmMember.values()) {
      if (!mm.has(m.name())) {
        throw new IllegalStateException("the " + k.profile.label() + " layout of struct mm_struct "
            + "lacks member '" + m.name() + "'");
      }
      members[m.ordinal()] = mm.member(m.name());
    }
    this.userSpaces = new JLongMap<>(k.timeline);
    this.mmByRoot = new JLongLongMap(k.timeline);
  }

  /** A new, empty user address space for mm, named "mm 0x..." after it in messages. */
  public Memory newUserSpace(long mm) {
    return attach(mm, new Memory(nextSpaceId++, "mm 0x", mm));
  }

  public Memory newUserSpace(long mm, String label) {
    return attach(mm, new Memory(nextSpaceId++, label));
  }

  private Memory attach(long mm, Memory m) {
    k.host().attachSpace(m);
    userSpaces.put(mm, m);
    mmByRoot.put(PageTableRoot.of(k, mm), mm);
    return m;
  }

  /** init_mm's page-table root (it has no user space). */
  void registerInitMm(long initMm) {
    mmByRoot.put(PageTableRoot.ofInitMm(k), initMm);
  }

  /** The member's offset in mm_struct. */
  public int off(MmMember m) {
    return members[m.ordinal()].offset();
  }

  public Memory userSpace(long mm) {
    return mm == 0 ? null : userSpaces.get(mm);
  }

  /** The mm whose page-table root a CR3/TTBR0 value names, or 0. */
  public long mmOfRoot(long root) {
    return mmByRoot.get(root);
  }

  /**
   * Grows with every change of which store a page-table root selects: a CPU's cached address
   * space stays valid while its MMU register and this stay the same.
   */
  public long version() {
    return userSpaces.version() + mmByRoot.version();
  }

  /** The user address space the MMU register's value selects (none for init_mm). */
  public Memory userSpaceOfRoot(long root) {
    return userSpace(mmOfRoot(root));
  }
}
