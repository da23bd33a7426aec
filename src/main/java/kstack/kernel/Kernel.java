package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.Routine;
import kstack.exec.RoutineBuilder;
import kstack.image.Symbol;
import kstack.image.SymbolTable;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.mem.Memory;
import kstack.mem.Region;
import kstack.profile.Feature;
import kstack.profile.Profile;
import kstack.trace.Event;
import kstack.trace.JCell;
import kstack.trace.JList;
import kstack.trace.JMap;
import kstack.trace.Timeline;

/**
 * The simulated kernel's state and the services its routines use: allocators, the task registry,
 * run queues, wait queues, pipes, user address spaces and timers. The authoritative state of every
 * task (pid, comm, state, stack, thread.sp, links) is in simulated memory; the Java-side bookkeeping
 * here stands in for kernel structures whose bytes the simulator does not model (the pid hash, rq
 * rb-trees, pipe buffers), and every change to it is recorded on the timeline.
 */
public final class Kernel {
  public static final long STACK_END_MAGIC = 0x57AC6E9DL; // include/uapi/linux/magic.h
  public static final int TASK_RUNNING = 0;
  public static final int TASK_INTERRUPTIBLE = 1;
  public static final int TASK_UNINTERRUPTIBLE = 2;
  public static final int EXIT_ZOMBIE = 0x20;
  public static final int TASK_DEAD = 0x80;
  public static final long PF_IDLE = 0x2;
  public static final long PF_EXITING = 0x4;
  public static final long PF_KTHREAD = 0x00200000;
  public static final int TIF_NEED_RESCHED = 3;
  public static final long CLONE_VM = 0x100;
  public static final long CLONE_FS = 0x200;
  public static final long CLONE_FILES = 0x400;
  public static final long CLONE_UNTRACED = 0x00800000;
  public static final long SIGCHLD = 17;

  public final Profile profile;
  public final Arch arch;
  public final Types t;
  public final Abi abi;
  public final Memory mem;
  public final Timeline timeline;
  public final SymbolTable symbols;
  public final Map<String, StructLayout> structs;
  public final Map<String, Long> consts;
  public final long threadSize;
  public final long pageSize;
  public final int cpus;
  private final Host host;
  private final List<Routine> routines = new ArrayList<>();
  private final Map<String, Long> symbolCache = new HashMap<>();

  // --- bookkeeping (each change recorded) ---
  final JMap<Integer, Long> pidMap;
  final JCell<Integer> lastPid;
  /** Whether set_task_stack_end_magic(&init_task) has run (start_kernel's first call). */
  final JCell<Boolean> initStackEndMagicSet;
  final List<JList<Long>> runQueues = new ArrayList<>();
  final JMap<Long, JList<Long>> waitQueues;
  final JMap<Long, Pipe> pipes;
  final JMap<Long, Map<Integer, Long>> fdTables;
  final JMap<Long, Files.OpenFile> files;
  /** What was written to /dev/console, line by line. */
  final JList<String> consoleLog;
  /** The syscall table: number to the symbol do_syscall_64 reaches (sys_call_table / x64_sys_call). */
  public final Map<Integer, String> sysCallTable = new java.util.TreeMap<>();
  final JMap<Long, Memory> userSpaces;
  /** The mm each page-table root (the value CR3/TTBR0 holds for it) belongs to. */
  private final JMap<Long, Long> mmByRoot;
  final JList<Timer> timers;
  final JCell<Long> clockNs;
  final JCell<Long> directMapNext;
  final JCell<Long> vmallocNext;
  final List<JList<Long>> cachedStacks = new ArrayList<>();

  private int nextSpaceId = 1;

  /** A pending hrtimer: wake task at expiry. */
  /**
   * A pending hrtimer on a CPU: at expiry the timer interrupt runs {@code function}
   * (hrtimer_wakeup for a sleeper, tick_sched_timer for the scheduler tick).
   */
  public record Timer(long expiresNs, long task, long sleeper, int cpu, String function) {}

  /** What the kernel needs of the machine it runs on. */
  public interface Host {
    long perCpuOffset(int cpu);

    kstack.cpu.Cpu cpu(int cpu);

    void attachSpace(Memory m);

    /** Address of a symbol, for steps that name one. */
    long symbol(String name);

    /** Which routine holds an address (for unwinders). */
    kstack.exec.Routine routineAt(long pc);

    /** The user address space of a task, or null. */
    Memory userMemoryOf(long task);
  }

  public Kernel(Profile profile, Arch arch, Memory mem, Timeline timeline, SymbolTable symbols,
      int cpus, Host host) {
    this.profile = profile;
    this.arch = arch;
    this.t = arch.types();
    this.abi = arch.abi();
    this.mem = mem;
    this.timeline = timeline;
    this.symbols = symbols;
    this.cpus = cpus;
    this.host = host;
    this.structs = KernelLayouts.build(profile, t, arch.layouts(profile));
    this.consts = arch.constants(profile);
    this.threadSize = consts.get("THREAD_SIZE");
    this.pageSize = consts.get("PAGE_SIZE");
    this.pidMap = new JMap<>(timeline);
    this.lastPid = new JCell<>(timeline, 0);
    this.initStackEndMagicSet = new JCell<>(timeline, false);
    this.waitQueues = new JMap<>(timeline);
    this.pipes = new JMap<>(timeline);
    this.fdTables = new JMap<>(timeline);
    this.files = new JMap<>(timeline);
    this.consoleLog = new JList<>(timeline);
    this.initctl = new JCell<>(timeline, 0L);
    this.nextChildCpu = new JCell<>(timeline, -1);
    this.panic = new JCell<>(timeline, null);
    this.userSpaces = new JMap<>(timeline);
    this.mmByRoot = new JMap<>(timeline);
    this.timers = new JList<>(timeline);
    this.clockNs = new JCell<>(timeline, 0L);
    this.directMapNext = new JCell<>(timeline, consts.get("PAGE_OFFSET") + 0x10000000L);
    this.vmallocNext = new JCell<>(timeline, consts.getOrDefault("VMALLOC_ALLOC_START",
        consts.get("VMALLOC_START")));
    for (int c = 0; c < cpus; c++) {
      runQueues.add(new JList<>(timeline));
      cachedStacks.add(new JList<>(timeline));
    }
    initIdleCells();
    for (int c = 0; c < cpus; c++) {
      softirqPending(c);
    }
  }

