package kstack.machine;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kstack.kernel.Arch;
import kstack.exec.Routine;
import kstack.image.Symbol;
import kstack.kernel.Kernel;
import kstack.mem.MemoryFault;
import kstack.stack.Frame;
import kstack.stack.Snapshot;
import kstack.stack.StackWord;
import kstack.stack.TaskInfo;
import kstack.stack.TaskStack;

/**
 * Inspection of the machine as it stands, read from simulated memory: the task list ({@code ps}),
 * a task's backtrace and labelled stack words (found by the arch's unwinder and stack view), which
 * CPU runs a task, and who is current on a CPU. Reads change nothing.
 */
public final class Inspector {
  private final Machine m;
  private final Kernel kernel;
  private final Arch arch;

  private final Snapshots snapshots;

  Inspector(Machine m) {
    this.m = m;
    this.snapshots = new Snapshots(m);
    this.kernel = m.kernel();
    this.arch = m.arch();
  }

  /** Every stack of the machine now, as data ({@link Snapshots}). */
  public Snapshot snapshot() {
    return snapshots.take();
  }

  /**
   * One task's stacks (pid, or the selected CPU's current task when pid is null): its backtrace
   * and its own stack's region, with its labelled words when words is true.
   */
  public TaskStack taskStack(Integer pid, boolean words) {
    return snapshots.task(pid == null ? m.current() : taskOrThrow(pid), words);
  }

  /** Backtrace of a task (pid), or of the selected CPU's current task when pid is null. */
  public List<Frame> backtrace(Integer pid) {
    return taskStack(pid, false).backtrace();
  }

  /** The labelled words of a task's kernel stack (pid), or the selected CPU's current task's. */
  public List<StackWord> stack(Integer pid) {
    long task = pid == null ? m.current() : taskOrThrow(pid);
    int cpu = cpuRunning(task);
    return arch.describeStack(kernel, task, cpu >= 0, cpu < 0 ? m.selectedCpu() : cpu);
  }

  public long taskOrThrow(int pid) {
    long t = findTaskByVpid(pid);
    if (t == 0) {
      throw new IllegalArgumentException("no task with pid " + pid);
    }
    return t;
  }

  /** The CPU on which task is current, or -1. */
  public int cpuRunning(long task) {
    for (int c = 0; c < m.cpuCount(); c++) {
      if (kernel.current(c) == task) {
        return c;
      }
    }
    return -1;
  }

  /**
   * Every task, from init_task's list. A list an overflow has overwritten (a task_struct below a
   * stack, on the profiles without guard pages) cannot be walked: that is said, as crash says it.
   */
  public List<TaskInfo> ps() {
    List<TaskInfo> out = new ArrayList<>();
    String broken = psUntilCorrupt(out);
    if (broken != null) {
      throw new IllegalStateException(broken);
    }
    return out;
  }

  /**
   * The tasks as far as init_task's list can be walked, into out; null when the whole list was
   * walked, else what stopped the walk.
   */
  public String psUntilCorrupt(List<TaskInfo> out) {
    try {
      TaskView.ps(m, out);
      return null;
    } catch (MemoryFault f) {
      return String.format("the task list is corrupt%s: walking it reads unmapped address 0x%x "
          + "(a stack overflow overwrote a task_struct?)",
          out.isEmpty() ? "" : " after pid " + out.get(out.size() - 1).pid(), f.address());
    }
  }

  /**
   * "pid N, comm" of a CPU's current task; where current is found through the stack pointer
   * (2.6.11's current_thread_info()) and esp is not on a task stack yet, as at sysenter_entry's
   * first instruction on the SYSENTER stack, there is no task to name.
   */
  String whoIsCurrent(int c, boolean comm) {
    try {
      long t = kernel.current(c);
      return "pid " + kernel.tasks.pid(t) + (comm ? ", " + kernel.tasks.comm(t) : "");
    } catch (MemoryFault f) {
      return "current unreadable: esp is not on a task stack";
    }
  }

  // ---- the kernel's own lookups, for expressions ----------------------------------------------

  /** find_task_by_vpid: 0 when no such task; pid 0 names the selected CPU's idle task. */
  public long findTaskByVpid(int pid) {
    if (pid == 0) {
      long idle = kernel.rq.idleTask(m.selectedCpu());
      return idle != 0 ? idle : m.symbol("init_task");
    }
    return kernel.pids.findTask(pid);
  }

  public long taskPtRegs(long task) {
    return arch.taskPtRegs(kernel, task);
  }

  public long taskTopOfStack(long task) {
    return arch.taskTopOfStack(kernel, task);
  }

  public long perCpuAddress(String var, int cpu) {
    return kernel.perCpu(var, cpu);
  }

  public boolean isPerCpu(String name) {
    Symbol s = m.symbols().get(name);
    if (s != null) {
      return s.kind() == Symbol.Kind.PERCPU;
    }
    try {
      arch.perCpuAddress(kernel, name);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * The profile's constants under their Linux names: the values the simulator keeps for its own
   * use under a name this generation does not define (2.6.32's unnamed pt_regs padding) are left
   * out (kstack.profile.Generations).
   */
  public Map<String, Long> constants() {
    Map<String, Long> c = new TreeMap<>(kernel.image.consts);
    c.keySet().removeIf(n -> kstack.profile.Generations.whyMissing(m.profile(), n).isPresent());
    return c;
  }

  // ---- memory and code, as the selected CPU sees them -----------------------------------------

  public long read(long addr, int size) {
    return m.space().read(addr, size);
  }

  public byte[] readBytes(long addr, int len) {
    return m.space().readBytes(addr, len);
  }

  /** Bytes of a C string in the selected CPU's address space. */
  public String readCString(long addr, int max) {
    byte[] b = new byte[max];
    int n = 0;
    for (; n < max; n++) {
      byte v = (byte) read(addr + n, 1);
      if (v == 0) {
        break;
      }
      b[n] = v;
    }
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  public List<String> consoleLines() {
    return kernel.files.consoleLines();
  }

  /** "where" for stepi: the step about to run on a CPU. */
  public String where(int c) {
    return describeStep(m.cpu(c).pc());
  }

  /** The step at an address, as x/i shows it: address, symbol+offset, what the step does. */
  public String describeStep(long pc) {
    Routine r = m.routineAt(pc);
    String text = r == null ? "?" : r.insn(r.indexOf(pc)).text();
    return String.format(m.hexFormat() + " <%s>: %s", pc, m.describe(pc), text);
  }

  public boolean isWaitingForCommand(int cpu) {
    return m.user().isWaitPoint(m.cpu(cpu).pc());
  }

  /** The command a breakpoint stopped ('continue' resumes it), or null. */
  public String pendingCommand() {
    Goal g = m.loop().control().pending();
    return g == null ? null : g.name();
  }
}
