package kstack.machine;

import java.util.ArrayList;
import java.util.List;
import kstack.cpu.Cpu;
import kstack.exec.Abi;
import kstack.exec.Routine;
import kstack.mem.AddressSpace;
import kstack.mem.MemoryFault;
import kstack.stack.Frame;
import kstack.stack.FrameDetail;
import kstack.stack.StackKind;
import kstack.stack.TaskStack;

/**
 * The details of each frame of a task's backtrace ({@link FrameDetail}), read from the same bytes
 * the unwinder read. A frame's own record is the one the unwinder followed to find its caller (the
 * next frame's {@link Frame#frameAddr()}: the record whose return-address word holds the caller's
 * pc); the innermost frame of a running task, whose record the unwinder did not need, is placed by
 * the ABI's rule for where a function's return address lies at each step of its prologue
 * ({@link Abi#returnSite}, the rule {@code finish} uses). Nothing is guessed: a frame whose record
 * cannot be placed (assembly, an interrupted context) has none, and says so.
 */
public final class FrameDetails {
  private final Machine m;
  private final TaskStack t;
  private final int word;
  private final AddressSpace space;

  private FrameDetails(Machine m, TaskStack t) {
    this.m = m;
    this.t = t;
    this.word = m.arch().abi().wordSize();
    int cpu = t.owner().cpu();
    this.space = cpu >= 0 && cpu < m.cpuCount() ? m.space(m.cpu(cpu)) : null;
  }

  /** Every frame of t's backtrace that bt numbers (not the separators), innermost first. */
  public static List<FrameDetail> of(Machine m, TaskStack t) {
    return new FrameDetails(m, t).all();
  }

  /** Whether bt numbers the frame (a separator or the stopped mark it does not). */
  public static boolean numbered(Frame f) {
    return !f.function().equals(Frame.STOPPED) && !f.function().startsWith("---");
  }

  private List<FrameDetail> all() {
    List<Frame> bt = t.backtrace();
    List<FrameDetail> out = new ArrayList<>();
    long low = 0;
    for (int i = 0; i < bt.size(); i++) {
      Frame f = bt.get(i);
      if (!numbered(f)) {
        low = 0; // the next frame is on another stack, or in an interrupted context
        continue;
      }
      Frame caller = i + 1 < bt.size() && numbered(bt.get(i + 1)) ? bt.get(i + 1) : null;
      FrameDetail d;
      try {
        d = detail(out.size(), f, caller, low);
      } catch (MemoryFault e) {
        d = new FrameDetail(out.size(), f, 0, 0, 0, 0, 0, List.of(), List.of(), "");
      }
      out.add(d);
      low = d.cfa();
    }
    return out;
  }

  private FrameDetail detail(int level, Frame f, Frame caller, long low) {
    Routine r = m.routineAt(f.address());
    String source = r == null ? "" : r.source();
    long record = caller == null ? 0 : callerRecord(f, caller);
    boolean innermostRunning = level == 0 && t.owner().cpu() >= 0;
    Cpu cpu = innermostRunning ? m.cpu(t.owner().cpu()) : null;
    if (innermostRunning) {
      low = cpu.sp();
    }
    if (record == 0 && innermostRunning && hasFrame(r)) {
      return prologueFrame(level, f, r, cpu, source);
    }
    if (record == 0) {
      long savedPc = caller == null ? 0 : caller.address();
      return new FrameDetail(level, f, 0, 0, savedPc, 0, low, List.of(), List.of(), source);
    }
    boolean built = r != null && (!innermostRunning || r.indexOf(f.address()) >= r.bodyStart());
    List<FrameDetail.Slot> args = new ArrayList<>();
    List<FrameDetail.Slot> locals = new ArrayList<>();
    if (hasFrame(r) && built) {
      slots(r, record, args, locals);
    }
    return new FrameDetail(level, f, record, record + word, read(record + word), record + 2L * word,
        low, args, locals, source);
  }

  private static boolean hasFrame(Routine r) {
    return r != null && r.kind() != Routine.Kind.ASM;
  }

  /**
   * The record whose return-address word holds the caller's pc: this frame's own record; 0 when
   * the unwinder found the caller another way (a register, pt_regs) or the word disagrees.
   */
  private long callerRecord(Frame f, Frame caller) {
    long rec = caller.frameAddr();
    if (rec == 0 || !readable(f, rec + word) || read(rec + word) != caller.address()) {
      return 0;
    }
    return rec;
  }

  /**
   * The innermost frame of a running function whose record is not built or already gone: its
   * return address where the ABI says it lies at this step (at the stack pointer, one word above
   * it, or in the link register).
   */
  private FrameDetail prologueFrame(int level, Frame f, Routine r, Cpu cpu, String source) {
    Abi abi = m.arch().abi();
    var regs = m.arch().registers();
    int i = r.indexOf(f.address());
    long link = regs.has("x30") ? cpu.get("x30") : 0;
    boolean isRet = r.insn(i).text().startsWith("ret");
    Abi.ReturnSite site;
    try {
      site = abi.returnSite(i, isRet, cpu.sp(), cpu.get(regs.fp), link, a -> read(a));
    } catch (MemoryFault e) {
      return new FrameDetail(level, f, 0, 0, 0, 0, cpu.sp(), List.of(), List.of(), source);
    }
    long record = i == 1 ? cpu.sp() : 0; // the frame pointer saved, not yet made the frame pointer
    long at = link != 0 && site.pc() == link && i != 1 ? 0 : site.sp() - word;
    return new FrameDetail(level, f, record, at, site.pc(), site.sp(), cpu.sp(), List.of(),
        List.of(), source);
  }

  /** The spilled parameters, then the locals (a struct area's parts by its name, once). */
  private void slots(Routine r, long record, List<FrameDetail.Slot> args,
      List<FrameDetail.Slot> locals) {
    List<String> names = r.locals();
    for (int s = 0; s < names.size(); s++) {
      String name = names.get(s);
      if (name.contains("#")) {
        continue; // the lower words of a local struct: the struct is listed at its lowest byte
      }
      long a = m.arch().abi().slotAddress(record, s);
      FrameDetail.Slot slot = new FrameDetail.Slot(name, a, read(a));
      (s < r.spilledParams() ? args : locals).add(slot);
    }
  }

  /** A user frame's words are readable only through the task's own address space. */
  private boolean readable(Frame f, long a) {
    return f.stack() != StackKind.USER || space != null;
  }

  private long read(long a) {
    return (space != null ? space : m.space()).read(a, word);
  }
}
