package kstack.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tab's server-sent event streams: each an open answer to {@code GET /api/stream} that stays
 * open after its handler returns (no thread waits on it), to which each change of the tab's
 * machine is written as one {@code state} event. A client that has gone away makes its write fail,
 * and its stream is closed and dropped there; the others go on. At most {@link #MAX} per tab.
 */
final class Streams {
  static final int MAX = 4;

  private final List<HttpExchange> open = new ArrayList<>();

  /** Starts the event stream on x and keeps it; the oldest of a full list is closed. */
  synchronized void add(HttpExchange x) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    x.sendResponseHeaders(200, 0);
    if (open.size() >= MAX) {
      open.remove(0).close();
    }
    open.add(x);
    write(x, "retry: 2000\n\n");
  }

  /** One event to every open stream, dropping those whose client is gone. */
  synchronized void push(String event, String data) {
    send("event: " + event + "\ndata: " + data + "\n\n");
  }

  /** A comment line on every stream, so that a dead connection is noticed while nothing changes. */
  synchronized void ping() {
    send(": ping\n\n");
  }

  synchronized int size() {
    return open.size();
  }

  synchronized void closeAll() {
    open.forEach(HttpExchange::close);
    open.clear();
  }

  private void send(String text) {
    open.removeIf(x -> !write(x, text));
  }

  private static boolean write(HttpExchange x, String text) {
    try {
      OutputStream o = x.getResponseBody();
      o.write(text.getBytes(StandardCharsets.UTF_8));
      o.flush();
      return true;
    } catch (IOException | RuntimeException gone) {
      x.close();
      return false;
    }
  }
}
