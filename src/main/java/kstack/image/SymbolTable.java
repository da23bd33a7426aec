package kstack.image;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Symbols by name and by address; answers "which function is 0x...?" as {@code name+0xoff}. */
public final class SymbolTable {
  private final Map<String, Symbol> byName = new HashMap<>();
  private final TreeMap<Long, List<Symbol>> byAddress = new TreeMap<>();

  public void add(Symbol s) {
    if (byName.containsKey(s.name())) {
      throw new IllegalStateException("symbol defined twice: " + s.name());
    }
    byName.put(s.name(), s);
    if (s.kind() != Symbol.Kind.PERCPU) {
      byAddress.computeIfAbsent(s.address() ^ Long.MIN_VALUE, k -> new ArrayList<>()).add(s);
    }
  }

  public Symbol get(String name) {
    return byName.get(name);
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public Collection<Symbol> all() {
    return byName.values();
  }

  /** The function or object containing addr, or null. */
  public Symbol containing(long addr) {
    var e = byAddress.floorEntry(addr ^ Long.MIN_VALUE);
    while (e != null) {
      for (Symbol s : e.getValue()) {
        if (s.kind() != Symbol.Kind.LABEL && Long.compareUnsigned(addr - s.address(), s.size()) < 0) {
          return s;
        }
      }
      e = byAddress.lowerEntry(e.getKey());
      if (e != null && Long.compareUnsigned(addr - (e.getKey() ^ Long.MIN_VALUE), 1L << 24) > 0) {
        return null;
      }
    }
    return null;
  }

  /**
   * {@code name+0xoff} for a code or data address, or null when nothing contains it. As kallsyms
   * does, a global label inside a function (entry_SYSCALL_64_after_hwframe) names what follows it.
   */
  /** Where an address lies: the symbol (or a later global label) and the offset from it. */
  public record Place(String name, long offset) {}

  /** The place of an address, as kallsyms would name it, or null outside every symbol. */
  public Place place(long addr) {
    Symbol s = containing(addr);
    var e = byAddress.floorEntry(addr ^ Long.MIN_VALUE);
    if (s != null && e != null) {
      for (Symbol l : e.getValue()) {
        if (l.kind() == Symbol.Kind.LABEL && Long.compareUnsigned(l.address(), s.address()) > 0) {
          s = l;
        }
      }
    }
    return s == null ? null : new Place(s.name(), addr - s.address());
  }

  public String describe(long addr) {
    Place p = place(addr);
    if (p == null) {
      return null;
    }
    return p.offset() == 0 ? p.name() : p.name() + "+0x" + Long.toHexString(p.offset());
  }

  /** {@link #describe}, or the address in hex outside every symbol (as a backtrace prints it). */
  public String describeOrHex(long addr) {
    String s = describe(addr);
    return s == null ? String.format("0x%x", addr) : s;
  }

  /** The function (or global label) an address is in, or the address in hex. */
  public String functionName(long addr) {
    Place p = place(addr);
    return p == null ? String.format("0x%x", addr) : p.name();
  }

  /** The offset of an address from {@link #functionName}, 0 outside every symbol. */
  public long functionOffset(long addr) {
    Place p = place(addr);
    return p == null ? 0 : p.offset();
  }

}
