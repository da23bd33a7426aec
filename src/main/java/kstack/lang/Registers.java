package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.cpu.Cpu;
import kstack.cpu.RegisterSet;
import kstack.kernel.MmMember;
import kstack.lang.Session.Call;
import kstack.machine.Machine;

/**
 * {@code info registers [NAME...]}, as gdb has it: every register of the selected CPU, or only the
 * ones named (with or without gdb's {@code $}, in the order given; {@code pc}, {@code sp},
 * {@code fp} and {@code retval} name the arch's own). Each line shows the raw bits at the register's
 * width and the natural value, as gdb's types for them show it: a code address with its symbol, the
 * stack and frame pointers in hex, the others as signed integers of the register's width.
 */
final class Registers {
  private Registers() {}

  /** Every register, or those the words after the subcommand name. */
  static Result info(Machine m, Call c, String cmd) {
    Cpu cpu = m.cpu(m.selectedCpu());
    RegisterSet set = cpu.registers();
    List<String[]> wanted = new ArrayList<>(); // {shown name, register}
    List<Call.Word> words = c.words();
    for (Call.Word w : words.subList(1, words.size())) {
      String name = w.text().startsWith("$") ? w.text().substring(1) : w.text();
      String real = set.resolve(name);
      if (!set.visibleNames().contains(real)) {
        throw new ScriptError(c.line.file(), c.line.number(), w.column(), "info registers: no "
            + "register '" + w.text() + "' on " + m.arch().name() + " (registers: "
            + String.join(", ", set.visibleNames()) + "; also pc, sp, fp, retval)");
      }
      wanted.add(new String[] {name, real});
    }
    if (wanted.isEmpty()) {
      for (String r : set.visibleNames()) {
        wanted.add(new String[] {r, r});
      }
    }
    List<String> text = new ArrayList<>();
    Map<String, Object> json = new LinkedHashMap<>();
    int word = m.arch().types().word;
    for (String[] w : wanted) {
      long v = cpu.get(w[1]);
      String d = m.symbols().describe(v);
      int r = set.of(w[1]);
      String natural = w[1].equals(m.arch().mmRegister()) ? pageTable(m, v)
          : d != null && m.routineAt(v) != null ? "<" + d + ">"
          : r == set.sp || r == set.fp ? "0x" + Long.toHexString(v) // gdb types them data pointers
          : Long.toString(word == 4 ? (int) v : v); // the others as signed integers of their width
      text.add(String.format("%-10s 0x%-18x %s", w[0], v, natural));
      json.put(w[0], "0x" + Long.toHexString(v));
    }
    return Result.of(cmd, text).with("cpu", m.selectedCpu()).with("registers", json);
  }

  /**
   * CR3 / TTBR0_EL1 hold a physical address (PageTableRoot); beside it, the virtual address of the
   * page-table root it names and whose mm that is.
   */
  private static String pageTable(Machine m, long root) {
    long mm = m.kernel().mm.mmOfRoot(root);
    if (mm == 0) {
      return "(no mm's page tables)";
    }
    long pgd = m.kernel().readPtr(mm + m.kernel().mm.off(MmMember.pgd));
    String d = m.symbols().describe(mm);
    return String.format("= __pa(0x%x), the pgd of %s", pgd, d != null ? d : String.format(
        "mm 0x%x", mm));
  }
}
