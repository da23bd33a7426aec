package kstack.btf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A struct's or union's members by name as C code names them: a member of an anonymous struct or
 * union inside it is named as if it were the outer one's (pt_regs' {@code cs}, in 6.x an
 * anonymous union with {@code csx} and {@code fred_cs}). Offsets are from the outer type's start.
 */
public final class BtfMembers {
  /** How deep anonymous members nest before the lookup gives up (a hostile blob may loop). */
  public static final int MAX_NESTING = 32;

  /**
   * How many members one lookup visits at most: anonymous members are each used once in a real
   * kernel, but a hostile blob can share one many times over and make the walk exponential.
   */
  static final int MAX_VISITS = 1 << 20;

  private final Btf btf;

  public BtfMembers(Btf btf) {
    this.btf = btf;
  }

  /**
   * A member found by name: its bit offset from the outer type's start, its width for a bitfield
   * (0 otherwise), its type and size, and the anonymous struct or union holding it (null when it
   * is a direct member) with that holder's byte offset.
   */
  public record Found(String name, long bitOffset, int bitfieldSize, int type, long size,
      BtfType.Composite holder, long holderOffset) {
    public long byteOffset() {
      return bitOffset / 8;
    }
  }

  /** The member named name, looking into anonymous members. */
  public Optional<Found> find(int compositeId, String name) {
    return find(compositeId, name, 0, null, 0, 0, new int[1]);
  }

  private Optional<Found> find(int id, String name, long base, BtfType.Composite holder,
      long holderOff, int depth, int[] visits) {
    if (depth > MAX_NESTING || !(btf.type(btf.resolve(id)) instanceof BtfType.Composite c)) {
      return Optional.empty();
    }
    count(c, visits);
    for (BtfType.Member m : c.members()) {
      long off = base + m.bitOffset();
      if (m.name().equals(name)) {
        return Optional.of(new Found(name, off, bitfield(m), m.type(), btf.sizeOf(m.type()),
            holder, holderOff));
      }
    }
    for (BtfType.Member m : c.members()) {
      if (m.name().isEmpty()) {
        long off = base + m.bitOffset();
        BtfType inner = btf.type(btf.resolve(m.type()));
        Optional<Found> f = inner instanceof BtfType.Composite ic
            ? find(ic.id(), name, off, holder == null ? ic : holder,
                holder == null ? off / 8 : holderOff, depth + 1, visits)
            : Optional.empty();
        if (f.isPresent()) {
          return f;
        }
      }
    }
    return Optional.empty();
  }

  /** The member names of a struct or union, anonymous members' own names in their place. */
  public List<String> names(int compositeId) {
    List<String> out = new ArrayList<>();
    names(compositeId, out, 0, new int[1]);
    return out;
  }

  private void names(int id, List<String> out, int depth, int[] visits) {
    if (depth > MAX_NESTING || !(btf.type(btf.resolve(id)) instanceof BtfType.Composite c)) {
      return;
    }
    count(c, visits);
    for (BtfType.Member m : c.members()) {
      if (m.name().isEmpty()) {
        names(m.type(), out, depth + 1, visits);
      } else {
        out.add(m.name());
      }
    }
  }

  private void count(BtfType.Composite c, int[] visits) {
    visits[0] += c.members().size() + 1;
    if (visits[0] > MAX_VISITS) {
      throw new BtfException(btf.offsetOf(c.id()), "the anonymous members of type " + c.id()
          + " nest into more than " + MAX_VISITS + " members");
    }
  }

  /**
   * A member's bitfield width: the kind_flag's explicit size, or (without kind_flag) an INT
   * member whose bits are fewer than its size's.
   */
  public int bitfield(BtfType.Member m) {
    if (m.bitfieldSize() != 0) {
      return m.bitfieldSize();
    }
    if (btf.type(m.type()) instanceof BtfType.Int i && i.bits() != i.size() * 8L) {
      return i.bits();
    }
    return 0;
  }
}
