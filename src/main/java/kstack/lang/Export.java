package kstack.lang;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.machine.Machine;

/**
 * {@code export WHAT ...}: writes what the machine holds to a file, dispatched on the first word
 * ({@code svg}, {@code trace}, {@code state}); each kind of file is built by its own class
 * ({@link Drawings}, {@link TraceExport}, {@link StateExport}) and described in docs/formats.md.
 */
final class Export {
  static final String USAGE = "export svg FILE [PID] | export trace --format json|perfetto FILE"
      + " | export state FILE";

  private Export() {}

  static Result run(Session s, Call c, String cmd) {
    List<Call.Word> w = c.words();
    if (w.isEmpty()) {
      throw c.errorAtWord("usage: " + USAGE);
    }
    Machine m = s.machine();
    return switch (w.get(0).text()) {
      case "svg" -> Drawings.export(s, c, cmd);
      case "trace" -> trace(m, c, cmd, w);
      case "state" -> {
        if (w.size() != 2) {
          throw at(c, w.get(w.size() == 1 ? 0 : 2), "usage: export state FILE");
        }
        yield written(c, cmd, w.get(1), StateExport.of(m), "the machine's state");
      }
      default -> throw at(c, w.get(0), "export: unknown kind '" + w.get(0).text() + "'; usage: "
          + USAGE);
    };
  }

  private static Result trace(Machine m, Call c, String cmd, List<Call.Word> w) {
    String usage = "usage: export trace --format json|perfetto FILE";
    if (w.size() != 4 || !w.get(1).text().equals("--format")) {
      throw at(c, w.get(Math.min(1, w.size() - 1)), usage);
    }
    String format = w.get(2).text();
    Object tree = switch (format) {
      case "json" -> TraceExport.events(m);
      case "perfetto" -> PerfettoTrace.of(m);
      default -> throw at(c, w.get(2), "export trace: unknown format '" + format
          + "' (json or perfetto)");
    };
    return written(c, cmd, w.get(3), tree, m.timeline().events().size() + " events as " + format);
  }

  /** Writes tree to the file a word names; a file that cannot be written is the word's error. */
  private static Result written(Call c, String cmd, Call.Word file, Object tree, String what) {
    Path p = Path.of(file.text());
    try (Writer out = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
      JsonTree.write(out, tree, true);
      out.write('\n');
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw at(c, file, "export: cannot write " + file.text() + ": " + reason(e));
    }
    return Result.of(cmd, List.of("Wrote " + what + " to " + file.text())).with("file",
        file.text());
  }

  static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage();
  }

  private static ScriptError at(Call c, Call.Word w, String message) {
    return new ScriptError(c.line.file(), c.line.number(), w.column(), message);
  }
}
