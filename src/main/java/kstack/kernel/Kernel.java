package kstack.kernel;

import java.util.List;
import java.util.Map;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.image.SymbolTable;
import kstack.layout.Types;
import kstack.layout.LayoutSource;
import kstack.mem.Memory;
import kstack.profile.Profile;
import kstack.trace.JCell;
import kstack.trace.Timeline;

/**
 * The simulated kernel: the wiring of its parts, each with its own state. The authoritative state
 * of every task (pid, comm, state, stack, thread.sp, links) is in simulated memory; the parts'
 * Java-side bookkeeping stands in for kernel structures whose bytes the simulator does not model
 * (the pid hash, rq rb-trees, pipe buffers), and every change to it is recorded on the timeline.
 * <ul>
 *   <li>{@link #image}: the routines, symbols, struct layouts and constants of vmlinux;
 *   <li>{@link #tasks}: task_struct and thread_info members, the task list;
 *   <li>{@link #pids}: the pid hash; {@link #stacks}: a task's kernel stack and its end marker;
 *   <li>{@link #rq}: run queues, idle tasks, need_resched, wake-ups and wait queues;
 *   <li>{@link #pages}: the page, kmalloc and vmalloc allocators;
 *   <li>{@link #timers}: the clock, hrtimers and pending softirqs;
 *   <li>{@link #files}: descriptor tables, pipes, the console; {@link #mm}: user address spaces.
 * </ul>
 */
public final class Kernel {
  public static final long STACK_END_MAGIC = 0x57AC6E9DL; // include/uapi/linux/magic.h
  public static final int TASK_RUNNING = 0;
  public static final int TASK_INTERRUPTIBLE = 1;
  public static final int TASK_UNINTERRUPTIBLE = 2;
  public static final int EXIT_ZOMBIE = 0x20;
  public static final int TASK_DEAD = 0x80;
  /** 2.4's zombie state (include/linux/sched.h@2.4.22:88-92); later kernels use exit_state. */
  public static final int TASK_ZOMBIE_24 = 4;
  public static final long PF_IDLE = 0x2;
  public static final long PF_EXITING = 0x4;
  public static final long PF_KTHREAD = 0x00200000;
  public static final int TIF_NEED_RESCHED = 3;
  public static final long CLONE_VM = 0x100;
  public static final long CLONE_FS = 0x200;
  public static final long CLONE_FILES = 0x400;
  public static final long CLONE_UNTRACED = 0x00800000;
  public static final long SIGCHLD = 17;

  /**
   * The struct member handles of the generic kernel's own code, resolved when the kernel is built
   * (the arch names its own, {@link ArchImage#memberHandles}).
   */
  private static final List<Class<? extends StructMember>> KERNEL_HANDLES = List.of(
      CompletionMember.class, KthreadCreateInfoMember.class, WorkStruct.class,
      CpuWorkqueueStruct.class, WorkqueueStruct.class, InlineMacroRegs.class);

  public final Profile profile;
  public final Arch arch;
  public final Types t;
  public final Abi abi;
  public final Memory mem;
  public final Timeline timeline;
  public final SymbolTable symbols;
  public final long threadSize;
  public final long pageSize;
  /** The number of the register holding the page-table root (CR3, TTBR0_EL1): what switch_mm loads. */
  public final int mmRegister;
  public final int cpus;
  private final Host host;
  private final JCell<String> panic;
  private final TaskModel taskModel;
  private final KernelRoutines routines;

