package kstack.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.cpu.Cpu;
import kstack.image.Symbol;
import kstack.kernel.Kernel;
import kstack.layout.CType;
import kstack.layout.StructLayout;
import kstack.mem.Memory;
import kstack.mem.MemoryFault;
import kstack.mem.Region;
import kstack.stack.CpuState;
import kstack.stack.Frame;
import kstack.stack.Pointer;
import kstack.stack.StackKind;
import kstack.stack.StackRange;
import kstack.stack.StackRegion;
import kstack.stack.StackWord;
import kstack.stack.TaskStack;
import kstack.stack.WordKind;

/**
 * What a picture of the stacks needs besides the stacks themselves, read from the machine as data
 * for {@link kstack.stack.Snapshot}: each CPU's stack pointer and current task, the user stack of
 * the selected CPU's task, the guard pages next to the stacks, and the pointers that tie them
 * together (per CPU: the stack pointer, {@code current_task} or arm64's {@code sp_el0}, the TSS's
 * sp0/sp1; per task: its stack pointer, thread_info->task, the user sp saved in pt_regs). Every
 * name is looked up in the profile's image and layouts, so each generation shows its own.
 */
final class SnapshotLinks {
  /** The per-CPU (or, on 2.4, array) TSS of each generation: x86_64/i386 4.16 and 6.x, 2.6.32. */
  private static final List<String> TSS_SYMBOLS = List.of("cpu_tss_rw", "cpu_tss", "init_tss");
  /** The TSS member paths of the kernel stack pointers (x86_tss.sp0 since 2.6.25, esp0 before). */
  private static final List<String> SP0 = List.of("x86_tss.sp0", "sp0", "esp0");
  private static final List<String> SP1 = List.of("x86_tss.sp1", "sp1", "esp1");

  private final Machine m;
  private final Kernel kernel;

  SnapshotLinks(Machine m) {
    this.m = m;
    this.kernel = m.kernel();
  }

  /** Each CPU brought up (its pc set): stack pointer, mode and current task. */
  List<CpuState> cpus() {
    List<CpuState> out = new ArrayList<>();
    for (int c = 0; c < m.cpuCount(); c++) {
      Cpu cpu = m.cpu(c);
      if (cpu.pc() == 0) {
        continue;
      }
      out.add(new CpuState(c, cpu.registers().name(cpu.registers().sp), cpu.sp(), userMode(cpu),
          current(c)));
    }
    return out;
  }

  private boolean userMode(Cpu cpu) {
    return Long.compareUnsigned(cpu.pc(), m.arch().userTop()) < 0;
  }

  private long current(int c) {
    try {
      return kernel.current(c);
    } catch (MemoryFault unreadable) {
      return 0;
    }
  }

  /**
   * The user stack of the selected CPU's current task: from the page of its user stack pointer
   * (the CPU's sp in user mode, else pt_regs' saved one) or of its lowest user frame, up to the
   * top of the [stack] mapping; the frames of its backtrace that lie there.
   */
  List<StackRegion> userStacks(List<TaskStack> stacks) {
    Cpu cpu = m.cpu(m.selectedCpu());
    long task = current(cpu.id());
    TaskStack t = stacks.stream().filter(s -> s.owner().task() == task).findFirst().orElse(null);
    Memory user = m.space().user();
    if (t == null || user == null) {
      return List.of();
    }
    long sp = userMode(cpu) ? cpu.sp() : savedUserSp(t);
    Region mapping = sp == 0 ? null : user.regionAt(sp);
    if (mapping == null) {
      return List.of();
    }
    long low = sp;
    List<Frame> frames = new ArrayList<>();
    for (Frame f : t.backtrace()) {
      if (f.stack() == StackKind.USER && mapping.contains(f.frameAddr())) {
        frames.add(f);
        low = Math.min(low, f.frameAddr());
      }
    }
    low &= -kernel.pageSize;
    return List.of(new StackRegion(t.owner(), StackKind.USER, mapping.name(), low,
        mapping.end(), List.of(), frames));
  }

  /** The user stack pointer pt_regs saved at the last kernel entry (its sp/esp member). */
  private static long savedUserSp(TaskStack t) {
    if (t.stack() == null) {
      return 0;
    }
    for (StackWord w : t.stack().words()) {
      if (w.kind() == WordKind.PT_REGS && isPtRegsSp(w.label())) {
        return w.value();
      }
    }
    return 0;
  }

  private static boolean isPtRegsSp(String label) {
    return label.startsWith("pt_regs->sp ") || label.startsWith("pt_regs->esp ")
        || label.equals("pt_regs->sp") || label.equals("pt_regs->esp");
  }

