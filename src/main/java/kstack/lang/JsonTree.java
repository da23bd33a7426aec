package kstack.lang;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of plain Java values (maps in insertion order, lists, strings, numbers, booleans,
 * null) as JSON: the one writer of the {@code --json} objects and of the exported files, so both
 * come out byte for byte the same on every run.
 */
public final class JsonTree {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTree() {}

  /** v as JSON into w, indented when pretty (the exported files) or on one line. */
  public static void write(Writer w, Object v, boolean pretty) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      value(g, v);
    }
  }

  /** One value into an open generator. */
  public static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (var e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        value(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(String.valueOf(v));
    }
  }
}
