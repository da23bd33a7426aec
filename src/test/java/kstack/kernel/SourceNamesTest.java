package kstack.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kstack.image.Symbol;
import kstack.machine.Machine;
import kstack.profile.Generations;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * Every function and label symbol of every profile's image must be a name its own Linux version
 * defines. The lists in src/test/resources/linux-names/VERSION.txt were read from the version's
 * source snapshot (/work/shared/linux-facts.md section 0): one line per name the images use and a
 * file of that snapshot defining it (a C function, an asm label or ENTRY/SYM_* symbol, a linker
 * script symbol, or the macro that generates it: SYSCALL_DEFINEn, DEFINE_IDTENTRY_*, idtentry,
 * apicinterrupt, PTREGSCALL, BUILD_IRQ, entry_handler). A name a later or earlier kernel has,
 * or one only another architecture defines, fails here.
 */
class SourceNamesTest {
  /**
   * Names that are no Linux names: the simulator's own user program (kstack-box: its crt1 _start,
   * its functions, and the libc-style system-call wrappers it links, which live in user space) and
   * its demo module (kstack_demo), which every generation loads the same way.
   */
  private static final Set<String> SIMULATOR_ONLY = Set.of(
      // kstack-box's own functions (kernel/UserProgram.java)
      "_start", "main", "init_main", "outer", "middle", "inner", "call8", "sum8",
      // kstack-box's libc-style wrappers: user-space code that issues the system call
      "read", "write", "fork", "clone", "clone3", "execve", "exit", "exit_group", "wait4",
      "getpid", "pipe", "pipe2", "nanosleep", "clock_nanosleep", "sched_yield", "finit_module",
      "init_module",
      // the kstack_demo module's functions (kernel/Kthread.java, kernel/Irq.java)
      "kstack_demo_init", "kstack_demo_thread", "kstack_demo_recurse", "kstack_demo_interrupt",
      "kstack_demo_tasklet");

  /** Where each architecture's own code lives; anything outside arch/ and include/asm-* is shared. */
  private static final Map<String, List<String>> ARCH_DIRS = Map.of(
      "x86_64", List.of("arch/x86/", "arch/x86_64/", "include/asm-x86_64/", "include/asm-x86/"),
      "i386", List.of("arch/x86/", "arch/i386/", "include/asm-i386/", "include/asm-x86/"),
      "arm64", List.of("arch/arm64/"));

  @Test
  void everyFunctionSymbolOfEveryProfileExistsInItsOwnSource() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      Map<String, List<String>> defined = load(p.version());
      for (Symbol s : Machine.create(p, 1).symbols().all()) {
        if (s.kind() != Symbol.Kind.FUNC && s.kind() != Symbol.Kind.LABEL
            || SIMULATOR_ONLY.contains(s.name())
            || Generations.whyMissing(p, s.name()).isPresent()) { // refused (GenerationNamesTest)
          continue;
        }
        List<String> files = defined.getOrDefault(s.name(), List.of());
        if (files.stream().noneMatch(f -> ownArch(p.arch(), f))) {
          wrong.add(p.label() + ": " + s.name() + (files.isEmpty() ? " is not defined in Linux "
              + p.version() : " is defined only in " + files));
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theNamesTheOldChainsUsedAreNotIn2632() throws IOException {
    // the names the 2.6.32 images used before they were fixed: a list that held them would pass
    Map<String, List<String>> v2632 = load("2.6.32");
    for (String n : List.of("handle_irq_event", "handle_irq_event_percpu",
        "__handle_irq_event_percpu", "do_init_module", "sys_finit_module")) {
      assertThat(v2632).as(n).doesNotContainKey(n);
    }
    assertThat(v2632).containsKeys("handle_IRQ_event", "sys_init_module", "do_one_initcall");
    assertThat(load("6.19")).doesNotContainKey("native_cpu_up").containsKey("native_kick_ap");
  }

  private static boolean ownArch(String arch, String file) {
    if (!file.startsWith("arch/") && !file.startsWith("include/asm-")
        || file.startsWith("include/asm-generic/")) {
      return true;
    }
    return ARCH_DIRS.get(arch).stream().anyMatch(file::startsWith);
  }

  /** name → the files defining it, from linux-names/VERSION.txt ("name path", # comments). */
  private static Map<String, List<String>> load(String version) throws IOException {
    String res = "/linux-names/" + version + ".txt";
    var in = SourceNamesTest.class.getResourceAsStream(res);
    assertThat(in).as(res).isNotNull();
    Map<String, List<String>> m = new HashMap<>();
    try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        m.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
      }
    }
    return m;
  }
}
