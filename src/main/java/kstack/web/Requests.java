package kstack.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reading a request within the server's limits: the query's parameters (at most
 * {@link #MAX_QUERY} bytes, each name once, UTF-8), the body (at most {@link #MAX_BODY} bytes,
 * UTF-8). What breaks a limit or the syntax is a {@link Refused} with its status and message.
 */
final class Requests {
  static final int MAX_QUERY = 2048;
  static final int MAX_BODY = 65536;
  /**
   * How much of a refused body is still read and dropped before answering, so that the client,
   * still sending, reads the answer instead of a connection reset; beyond it the connection is
   * simply closed.
   */
  static final int DRAIN = 1 << 20;

  private Requests() {}

  /** A request refused with an HTTP status and a one-line message. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  static Map<String, String> query(HttpExchange x) {
    String q = x.getRequestURI().getRawQuery();
    Map<String, String> out = new HashMap<>();
    if (q == null || q.isEmpty()) {
      return out;
    }
    if (q.length() > MAX_QUERY) {
      throw new Refused(414, "query longer than " + MAX_QUERY + " bytes");
    }
    for (String part : q.split("&")) {
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      String value = eq < 0 ? "" : decode(part.substring(eq + 1));
      if (out.put(name, value) != null) {
        throw new Refused(400, "parameter '" + name + "' given twice");
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "malformed percent-encoding in the query");
    }
  }

  /** The body as UTF-8 text, refused beyond MAX_BODY bytes or when not valid UTF-8. */
  static String body(HttpExchange x) throws IOException {
    String declared = x.getRequestHeaders().getFirst("Content-Length");
    long length = declared != null && declared.matches("\\d{1,18}") ? Long.parseLong(declared)
        : -1;
    if (length > DRAIN) {
      throw new Refused(413, "request body larger than " + MAX_BODY + " bytes");
    }
    boolean tooLarge = length > MAX_BODY;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (InputStream in = x.getRequestBody()) {
      byte[] buf = new byte[8192];
      int n;
      while (!tooLarge && (n = in.read(buf)) > 0) {
        b.write(buf, 0, n);
        tooLarge = b.size() > MAX_BODY;
      }
      if (tooLarge) {
        for (long dropped = 0; dropped < DRAIN && (n = in.read(buf)) > 0; dropped += n) {
          // read and dropped, within DRAIN
        }
        throw new Refused(413, "request body larger than " + MAX_BODY + " bytes");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new Refused(400, "request body is not UTF-8 text");
    }
  }

  /** An integer parameter (a pid), or null when absent; refused when not a number in range. */
  static Integer integer(Map<String, String> q, String name) {
    Long v = number(q, name);
    if (v != null && v > Integer.MAX_VALUE) {
      throw new Refused(400, "parameter '" + name + "' is out of range: " + v);
    }
    return v == null ? null : v.intValue();
  }

  /** A non-negative long parameter (a step), or null when absent; refused when not one. */
  static Long number(Map<String, String> q, String name) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!v.matches("\\d{1,18}")) {
      throw new Refused(400, "parameter '" + name + "' must be a number, not '"
          + Json.oneLine(v) + "'");
    }
    return Long.parseLong(v);
  }
}