  /**
   * The guard pages right below or above any of the stacks, each once, lowest first. A vmalloc'd
   * stack (VMAP_STACK's task stacks, 6.x's x86_64 IRQ stack, arm64's) has one below it too: every
   * vmalloc area ends with its own guard page (mm/vmalloc.c@4.16.13:1406-1407, @6.19:3212-3213),
   * so the page below an area is the previous area's guard or free vmalloc space, never mapped;
   * the kernel counts a fault there as a hit of the stack's guard page ("if it is in the page
   * below it, we hit a guard": get_stack_guard_info, arch/x86/include/asm/stacktrace.h@6.19;
   * do_double_fault's task_stack_page(tsk) - 1 - cr2 < PAGE_SIZE, arch/x86/kernel/traps.c@4.16.13;
   * "leading and trailing guard pages", Documentation/mm/vmalloced-kernel-stacks.rst@6.19).
   */
  List<StackRange> guards(List<TaskStack> tasks, List<StackRegion> cpuStacks) {
    Map<Long, StackRange> out = new LinkedHashMap<>();
    List<StackRegion> all = new ArrayList<>(cpuStacks);
    tasks.stream().filter(t -> t.stack() != null).forEach(t -> all.add(t.stack()));
    for (StackRegion r : all) {
      for (long a : new long[] {r.low() - 1, r.high()}) {
        Region g = kernel.mem.regionAt(a);
        if (g != null && g.isGuard()) {
          out.putIfAbsent(g.start(), new StackRange(r.kind(), g.name(), g.start(), g.end()));
        }
      }
      Region after = kernel.mem.regionAt(r.high());
      if (after != null && after.isGuard() && kernel.mem.regionAt(r.low() - 1) == null) {
        long page = after.end() - after.start();
        out.putIfAbsent(r.low() - page, new StackRange(r.kind(), "guard page below "
            + (r.kind() == StackKind.TASK ? "kernel" : r.kind().label().toUpperCase()) + " stack"
            + " (not mapped: vmalloc space)", r.low() - page, r.low()));
      }
    }
    return out.values().stream()
        .sorted((a, b) -> Long.compareUnsigned(a.low(), b.low())).toList();
  }

  /**
   * The pointers between CPUs, tasks and stacks (see the class comment); the user sp saved in
   * pt_regs only for the tasks whose user stack is drawn (userStacks), since another task's
   * points into another mm.
   */
  List<Pointer> pointers(List<TaskStack> stacks, List<StackRegion> userStacks) {
    List<Pointer> out = new ArrayList<>();
    for (CpuState c : cpus()) {
      out.add(new Pointer(c.spName(), c.cpu(), 0, c.sp()));
      currentPointer(c, out);
      tss(c.cpu(), out);
    }
    String stackField = taskStackField();
    for (TaskStack t : stacks) {
      if (t.stack() == null) {
        continue;
      }
      if (stackField != null) {
        out.add(new Pointer("task->" + stackField, -1, t.owner().task(), t.stack().low()));
      }
      for (StackWord w : t.stack().words()) {
        if (w.kind() == WordKind.THREAD_INFO && w.label().startsWith("thread_info->task ")) {
          out.add(new Pointer("thread_info->task", -1, w.address(), w.value()));
        } else if (w.kind() == WordKind.PT_REGS && isPtRegsSp(w.label()) && userStacks.stream()
            .anyMatch(u -> u.owner().task() == t.owner().task())) {
          out.add(new Pointer(w.label().split(" ")[0], -1, w.address(), w.value()));
        }
      }
    }
    return out;
  }

  /**
   * How the CPU finds current: the per-CPU current_task where the generation has it, arm64's
   * sp_el0 while the CPU is in the kernel (entry.S's kernel_entry loads it with the task), else
   * (2.4, 2.6.11: from the stack pointer) the task itself, named current.
   */
  private void currentPointer(CpuState c, List<Pointer> out) {
    if (c.current() == 0) {
      return;
    }
    Symbol cur = m.symbols().get("current_task");
    var regs = m.cpu(c.cpu()).registers();
    if (cur != null && cur.kind() == Symbol.Kind.PERCPU) {
      out.add(new Pointer("current_task", c.cpu(), kernel.perCpu("current_task", c.cpu()),
          c.current()));
    } else if (regs.has("sp_el0") && !c.userMode()) {
      out.add(new Pointer("sp_el0", c.cpu(), 0, m.cpu(c.cpu()).get("sp_el0")));
    } else {
      out.add(new Pointer("current", c.cpu(), 0, c.current()));
    }
  }

  /** The TSS's sp0 (and sp1 where it has one) of the CPU, under the generation's names. */
  private void tss(int c, List<Pointer> out) {
    for (String name : TSS_SYMBOLS) {
      Symbol s = m.symbols().get(name);
      if (s == null) {
        continue;
      }
      StructLayout layout = structOf(s.type());
      if (layout == null) {
        return;
      }
      long base = s.kind() == Symbol.Kind.PERCPU ? kernel.perCpu(name, c)
          : s.address() + (s.type() instanceof CType.Array ? (long) c * layout.size() : 0);
      String index = s.type() instanceof CType.Array ? "[" + c + "]" : "";
      for (List<String> paths : List.of(SP0, SP1)) {
        for (String path : paths) {
          if (layout.hasPath(path)) {
            long at = base + layout.offsetOfPath(path);
            out.add(new Pointer(name + index + "." + path, c, at, kernel.readPtr(at)));
            break;
          }
        }
      }
      return;
    }
  }

  private StructLayout structOf(CType t) {
    CType e = t instanceof CType.Array a ? a.element() : t;
    if (e instanceof CType.Struct st) {
      return st.layout();
    }
    if (e instanceof CType.Named n) {
      return m.struct(n.structName());
    }
    return null;
  }

  /** The task_struct member that points at its stack: stack (2.6.22 on), thread_info before. */
  private String taskStackField() {
    StructLayout task = m.struct("task_struct");
    if (task == null) {
      return null;
    }
    return task.has("stack") ? "stack" : task.has("thread_info") ? "thread_info" : null;
  }
}
