package kstack.lang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.machine.Machine;
import kstack.stack.StackKind;
import kstack.stack.TaskStack;
import kstack.trace.Event;
import kstack.trace.Timeline;

/**
 * {@code export trace --format perfetto}: the run as Chrome trace-event JSON, which Perfetto and
 * chrome://tracing open. One process (the machine); per CPU two tracks (threads): "cpuN" with
 * nested complete slices (the running task, inside it the part of a system call that task spends
 * on this CPU, inside that an interrupt or exception) and zero-length context-switch slices, and
 * "cpuN stack" with a slice per stack the CPU runs on and an instant event per stack switch.
 * Timestamps are step numbers (the timeline's count when the event was emitted), so the file is
 * the same byte for byte on every run. Derived from the typed events alone: a system call ends at
 * its exit, any return to user mode, the start of an exec'd program or the task's exit; an
 * interrupt or exception (no event marks its end) at the next of those, a syscall entry, a switch
 * back to a task or user stack, a context switch or the next delivery on its CPU.
 */
final class PerfettoTrace {
  static final int PID = 1;

  private PerfettoTrace() {}

  /** A slice that has begun and not yet ended on one track. */
  private record Open(String name, String cat, long ts, Map<String, Object> args) {}

  /** What one CPU is doing: its task, that task's syscall and interrupt, its stack. */
  private static final class CpuTrack {
    Open task;
    Open syscall;
    Open irq;
    Open stack;
    /** The syscall each task switched out of this CPU was in (resumed when it comes back). */
    final Map<Integer, String> suspended = new HashMap<>();
  }

