package kstack.kernel;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The name of each system call number in the profile's table, as an array made the first time a
 * number is named: the entry and exit of every system call name it on the timeline, so the name is
 * one index, not a walk of the table. Where two names share a number the first in the table's
 * order names it, as a walk would.
 */
final class SyscallNames {
  private final Supplier<Map<String, Integer>> table;
  private String[] byNumber;

  /** table gives the arch's system call numbers by name (fixed for the profile). */
  SyscallNames(Supplier<Map<String, Integer>> table) {
    this.table = table;
  }

  String name(long nr) {
    String[] names = byNumber;
    if (names == null) {
      names = build(table.get());
      byNumber = names;
    }
    String n = nr >= 0 && nr < names.length ? names[(int) nr] : null;
    return n != null ? n : "syscall " + nr;
  }

  private static String[] build(Map<String, Integer> numbers) {
    int max = -1;
    for (int nr : numbers.values()) {
      max = Math.max(max, nr);
    }
    String[] names = new String[max + 1];
    for (var e : numbers.entrySet()) {
      int nr = e.getValue();
      if (nr >= 0 && names[nr] == null) {
        names[nr] = e.getKey();
      }
    }
    return names;
  }
}
