package kstack.gdb;

import java.util.ArrayList;
import java.util.List;
import kstack.cpu.Cpu;

/**
 * The registers gdb expects of an architecture, in the order and with the feature names of gdb's own
 * target descriptions (gdb/features/i386/64bit-core.xml, 32bit-core.xml, 64bit-segments.xml and
 * aarch64-core.xml): gdb checks that the core feature names every register it numbers, so the x87
 * registers are listed (and read as zeros: the model runs no floating point). Each register maps to
 * the simulated CPU's own, or to none.
 *
 * @param architecture the BFD name gdb selects (i386:x86-64, i386, aarch64)
 * @param features     the features, each with its registers, in register-number order
 */
record TargetDescription(String architecture, List<Feature> features) {

  /** One register: gdb's name, width, type, and the simulated CPU's register (null: none). */
  record Reg(String name, int bits, String type, String cpuName) {}

  /** A feature of the description and its registers. */
  record Feature(String name, List<Reg> regs) {}

  /** The description of an architecture by kstack's name of it. */
  static TargetDescription of(String arch) {
    return switch (arch) {
      case "x86_64" -> new TargetDescription("i386:x86-64", List.of(
          new Feature("org.gnu.gdb.i386.core", x86Core(List.of("rax", "rbx", "rcx", "rdx", "rsi",
              "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"), "rip", 64)),
          new Feature("org.gnu.gdb.i386.segments", List.of(new Reg("fs_base", 64, "int", "fs_base"),
              new Reg("gs_base", 64, "int", "gs_base")))));
      case "i386" -> new TargetDescription("i386", List.of(new Feature("org.gnu.gdb.i386.core",
          x86Core(List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"), "eip", 32))));
      case "arm64" -> new TargetDescription("aarch64", List.of(
          new Feature("org.gnu.gdb.aarch64.core", aarch64Core())));
      default -> throw new IllegalArgumentException("no gdb target description for " + arch);
    };
  }

  private static List<Reg> x86Core(List<String> gprs, String ip, int bits) {
    List<Reg> r = new ArrayList<>();
    for (String g : gprs) {
      String type = g.endsWith("sp") || g.endsWith("bp") ? "data_ptr" : "int" + bits;
      r.add(new Reg(g, bits, type, g));
    }
    r.add(new Reg(ip, bits, "code_ptr", ip));
    r.add(new Reg("eflags", 32, "int32", "eflags"));
    for (String seg : List.of("cs", "ss", "ds", "es", "fs", "gs")) {
      r.add(new Reg(seg, 32, "int32", seg));
    }
    for (int i = 0; i < 8; i++) {
      r.add(new Reg("st" + i, 80, "i387_ext", null));
    }
    for (String f : List.of("fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop")) {
      r.add(new Reg(f, 32, "int", null));
    }
    return r;
  }

  private static List<Reg> aarch64Core() {
    List<Reg> r = new ArrayList<>();
    for (int i = 0; i <= 30; i++) {
      r.add(new Reg("x" + i, 64, "int", "x" + i));
    }
    r.add(new Reg("sp", 64, "data_ptr", "sp"));
    r.add(new Reg("pc", 64, "code_ptr", "pc"));
    r.add(new Reg("cpsr", 32, "int", "pstate"));
    return r;
  }

  /** Every register, numbered as gdb numbers them (the order of the features). */
  List<Reg> registers() {
    List<Reg> all = new ArrayList<>();
    features.forEach(f -> all.addAll(f.regs()));
    return all;
  }

  /** target.xml, as qXfer:features:read serves it. */
  String xml() {
    StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        + "  <architecture>" + architecture + "</architecture>\n");
    int n = 0;
    for (Feature f : features) {
      s.append("  <feature name=\"").append(f.name()).append("\">\n");
      for (Reg r : f.regs()) {
        s.append(String.format("    <reg name=\"%s\" bitsize=\"%d\" type=\"%s\" regnum=\"%d\"/>%n",
            r.name(), r.bits(), r.type(), n++));
      }
      s.append("  </feature>\n");
    }
    return s.append("</target>\n").toString();
  }

  /** A register's value as gdb's 'g' and 'p' packets carry it: little-endian hex of its width. */
  static String value(Cpu cpu, Reg r) {
    long v = r.cpuName() == null || !cpu.registers().has(r.cpuName()) ? 0 : cpu.get(r.cpuName());
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < r.bits() / 8; i++) {
      s.append(String.format("%02x", i < 8 ? (v >>> (8 * i)) & 0xff : 0));
    }
    return s.toString();
  }

  /**
   * Writes a register from its little-endian hex; a register the CPU does not have takes only zero
   * (an x87 register, x86_64's ds), anything else there is refused.
   */
  static void write(Cpu cpu, Reg r, String hex) {
    byte[] b = Packets.bytes(hex);
    if (b.length != r.bits() / 8) {
      throw new IllegalArgumentException(r.name() + " takes " + r.bits() / 8 + " bytes");
    }
    long v = 0;
    for (int i = Math.min(8, b.length) - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xff);
    }
    if (r.cpuName() == null || !cpu.registers().has(r.cpuName())) {
      if (v != 0) {
        throw new IllegalArgumentException(r.name() + " is not modelled");
      }
      return;
    }
    cpu.set(r.cpuName(), v);
  }
}
