package kstack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kstack.lang.ScriptError;
import kstack.lang.Source;
import kstack.lang.TextInput;

/** Built-in scenarios (one per seed-article story) and scenario files. */
public final class Scenarios {
  private Scenarios() {}

  /** Name → one-line description; the files live in src/main/resources/scenarios/NAME.ks. */
  public static final Map<String, String> BUILTIN = new LinkedHashMap<>();

  static {
    BUILTIN.put("boot",
        "from init_stack (startup_64 / startup_32 / __primary_switched) to pid 1 and pid 2 (default)");
    BUILTIN.put("syscall", "a system call's life: pt_regs at the top of the stack, back to user");
    BUILTIN.put("fork", "clone(SIGCHLD): the child's forged first switch-in and its return of 0");
    BUILTIN.put("kthread", "kthread_create_on_node, kthread_create_list and kthreadd");
    BUILTIN.put("pipe", "a blocking read on an empty pipe: the switch away and back");
    BUILTIN.put("sleep", "nanosleep: blocked in do_nanosleep until the timer expires");
    BUILTIN.put("exit", "exit and wait4: the stack is released and the zombie reaped");
    BUILTIN.put("calls", "user function calls (SysV ABI / i386 cdecl / AAPCS64): frames on the user stack");
  }

  public static String builtinText(String name) {
    try (InputStream in = Scenarios.class.getResourceAsStream("/scenarios/" + name + ".ks")) {
      if (in == null) {
        throw new IllegalStateException("built-in scenario " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in scenario " + name + ": " + e);
    }
  }

  /**
   * A built-in as a profile tells it: a generation whose kernel lacks the functions or members a
   * story names (2.4 has no dup_task_struct, vfs_write or task->stack) has its own telling in
   * scenarios/KERNEL/NAME.ks; an architecture whose registers or calling convention the story
   * shows (i386 cdecl passes every argument on the stack, arm64 passes eight in x0-x7) has its own
   * in scenarios/ARCH/NAME.ks; every other profile runs the common one. Files load as they are.
   */
  public static Source load(String nameOrFile, kstack.profile.Profile p) {
    if (BUILTIN.containsKey(nameOrFile)) {
      for (String dir : new String[] {p.kernel(), p.arch()}) {
        try (InputStream in = Scenarios.class.getResourceAsStream(
            "/scenarios/" + dir + "/" + nameOrFile + ".ks")) {
          if (in != null) {
            return Source.parse(nameOrFile + ".ks",
                new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot read built-in scenario " + nameOrFile + ": " + e);
        }
      }
    }
    return load(nameOrFile);
  }

  /**
   * A built-in by name, or a file read within {@link TextInput}'s limits; a file that cannot be
   * read is a ScriptError at FILE:1:1 with the reason (not found, permission denied, a directory).
   * An empty name is a usage error (IllegalArgumentException): as a path it would name the current
   * directory.
   */
  public static Source load(String nameOrFile) {
    if (BUILTIN.containsKey(nameOrFile)) {
      return Source.parse(nameOrFile + ".ks", builtinText(nameOrFile));
    }
    if (nameOrFile.isBlank()) {
      throw new IllegalArgumentException("the scenario name is empty (a built-in scenario: "
          + String.join(", ", BUILTIN.keySet()) + ", or a file)");
    }
    Path p;
    try {
      p = Path.of(nameOrFile);
    } catch (InvalidPathException e) {
      throw new ScriptError(nameOrFile, 1, 1, "not a file name: " + e.getReason());
    }
    if (Files.isDirectory(p)) {
      throw new ScriptError(nameOrFile, 1, 1, "is a directory, not a scenario file");
    }
    try (InputStream in = Files.newInputStream(p)) {
      return Source.read(new TextInput(nameOrFile, in, TextInput.MAX_FILE_BYTES), nameOrFile);
    } catch (NoSuchFileException e) {
      throw new ScriptError(nameOrFile, 1, 1, "no such scenario file (built-in scenarios: "
          + String.join(", ", BUILTIN.keySet()) + ")");
    } catch (AccessDeniedException e) {
      throw new ScriptError(nameOrFile, 1, 1, "cannot read scenario: permission denied");
    } catch (FileSystemException e) {
      throw new ScriptError(nameOrFile, 1, 1, "cannot read scenario: "
          + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
    } catch (IOException e) {
      throw new ScriptError(nameOrFile, 1, 1, "cannot read scenario: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    }
  }
}
