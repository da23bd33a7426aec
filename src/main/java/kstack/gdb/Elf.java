package kstack.gdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import kstack.image.Symbol;
import kstack.machine.Machine;

/**
 * {@code kstack symbols --elf}: an ELF file of the profile for gdb's {@code symbol-file}
 * (System V gABI, "Object Files"): ELFCLASS64 EM_X86_64 or EM_AARCH64, ELFCLASS32 EM_386, with a
 * .symtab of every kernel and user-program symbol (functions and labels as STT_FUNC, objects as
 * STT_OBJECT, each with its address and size), SHT_NOBITS sections covering their addresses (the
 * bytes stay in the simulated machine), and the DWARF types of {@link Dwarf}. Per-CPU variables are
 * left out: their symbol values are offsets into a per-CPU area, not addresses.
 */
public final class Elf {
  private Elf() {}

  private record Section(String name, int type, long flags, long addr, byte[] data, long size,
      int link, int info, int align, int entsize) {}

  /** The file's bytes for the machine's profile. */
  public static byte[] of(Machine m) {
    String arch = m.profile().arch();
    int word = arch.equals("i386") ? 4 : 8;
    List<Symbol> syms = new ArrayList<>(m.symbols().all().stream()
        .filter(s -> s.kind() != Symbol.Kind.PERCPU).toList());
    syms.sort(Comparator.comparing((Symbol s) -> s.address(), Long::compareUnsigned)
        .thenComparing(Symbol::name));
    List<Section> sections = new ArrayList<>();
    sections.add(new Section("", 0, 0, 0, new byte[0], 0, 0, 0, 0, 0));
    List<long[]> ranges = ranges(syms);
    for (int i = 0; i < ranges.size(); i++) {
      long[] r = ranges.get(i);
      sections.add(new Section(".kstack" + i, 8 /* SHT_NOBITS */, 0x7 /* WRITE|ALLOC|EXEC */,
          r[0], new byte[0], r[1] - r[0], 0, 0, 16, 0));
    }
    Bytes strtab = new Bytes().u8(0);
    Bytes symtab = new Bytes();
    symbol(symtab, word, 0, 0, 0, 0, 0);
    for (Symbol s : syms) {
      int name = strtab.size();
      strtab.str(s.name());
      int type = s.kind() == Symbol.Kind.OBJECT ? 1 : 2; // STT_OBJECT, STT_FUNC
      symbol(symtab, word, name, s.address(), s.size(), 0x10 | type, 1 + rangeOf(ranges,
          s.address()));
    }
    int strIndex = sections.size() + 1;
    sections.add(new Section(".symtab", 2, 0, 0, symtab.toArray(), 0, strIndex, 1, word,
        word == 8 ? 24 : 16));
    sections.add(new Section(".strtab", 3, 0, 0, strtab.toArray(), 0, 0, 0, 1, 0));
    Dwarf dwarf = new Dwarf(word, m.structs(), syms.stream()
        .filter(s -> s.kind() == Symbol.Kind.OBJECT).toList());
    sections.add(new Section(".debug_abbrev", 1, 0, 0, dwarf.abbrev(), 0, 0, 0, 1, 0));
    sections.add(new Section(".debug_info", 1, 0, 0, dwarf.info("kstack " + m.profile().label()),
        0, 0, 0, 1, 0));
    return write(sections, word, machine(arch));
  }

  private static int machine(String arch) {
    return switch (arch) {
      case "x86_64" -> 62; // EM_X86_64
      case "arm64" -> 183; // EM_AARCH64
      default -> 3; // EM_386
    };
  }

  /** Clusters of symbol addresses (a gap of 16 MiB starts a new one), as [start, end). */
  private static List<long[]> ranges(List<Symbol> syms) {
    List<long[]> out = new ArrayList<>();
    for (Symbol s : syms) {
      long end = s.address() + Math.max(1, s.size());
      long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && (Long.compareUnsigned(s.address(), last[1]) <= 0
          || Long.compareUnsigned(s.address() - last[1], 1L << 24) < 0)) {
        last[1] = Long.compareUnsigned(end, last[1]) > 0 ? end : last[1];
      } else {
        out.add(new long[] {s.address(), end});
      }
    }
    return out;
  }

  private static int rangeOf(List<long[]> ranges, long addr) {
    for (int i = 0; i < ranges.size(); i++) {
      if (Long.compareUnsigned(addr, ranges.get(i)[0]) >= 0
          && Long.compareUnsigned(addr, ranges.get(i)[1]) < 0) {
        return i;
      }
    }
    throw new IllegalStateException(String.format("0x%x is in no section", addr));
  }

  private static void symbol(Bytes b, int word, int name, long value, long size, int info,
      int shndx) {
    if (word == 8) {
      b.u32(name).u8(info).u8(0).u16(shndx).u64(value).u64(size);
    } else {
      b.u32(name).u32(value).u32(size).u8(info).u8(0).u16(shndx);
    }
  }

  /** The header, the sections' contents, .shstrtab and the section header table. */
  private static byte[] write(List<Section> sections, int word, int machine) {
    Bytes shstr = new Bytes().u8(0);
    int[] names = new int[sections.size() + 1];
    for (int i = 0; i < sections.size(); i++) {
      names[i] = shstr.size();
      shstr.str(sections.get(i).name());
    }
    names[sections.size()] = shstr.size();
    shstr.str(".shstrtab");
    int ehsize = word == 8 ? 64 : 52;
    Bytes body = new Bytes();
    long[] offsets = new long[sections.size() + 1];
    for (int i = 0; i < sections.size(); i++) {
      body.padTo(8);
      offsets[i] = ehsize + body.size();
      body.bytes(sections.get(i).data());
    }
    offsets[sections.size()] = ehsize + body.size();
    body.bytes(shstr.toArray()).padTo(8);
    long shoff = ehsize + body.size();
    Bytes f = new Bytes();
    f.u8(0x7f).u8('E').u8('L').u8('F').u8(word == 8 ? 2 : 1).u8(1).u8(1).u8(0).u64(0);
    f.u16(2).u16(machine).u32(1).word(0, word).word(0, word).word(shoff, word);
    f.u32(0).u16(ehsize).u16(0).u16(0).u16(word == 8 ? 64 : 40).u16(sections.size() + 1)
        .u16(sections.size());
    f.bytes(body.toArray());
    for (int i = 0; i < sections.size(); i++) {
      Section s = sections.get(i);
      header(f, word, names[i], s.type(), s.flags(), s.addr(), i == 0 ? 0 : offsets[i],
          s.type() == 8 ? s.size() : s.data().length, s.link(), s.info(), s.align(), s.entsize());
    }
    header(f, word, names[sections.size()], 3, 0, 0, offsets[sections.size()], shstr.size(), 0, 0,
        1, 0);
    return f.toArray();
  }

  private static void header(Bytes f, int word, int name, int type, long flags, long addr,
      long offset, long size, int link, int info, int align, int entsize) {
    f.u32(name).u32(type).word(flags, word).word(addr, word).word(offset, word).word(size, word)
        .u32(link).u32(info).word(align, word).word(entsize, word);
  }
}
