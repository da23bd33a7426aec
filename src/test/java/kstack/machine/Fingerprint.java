package kstack.machine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.kernel.Kernel;
import kstack.mem.Memory;
import kstack.trace.Event;
import kstack.trace.JCell;
import kstack.trace.JList;
import kstack.trace.JMap;

/**
 * Everything a machine holds, section by section: every register of every CPU, every byte of kernel
 * memory and of every user address space (as a content hash), all journaled kernel bookkeeping (each
 * JCell, JList and JMap the kernel holds, found by reflection so that new ones are covered), the
 * run queues, the pid hash, the pending interrupts, the parked processes (marked on the run queues), the pending goal and the round-robin's next CPU, the
 * events and the step count. Two fingerprints are equal when the machine is in the same state.
 */
final class Fingerprint {
  private Fingerprint() {}

  static Map<String, String> of(Machine m) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("steps", Long.toString(m.timeline().steps()));
    for (int c = 0; c < m.cpuCount(); c++) {
      f.put("cpu" + c, Arrays.toString(m.cpu(c).snapshot()));
    }
    f.put("kernel memory", Long.toHexString(m.kernelMemory().contentHash()));
    Kernel k = m.kernel();
    for (Field fld : allFields(Kernel.class)) {
      Object v = read(fld, k);
      if (journaled(v)) {
        f.put("kernel." + fld.getName(), render(v, 0));
      }
    }
    for (int c = 0; c < m.cpuCount(); c++) {
      f.put("run queue " + c, k.rq.runQueue(c).snapshot().toString());
    }
    f.put("parked", k.rq.markedNoWork().toString());
    f.put("pid hash", k.pids.tasks().toString() + " last " + k.pids.lastPid());
    Interrupts irqs = m.interrupts();
    f.put("pending interrupts", render(read(field(Interrupts.class, "pendingVector"), irqs), 0)
        + render(read(field(Interrupts.class, "pendingWhat"), irqs), 0));
    ControlState control = m.loop().control();
    List<String> goals = new ArrayList<>();
    for (Goal g = control.pending(); g != null; g = g.outer()) {
      goals.add(g.name() + "@" + Integer.toHexString(System.identityHashCode(g)));
    }
    f.put("pending goal", goals.toString());
    f.put("next cpu", Integer.toString(control.nextCpu()));
    f.put("events", Integer.toString(m.timeline().events().size()) + ":"
        + m.timeline().events().stream().map(Event::describe).toList().hashCode());
    return f;
  }

  private static boolean journaled(Object v) {
    if (v instanceof JCell || v instanceof JList || v instanceof JMap) {
      return true;
    }
    return v instanceof Collection<?> c && !c.isEmpty() && c.stream().anyMatch(Fingerprint::journaled);
  }

  private static String render(Object o, int depth) {
    if (o == null) {
      return "null";
    }
    if (depth > 8) {
      return "...";
    }
    if (o instanceof JCell<?> c) {
      return "(" + render(c.get(), depth + 1) + ")";
    }
    if (o instanceof JList<?> l) {
      return render(l.snapshot(), depth + 1);
    }
    if (o instanceof JMap<?, ?> mp) {
      return render(mp.view(), depth + 1);
    }
    if (o instanceof Memory mem) {
      return "mem:" + Long.toHexString(mem.contentHash());
    }
    if (o instanceof byte[] b) {
      return Arrays.toString(b);
    }
    if (o instanceof long[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof Object[] a) {
      return render(Arrays.asList(a), depth);
    }
    if (o instanceof Map<?, ?> mp) {
      List<String> e = new ArrayList<>();
      mp.forEach((a, b) -> e.add(render(a, depth + 1) + "=" + render(b, depth + 1)));
      e.sort(null);
      return "{" + String.join(", ", e) + "}";
    }
    if (o instanceof Collection<?> c) {
      List<String> e = new ArrayList<>();
      c.forEach(x -> e.add(render(x, depth + 1)));
      return e.toString();
    }
    if (o instanceof Number || o instanceof String || o instanceof Boolean || o instanceof Enum<?>
        || o instanceof Character) {
      return o.toString();
    }
    Class<?> cl = o.getClass();
    if (cl.isRecord()) {
      List<String> e = new ArrayList<>();
      for (RecordComponent rc : cl.getRecordComponents()) {
        try {
          rc.getAccessor().setAccessible(true);
          e.add(render(rc.getAccessor().invoke(o), depth + 1));
        } catch (ReflectiveOperationException ex) {
          throw new IllegalStateException(ex);
        }
      }
      return cl.getSimpleName() + e;
    }
    if (cl.getName().startsWith("kstack.") && !cl.isSynthetic() && !cl.isHidden()) {
      List<String> e = new ArrayList<>();
      for (Field fld : allFields(cl)) {
        e.add(fld.getName() + "=" + render(read(fld, o), depth + 1));
      }
      return cl.getSimpleName() + e;
    }
    return cl.isSynthetic() || cl.isHidden() ? "<code>" : cl.getSimpleName();
  }

  private static List<Field> allFields(Class<?> cl) {
    List<Field> out = new ArrayList<>();
    for (Field f : cl.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        out.add(f);
      }
    }
    return out;
  }

  private static Field field(Class<?> cl, String name) {
    try {
      return cl.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object read(Field f, Object o) {
    try {
      f.setAccessible(true);
      return f.get(o);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
