package kstack.lang;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.machine.Machine;
import kstack.trace.Event;
import kstack.trace.Timeline;

/**
 * {@code export trace --format json}: every event of the run as data, in order, with the step it
 * happened in, its type (the record's name in {@link Event}), its fields (the record's components,
 * in declaration order: ints as numbers, longs as hex strings, enums by name) and the story line.
 */
final class TraceExport {
  private TraceExport() {}

  static Map<String, Object> events(Machine m) {
    Timeline t = m.timeline();
    List<Object> out = new ArrayList<>();
    List<Event> all = t.events();
    for (int i = 0; i < all.size(); i++) {
      Event e = all.get(i);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("step", t.stepOf(i));
      o.put("type", e.getClass().getSimpleName());
      o.put("cpu", e.cpu());
      o.put("fields", fields(e));
      o.put("text", e.describe());
      out.add(o);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("profile", m.profile().label());
    root.put("steps", t.steps());
    root.put("events", out);
    return root;
  }

  /** The record's components by name, cpu left out (it has its own key). */
  static Map<String, Object> fields(Event e) {
    Map<String, Object> o = new LinkedHashMap<>();
    for (RecordComponent rc : e.getClass().getRecordComponents()) {
      if (rc.getName().equals("cpu")) {
        continue;
      }
      Object v;
      try {
        v = rc.getAccessor().invoke(e);
      } catch (ReflectiveOperationException ex) {
        throw new IllegalStateException("event " + e.getClass().getSimpleName() + "."
            + rc.getName() + " cannot be read", ex);
      }
      o.put(rc.getName(), v instanceof Long l ? "0x" + Long.toHexString(l) : v);
    }
    return o;
  }
}