  static Map<String, Object> of(Machine m) {
    Timeline t = m.timeline();
    List<Object> out = new ArrayList<>();
    out.add(meta("process_name", 0, "kstack " + m.profile().label()));
    CpuTrack[] cpus = new CpuTrack[m.cpuCount()];
    for (int c = 0; c < cpus.length; c++) {
      cpus[c] = new CpuTrack();
      out.add(meta("thread_name", tid(c), "cpu" + c));
      out.add(meta("thread_name", tid(c) + 1, "cpu" + c + " stack"));
    }
    List<Event> all = t.events();
    for (int i = 0; i < all.size(); i++) {
      Event e = all.get(i);
      if (e.cpu() >= 0 && e.cpu() < cpus.length) {
        apply(out, cpus[e.cpu()], e, t.stepOf(i));
      }
    }
    long end = t.steps();
    var snap = m.inspector().snapshot();
    for (int c = 0; c < cpus.length; c++) {
      CpuTrack k = cpus[c];
      if (k.task == null) {
        k.task = running(snap.taskStacks(), c);
      }
      closeAll(out, k, c, end);
      close(out, k.stack, tid(c) + 1, end);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("displayTimeUnit", "ns");
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("profile", m.profile().label());
    other.put("timestamps", "steps");
    root.put("otherData", other);
    root.put("traceEvents", out);
    return root;
  }

  /** The task running on cpu now, as a slice from the start (a CPU that never switched). */
  private static Open running(List<TaskStack> stacks, int cpu) {
    for (TaskStack s : stacks) {
      if (s.owner().cpu() == cpu) {
        return task(s.owner().comm(), s.owner().pid(), 0);
      }
    }
    return null;
  }

  private static void apply(List<Object> out, CpuTrack k, Event e, long ts) {
    int tid = tid(e.cpu());
    if (e instanceof Event.ContextSwitch s) {
      contextSwitch(out, k, s, tid, ts);
    } else if (e instanceof Event.SyscallEntry s) {
      k.irq = close(out, k.irq, tid, ts);
      k.syscall = close(out, k.syscall, tid, ts);
      k.syscall = new Open(s.name(), "syscall", ts, Map.of("pid", s.pid(), "nr", s.nr()));
    } else if (e instanceof Event.SyscallExit || e instanceof Event.ReturnToUser
        || e instanceof Event.ExecStart || e instanceof Event.TaskExited) {
      k.irq = close(out, k.irq, tid, ts);
      k.syscall = close(out, k.syscall, tid, ts);
    } else if (e instanceof Event.InterruptDelivered d) {
      k.irq = close(out, k.irq, tid, ts);
      k.irq = new Open(d.source(), d.vector() < 32 ? "exception" : "irq", ts,
          Map.of("vector", d.vector(), "handler", d.handler(), "at", d.at()));
    } else if (e instanceof Event.StackSwitch s) {
      stackSwitch(out, k, s, tid, ts);
    }
  }

  private static void contextSwitch(List<Object> out, CpuTrack k, Event.ContextSwitch s, int tid,
      long ts) {
    if (k.task == null) {
      k.task = task(s.from(), s.fromPid(), 0);
    }
    if (k.syscall != null) {
      k.suspended.put(s.fromPid(), k.syscall.name());
    }
    closeAll(out, k, s.cpu(), ts);
    out.add(complete(new Open("switch_to " + s.to() + " [" + s.toPid() + "]", "context_switch",
        ts, Map.of("prev_pid", s.fromPid(), "next_pid", s.toPid())), tid, ts));
    k.task = task(s.to(), s.toPid(), ts);
    String resumed = k.suspended.remove(s.toPid());
    if (resumed != null) {
      k.syscall = new Open(resumed, "syscall", ts, Map.of("resumed", true));
    }
  }

  private static void stackSwitch(List<Object> out, CpuTrack k, Event.StackSwitch s, int tid,
      long ts) {
    if (k.stack == null) {
      k.stack = new Open(s.from().label(), "stack", 0, Map.of());
    }
    k.stack = close(out, k.stack, tid + 1, ts);
    String name = s.stackName().isEmpty() ? s.to().label() : s.stackName();
    k.stack = new Open(name, "stack", ts, Map.of("kind", s.to().label()));
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("name", s.from().label() + " -> " + s.to().label());
    ev.put("cat", "stack_switch");
    ev.put("ph", "i");
    ev.put("s", "t");
    ev.put("ts", ts);
    ev.put("pid", PID);
    ev.put("tid", tid + 1);
    ev.put("args", new java.util.TreeMap<>(Map.of("routine", s.routine(), "sp",
        "0x" + Long.toHexString(s.sp()))));
    out.add(ev);
    if (s.to() == StackKind.TASK || s.to() == StackKind.USER) {
      k.irq = close(out, k.irq, tid, ts);
    }
  }

  private static Open task(String comm, int pid, long ts) {
    return new Open(comm + " [" + pid + "]", "task", ts, Map.of("pid", pid));
  }

  /** Ends the CPU's interrupt, syscall and task slices, innermost first. */
  private static void closeAll(List<Object> out, CpuTrack k, int cpu, long ts) {
    k.irq = close(out, k.irq, tid(cpu), ts);
    k.syscall = close(out, k.syscall, tid(cpu), ts);
    k.task = close(out, k.task, tid(cpu), ts);
  }

  /** Emits an open slice as ended at ts; returns null, what the caller's field becomes. */
  private static Open close(List<Object> out, Open o, int tid, long ts) {
    if (o != null) {
      out.add(complete(o, tid, ts));
    }
    return null;
  }

  private static Map<String, Object> complete(Open o, int tid, long end) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("name", o.name());
    ev.put("cat", o.cat());
    ev.put("ph", "X");
    ev.put("ts", o.ts());
    ev.put("dur", end - o.ts());
    ev.put("pid", PID);
    ev.put("tid", tid);
    ev.put("args", new java.util.TreeMap<>(o.args()));
    return ev;
  }

  private static Map<String, Object> meta(String what, int tid, String name) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("name", what);
    ev.put("ph", "M");
    ev.put("pid", PID);
    ev.put("tid", tid);
    ev.put("args", Map.of("name", name));
    return ev;
  }

  /** The task track of a CPU; its stack track is the next id. */
  static int tid(int cpu) {
    return 2 * cpu + 1;
  }
}
