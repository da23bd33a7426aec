package kstack.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import kstack.cpu.Cpu;
import kstack.image.Symbol;
import kstack.machine.Machine;
import kstack.stack.Frame;
import kstack.stack.Snapshot;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskStack;

/**
 * {@code export state FILE}: the machine now as JSON, from the stack snapshot ({@link Snapshot})
 * and the CPUs: the tasks as ps lists them, each task's backtrace and labelled stack words, each
 * CPU's registers, current task, per-CPU variables and per-CPU stacks. Addresses and register
 * values are hex strings; docs/formats.md describes every key.
 */
public final class StateExport {
  /**
   * Per-CPU variables shown when the profile has them (older i386 kernels keep them in arrays or
   * in the task's stack, which per_cpu() also answers): the ones that locate a CPU's stacks.
   */
  private static final List<String> PER_CPU = List.of("current_task", "cpu_current_top_of_stack",
      "hardirq_stack_ptr", "irq_stack_ptr", "hardirq_ctx", "softirq_ctx", "irq_stack",
      "overflow_stack", "cpu_number", "__preempt_count");

  private StateExport() {}

  public static Map<String, Object> of(Machine m) {
    Snapshot snap = m.inspector().snapshot();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("profile", m.profile().label());
    root.put("arch", m.arch().name());
    root.put("step", snap.step());
    root.put("tasks", StackViews.ps(m, "ps", snap).json().get("tasks"));
    if (snap.taskListCorrupt() != null) {
      root.put("task_list_corrupt", snap.taskListCorrupt());
    }
    List<Object> stacks = new ArrayList<>();
    for (TaskStack t : snap.taskStacks()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pid", t.owner().pid());
      o.put("comm", t.owner().comm());
      if (t.damage() != null) {
        o.put("damage", t.damage());
      }
      o.put("backtrace", frames(t.backtrace()));
      if (t.stack() != null) {
        o.put("stack", region(t.stack()));
      }
      stacks.add(o);
    }
    root.put("task_stacks", stacks);
    List<Object> cpus = new ArrayList<>();
    for (int c = 0; c < m.cpuCount(); c++) {
      cpus.add(cpu(m, snap, c));
    }
    root.put("cpus", cpus);
    return root;
  }

  private static Map<String, Object> cpu(Machine m, Snapshot snap, int c) {
    Cpu cpu = m.cpu(c);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("cpu", c);
    Map<String, Object> regs = new LinkedHashMap<>();
    for (String r : cpu.registers().visibleNames()) {
      regs.put(r, hex(cpu.get(r)));
    }
    o.put("registers", regs);
    for (int i = 0; i < snap.tasks().size(); i++) {
      if (snap.taskStacks().get(i).owner().cpu() == c) {
        o.put("current_pid", snap.tasks().get(i).pid());
      }
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    for (String v : perCpuNames(m)) {
      long a = m.inspector().perCpuAddress(v, c);
      Symbol s = m.symbols().get(v);
      int size = s == null || s.size() <= 0 || s.size() > 8 ? m.arch().types().word : (int) s.size();
      Map<String, Object> var = new LinkedHashMap<>();
      var.put("address", hex(a));
      var.put("value", hex(m.inspector().read(a, size)));
      vars.put(v, var);
    }
    o.put("per_cpu", vars);
    List<Object> stacks = new ArrayList<>();
    for (StackRegion r : snap.cpuStacks()) {
      if (r.owner().cpu() == c) {
        stacks.add(region(r));
      }
    }
    o.put("stacks", stacks);
    return o;
  }

  /** The profile's per-CPU symbols and those of PER_CPU it can locate, sorted. */
  private static TreeSet<String> perCpuNames(Machine m) {
    TreeSet<String> out = new TreeSet<>();
    for (Symbol s : m.symbols().all()) {
      if (s.kind() == Symbol.Kind.PERCPU) {
        out.add(s.name());
      }
    }
    for (String v : PER_CPU) {
      if (m.inspector().isPerCpu(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static Map<String, Object> region(StackRegion r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", r.kind().label());
    o.put("name", r.name());
    o.put("low", hex(r.low()));
    o.put("high", hex(r.high()));
    o.put("size", r.size());
    List<Object> words = new ArrayList<>();
    for (StackWord w : r.words()) {
      words.add(List.of(hex(w.address()), hex(w.value()), w.kind().label(), w.label()));
    }
    o.put("words", words);
    o.put("frames", frames(r.frames()));
    return o;
  }

  private static List<Object> frames(List<Frame> frames) {
    List<Object> out = new ArrayList<>();
    for (Frame f : frames) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("function", f.function());
      o.put("address", hex(f.address()));
      o.put("offset", f.offset());
      o.put("stack", f.stack().label());
      if (!f.note().isEmpty()) {
        o.put("note", f.note());
      }
      out.add(o);
    }
    return out;
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
