package kstack.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kstack.cpu.Cpu;
import kstack.exec.Routine;
import kstack.lang.StateExport;
import kstack.machine.Machine;

/**
 * What the page's panes show at one moment, as a tree of plain values: the machine's state as
 * {@code export state} gives it (tasks, each CPU's registers and per-CPU variables, labelled stack
 * words), for each CPU the step it executes next (its text, the Linux symbol and file it models),
 * the events around this step, and what changed since the moment shown before (registers, per-CPU
 * variables, stack words), found by comparing the two moments' values.
 */
final class StateView {
  /** Events shown before the current step, and after it (the run ahead, on the way back). */
  static final int EVENTS_BEFORE = 80;
  static final int EVENTS_AFTER = 20;

  private StateView() {}

  /** The machine's values by key: cpuN.reg.NAME, cpuN.pcpu.NAME, word.ADDRESS. */
  @SuppressWarnings("unchecked")
  static Map<String, String> values(Map<String, Object> state) {
    Map<String, String> out = new TreeMap<>();
    for (Object o : (List<Object>) state.get("cpus")) {
      Map<String, Object> cpu = (Map<String, Object>) o;
      String c = "cpu" + cpu.get("cpu");
      ((Map<String, Object>) cpu.get("registers")).forEach((k, v) -> out.put(c + ".reg." + k,
          String.valueOf(v)));
      ((Map<String, Object>) cpu.get("per_cpu")).forEach((k, v) -> out.put(c + ".pcpu." + k,
          String.valueOf(((Map<String, Object>) v).get("value"))));
      for (Object r : (List<Object>) cpu.get("stacks")) {
        words((Map<String, Object>) r, out);
      }
    }
    for (Object o : (List<Object>) state.get("task_stacks")) {
      Object stack = ((Map<String, Object>) o).get("stack");
      if (stack != null) {
        words((Map<String, Object>) stack, out);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void words(Map<String, Object> region, Map<String, String> out) {
    for (Object w : (List<Object>) region.get("words")) {
      List<Object> word = (List<Object>) w;
      out.put("word." + word.get(0), String.valueOf(word.get(1)));
    }
  }

  /** The keys whose value differs between before and now (new keys count; gone ones do not). */
  static List<String> changed(Map<String, String> before, Map<String, String> now) {
    List<String> out = new ArrayList<>();
    if (before.isEmpty()) {
      return out;
    }
    now.forEach((k, v) -> {
      if (!v.equals(before.get(k))) {
        out.add(k);
      }
    });
    return out;
  }

  /** The panes' tree: the state without its stack words (the drawing shows them), and the rest. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> of(History h, Map<String, Object> state, List<String> changed) {
    Machine m = h.machine();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("profile", m.profile().label());
    root.put("step", h.step());
    root.put("frontier", h.frontier());
    root.put("floor", h.floor());
    root.put("selected_cpu", m.selectedCpu());
    root.put("tasks", state.get("tasks"));
    List<Object> cpus = new ArrayList<>();
    for (Object o : (List<Object>) state.get("cpus")) {
      Map<String, Object> cpu = new LinkedHashMap<>((Map<String, Object>) o);
      cpu.remove("stacks");
      Cpu c = m.cpu((Integer) cpu.get("cpu"));
      cpu.put("sp_name", c.registers().name(c.registers().sp));
      cpu.put("sp", String.format("0x%x", c.sp()));
      cpu.put("next", next(m, (Integer) cpu.get("cpu")));
      cpus.add(cpu);
    }
    root.put("cpus", cpus);
    root.put("events", events(h));
    Map<String, List<String>> ch = new LinkedHashMap<>();
    ch.put("registers", new ArrayList<>());
    ch.put("per_cpu", new ArrayList<>());
    ch.put("words", new ArrayList<>());
    for (String k : changed) {
      String[] p = k.split("\\.", 3);
      switch (p.length == 3 ? p[1] : p[0]) {
        case "reg" -> ch.get("registers").add(p[0].substring(3) + ":" + p[2]);
        case "pcpu" -> ch.get("per_cpu").add(p[0].substring(3) + ":" + p[2]);
        default -> ch.get("words").add(k.substring("word.".length()));
      }
    }
    root.put("changed", ch);
    return root;
  }

  /** The step cpu executes next: its text, and the Linux symbol and file its routine models. */
  private static Map<String, Object> next(Machine m, int cpu) {
    long pc = m.cpu(cpu).pc();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("pc", String.format(m.hexFormat(), pc));
    Routine r = m.routineAt(pc);
    if (r == null) {
      o.put("symbol", m.describe(pc));
      return o;
    }
    int i = r.indexOf(pc);
    o.put("symbol", m.describe(pc));
    o.put("function", r.name());
    o.put("file", r.source());
    o.put("kind", r.kind().name().toLowerCase());
    o.put("text", i >= 0 && i < r.insns().size() ? r.insn(i).text() : "");
    return o;
  }

  /** The events up to this step (the latest EVENTS_BEFORE) and the next EVENTS_AFTER of the run. */
  private static List<Object> events(History h) {
    List<History.Mark> marks = h.marks();
    long now = h.step();
    int split = 0;
    while (split < marks.size() && marks.get(split).step() <= now) {
      split++;
    }
    List<Object> out = new ArrayList<>();
    for (int i = Math.max(0, split - EVENTS_BEFORE); i < Math.min(marks.size(), split
        + EVENTS_AFTER); i++) {
      History.Mark k = marks.get(i);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("step", k.step());
      e.put("kind", k.kind().name().toLowerCase());
      e.put("cpu", k.cpu());
      e.put("text", k.text());
      e.put("ahead", i >= split);
      out.add(e);
    }
    return out;
  }
}
