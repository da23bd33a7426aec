package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The i386 system call numbers the model uses (arch/x86/entry/syscalls/syscall_32.tbl@4.16.13,
 * research §0.3; include/asm-i386/unistd.h@2.4.22 and @2.6.11): the ones every generation has, and
 * those a generation's table adds, in one order.
 */
final class I386Unistd {
  private I386Unistd() {}

  private static final List<Map.Entry<String, Integer>> ALL = List.of(
      Map.entry("exit", 1), Map.entry("fork", 2), Map.entry("read", 3), Map.entry("write", 4),
      Map.entry("execve", 11), Map.entry("getpid", 20), Map.entry("pipe", 42),
      Map.entry("wait4", 114), Map.entry("clone", 120), Map.entry("init_module", 128),
      Map.entry("sched_yield", 158), Map.entry("nanosleep", 162), Map.entry("exit_group", 252),
      Map.entry("clock_nanosleep", 267), Map.entry("clone3", 435), Map.entry("pipe2", 331),
      Map.entry("finit_module", 350));

  /** The calls not every generation's table has. */
  private static final Set<String> OPTIONAL = Set.of("init_module", "exit_group",
      "clock_nanosleep", "clone3", "pipe2", "finit_module");

  /** The table: the common calls plus the optional ones named. */
  static Map<String, Integer> table(String... optional) {
    Set<String> with = Set.of(optional);
    Map<String, Integer> m = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : ALL) {
      if (!OPTIONAL.contains(e.getKey()) || with.contains(e.getKey())) {
        m.put(e.getKey(), e.getValue());
      }
    }
    return m;
  }
}
