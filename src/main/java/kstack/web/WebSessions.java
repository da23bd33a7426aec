package kstack.web;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;

/**
 * The server's sessions, one per browser tab (two for a side-by-side view): each its own machine of
 * a profile, having run a scenario's commands first, under a random id. At most {@link #MAX} live at
 * once (making one more releases the one idle longest), and one idle for longer than the idle limit
 * is released by {@link #releaseIdle}, so machines do not pile up.
 */
final class WebSessions {
  static final int MAX = 8;

  private final int cpus;
  private final ScenarioSource scenarios;
  private final long idleNanos;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  /** Access order: the first entry is the one idle longest. */
  private final Map<String, Tab> tabs = new LinkedHashMap<>(16, 0.75f, true);

  WebSessions(int cpus, ScenarioSource scenarios, long idleNanos, LongSupplier clock) {
    this.cpus = cpus;
    this.scenarios = scenarios;
    this.idleNanos = idleNanos;
    this.clock = clock;
  }

  /**
   * A new tab's session on the profile: a machine that has run the scenario (a ScriptError when it
   * fails; IllegalArgumentException for an unknown scenario or a CPU count the profile refuses).
   */
  Tab create(Profile profile, String scenario) {
    List<Source.Line> lines = scenarios.lines(scenario, profile);
    kstack.machine.CpuLimits.check(profile, cpus);
    return register(new Tab(newId(), profile, scenario, () -> {
      Session s = new Session(Machine.create(profile, cpus));
      for (Source.Line line : lines) {
        s.execute(line);
      }
      return s;
    }, clock.getAsLong()));
  }

  /**
   * A session made elsewhere (a tour's machine at a stop) kept as a tab; again makes the same
   * session anew, for the replays of its history.
   */
  Tab adopt(Session s, java.util.function.Supplier<Session> again) {
    boolean[] first = {true};
    return register(new Tab(newId(), s.machine().profile(), null, () -> {
      if (first[0]) {
        first[0] = false;
        return s;
      }
      return again.get();
    }, clock.getAsLong()));
  }

  private String newId() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private Tab register(Tab t) {
    List<Tab> released = new ArrayList<>();
    synchronized (tabs) {
      if (tabs.size() >= MAX) {
        released.add(tabs.remove(tabs.keySet().iterator().next()));
      }
      tabs.put(t.id(), t);
    }
    released.forEach(r -> r.streams().closeAll());
    return t;
  }

  /** The tab with that id (now counted as used), or null. */
  Tab get(String id) {
    Tab t;
    synchronized (tabs) {
      t = tabs.get(id);
    }
    if (t != null) {
      t.touch(clock.getAsLong());
    }
    return t;
  }

  /** Releases the tab with that id now (its page was closed or left it); false when none. */
  boolean release(String id) {
    Tab t;
    synchronized (tabs) {
      t = tabs.remove(id);
    }
    if (t != null) {
      t.streams().closeAll();
    }
    return t != null;
  }

  /** Releases every tab idle for longer than the limit; returns how many. */
  int releaseIdle() {
    long now = clock.getAsLong();
    List<Tab> released = new ArrayList<>();
    synchronized (tabs) {
      tabs.values().removeIf(t -> {
        boolean idle = now - t.lastUsed() > idleNanos;
        if (idle) {
          released.add(t);
        }
        return idle;
      });
    }
    released.forEach(r -> r.streams().closeAll());
    return released.size();
  }

  /** A comment on every open event stream, so that those of closed tabs are found and dropped. */
  void pingStreams() {
    List<Tab> all;
    synchronized (tabs) {
      all = new ArrayList<>(tabs.values());
    }
    all.forEach(t -> t.streams().ping());
  }

  int size() {
    synchronized (tabs) {
      return tabs.size();
    }
  }
}
