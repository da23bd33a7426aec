package kstack.arch.i386;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.kernel.Arch;
import kstack.kernel.PerCpuVar;
import kstack.arch.SyscallWrappers;
import kstack.cpu.Cpu;
import kstack.cpu.RegisterSet;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.stack.Frame;
import kstack.stack.StackWord;
import kstack.mem.AddressSpace;
import kstack.mem.MemoryFault;
import kstack.profile.Profile;
import kstack.trace.Event;

/**
 * i386 (32-bit x86, 3G/1G split, no PAE): 8 KiB kernel stacks from the page allocator (i386 has no
 * VMAP_STACK: arch/x86/Kconfig@4.16.13:125), the 68-byte pt_regs below TOP_OF_KERNEL_STACK_PADDING,
 * {@code int $0x80} entry through the TSS's ring-0 stack, per-CPU data reached through %fs.
 * Facts: docs/research/i386-and-2.x.md §0 and §4 (4.16.13), linux-facts §1.2, §2.2, §2.4.
 */
public final class I386 implements Arch {
  static final long USER_CS = 0x73; // GDT entry 14, RPL 3 (asm/segment.h@4.16.13:94-125)
  static final long USER_DS = 0x7b;
  static final long KERNEL_CS = 0x60;
  static final long KERNEL_DS = 0x68;
  static final long KERNEL_PERCPU = 0xd8; // GDT_ENTRY_PERCPU 27
  static final long EFLAGS_IF = 0x200;
  static final long ENOSYS = -38;
  static final int SYSCALL_VECTOR = 0x80; // IA32_SYSCALL_VECTOR

  private final RegisterSet regs = new RegisterSet(
      List.of("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "eflags", "cs", "ss",
          "ds", "es", "fs", "gs", "fs_base", "tr_base", "cr2", "cr3", "nmi_blocked",
          "sysenter_cs", "sysenter_esp", "sysenter_eip"),
      "esp", "ebp", "eip", "eax", List.of("eax", "edx", "ecx"), List.of("ebx", "esi", "edi", "ebp"))
      .hide("nmi_blocked").hide("fs_base").hide("tr_base").hide("sysenter_cs")
      .hide("sysenter_esp").hide("sysenter_eip").width(4);
  private final Abi abi;
  private final Types types = new Types(4);
  /** The generation's modules, picked by the profile table (kstack.catalog.Profiles). */
  private final I386EntryModel entry;
  private final I386IrqModel irq;
  private final I386TrapsModel traps;
  private final I386ProcessModel process;
  private final I386BootModel boot;
  /** The flat-model selectors (research §0.2): 2.4.22 uses GDT entries 2-5, later kernels 12-15. */
  final long kernelCs;
  final long kernelDs;
  final long userCs;
  final long userDs;

  public I386(Profile p) {
    this.entry = p.module(I386EntryModel.class);
    this.irq = p.module(I386IrqModel.class);
    this.traps = p.module(I386TrapsModel.class);
    this.process = p.module(I386ProcessModel.class);
    this.boot = p.module(I386BootModel.class);
    this.abi = new I386Abi(entry.regparm());
    long[] sel = entry.selectors();
    this.kernelCs = sel[0];
    this.kernelDs = sel[1];
    this.userCs = sel[2];
    this.userDs = sel[3];
  }

  I386EntryModel entry() {
    return entry;
  }

  I386IrqModel irq() {
    return irq;
  }

  I386ProcessModel process() {
    return process;
  }

  @Override
  public String name() {
    return "i386";
  }

  @Override
  public RegisterSet registers() {
    return regs;
  }

  @Override
  public Abi abi() {
    return abi;
  }

  @Override
  public Types types() {
    return types;
  }

  /** TASK_SIZE = PAGE_OFFSET (asm/processor.h, CONFIG_VMSPLIT_3G). */
  @Override
  public long userTop() {
    return 0xC0000000L;
  }

  @Override
  public Map<String, StructLayout> layouts(Profile p) {
    return I386Layouts.build(p, types);
  }

