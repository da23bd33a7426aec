package kstack.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import kstack.lang.Result;

/** Writes results as text for people or as one JSON object per line (the --json contract). */
final class Output {
  private final PrintWriter out;
  private final boolean json;
  private final JsonFactory factory = new JsonFactory();
  private Colour colour = Colour.NONE;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** Colours the text results from here on (a terminal's; never JSON). */
  void paint(Colour c) {
    colour = json ? Colour.NONE : c;
  }

  void header(String line) {
    if (!json) {
      out.println(line);
    }
  }

  /** The lines that say which kernel's layouts a run uses; in JSON one object of their fields. */
  void btf(List<String> lines, Map<String, Object> fields) {
    if (!json) {
      lines.forEach(out::println);
    } else {
      out.println(object("", true, fields, null));
    }
  }

  void result(Result r) {
    if (!json) {
      out.println(colour.prompt("(kstack)") + " " + r.command());
      for (String l : r.text()) {
        out.println(colour.line(l));
      }
      return;
    }
    out.println(object(r.command(), true, r.json(), null));
  }

  /** A result at the interactive prompt: the typed command is not echoed again. */
  void answer(Result r) {
    if (!json) {
      r.text().forEach(l -> out.println(colour.line(l)));
    } else {
      out.println(object(r.command(), true, r.json(), null));
    }
    out.flush();
  }

  void failure(String command, String located) {
    if (json) {
      out.println(object(command, false, Map.of(), located));
    } else if (command != null) {
      out.println(colour.prompt("(kstack)") + " " + command);
    }
  }

  private String object(String command, boolean ok, Map<String, Object> fields, String error) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("command", command == null ? "" : command);
      g.writeBooleanField("ok", ok);
      if (error != null) {
        g.writeStringField("error", error);
      }
      for (var e : fields.entrySet()) {
        g.writeFieldName(e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    kstack.lang.JsonTree.value(g, v);
  }
}
