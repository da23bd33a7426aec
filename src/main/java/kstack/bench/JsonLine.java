package kstack.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** One JSON object on one line, opened with a profile's arch, kernel and version. */
final class JsonLine {
  /** Writes the figures after the profile's names. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private JsonLine() {}

  static String of(String arch, String kernel, String version, Body body) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("arch", arch);
      g.writeStringField("kernel", kernel);
      g.writeStringField("version", version);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