  /**
   * page_32_types.h@4.16.13: THREAD_SIZE_ORDER 1; thread_info.h@4.16.13:38-43: padding 8, or 16 with
   * CONFIG_VM86; page_32_types.h: __PAGE_OFFSET 0xC0000000; CONFIG_PHYSICAL_START 0x1000000.
   */
  @Override
  public Map<String, Long> constants(Profile p) {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("PAGE_SIZE", 4096L);
    long threadSize = p.optional("4KSTACKS") ? 4096L : 8192L;
    c.put("THREAD_SIZE", threadSize);
    c.put("THREAD_ALIGN", threadSize);
    // the name dates from 4.2; 2.6.32 writes the same 8 into task_pt_regs (processor.h@2.6.32:949-964)
    // 2.4 leaves no gap above its 60-byte pt_regs: copy_thread puts them at the very top
    // (process.c@2.4.22:589); 2.6.11 as 2.4: task_pt_regs is KSTK_TOP - 1 (processor.h@2.6.11:511-526)
    boolean pt60 = entry.ptRegsSize() == 60;
    c.put("TOP_OF_KERNEL_STACK_PADDING", pt60 ? 0L : p.optional("VM86") ? 16L : 8L);
    c.put("SIZEOF_PTREGS", entry.ptRegsSize());
    c.put("PTREGS_SIZE", entry.ptRegsSize()); // asm-offsets.c@4.16.13:96, @6.19:104 (4.x on)
    if (!pt60) {
      c.put("STACK_END_MAGIC", Kernel.STACK_END_MAGIC); // 2.4 has no end-of-stack magic
    }
    c.put("PAGE_OFFSET", 0xC0000000L);
    c.put("__START_KERNEL", 0xC1000000L);
    c.put("VMALLOC_START", 0xF8800000L);
    c.put("VMALLOC_ALLOC_START", 0xF9000000L);
    c.put("MODULES_VADDR", 0xF8800000L);
    c.put("TASK_SIZE_MAX", 0xC0000000L);
    c.put("STACK_TOP", 0xC0000000L);
    c.put("IRQ_STACK_SIZE", threadSize);
    c.put("__USER_CS", userCs);
    c.put("__USER_DS", userDs);
    c.put("__KERNEL_CS", kernelCs);
    c.put("__KERNEL_DS", kernelDs);
    if (!pt60) {
      c.put("__KERNEL_PERCPU", KERNEL_PERCPU); // 2.4 and 2.6.11 have no per-CPU segment
    }
    if (entry.entryStackSize() > 0) {
      c.put("CPU_ENTRY_AREA_PER_CPU", 0xffa00000L); // the simulator's placement of cpu_entry_area
      // SIZEOF_entry_stack (asm-offsets.c@4.16.13:105, @6.19:112)
      c.put("ENTRY_STACK_SIZE", entry.entryStackSize());
    }
    return c;
  }

  @Override
  public Map<String, Integer> syscallNumbers() {
    return entry.syscallNumbers();
  }

  @Override
  public String syscallSymbol(Profile p, String name, int nargs) {
    return entry.syscallSymbol(name, nargs);
  }