  public final ImageBuilder image;
  /** Where the layouts came from; the per-CPU section's link asks it too. */
  public final LayoutSource layouts;
  public final TaskAccess tasks;
  public final PidTable pids;
  public final TaskStacks stacks;
  public final RunQueues rq;
  public final PageAllocator pages;
  public final Timers timers;
  public final FileTables files;
  public final UserSpaces mm;

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
    this(profile, arch, mem, timeline, symbols, cpus, host, LayoutSource.MODEL);
  }

  /** A kernel whose struct layouts and per-CPU placements come from layouts (the model's or a BTF's). */
  public Kernel(Profile profile, Arch arch, Memory mem, Timeline timeline, SymbolTable symbols,
      int cpus, Host host, LayoutSource layouts) {
    this.profile = profile;
    this.layouts = layouts;
    this.arch = arch;
    this.syscallNames = new SyscallNames(arch::syscallNumbers);
    this.perCpuBase = new NamedAddresses(var -> arch.perCpuAddress(this, var));
    this.t = arch.types();
    this.abi = arch.abi();
    this.mmRegister = arch.registers().of(arch.mmRegister());
    this.mem = mem;
    this.timeline = timeline;
    this.symbols = symbols;
    this.cpus = cpus;
    this.host = host;
    this.taskModel = profile.module(TaskModel.class);
    this.routines = profile.module(KernelRoutines.class);
    Map<String, Long> consts = arch.constants(profile);
    this.image = new ImageBuilder(profile, abi, symbols,
        layouts.structs(KernelLayouts.build(taskModel, profile.version(), t,
            arch.layouts(profile))), consts);
    arch.memberHandles(profile).forEach(image::resolve);
    KERNEL_HANDLES.forEach(image::resolve);
    this.threadSize = consts.get("THREAD_SIZE");
    this.pageSize = consts.get("PAGE_SIZE");
    this.panic = new JCell<>(timeline, null);
    this.tasks = new TaskAccess(this, taskModel);
    this.pids = new PidTable(timeline, t.word);
    this.stacks = new TaskStacks(this, taskModel);
    this.rq = new RunQueues(this, taskModel);
    this.pages = new PageAllocator(mem, timeline, pageSize, consts.get("PAGE_OFFSET") + 0x10000000L,
        consts.getOrDefault("VMALLOC_ALLOC_START", consts.get("VMALLOC_START")), cpus);
    this.timers = new Timers(this);
    this.files = new FileTables(this);
    this.mm = new UserSpaces(this);
  }

  public Host host() {
    return host;
  }

  public kstack.cpu.Cpu cpu(int c) {
    return host.cpu(c);
  }

  // ---- per-CPU ------------------------------------------------------------------------------

  /** {@code per_cpu_ptr(&var, cpu)}: the symbol's link address plus the CPU's offset. */
  public long perCpu(String var, int cpu) {
    return perCpuBase.of(var) + host.perCpuOffset(cpu);
  }

  /**
   * A per-CPU variable's link address for a step to capture when it is built (what %gs-, %fs- or
   * tpidr-relative code adds the CPU's base to); resolved right after the link.
   */
  public LinkedAddress perCpuRef(String var) {
    return image.ref(var, perCpuBase::of);
  }

  /** A per-CPU variable's link address (what %gs-relative code adds the GS base to). */
  public long perCpuLink(String var) {
    return perCpuBase.of(var);
  }

  /** Each per-CPU variable's link address, as the arch resolved it (once per name). */
  private final NamedAddresses perCpuBase;

  /** The system call a number names in this profile's table ("syscall N" if none). */
  public String syscallName(long nr) {
    return syscallNames.name(nr);
  }

  private final SyscallNames syscallNames;

  public long perCpuOffset(int cpu) {
    return host.perCpuOffset(cpu);
  }

  public long current(int cpu) {
    return arch.current(this, cpu);
  }

  public long current(Exec x) {
    return arch.current(this, x.cpu().id());
  }

  // ---- memory words and list_head helpers (the bytes of links live in memory) ----------------

  /** Reads a pointer-sized word (unsigned long) of kernel memory. */
  public long readPtr(long addr) {
    return mem.read(addr, t.word);
  }

  /** Writes a pointer-sized word (unsigned long) of kernel memory. */
  public void writePtr(long addr, long value) {
    mem.write(addr, t.word, value);
  }

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

  // ---- services that live in their mechanisms --------------------------------------------------

  /** getname(): copies a user path into a kernel struct filename; returns its address. */
  public long getname(Exec x, long user) {
    return Execve.getname(this, x, user);
  }

  /** A member of the struct kernel_clone_args at args (6.x process creation). */
  public long cloneArg(Exec x, long args, String field) {
    return Fork.cloneArg(x, args, field);
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
    return taskModel.initModuleTakesUargs();
  }

  /** Its arguments for a parameter string at params. */
  public long[] moduleLoadArgs(long params) {
    if (initModuleTakesUargs()) {
      return new long[] {0, 0, params}; // 2.6's init_module(umod, len, uargs)
    }
    return moduleLoadCall().equals("finit_module") ? new long[] {-1, params, 0}
        : new long[] {params, 0};
  }

  /** The function the boot task ends in as the idle loop: 2.6's arch cpu_idle, later cpu_startup_entry. */
  public String idleLoop() {
    return taskModel.idleLoop();
  }

  /** Builds every routine of the image: generic kernel, arch, and the user program. */
  public void buildAll() {
    routines.build(this);
  }

  /** INIT_TASK, init_mm and the statically initialised data (see {@link InitTask}). */
  public void initData() {
    InitTask.initData(this, taskModel);
  }

  /** panic(): the machine stops for good (every CPU halts). */
  public void panic(String message) {
    panic.set(message);
  }

  /** The panic message, or null while the kernel runs. */
  public String panicked() {
    return panic.get();
  }
}
