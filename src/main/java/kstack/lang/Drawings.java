package kstack.lang;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.machine.Machine;
import kstack.stack.Snapshot;
import kstack.view.Picture;
import kstack.view.Pictures;
import kstack.view.SvgPicture;
import kstack.view.TextPicture;

/**
 * {@code export svg FILE [PID]} and {@code stack --draw [PID]}: the machine's stacks drawn from
 * its snapshot (kstack.view), as an SVG file or as a boxed text diagram.
 */
final class Drawings {
  private Drawings() {}

  /** The picture of every stack (pid null) or of one task and the stacks it touches. */
  static Picture picture(Machine m, Integer pid) {
    Snapshot snap = m.inspector().snapshot();
    String what = pid == null ? "every stack" : "pid " + pid + " and the stacks it touches";
    return Pictures.of(snap, pid, "kstack " + m.profile().label() + ", step " + snap.step() + ": "
        + what);
  }

  /** export svg FILE [PID]: writes the SVG; says where and how large. */
  static Result export(Session s, Call c, String cmd) {
    List<Call.Word> w = c.words();
    if (w.size() < 2 || w.size() > 3 || !w.get(0).text().equals("svg")) {
      throw c.errorAtWord("usage: export svg FILE [PID]");
    }
    Integer pid = null;
    if (w.size() == 3) {
      pid = pid(s.machine(), c, w.get(2));
    }
    String svg = SvgPicture.render(picture(s.machine(), pid));
    Path file = Path.of(w.get(1).text());
    try {
      Files.writeString(file, svg, StandardCharsets.UTF_8);
    } catch (IOException | java.nio.file.InvalidPathException | SecurityException e) {
      throw new ScriptError(c.line.file(), c.line.number(), w.get(1).column(),
          "export svg: cannot write " + ScriptError.oneLine(w.get(1).text()) + ": "
              + ScriptError.oneLine(String.valueOf(Export.reason(e))));
    }
    return Result.of(cmd, List.of(String.format("Wrote %s (%d bytes)", file, svg.length())))
        .with("file", file.toString()).with("bytes", svg.length());
  }

  /** A PID argument: an expression naming a task that exists, else an error at its column. */
  static int pid(Machine m, Call c, Call.Word w) {
    long v = c.eval(w.text(), w.column()).asLong();
    if (v < 0 || v > Integer.MAX_VALUE || m.inspector().findTaskByVpid((int) v) == 0) {
      throw new ScriptError(c.line.file(), c.line.number(), w.column(), "no task with pid " + v);
    }
    return (int) v;
  }

  /** stack --draw [PID]: the boxed text diagram (pid null: the selected CPU's current task). */
  static Result draw(Machine m, String cmd, int pid) {
    List<String> lines = TextPicture.render(picture(m, pid));
    return Result.of(cmd, lines).with("pid", pid).with("lines", lines);
  }
}
