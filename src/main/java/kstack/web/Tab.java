package kstack.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kstack.lang.JsonTree;
import kstack.lang.Result;
import kstack.lang.Session;
import kstack.lang.StateExport;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.stack.Snapshot;
import kstack.view.Pictures;
import kstack.view.SvgPicture;

/**
 * One browser tab's session: its machine's {@link History}, the state the panes show (made once per
 * change, with what the change altered), and its event streams. Every call is serialized on the
 * tab; the time of the last one says how long it has been idle.
 */
final class Tab {
  private final String id;
  private final Profile profile;
  private final String scenario;
  private final History history;
  private final Streams streams = new Streams();
  private Map<String, String> values = Map.of();
  private List<String> changed = List.of();
  private String stateJson;
  private long lastUsed;

  Tab(String id, Profile profile, String scenario, Supplier<Session> fresh, long now) {
    this.id = id;
    this.profile = profile;
    this.scenario = scenario;
    this.history = new History(fresh);
    this.lastUsed = now;
    refresh();
  }

  String id() {
    return id;
  }

  Profile profile() {
    return profile;
  }

  String scenario() {
    return scenario;
  }

  Streams streams() {
    return streams;
  }

  synchronized long lastUsed() {
    return lastUsed;
  }

  synchronized void touch(long now) {
    lastUsed = now;
  }

  synchronized Machine machine() {
    return history.machine();
  }

  synchronized long step() {
    return history.step();
  }

  /** Runs a command line (a ScriptError is the command's located failure); pushes the change. */
  synchronized Result run(String line) {
    try {
      return history.run(line);
    } finally {
      refresh();
    }
  }

  /** Goes to step (clamped to the run) and pushes the change. */
  synchronized void seek(long step) {
    history.seek(step);
    refresh();
  }

  /**
   * One step forward or back: back and forward within the run are seeks; forward at the end of the
   * run executes the next step ({@code stepi}), which extends it.
   */
  synchronized void step(boolean forward) {
    if (forward && history.step() == history.frontier()) {
      run("stepi");
    } else {
      seek(history.step() + (forward ? 1 : -1));
    }
  }

  /** Goes to the next or previous event of the kind; false when there is none. */
  synchronized boolean jump(History.Kind kind, boolean forward) {
    long s = history.eventStep(kind, forward);
    if (s < 0) {
      return false;
    }
    seek(s);
    return true;
  }

  synchronized String stateJson() {
    return stateJson;
  }

  /** The stacks drawn (every stack, or one task's); null when no task has the pid. */
  synchronized String svg(Integer pid) {
    Machine m = history.machine();
    if (pid != null && m.inspector().findTaskByVpid(pid) == 0) {
      return null;
    }
    return render(m.inspector().snapshot(), pid);
  }

  /**
   * The stacks a selection draws at this step, as JSON: the pid drawn (null: every stack), what
   * that is, the note when a picked pid has no task here, and the SVG.
   */
  synchronized String drawing(Selection sel) {
    Machine m = history.machine();
    var snap = m.inspector().snapshot();
    Selection.Drawn d = sel.resolve(snap, m.selectedCpu());
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("step", snap.step());
    o.put("pid", d.pid());
    o.put("what", d.what());
    o.put("note", d.note());
    o.put("svg", render(snap, d.pid()));
    return json(o);
  }

  private String render(Snapshot snap, Integer pid) {
    return SvgPicture.render(Pictures.of(snap, pid, "kstack " + profile.label() + ", step "
        + snap.step() + (pid == null ? ": every stack" : ": pid " + pid)));
  }

  synchronized History history() {
    return history;
  }

  /** The panes' state after a change, what the change altered, and the push to the streams. */
  private void refresh() {
    Map<String, Object> state = StateExport.of(history.machine());
    Map<String, String> now = StateView.values(state);
    if (!now.equals(values)) { // a command that only read the machine keeps the last change shown
      changed = StateView.changed(values, now);
      values = now;
    }
    stateJson = json(StateView.of(history, state, changed));
    streams.push("state", "{\"step\":" + history.step() + ",\"frontier\":" + history.frontier()
        + "}");
  }

  static String json(Object tree) {
    StringWriter w = new StringWriter();
    try {
      JsonTree.write(w, tree, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
