package kstack.web;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;

/**
 * The server's sessions, one per browser tab: each its own machine (the profile, CPUs and the
 * scenario's commands run first) and command session, under a random id. At most {@link #MAX}
 * live at once; making one more releases the one idle longest, so machines do not pile up.
 */
final class WebSessions {
  static final int MAX = 8;

  private final Profile profile;
  private final int cpus;
  private final List<Source.Line> scenario;
  private final SecureRandom random = new SecureRandom();
  /** Access order: the first entry is the one idle longest. */
  private final Map<String, Tab> tabs = new LinkedHashMap<>(16, 0.75f, true);

  /** One tab's machine and command session; calls on it are serialized by the tab itself. */
  record Tab(String id, Session session) {
    Machine machine() {
      return session.machine();
    }
  }

  WebSessions(Profile profile, int cpus, List<Source.Line> scenario) {
    this.profile = profile;
    this.cpus = cpus;
    this.scenario = List.copyOf(scenario);
  }

  /** A new tab's session: a machine that has run the scenario (its failure is the caller's). */
  Tab create() {
    Session s = new Session(Machine.create(profile, cpus));
    for (Source.Line line : scenario) {
      s.execute(line);
    }
    return adopt(s);
  }

  /** A session made elsewhere (a tour's machine) kept as a tab under a new id. */
  Tab adopt(Session s) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    Tab t = new Tab(HexFormat.of().formatHex(b), s);
    synchronized (tabs) {
      if (tabs.size() >= MAX) {
        tabs.remove(tabs.keySet().iterator().next());
      }
      tabs.put(t.id(), t);
    }
    return t;
  }

  /** The tab with that id, or null. */
  Tab get(String id) {
    synchronized (tabs) {
      return tabs.get(id);
    }
  }
}
