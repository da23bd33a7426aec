package kstack.lang.expr;

import java.util.List;
import java.util.function.Supplier;
import kstack.image.Symbol;
import kstack.kernel.TaskMember;
import kstack.kernel.TaskModel;
import kstack.layout.CType;
import kstack.machine.Machine;
import kstack.mem.MemoryFault;

/**
 * The kernel's own accessor functions and macros, callable with C syntax: {@code current},
 * {@code per_cpu()}, {@code find_task_by_vpid()} (2.x: {@code find_task_by_pid()}),
 * {@code task_stack_page()}, {@code task_pt_regs()},
 * {@code task_top_of_stack()}, {@code end_of_stack()}, {@code current_thread_info()}. Each is answered
 * by the machine's implementation of the same kernel function, so the expression language and the
 * simulated kernel agree by construction. Nothing else is callable: expressions never run kernel code.
 */
final class Helpers {
  private static final List<String> NAMES = List.of("current", "get_current", "per_cpu",
      "per_cpu_ptr", "this_cpu_read", "this_cpu_ptr", "find_task_by_vpid", "find_task_by_pid",
      "task_stack_page", "task_pt_regs", "task_top_of_stack", "end_of_stack", "current_thread_info",
      "task_thread_info", "__pa", "virt_to_phys", "sizeof", "offsetof",
      "container_of", "list_for_each_entry");

  private final Machine m;
  /** Where the generation keeps task_struct and thread_info relative to the stack. */
  private final TaskModel taskModel;
  private final CTypes types;
  private final Evaluator ev;
  private final Names names;

  Helpers(Machine m, CTypes types, Evaluator ev, Names names) {
    this.m = m;
    this.taskModel = m.profile().module(TaskModel.class);
    this.types = types;
    this.ev = ev;
    this.names = names;
  }

  Value call(Node.Call c) {
    List<Node> a = c.args();
    var lacks = kstack.profile.Generations.whyMissing(m.profile(), c.name() + "()");
    if (lacks.isPresent()) {
      throw new ExprError(c.col(), c.name() + "(): not in this profile: " + lacks.get());
    }
    switch (c.name()) {
      case "current", "get_current" -> {
        arity(c, 0);
        return names.task(guard(c.col(), m::current));
      }
      case "current_thread_info" -> {
        arity(c, 0);
        noTaskUnion(c, "2.4 has no thread_info: current is esp & ~8191, the task_struct at the "
            + "base of the task_union");
        if (taskModel.threadInfoAtBase()) {
          // thread_info.h@2.6.32:168-229, as the arch finds it (Arch.currentThreadInfo); in user
          // mode the thread_info the next entry will find: the stack below thread.sp0
          long sp = m.arch().inUserMode(m.kernel(), m.selectedCpu())
              ? m.kernel().tasks.taskRead(guard(c.col(), m::current), TaskMember.thread_sp0) - 1
              : m.cpu(m.selectedCpu()).sp();
          long ti = m.arch().currentThreadInfo(m.kernel(), m.selectedCpu(), sp);
          return new Value.Pointer(ti, types.ptr(types.struct("thread_info", c.col())));
        }
        return threadInfo(guard(c.col(), m::current), c.col());
      }
      case "task_thread_info" -> {
        arity(c, 1);
        return threadInfo(task(c, 0), c.col());
      }
      case "per_cpu" -> {
        arity(c, 2);
        return names.perCpu(varName(a.get(0), false), cpu(a.get(1)), a.get(0).col());
      }
      case "per_cpu_ptr" -> {
        arity(c, 2);
        return addressOf(names.perCpu(varName(a.get(0), true), cpu(a.get(1)), a.get(0).col()));
      }
      case "this_cpu_read" -> {
        arity(c, 1);
        return ev.load(names.perCpu(varName(a.get(0), false), m.selectedCpu(), a.get(0).col()),
            a.get(0).col());
      }
      case "this_cpu_ptr" -> {
        arity(c, 1);
        return addressOf(names.perCpu(varName(a.get(0), true), m.selectedCpu(), a.get(0).col()));
      }
      case "find_task_by_vpid", "find_task_by_pid" -> {
        // 2.4 and 2.6.11 name the lookup find_task_by_pid; Generations refuses each name where the
        // generation has the other
        arity(c, 1);
        long pid = ev.number(a.get(0), "a pid");
        long t = pid < 0 || pid > Integer.MAX_VALUE ? 0
            : guard(c.col(), () -> m.inspector().findTaskByVpid((int) pid));
        // no such pid: the kernel's lookup returns NULL (kernel/pid.c: pid_task() of the NULL that
        // find_pid_ns() gives; 2.4's find_task_by_pid in include/linux/sched.h ends its hash walk
        // on NULL), and so does this; dereferencing it is then a NULL-pointer access, as in C
        return names.task(t);
      }
      case "task_stack_page" -> {
        arity(c, 1);
        long t = task(c, 0);
        return new Value.Pointer(guard(c.col(), () -> m.kernel().stacks.taskStackPage(t)),
            types.voidPtr());
      }
      case "task_pt_regs" -> {
        arity(c, 1);
        long t = task(c, 0);
        return new Value.Pointer(guard(c.col(), () -> m.inspector().taskPtRegs(t)),
            types.ptr(types.struct("pt_regs", c.col())));
      }
      case "task_top_of_stack" -> {
        arity(c, 1);
        long t = task(c, 0);
        return new Value.Int(guard(c.col(), () -> m.inspector().taskTopOfStack(t)), types.ulong());
      }
      case "end_of_stack" -> {
        arity(c, 1); // 2.4 and 2.6.11 are refused above (Generations)
        long t = task(c, 0);
        return new Value.Pointer(guard(c.col(), () -> m.kernel().stacks.endOfStack(t)),
            types.ptr(types.ulong()));
      }
      case "__pa", "virt_to_phys" -> {
        // the physical address of a kernel virtual one, as switch_mm computes CR3 (PageTableRoot)
        arity(c, 1);
        long va = ev.number(a.get(0), "an address");
        return new Value.Int(kstack.kernel.PageTableRoot.pa(m.kernel(), va), types.ulong());
      }
      default -> throw unknown(c);
    }
  }