  /** The table functions are asmlinkage: their arguments are stack words (pt_regs on 2.6). */
  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source, String... params) {
    return entry.syscallRoutine(k, name, source, params);
  }

  @Override
  public String mmRegister() {
    return "cr3";
  }

  @Override
  public String switchToSymbol() {
    return "__switch_to_asm";
  }

  @Override
  public String switchToText() {
    return "switch_to(prev, next, prev) [macro]: last = __switch_to_asm(prev, next) (eax, edx)";
  }

  @Override
  public String copyThreadSymbol(Profile p) {
    return process.copyThreadSymbol();
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    process.inlineSwitch(k, b);
  }

  @Override
  public String cpuUpSymbol() {
    return boot.cpuUpSymbol();
  }

  @Override
  public String idleHaltSymbol() {
    return "default_idle";
  }

  /** 4.16: the per-CPU __preempt_count; 2.6.32: current_thread_info()->preempt_count (esp masked). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    return process.preemptCountAddress(k, cpu);
  }

  @Override
  public void setUserReturn(Kernel k, Cpu cpu, AddressSpace space, long ret) {
    long sp = cpu.sp() - 4;
    space.write(sp, 4, ret);
    cpu.set("esp", sp);
  }

  /** CONFIG_CLONE_BACKWARDS (arch/x86/Kconfig@4.16.13:10-16): tls before child_tidptr. */
  @Override
  public String[] cloneParams() {
    return new String[] {"clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr"};
  }

  /**
   * The generation's routines in its build order (addresses follow it): the entry code (2.4's
   * entry.S with its trap entries), interrupts, process code, boot, the 2.6 SYSENTER path, traps.
   */
  @Override
  public void buildRoutines(Kernel k) {
    entry.buildEntry(k);
    if (traps.builtWithEntry()) {
      traps.buildTraps(k);
    }
    irq.buildIrq(k);
    process.buildProcess(k);
    boot.buildBoot(k);
    if (entry.sysenterAfterBoot()) {
      I386Sysenter.build(k);
    }
    if (!traps.builtWithEntry()) {
      traps.buildTraps(k);
    }
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    boot.linkData(k, l);
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return boot.perCpuVars(k);
  }

  /** 32-bit per-CPU data is never zero-based: %fs's segment base is the CPU's offset. */
  @Override
  public boolean perCpuZeroBased(Profile p) {
    return false;
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return k.symbol(name);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    boot.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    boot.initThread(k, initTask);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    boot.powerOn(k, cpu);
  }

  /** get_current() as the generation reads it (I386ProcessModel#current). */
  @Override
  public long current(Kernel k, int cpu) {
    return process.current(k, cpu, inUserMode(k, cpu));
  }

  /**
   * task_pt_regs: task_stack_page + THREAD_SIZE - TOP_OF_KERNEL_STACK_PADDING - sizeof(pt_regs); on
   * 2.4 the 60-byte pt_regs end at the very top of the task_union (process.c@2.4.22:589).
   */
  @Override
  public long taskPtRegs(Kernel k, long task) {
    return k.taskStackPage(task) + k.threadSize - k.constant("TOP_OF_KERNEL_STACK_PADDING")
        - k.constant("SIZEOF_PTREGS");
  }

  /** The top of the hardware frame: thread.sp0 = childregs + 1 (process_32.c@4.16.13:139). */
  @Override
  public long taskTopOfStack(Kernel k, long task) {
    return taskPtRegs(k, task) + k.constant("SIZEOF_PTREGS");
  }

  /** The libc wrapper: the stack arguments into ebx, ecx, edx, esi, edi; nr into eax; int $0x80. */
  @Override
  public void userSyscall(Exec x, int nr) {
    String[] r = {"ebx", "ecx", "edx", "esi", "edi"};
    int n = Math.min(r.length, x.routine().locals().size());
    for (int i = 0; i < n; i++) {
      x.set(r[i], x.read(x.host().abi().localAddress(x, i)));
    }
    x.set("eax", nr);
    syscallInstruction(x);
  }

  @Override
  public List<String> elfPlatInitRegs(Kernel k) {
    return entry.elfPlatInitRegs();
  }

  @Override
  public String vdsoSyscallEntry() {
    return entry.vdsoSyscallEntry();
  }

  @Override
  public void setupAdditionalPages(Kernel k, Exec x) {
    entry.setupAdditionalPages(k, x);
  }

  /**
   * [ARCH] SYSENTER: CPL 0 with CS = IA32_SYSENTER_CS, SS = CS + 8, ESP = IA32_SYSENTER_ESP,
   * EIP = IA32_SYSENTER_EIP; IF and VM cleared; nothing is pushed.
   */
  void sysenter(Exec x) {
    long cs = x.reg("sysenter_cs");
    x.set("cs", cs);
    x.set("ss", cs + 8);
    x.set("eflags", x.reg("eflags") & ~(EFLAGS_IF | (1L << 17)));
    x.setSp(x.reg("sysenter_esp"));
    x.jumpTo(x.reg("sysenter_eip"));
  }

  /** int $0x80: a software interrupt through the IDT's DPL-3 gate for vector 0x80. */
  @Override
  public void syscallInstruction(Exec x) {
    x.set("eip", x.nextPc());
    deliver(x.cpu(), SYSCALL_VECTOR, x::read, x::write, x::symbol, handlerName(SYSCALL_VECTOR),
        kernelCs, kernelDs, entry.int80TrapGate());
    x.jumpTo(x.reg("eip"));
  }

  /** i386 system-call ABI: nr in eax; arguments in ebx, ecx, edx, esi, edi, ebp. */
  @Override
  public void setSyscallRegisters(Cpu cpu, int nr, long[] args) {
    String[] r = {"ebx", "ecx", "edx", "esi", "edi", "ebp"};
    cpu.set("eax", nr);
    for (int i = 0; i < args.length; i++) {
      cpu.set(r[i], args[i]);
    }
  }

  @Override
  public void irqEnable(Exec x) {
    x.set("eflags", x.reg("eflags") | EFLAGS_IF);
  }

  @Override
  public void irqDisable(Exec x) {
    x.set("eflags", x.reg("eflags") & ~EFLAGS_IF);
  }

  @Override
  public boolean irqsEnabled(Kernel k, int cpu) {
    return (k.cpu(cpu).get("eflags") & EFLAGS_IF) != 0;
  }

  @Override
  public String deliverInterrupt(Kernel k, int cpu, int vector) {
    return deliver(k.cpu(cpu), vector, k::readPtr, k::writePtr, k::symbol, handlerName(vector),
        kernelCs, kernelDs, traps.trapGate(vector));
  }

  /** Word access to kernel memory, from a step (Exec) or from outside one (Kernel). */
  interface Words {
    long read(long addr);
  }

  interface WordWrites {
    void write(long addr, long value);
  }

  /**
   * [ARCH] Intel SDM vol. 3, 6.12.1: through an interrupt gate from ring 3 the CPU loads SS:ESP from
   * TSS.ss0:esp0 and pushes the old SS and ESP; from ring 0 it stays on the current stack and pushes
   * only EFLAGS, CS, EIP. An interrupt gate clears IF, a trap gate leaves it (trapGate: 2.4's
   * int $0x80, which set_system_gate makes a type-15 trap gate, traps.c@2.4.22:824-827,987, so
   * system calls run with interrupts on); no alignment is done in 32-bit mode.
   */
  static String deliver(Cpu c, int vector, Words mem, WordWrites out,
      java.util.function.ToLongFunction<String> symbol, String handler, long kernelCs,
      long kernelDs, boolean trapGate) {
    boolean user = (c.get("cs") & 3) == 3;
    long sp = c.get("esp");
    java.util.List<Long> frame = new java.util.ArrayList<>();
    if (user) {
      sp = mem.read(c.get("tr_base") + 4); // TSS.sp0 (x86_hw_tss: back_link, __blh, then sp0)
      frame.add(c.get("ss"));
      frame.add(c.get("esp"));
    }
    frame.add(c.get("eflags"));
    frame.add(c.get("cs"));
    frame.add(c.get("eip"));
    for (long v : frame) {
      sp -= 4;
      try {
        out.write(sp, v);
      } catch (kstack.mem.MemoryFault f) {
        throw f.duringDelivery(); // TSS.sp0 names no stack: the CPU cannot push the frame
      }
    }
    if (vector == I386Irq.NMI_VECTOR) {
      c.set("nmi_blocked", 1);
    }
    c.set("esp", sp);
    if (!trapGate) {
      c.set("eflags", c.get("eflags") & ~EFLAGS_IF);
    }
    c.set("cs", kernelCs);
    if (user) {
      c.set("ss", kernelDs);
    }
    c.set("eip", symbol.applyAsLong(handler)
        + (handler.equals("irq_entries_start") ? I386Irq.stubOffset(vector) : 0));
    return handler;
  }

  /**
   * A kernel-mode fault has no guard page to explain it on i386 (the stacks are plain pages of the
   * direct map): the #PF handler finds no fixup and the kernel oopses. An overflow that stays on
   * mapped memory never faults at all: it overwrites whatever sits below the stack.
   */
  @Override
  public boolean takeFault(Kernel k, int cpu, MemoryFault f) {
    Cpu c = k.cpu(cpu);
    if ((c.get("cs") & 3) == 3) {
      return false;
    }
    c.set("cr2", f.address());
    k.timeline.emit(new Event.Note(cpu, "page_fault_oops", String.format(
        "BUG: unable to handle kernel paging request at %08x, at %s (%s)%s", f.address(),
        k.symbols.describe(c.get("eip")), whoIsCurrent(k, cpu), lowmemNote(f.address()))));
    k.panic("Kernel panic - not syncing: Fatal exception");
    return true;
  }

  /**
   * A fault at a kernel address in the direct map is the simulator's limit, not the kernel's: the
   * model holds only the memory it allocated, where a real i386 maps all of lowmem, so a real
   * overflow would go on overwriting some other allocation there without faulting.
   */
  private String lowmemNote(long addr) {
    // lowmem: PAGE_OFFSET up to the 896 MiB the direct map covers (VMALLOC_RESERVE 128 MiB)
    if (addr < userTop() || addr >= userTop() + (896L << 20)) {
      return "";
    }
    return "; the model holds no memory there, where a real i386 maps all of lowmem: a real "
        + "overflow would go on silently overwriting another allocation";
  }

  /**
   * "pid N" for the oops line; on 2.6.11, where current is read through the thread_info at the
   * stack base, an overflow that clobbered it leaves no task to name.
   */
  private static String whoIsCurrent(Kernel k, int cpu) {
    try {
      return "pid " + k.pid(k.current(cpu));
    } catch (MemoryFault e) {
      long base = k.cpu(cpu).get("esp") & -k.threadSize;
      try {
        return String.format("current unreadable: current_thread_info()->task is 0x%x, overwritten",
            k.readPtr(base));
      } catch (MemoryFault below) {
        return String.format("current unreadable: esp 0x%x has left every stack",
            k.cpu(cpu).get("esp"));
      }
    }
  }

  @Override
  public int exceptionVector(String name) {
    return switch (name) {
      case "db" -> I386Traps.DB_VECTOR;
      case "mc" -> I386Traps.MC_VECTOR;
      default -> -1;
    };
  }

  @Override
  public List<String> exceptionNames() {
    return List.of("db", "mc");
  }

  @Override
  public boolean nmiBlocked(Kernel k, int cpu) {
    return k.cpu(cpu).get("nmi_blocked") != 0;
  }

  @Override
  public String noNmiReason() {
    return null;
  }

  @Override
  public int nmiVector() {
    return I386Irq.NMI_VECTOR;
  }

  /** A legacy line's vector: the IRQ model's base + irq, for lines 0-15. */
  @Override
  public int irqVector(int line) {
    return line >= 0 && line < 16 ? irq.isaIrqBase() + line : -1;
  }

  @Override
  public int timerVector() {
    return irq.timerVector();
  }

  @Override
  public String timerName() {
    return irq.timerName();
  }

  /** The IDT entry of a vector: int $0x80's, #DB's and #MC's, or the interrupt model's. */
  String handlerName(int vector) {
    if (vector == SYSCALL_VECTOR) {
      return entry.int80Entry();
    }
    String trap = traps.handlerName(vector);
    return trap != null ? trap : irq.idtEntry(vector);
  }

  /** user_mode(regs): the saved CS has RPL 3 (the VM86 flag is not modelled). */
  @Override
  public boolean userModeRegs(Kernel k, long regs) {
    return (k.readPtr(regs + k.off("pt_regs", "cs")) & 3) == 3;
  }

  @Override
  public boolean inUserMode(Kernel k, int cpu) {
    return (k.cpu(cpu).get("cs") & 3) == 3;
  }

  @Override
  public List<Frame> unwind(Kernel k, long task, boolean running, int cpu) {
    return new I386Unwind(k, this).unwind(task, running, cpu);
  }

  @Override
  public List<kstack.stack.StackRange> stackRanges(Kernel k, long task, boolean running, int cpu) {
    return new I386Unwind(k, this).ranges(task, cpu, running);
  }

  @Override
  public List<StackWord> describeStack(Kernel k, long task, boolean running, int cpu) {
    return I386StackWords.describe(k, this, task, running, cpu);
  }
}
