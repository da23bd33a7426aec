package kstack.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import kstack.cli.Scenarios;
import kstack.lang.Source;
import kstack.profile.Profile;

/** Servers for the web tests: the server's own scenario given as lines, built-ins by name. */
final class TestServers {
  private TestServers() {}

  /** A scenario source whose own scenario is lines; a name is a built-in, as kstack web serves. */
  static ScenarioSource source(List<String> lines) {
    List<Source.Line> own = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      own.add(new Source.Line("t", i + 1, 1, lines.get(i)));
    }
    return (name, p) -> {
      if (name == null) {
        return own;
      }
      if (!Scenarios.BUILTIN.containsKey(name)) {
        throw new IllegalArgumentException("no built-in scenario '" + name + "'");
      }
      return Scenarios.load(name, p).lines();
    };
  }

  static WebServer start(Profile p, List<String> lines) throws IOException {
    return WebServer.start(p, 1, source(lines), 0);
  }
}