  // ---- building the image ------------------------------------------------------------------

  public RoutineBuilder c(String name, String source) {
    return RoutineBuilder.c(name, source, abi);
  }

  public RoutineBuilder asm(String name, String source) {
    return RoutineBuilder.asm(name, source, abi);
  }

  public RoutineBuilder user(String name) {
    return RoutineBuilder.user(name, "kstack-box (the simulator's user program)", abi);
  }

  public void add(Routine r) {
    routines.add(r);
  }

  private final Map<String, String> aliases = new java.util.LinkedHashMap<>();

  /** Another name for the same address, as the linker's alias attribute makes. */
  public void alias(String alias, String target) {
    aliases.put(alias, target);
  }

  public Map<String, String> aliases() {
    return aliases;
  }

  public List<Routine> routines() {
    return routines;
  }

  public long symbol(String name) {
    Long a = symbolCache.get(name);
    if (a == null) {
      Symbol s = symbols.get(name);
      if (s == null) {
        throw new IllegalStateException("no symbol " + name + " in the " + profile.label() + " image");
      }
      a = s.address();
      symbolCache.put(name, a);
    }
    return a;
  }

  public StructLayout struct(String name) {
    StructLayout s = structs.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no struct " + name);
    }
    return s;
  }

  public int off(String struct, String field) {
    return member(struct, field)[0];
  }

  /** Offset of a dotted member path such as {@code thread.sp} (cached: the hot path reads it). */
  public int offPath(String struct, String path) {
    return member(struct, path)[0];
  }

  private final Map<String, int[]> memberCache = new HashMap<>();

  /**
   * The pre-2.6.25 names (2.4, 2.6.11; and 2.6.11's task->thread_info for task->stack) of the members the code asks for by their current names: pt_regs'
   * e-prefixed registers and x-prefixed segments, and thread.esp/eip/esp0: the same words under
   * the names the i386 code of every generation shares. Task relations have their own accessors
   * (realParent, taskCpu), since 2.4's p_opptr family is a different structure, not a rename.
   */
  private static final Map<String, String> OLD_NAMES = Map.ofEntries(
      Map.entry("pt_regs:sp", "esp"), Map.entry("pt_regs:ip", "eip"),
      Map.entry("pt_regs:cs", "xcs"), Map.entry("pt_regs:ss", "xss"),
      Map.entry("pt_regs:ds", "xds"), Map.entry("pt_regs:es", "xes"),
      Map.entry("pt_regs:ax", "eax"), Map.entry("pt_regs:bx", "ebx"),
      Map.entry("pt_regs:cx", "ecx"), Map.entry("pt_regs:dx", "edx"),
      Map.entry("pt_regs:si", "esi"), Map.entry("pt_regs:di", "edi"),
      Map.entry("pt_regs:bp", "ebp"), Map.entry("pt_regs:orig_ax", "orig_eax"),
      Map.entry("pt_regs:flags", "eflags"), Map.entry("task_struct:thread.sp", "thread.esp"),
      Map.entry("task_struct:thread.ip", "thread.eip"),
      Map.entry("task_struct:thread.sp0", "thread.esp0"),
      Map.entry("task_struct:stack", "thread_info"));

  /** {offset, size} of a member path. */
  private int[] member(String struct, String path) {
    String key = struct + ':' + path;
    int[] m = memberCache.get(key);
    if (m == null && (profile.has(Feature.TASK_UNION) || profile.has(Feature.PT_REGS_60)
        || profile.has(Feature.CURRENT_FROM_THREAD_INFO)) && OLD_NAMES.containsKey(key)
        && !struct(struct).hasPath(path)) {
      m = member(struct, OLD_NAMES.get(key));
      memberCache.put(key, m);
    }
    if (m == null) {
      StructLayout s = struct(struct);
      int off = s.offsetOfPath(path);
      int size = s.fieldAtPath(path).size();
      m = new int[] {off, size};
      memberCache.put(key, m);
    }
    return m;
  }

  public kstack.cpu.Cpu cpu(int c) {
    return host.cpu(c);
  }

  // ---- per-CPU ------------------------------------------------------------------------------

  /** {@code per_cpu_ptr(&var, cpu)}: the symbol's link address plus the CPU's offset. */
  public long perCpu(String var, int cpu) {
    return arch.perCpuAddress(this, var) + host.perCpuOffset(cpu);
  }

  public long perCpuOffset(int cpu) {
    return host.perCpuOffset(cpu);
  }

  // ---- task_struct access -------------------------------------------------------------------

  public long taskRead(long task, String path) {
    int[] m = member("task_struct", path);
    return mem.read(task + m[0], m[1]);
  }

  public void taskWrite(long task, String path, long v) {
    int[] m = member("task_struct", path);
    mem.write(task + m[0], m[1], v);
  }

  /** 2.4's zombie state (include/linux/sched.h@2.4.22:88-92); later kernels use exit_state. */
  public static final int TASK_ZOMBIE_24 = 4;

  /** A zombie: exit_state EXIT_ZOMBIE, or on 2.4 state TASK_ZOMBIE (4). */
  public boolean isZombie(long task) {
    return profile.has(Feature.TASK_UNION) ? state(task) == TASK_ZOMBIE_24
        : taskRead(task, "exit_state") == Threads.exitZombie(this);
  }

  /** A task's children, youngest first on 2.4 (p_cptr, then p_osptr), else in children order. */
  public List<Long> children(long task) {
    List<Long> out = new ArrayList<>();
    if (profile.has(Feature.TASK_UNION)) {
      for (long c = taskRead(task, "p_cptr"); c != 0; c = taskRead(c, "p_osptr")) {
        out.add(c);
      }
      return out;
    }
    long head = task + off("task_struct", "children");
    int sibling = off("task_struct", "sibling");
    for (long node = readPtr(head); node != head; node = readPtr(node)) {
      out.add(node - sibling);
    }
    return out;
  }

  /** The parent a task was forked by: real_parent, 2.4's p_opptr. */
  public long realParent(long task) {
    return taskRead(task, profile.has(Feature.TASK_UNION) ? "p_opptr" : "real_parent");
  }

  /**
   * Marks a task on or off its run queue: on_rq, or on 2.4 the run_list link into runqueue_head
   * (add_to_runqueue / del_from_runqueue, whose NULL run_list.next means "not queued").
   */
  public void setOnRunqueue(long task, boolean on) {
    if (!profile.has(Feature.TASK_UNION)) {
      taskWrite(task, "on_rq", on ? 1 : 0);
      return;
    }
    long node = task + off("task_struct", "run_list");
    boolean queued = readPtr(node) != 0;
    if (on && !queued) {
      listAddTail(node, symbol("runqueue_head"));
    } else if (!on && queued) {
      long next = readPtr(node);
      long prev = readPtr(node + t.word);
      writePtr(prev, next);
      writePtr(next + t.word, prev);
      writePtr(node, 0);
      writePtr(node + t.word, 0);
    }
  }

  /** The system call that loads the demo module: finit_module, or init_module where it is absent. */
  public String moduleLoadCall() {
    return arch.syscallNumbers().containsKey("finit_module") ? "finit_module" : "init_module";
  }

  /**
   * 2.6's init_module(umod, len, uargs) (kernel/module.c@2.6.11:1737, @2.6.32.67:2603), as opposed
   * to 2.4's init_module(name, image) and the finit_module of 3.8 on.
   */
  public boolean initModuleTakesUargs() {
    return profile.has(Feature.KTHREAD_HELPER_WQ) || profile.has(Feature.GENIRQ_MODULE_2632);
  }

  /** Its arguments for a parameter string at params. */
  public long[] moduleLoadArgs(long params) {
    if (initModuleTakesUargs()) {
      return new long[] {0, 0, params}; // 2.6's init_module(umod, len, uargs)
    }
    return moduleLoadCall().equals("finit_module") ? new long[] {-1, params, 0}
        : new long[] {params, 0};
  }

  /**
   * Every task on the kernel's task list, in list order (init_task itself excluded), each group
   * leader followed by its other threads.
   */
  public List<Long> taskList() {
    List<Long> out = new ArrayList<>();
    forEachTask(out::add);
    return out;
  }

  /**
   * Walks init_task's list, handing each task to each as it is reached, so that a walker that
   * meets a corrupt link (a MemoryFault) keeps the tasks before it.
   */
  public void forEachTask(java.util.function.LongConsumer each) {
    long init = symbol("init_task");
    int n = 0;
    if (profile.has(Feature.TASK_UNION)) {
      // 2.4: next_task/prev_task point at task_structs, not at list_heads (SET_LINKS)
      for (long t = taskRead(init, "next_task"); t != init && t != 0 && n++ < 1_000_000;
          t = taskRead(t, "next_task")) {
        each.accept(t);
      }
      return;
    }
    long head = init + off("task_struct", "tasks");
    int tasksOff = off("task_struct", "tasks");
    for (long node = readPtr(head); node != head && n++ < 1_000_000; node = readPtr(node)) {
      each.accept(node - tasksOff);
      Threads.forEachOther(this, node - tasksOff, each); // for_each_process_thread
    }
  }

  public String stateField() {
    return profile.has(Feature.TASK_STATE_DUNDER) ? "__state" : "state";
  }

  public int pid(long task) {
    return (int) taskRead(task, "pid");
  }

  public long state(long task) {
    return taskRead(task, stateField());
  }

  /**
   * Whether the task is in the state of one that has switched away for the last time: TASK_DEAD,
   * or on 2.6.11 the EXIT_DEAD that schedule() writes for a PF_DEAD task (sched.c@2.6.11:2719-2720).
   */
  public boolean stateIsDead(long task) {
    return state(task) == (profile.has(Feature.SCHED_O1_2611) ? Sched2611.EXIT_DEAD : TASK_DEAD);
  }

  public void setState(long task, long state) {
    taskWrite(task, stateField(), state);
  }

  public String comm(long task) {
    return mem.readCString(task + off("task_struct", "comm"), 16);
  }

  /** {@code set_task_comm}/{@code __set_task_comm}: at most TASK_COMM_LEN-1 bytes and a NUL. */
  public void setComm(long task, String name) {
    byte[] b = new byte[16];
    byte[] s = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, b, 0, Math.min(15, s.length));
    mem.writeBytes(task + off("task_struct", "comm"), b);
  }

  public long stack(long task) {
    return profile.has(Feature.TASK_UNION) ? task : taskRead(task, "stack");
  }

  /**
   * Why a task_struct no longer describes its task, or null while it does: the pid hash does not
   * find it under its own pid, or its stack pointer is not a THREAD_SIZE-aligned stack. A stack
   * overflow that runs off the bottom of a page-allocator stack writes over whatever lies below,
   * in this model the task_struct allocated just before it.
   */
  public String overwritten(long task) {
    try {
      int pid = pid(task);
      long stack = stack(task);
      if (pid != 0 && findTask(pid) != task) { // the idle tasks (pid 0) are not hashed
        return String.format("task_struct 0x%x is overwritten (its pid field reads %d)", task, pid);
      }
      if ((stack & (threadSize - 1)) != 0 || mem.regionAt(stack) == null) {
        return String.format("task_struct 0x%x is overwritten (its stack field reads 0x%x)", task,
            stack);
      }
      return null;
    } catch (kstack.mem.MemoryFault f) {
      return String.format("task_struct 0x%x is unreadable (%s)", task, f.getMessage());
    }
  }

  public int taskCpu(long task) {
    if (profile.has(Feature.TASK_UNION)) {
      return (int) taskRead(task, "processor");
    }
    if (profile.has(Feature.THREAD_INFO_AT_BASE)) {
      return (int) tiRead(task, "cpu");
    }
    return (int) (profile.has(Feature.TASK_CPU_IN_THREAD_INFO)
        ? taskRead(task, "thread_info.cpu") : taskRead(task, "cpu"));
  }

  /**
   * taskCpu where it picks a run queue or a CPU: a number out of range can only come from a
   * task_struct or thread_info an overflow overwrote, and that is said rather than indexed.
   */
  public int taskCpuChecked(long task) {
    int cpu = taskCpu(task);
    if (cpu < 0 || cpu >= runQueues.size()) {
      throw new IllegalStateException(String.format("pid %d's cpu field reads %d on a %d-CPU "
          + "machine: its %s is corrupt (a stack overflow overwrote it?)", pid(task), cpu,
          runQueues.size(), profile.has(Feature.THREAD_INFO_AT_BASE) ? "thread_info" : "task_struct"));
    }
    return cpu;
  }

  /**
   * INIT_THREAD_INFO's two pointers on 2.6 (asm-i386/thread_info.h@2.6.11:70-81,
   * asm/thread_info.h@2.6.32:46-57): exec_domain = &default_exec_domain and restart_block.fn =
   * do_no_restart_syscall; every task inherits them with the copied thread_info.
   */
  public void initThreadInfoLinks(long ti) {
    writePtr(ti + off("thread_info", "exec_domain"), symbol("default_exec_domain"));
    writePtr(ti + off("thread_info", "restart_block"), symbol("do_no_restart_syscall"));
  }

  /**
   * set_fs(USER_DS) for task: its addr_limit, kept in the task_struct on 2.4, in thread_info on
   * 2.6 and arm64 4.16; a no-op where the model keeps none (x86 4.16 keeps it in thread_struct,
   * unmodelled; 6.x has no set_fs).
   */
  public void setFsUserDs(long task) {
    long ds = arch.userDs();
    if (profile.has(Feature.TASK_UNION)) {
      taskWrite(task, "addr_limit", ds);
    } else if (profile.has(Feature.THREAD_INFO_AT_BASE)) {
      tiWrite(task, "addr_limit", ds);
    } else if (struct("thread_info").has("addr_limit")) {
      taskWrite(task, "thread_info.addr_limit", ds);
    }
  }

  public void setTaskCpu(long task, int cpu) {
    if (profile.has(Feature.TASK_UNION)) {
      taskWrite(task, "processor", cpu);
    } else if (profile.has(Feature.THREAD_INFO_AT_BASE)) {
      tiWrite(task, "cpu", cpu);
    } else if (profile.has(Feature.TASK_CPU_IN_THREAD_INFO)) {
      taskWrite(task, "thread_info.cpu", cpu);
    } else {
      taskWrite(task, "cpu", cpu);
    }
  }

  /**
   * {@code task_thread_info(task)}: inside task_struct with THREAD_INFO_IN_TASK, else the base of
   * the task's stack (2.6: thread_info at the bottom of thread_union).
   */
  public long threadInfo(long task) {
    return profile.has(Feature.THREAD_INFO_AT_BASE) ? stack(task)
        : task + off("task_struct", "thread_info");
  }

  /** A member of the task's thread_info, wherever the generation keeps it. */
  public long tiRead(long task, String field) {
    int[] m = member("thread_info", field);
    return mem.read(threadInfo(task) + m[0], m[1]);
  }

  public void tiWrite(long task, String field, long v) {
    int[] m = member("thread_info", field);
    mem.write(threadInfo(task) + m[0], m[1], v);
  }

  public long threadSp(long task) {
    return taskRead(task, "thread.sp");
  }

  /**
   * {@code end_of_stack(task)}: with THREAD_INFO_IN_TASK the lowest word of the stack; with
   * thread_info at the base, the word right after it ((unsigned long *)(task_thread_info(p) + 1),
   * include/linux/sched.h@2.6.32).
   */
  public long endOfStack(long task) {
    if (profile.has(Feature.TASK_UNION)) {
      // 2.4 has no end-of-stack word: the lowest stack word is the one above task_struct
      return stack(task) + ((struct("task_struct").size() + t.word - 1) & -t.word);
    }
    return profile.has(Feature.THREAD_INFO_AT_BASE) ? stack(task) + struct("thread_info").size()
        : stack(task);
  }

  /**
   * Whether a STACK_END_MAGIC word marks the end of the stack: not on 2.4 (TASK_UNION) nor on
   * 2.6.11 (CURRENT_FROM_THREAD_INFO), which have neither the magic nor end_of_stack().
   */
  public boolean hasStackEndMagic() {
    return !profile.has(Feature.TASK_UNION) && !profile.has(Feature.CURRENT_FROM_THREAD_INFO);
  }

  /**
   * Whether the task's STACK_END_MAGIC has been written: at fork by dup_task_struct, for
   * init_task by start_kernel's set_task_stack_end_magic(&init_task) (init/main.c@4.16.13:520,
   * @6.19:1010). Before that the word is not a magic at all, and no check can read it as one.
   */
  public boolean stackEndMagicSet(long task) {
    return task != symbol("init_task") || initStackEndMagicSet.get();
  }

  /**
   * Whether start_kernel writes init_task's magic: from 3.18 (init/main.c@4.16.13:520). 2.6.32
   * writes it only in dup_task_struct (kernel/fork.c@2.6.32.67:254), so init_task's word is never
   * set there (its start_kernel, init/main.c@2.6.32.67:520, has no such call).
   */
  public boolean initSetsStackEndMagic() {
    return hasStackEndMagic() && !profile.has(Feature.THREAD_INFO_AT_BASE);
  }

  /**
   * Whether the task's end-of-stack magic is still to be written rather than overwritten: only
   * init_task's, before start_kernel's set_task_stack_end_magic(&init_task) (on 2.6.32: ever).
   */
  public boolean stackEndMagicNotYetWritten(long task) {
    return hasStackEndMagic() && !stackEndMagicSet(task);
  }

  /** {@code task_stack_page(task)} */
  public long taskStackPage(long task) {
    return stack(task);
  }

  /**
   * stack_not_used(p) (CONFIG_DEBUG_STACK_USAGE, task_stack.h@4.16.13, exit.c@6.19:781-805): skip
   * the magic word, count the zero words above it; the bytes below the first non-zero word.
   */
  public long stackNotUsed(long task) {
    if (stack(task) == 0) {
      return 0;
    }
    // the first word that may hold stack data: past the magic, or right above task_struct (2.4) or
    // thread_info (2.6.11)
    long first = endOfStack(task) + (hasStackEndMagic() ? t.word : 0);
    long top = stack(task) + threadSize;
    long n = first;
    while (n < top && readPtr(n) == 0) {
      n += t.word;
    }
    return n - first;
  }

  /**
   * What is wrong with a 2.4 task_struct, which an overflowing stack reaches first from its last
   * member down (2.4 keeps no magic word between them): thread.esp0, which copy_thread set to the
   * top of the union (0 in init_task, INIT_THREAD); the pid hash, which must still find the task
   * under its pid; and the task list, whose neighbours must point back. Empty when all hold.
   */
  public List<String> taskUnionDamage(long task) {
    List<String> out = new ArrayList<>();
    // the last member, reached first: without sys_ioperm (ioperm 0) io_bitmap stays INIT_THREAD's
    // {~0, 0, ...} (processor.h@2.4.22:381-389; only ioport.c@2.4.22:70-84 changes it, ioperm = 1)
    long ioperm = taskRead(task, "thread.ioperm");
    int bitmap = offPath("task_struct", "thread.io_bitmap");
    boolean initial = readPtr(task + bitmap) == 0xffffffffL;
    for (int i = 1; i < 33 && initial; i++) {
      initial = readPtr(task + bitmap + 4L * i) == 0;
    }
    if (ioperm != 0 && ioperm != 1 || ioperm == 0 && !initial) {
      out.add(String.format("thread.ioperm = %d with thread.io_bitmap no longer INIT_THREAD's "
          + "{~0, 0, ...} (last word 0x%x)", ioperm, readPtr(task + bitmap + 4L * 32)));
    }
    long esp0 = taskRead(task, "thread.esp0");
    if (esp0 != task + threadSize && !(esp0 == 0 && task == symbol("init_task"))) {
      out.add(String.format("thread.esp0 = 0x%x, not the union's top 0x%x", esp0, task + threadSize));
    }
    int pid = pid(task);
    if (task != symbol("init_task") && findTask(pid) != task) {
      out.add(String.format("pid = %d, which the pid hash does not map to this task", pid));
    }
    long next = taskRead(task, "next_task");
    long prev = taskRead(task, "prev_task");
    if (!readableTask(next) || taskRead(next, "prev_task") != task
        || !readableTask(prev) || taskRead(prev, "next_task") != task) {
      out.add(String.format("next_task 0x%x / prev_task 0x%x do not point back", next, prev));
    }
    return out;
  }

  private boolean readableTask(long t) {
    return mem.regionAt(t) != null;
  }

  /** getname(): copies a user path into a kernel struct filename; returns its address. */
  public long getname(Exec x, long user) {
    return Execve.getname(this, x, user);
  }

  /** Reads a pointer-sized word (unsigned long) of kernel memory. */
  public long readPtr(long addr) {
    return mem.read(addr, t.word);
  }

  /** Writes a pointer-sized word (unsigned long) of kernel memory. */
  public void writePtr(long addr, long value) {
    mem.write(addr, t.word, value);
  }

  public long current(int cpu) {
    return arch.current(this, cpu);
  }

  public long current(Exec x) {
    return arch.current(this, x.cpu().id());
  }

  public boolean isKthread(long task) {
    if (profile.has(Feature.TASK_UNION)) {
      return taskRead(task, "mm") == 0; // 2.4 has no PF_KTHREAD: a kernel thread has no mm
    }
    return (taskRead(task, "flags") & PF_KTHREAD) != 0;
  }

  public long findTask(int pid) {
    Long t = pidMap.get(pid);
    return t == null ? 0 : t;
  }

  public Map<Integer, Long> tasks() {
    return pidMap.view();
  }

  public int allocPid() {
    int p = lastPid.get() + 1;
    lastPid.set(p);
    return p;
  }

  public void registerTask(int pid, long task) {
    pidMap.put(pid, task);
  }

  public void unregisterTask(int pid) {
    pidMap.remove(pid);
  }

  // ---- list_head helpers (the bytes of links live in memory) ---------------------------------

  public void listInit(long head) {
    writePtr(head, head);
    writePtr(head + t.word, head);
  }

  /** {@code list_add_tail(new, head)} */
  public void listAddTail(long node, long head) {
    long prev = readPtr(head + t.word);
    writePtr(node, head);
    writePtr(node + t.word, prev);
    writePtr(prev, node);
    writePtr(head + t.word, node);
  }

  /** {@code list_del_init(entry)} */
  public void listDelInit(long node) {
    long next = readPtr(node);
    long prev = readPtr(node + t.word);
    writePtr(prev, next);
    writePtr(next + t.word, prev);
    listInit(node);
  }

  public boolean listEmpty(long head) {
    return readPtr(head) == head;
  }

  // ---- allocators ---------------------------------------------------------------------------

  /** Pages from the direct map (the buddy allocator's answer, as a linear address). */
  public long allocPages(long bytes, String what) {
    long size = (bytes + pageSize - 1) & -pageSize;
    long at = directMapNext.get();
    directMapNext.set(at + size);
    Region r = new Region(what, at, size, Region.Kind.DIRECT_MAP);
    mapRegion(r);
    return at;
  }

  /**
   * {@code alloc_pages(order)}: a block of 2^order pages, which the buddy allocator hands out
   * naturally aligned to its own size (so masking a stack pointer finds the block's base).
   */
  public long allocPagesAligned(long bytes, String what) {
    long size = Long.highestOneBit(Math.max(pageSize, bytes) * 2 - 1);
    long from = directMapNext.get();
    long at = (from + size - 1) & -size;
    if (at != from) {
      // the pages skipped for alignment stay free, but the direct map maps all of RAM
      mapRegion(new Region("free pages", from, at - from, Region.Kind.DIRECT_MAP));
      directMapNext.set(at);
    }
    return allocPages(size, what);
  }

  /** A small object (task_struct, kthread_create_info, mm_struct): kmalloc/kmem_cache. */
  public long kmalloc(long bytes, String what) {
    return allocPages(bytes, what);
  }

  /**
   * {@code __vmalloc_node_range(size, align, ...)}: a THREAD_ALIGN-aligned area followed by one guard
   * page (mm/vmalloc.c adds PAGE_SIZE unless VM_NO_GUARD), zeroed.
   */
  public long vmalloc(long size, long align, String what) {
    long at = (vmallocNext.get() + align - 1) & -align;
    vmallocNext.set(at + size + pageSize);
    mapRegion(new Region(what, at, size, Region.Kind.STACK));
    mapRegion(new Region("guard page after " + what, at + size, pageSize, Region.Kind.GUARD));
    return at;
  }

  private void mapRegion(Region r) {
    mem.map(r);
    timeline.recordUndo(() -> mem.unmap(r));
  }

  /** Renames the region holding a stack (after it is reused from the cache). */
  public void relabelStack(long stack, String what) {
    Region old = mem.regionAt(stack);
    if (old == null || old.start() != stack) {
      return;
    }
    mem.unmap(old);
    Region now = new Region(what, old.start(), old.size(), old.kind());
    mem.map(now);
    timeline.recordUndo(() -> {
      mem.unmap(now);
      mem.map(old);
    });
  }

  // ---- scheduler bookkeeping ----------------------------------------------------------------

  /**
   * The run queue of cpu. A cpu number out of range can only come from a task whose cpu field an
   * overflow overwrote (2.4 keeps the task_struct at the stack base): that is said, not indexed.
   */
  public JList<Long> runQueue(int cpu) {
    if (cpu < 0 || cpu >= runQueues.size()) {
      throw new IllegalStateException("a task's cpu field reads " + cpu + " on a " + runQueues.size()
          + "-CPU machine: the task_struct is corrupt (a stack overflow overwrote it?)");
    }
    return runQueues.get(cpu);
  }

  /** The idle task of a CPU (pid 0 on CPU 0, swapper/N elsewhere). */
  public long idleTask(int cpu) {
    return idleTasks.get(cpu).get();
  }

  final List<JCell<Long>> idleTasks = new ArrayList<>();

  void initIdleCells() {
    for (int c = 0; c < cpus; c++) {
      idleTasks.add(new JCell<>(timeline, 0L));
    }
  }

  public void setIdleTask(int cpu, long task) {
    idleTasks.get(cpu).set(task);
  }

  public boolean needResched(long task) {
    if (profile.has(Feature.TASK_UNION)) {
      return taskRead(task, "need_resched") != 0;
    }
    return (tiRead(task, "flags") & (1L << TIF_NEED_RESCHED)) != 0;
  }

  public void setNeedResched(long task, boolean on) {
    if (profile.has(Feature.TASK_UNION)) {
      taskWrite(task, "need_resched", on ? 1 : 0);
      return;
    }
    long f = tiRead(task, "flags");
    f = on ? f | (1L << TIF_NEED_RESCHED) : f & ~(1L << TIF_NEED_RESCHED);
    tiWrite(task, "flags", f);
  }

  /**
   * {@code try_to_wake_up}: the task becomes TASK_RUNNING and joins its CPU's run queue; if that CPU
   * is idle it gets TIF_NEED_RESCHED so that do_idle leaves its halt loop.
   */
  public boolean wakeUp(long task, int fromCpu, String by) {
    long st = state(task);
    if (st == TASK_RUNNING || st == TASK_DEAD || st == EXIT_ZOMBIE || isZombie(task)) {
      return false;
    }
    setState(task, TASK_RUNNING);
    int cpu = taskCpuChecked(task);
    enqueue(cpu, task);
    timeline.emit(new Event.Woken(fromCpu, pid(task), by));
    return true;
  }

  public void enqueue(int cpu, long task) {
    JList<Long> rq = runQueue(cpu);
    if (!rq.contains(task) && current(cpu) != task) {
      rq.addLast(task);
      setOnRunqueue(task, true);
    }
    long cur = current(cpu);
    if (cur == idleTask(cpu)) {
      setNeedResched(cur, true);
    }
  }

  // ---- wait queues --------------------------------------------------------------------------

  public void addWaiter(long queue, long task) {
    JList<Long> q = waitQueues.get(queue);
    if (q == null) {
      q = new JList<>(timeline);
      waitQueues.put(queue, q);
    }
    if (!q.contains(task)) {
      q.addLast(task);
    }
  }

  /** Wakes every waiter on a queue; returns how many were woken. */
  public int wakeAll(long queue, int fromCpu, String by) {
    JList<Long> q = waitQueues.get(queue);
    if (q == null) {
      return 0;
    }
    int n = 0;
    while (!q.isEmpty()) {
      if (wakeUp(q.removeFirst(), fromCpu, by)) {
        n++;
      }
    }
    return n;
  }

  public void removeWaiter(long queue, long task) {
    JList<Long> q = waitQueues.get(queue);
    if (q != null) {
      q.remove(task);
    }
  }

  // ---- files and pipes ----------------------------------------------------------------------

  /** A pipe: its buffered bytes and how many ends are open. */
  public static final class Pipe {
    final JCell<byte[]> data;
    final long id;

    Pipe(Timeline tl, long id) {
      this.data = new JCell<>(tl, new byte[0]);
      this.id = id;
    }
  }

  public Map<Integer, Long> fds(long task) {
    Map<Integer, Long> f = fdTables.get(task);
    return f == null ? Map.of() : f;
  }

  public void setFds(long task, Map<Integer, Long> table) {
    fdTables.put(task, Map.copyOf(table));
  }

  // ---- user address spaces ------------------------------------------------------------------

  public Memory newUserSpace(long mm, String label) {
    Memory m = new Memory(nextSpaceId++, label);
    host.attachSpace(m);
    userSpaces.put(mm, m);
    mmByRoot.put(PageTableRoot.of(this, mm), mm);
    return m;
  }

  public Memory userSpace(long mm) {
    return mm == 0 ? null : userSpaces.get(mm);
  }

  /** The mm whose page-table root a CR3/TTBR0 value names, or 0. */
  public long mmOfRoot(long root) {
    Long mm = mmByRoot.get(root);
    return mm == null ? 0 : mm;
  }

  /** The user address space the MMU register's value selects (none for init_mm). */
  public Memory userSpaceOfRoot(long root) {
    return userSpace(mmOfRoot(root));
  }

  // ---- time ---------------------------------------------------------------------------------

  public long now() {
    return clockNs.get();
  }

  public void addTimer(long expires, long task, long sleeper) {
    addTimer(expires, task, sleeper, "hrtimer_wakeup");
  }

  /** A timer whose expiry runs function (hrtimer_wakeup, or 2.4's process_timeout). */
  public void addTimer(long expires, long task, long sleeper, String function) {
    timers.addLast(new Timer(expires, task, sleeper, taskCpuChecked(task), function));
  }

  /** The scheduler tick's hrtimer of a CPU, due now. */
  public void addTickNow(int cpu) {
    timers.addLast(new Timer(now(), 0, 0, cpu, Irq.tickHandler(this)));
  }

  /** The earliest timer of a CPU that has expired by now, or null. */
  public Timer expiredTimer(int cpu) {
    Timer best = null;
    for (Timer t : timers.snapshot()) {
      if (t.cpu() == cpu && t.expiresNs() <= now() && (best == null || t.expiresNs() < best.expiresNs())) {
        best = t;
      }
    }
    return best;
  }

  private final List<JCell<Integer>> softirqPending = new ArrayList<>();

  /** local_softirq_pending() of a CPU (bit numbers as in include/linux/interrupt.h). */
  public int softirqPending(int cpu) {
    while (softirqPending.size() <= cpu) {
      softirqPending.add(new JCell<>(timeline, 0));
    }
    return softirqPending.get(cpu).get();
  }

  public void setSoftirqPending(int cpu, int bits) {
    softirqPending(cpu);
    softirqPending.get(cpu).set(bits);
  }

  public void removeTimer(Timer t) {
    timers.remove(t);
  }

  public void setClock(long ns) {
    clockNs.set(ns);
  }

  public List<String> consoleLines() {
    return consoleLog.snapshot();
  }

  public List<Timer> pendingTimers() {
    return timers.snapshot();
  }

  // ---- constants ----------------------------------------------------------------------------

  /** A member of the struct kernel_clone_args at args (6.x process creation). */
  public long cloneArg(Exec x, long args, String field) {
    return Fork.cloneArg(x, args, field);
  }

  public long constant(String name) {
    Long v = consts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no constant " + name);
    }
    return v;
  }

  private final JCell<Long> initctl;

  /** The pipe init reads its requests from (the simulator's console to pid 1). */
  public long initctl() {
    return initctl.get();
  }

  void setInitctl(long pipe) {
    initctl.set(pipe);
  }

  /** Writes a request into init's control pipe and wakes init, as typing at a console would. */
  public void requestInit(String line, int cpu) {
    Files.put(this, initctl(), (line + "\n").getBytes(StandardCharsets.US_ASCII));
    wakeAll(Files.readQueue(initctl()), cpu, "a request on init's control pipe");
  }

  private long userTextEnd;

  /** First address after the user program's text (set when the user image is linked). */
  public long userTextEnd() {
    return userTextEnd;
  }

  public void setUserTextEnd(long end) {
    userTextEnd = end;
  }

  private long perCpuStart;
  private long perCpuSize;

  void perCpuTemplate(long start, long size) {
    perCpuStart = start;
    perCpuSize = size;
  }

  public long perCpuTemplateStart() {
    return perCpuStart;
  }

  public long perCpuTemplateSize() {
    return perCpuSize;
  }

  private final List<Runnable> deferred = new ArrayList<>();

  /** Runs after the image is linked: initialisers that need symbol addresses. */
  public void deferInit(Runnable r) {
    deferred.add(r);
  }

  public void runDeferred() {
    deferred.forEach(Runnable::run);
    deferred.clear();
  }

  /** Builds every routine of the image: generic kernel, arch, and the user program. */
  public void buildAll() {
    if (profile.has(Feature.TASK_UNION)) {
      Linux24.build(this);
      arch.buildRoutines(this);
      UserProgram.build(this);
      return;
    }
    Sched.build(this);
    Fork.build(this);
    Syscalls.build(this);
    Kthread.build(this);
    Irq.build(this);
    InitMain.build(this);
    arch.buildRoutines(this);
    // the system calls added for threads and the C library's exit() and nanosleep(), linked
    // after the rest so that the routines before them keep their addresses
    Exit.buildExitGroup(this);
    PosixTimers.build(this);
    Clone.buildClone3(this);
    UserProgram.build(this);
  }

  /**
   * INIT_TASK (init/init_task.c), init_mm, and the statically initialised data the mechanisms use
   * (kthread_create_list, kthreadd_done, the boot CPU in cpu_online_mask).
   */
  public void initData() {
    long it = symbol("init_task");
    long initMm = symbol("init_mm");
    if (profile.has(Feature.TASK_UNION)) {
      initData24(it, initMm);
      return;
    }
    taskWrite(it, stateField(), TASK_RUNNING);
    taskWrite(it, "stack", symbol("init_stack"));
    taskWrite(it, "usage", 2);
    // 2.6.11's INIT_TASK has flags 0 (init_task.h@2.6.11:73): PF_KTHREAD came in 2.6.27
    taskWrite(it, "flags", profile.has(Feature.SCHED_O1_2611) ? 0 : PF_KTHREAD);
    taskWrite(it, "prio", 120);
    listInit(it + off("task_struct", "tasks"));
    listInit(it + off("task_struct", "children"));
    listInit(it + off("task_struct", "sibling"));
    Threads.initTask(this, it);
    taskWrite(it, "active_mm", initMm);
    taskWrite(it, "real_parent", it);
    taskWrite(it, "parent", it);
    taskWrite(it, "group_leader", it);
    if (!profile.has(Feature.THREAD_INFO_AT_BASE)) {
      taskWrite(it, "stack_refcount", 1);
      if (struct("thread_info").has("addr_limit")) {
        // arm64 4.16's INIT_THREAD_INFO: .addr_limit = KERNEL_DS (thread_info.h@4.16.13:51)
        taskWrite(it, "thread_info.addr_limit", -1L);
      }
    } else {
      // INIT_THREAD_INFO(init_task) at the base of init_thread_union
      tiWrite(it, "task", it);
    }
    taskWrite(it, "on_cpu", 1);
    setComm(it, "swapper");
    arch.initThread(this, it);
    writePtr(initMm + off("mm_struct", "pgd"), PageTableRoot.initMmPgd(this));
    mmByRoot.put(PageTableRoot.ofInitMm(this), initMm);
    mem.write(initMm + off("mm_struct", "mm_users"), 4, 2);
    mem.write(initMm + off("mm_struct", "mm_count"), 4, 1);
    if (!profile.has(Feature.KTHREAD_HELPER_WQ)) {
      listInit(symbol("kthread_create_list"));
      listInit(symbol("kthreadd_done") + offPath("completion", "wait.head"));
    }
    mem.writeBytes(symbol("init_filename"), "/sbin/init\0".getBytes(StandardCharsets.US_ASCII));
    writePtr(symbol("__cpu_online_mask"), 1);
    setIdleTask(0, it);
  }

  /** The function the boot task ends in as the idle loop: 2.6's arch cpu_idle, later cpu_startup_entry. */
  public String idleLoop() {
    if (profile.has(Feature.TASK_UNION)) {
      return "cpu_idle";
    }
    return profile.has(Feature.SCHEDULE_SWITCH_INLINE) ? "cpu_idle" : "cpu_startup_entry";
  }

  /** INIT_TASK (include/linux/sched.h@2.4.22:471-512) at the base of init_task_union. */
  private void initData24(long it, long initMm) {
    taskWrite(it, "state", TASK_RUNNING);
    taskWrite(it, "addr_limit", 0xffffffffL);
    taskWrite(it, "exec_domain", symbol("default_exec_domain"));
    taskWrite(it, "lock_depth", -1);
    taskWrite(it, "counter", 10);
    taskWrite(it, "cpus_runnable", -1);
    taskWrite(it, "cpus_allowed", -1);
    listInit(it + off("task_struct", "run_list"));
    taskWrite(it, "next_task", it);
    taskWrite(it, "prev_task", it);
    taskWrite(it, "active_mm", initMm);
    taskWrite(it, "p_opptr", it);
    taskWrite(it, "p_pptr", it);
    listInit(it + offPath("task_struct", "wait_chldexit.task_list"));
    setComm(it, "swapper");
    arch.initThread(this, it);
    writePtr(initMm + off("mm_struct", "pgd"), PageTableRoot.initMmPgd(this));
    mmByRoot.put(PageTableRoot.ofInitMm(this), initMm);
    mem.write(initMm + off("mm_struct", "mm_users"), 4, 2);
    mem.write(initMm + off("mm_struct", "mm_count"), 4, 1);
    listInit(symbol("runqueue_head"));
    listInit(symbol("startup") + offPath("completion", "wait.head")); // COMPLETION_INITIALIZER
    mem.writeBytes(symbol("init_filename"), "/sbin/init\0".getBytes(StandardCharsets.US_ASCII));
    writePtr(symbol("__cpu_online_mask"), 1);
    setIdleTask(0, it);
  }

  public int lastPid() {
    return lastPid.get();
  }

  private final JCell<Integer> nextChildCpu;

  /**
   * Where init's next child starts: as if the request said {@code taskset -c N}. select_task_rq
   * honours the child's allowed CPUs; the simulator sets them for the child of the next spawn.
   */
  public void setNextChildCpu(int cpu) {
    nextChildCpu.set(cpu);
  }

  int takeNextChildCpu(long parent) {
    Integer c = nextChildCpu.get();
    if (c == null || c < 0 || pid(parent) != 1) {
      return -1;
    }
    nextChildCpu.set(-1);
    return c;
  }

  private final JCell<String> panic;

  /** panic(): the machine stops for good (every CPU halts). */
  public void panic(String message) {
    panic.set(message);
  }

  /** The panic message, or null while the kernel runs. */
  public String panicked() {
    return panic.get();
  }

  public Host host() {
    return host;
  }
}