  private ExprError unknown(Node.Call c) {
    Symbol s = m.symbols().get(c.name());
    if (s != null && s.kind() == Symbol.Kind.FUNC) {
      return new ExprError(c.col(), "cannot call " + c.name() + "(): expressions do not run kernel "
          + "code (helpers: " + String.join(", ", NAMES) + ")");
    }
    return new ExprError(c.col(), "no helper or function named " + c.name() + " (helpers: "
        + String.join(", ", NAMES) + ")");
  }

  /**
   * Helpers that name what the 2.4 generation does not have: its task_struct is the base of the
   * stack itself (the task_union: the task model names no stack member).
   */
  private void noTaskUnion(Node.Call c, String why) {
    if (taskModel.stackMember() == null) {
      throw new ExprError(c.col(), c.name() + "(): " + why + " ("
          + kstack.profile.Feature.TASK_UNION.citation() + ")");
    }
  }

  private void arity(Node.Call c, int n) {
    if (c.args().size() != n) {
      throw new ExprError(c.col(), c.name() + "() takes " + n + " argument" + (n == 1 ? "" : "s")
          + ", not " + c.args().size());
    }
  }

  private Value.Pointer addressOf(Value.LValue lv) {
    return new Value.Pointer(lv.address(), types.ptr(lv.type()));
  }

  /** A thread_info pointer: with THREAD_INFO_IN_TASK, the task's first member. */
  private Value threadInfo(long task, int col) {
    if (taskModel.threadInfoAtBase()) {
      return new Value.Pointer(m.kernel().tasks.threadInfo(task),
          types.ptr(types.struct("thread_info", col)));
    }
    CType.Struct ts = types.struct("task_struct", col);
    if (!ts.layout().has("thread_info")) {
      throw new ExprError(col, "struct task_struct has no thread_info in the "
          + Expressions.imageName(m) + " image");
    }
    long addr = task + ts.layout().offset("thread_info");
    return new Value.Pointer(addr, types.ptr(types.struct("thread_info", col)));
  }

  /** The name of a per-CPU variable, written as VAR (per_cpu) or &VAR (per_cpu_ptr, this_cpu_ptr). */
  private static String varName(Node n, boolean address) {
    Node v = n;
    if (address && n instanceof Node.Unary u && u.op().equals("&")) {
      v = u.operand();
    }
    if (v instanceof Node.Ident id) {
      return id.name();
    }
    throw new ExprError(n.col(), address ? "expected &VARIABLE, a per-CPU variable's address"
        : "expected the name of a per-CPU variable");
  }

  private int cpu(Node n) {
    long c = ev.number(n, "a CPU number");
    if (c < 0 || c >= m.cpuCount()) {
      throw new ExprError(n.col(), "no CPU " + c + " (this machine has " + m.cpuCount() + ")");
    }
    return (int) c;
  }

  /** Argument i as a task pointer: a struct task_struct * (or a plain address), not NULL. */
  private long task(Node.Call c, int i) {
    Node n = c.args().get(i);
    Value v = ev.rvalue(n);
    if (v instanceof Value.Pointer p) {
      CType target = types.complete(p.target(), n.col());
      boolean isTask = target instanceof CType.Struct s && s.layout().name().equals("task_struct");
      if (!isTask && !(target instanceof CType.Void)) {
        throw new ExprError(n.col(), c.name() + "() needs a struct task_struct *, not "
            + CTypes.name(p.type()));
      }
    }
    long t = ev.number(v, n.col(), c.name() + "()'s argument");
    if (t == 0) {
      throw new ExprError(n.col(), c.name() + "(): the task pointer is NULL");
    }
    return t;
  }

  /**
   * Runs a machine lookup, reporting its failures at col: a fault becomes "cannot access memory", and
   * the machine's own argument errors keep their message.
   */
  static <T> T guard(int col, Supplier<T> lookup) {
    try {
      return lookup.get();
    } catch (MemoryFault f) {
      throw Mem.fault(col, f);
    } catch (ExprError e) {
      throw e;
    } catch (RuntimeException e) {
      String msg = e.getMessage();
      throw new ExprError(col, msg == null ? e.getClass().getSimpleName() : msg);
    }
  }
}
