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
import kstack.profile.Feature;
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
  /** 2.6.32's entry, switch and process code (thread_info at the stack base) or 4.16's. */
  private final boolean v26;
  /** 6.19's entry stack, pt_regs wrappers, generic entry code and ret_from_fork_asm. */
  private final boolean v6;
  /** 2.4.22: the task_union, system_call with GET_CURRENT, IRQn_interrupt stubs (I386*24). */
  private final boolean v24;
  /** 2.6.11: the 60-byte pt_regs of 2.4 with 2.6's thread_info (I386Entry2611, I386Process2611). */
  private final boolean regs60;
  private final boolean kickAp;
  private final int timerVector;
  /** Why sysenter has no vDSO entry (2.4.22), or null. */
  private final String noVdso;
  /** The flat-model selectors (research §0.2): 2.4.22 uses GDT entries 2-5, later kernels 12-15. */
  final long kernelCs;
  final long kernelDs;
  final long userCs;
  final long userDs;

  public I386(Profile p) {
    this.v26 = p.has(Feature.THREAD_INFO_AT_BASE);
    this.v6 = p.has(Feature.IRQENTRY);
    this.v24 = p.has(Feature.TASK_UNION);
    this.regs60 = p.has(Feature.PT_REGS_60);
    this.kickAp = p.has(Feature.HOTPLUG_SPLIT_STARTUP);
    this.noVdso = v24 ? "i386 " + p.version() + " has no SYSENTER path and no vDSO (entry.S@2.4.22 "
        + "has only int $0x80: 'syscall')" : null;
    this.abi = new I386Abi(v24 ? 0 : 3);
    // 2.4 has no local APIC timer in this model: the tick is IRQ 0 of the 8259 (vector 0x20)
    // 2.6.11 (UP): IRQ 0's timer_interrupt at FIRST_EXTERNAL_VECTOR too (Feature.IRQ_2611)
    this.timerVector = v24 || regs60 ? I386Irq.FIRST_EXTERNAL_VECTOR
        : kstack.arch.x86.ApicTimer.localTimerVector(p);
    this.kernelCs = v24 ? I386Process24.KERNEL_CS : KERNEL_CS;
    this.kernelDs = v24 ? I386Process24.KERNEL_DS : KERNEL_DS;
    this.userCs = v24 ? I386Process24.USER_CS : USER_CS;
    this.userDs = v24 ? I386Process24.USER_DS : USER_DS;
  }

  boolean v24() {
    return v24;
  }

  boolean v6() {
    return v6;
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
    // 2.4 leaves no gap above pt_regs: copy_thread puts them at the very top (process.c@2.4.22:589)
    // 2.6.11 as 2.4: task_pt_regs is KSTK_TOP - 1 (processor.h@2.6.11:511-526)
    boolean pt60 = v24 || p.has(Feature.PT_REGS_60);
    c.put("TOP_OF_KERNEL_STACK_PADDING", pt60 ? 0L : p.optional("VM86") ? 16L : 8L);
    c.put("SIZEOF_PTREGS", pt60 ? 60L : 68L);
    c.put("PTREGS_SIZE", pt60 ? 60L : 68L); // asm-offsets.c@4.16.13:96, @6.19:104 (4.x on)
    if (!v24 && !p.has(Feature.CURRENT_FROM_THREAD_INFO)) {
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
    if (!p.has(Feature.THREAD_INFO_AT_BASE) && !v24) {
      c.put("CPU_ENTRY_AREA_PER_CPU", 0xffa00000L); // the simulator's placement of cpu_entry_area
      // SIZEOF_entry_stack (asm-offsets.c@4.16.13:105, @6.19:112): words[64] of 4-byte longs on
      // 4.16, one page on 6.19 (processor.h@4.16.13:340-342, @6.19:361-363)
      c.put("ENTRY_STACK_SIZE", v6 ? 4096L : 64L * 4);
    }
    return c;
  }

  /** arch/x86/entry/syscalls/syscall_32.tbl@4.16.13 (research §0.3). */
  @Override
  public Map<String, Integer> syscallNumbers() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("exit", 1);
    m.put("fork", 2);
    m.put("read", 3);
    m.put("write", 4);
    m.put("execve", 11);
    m.put("getpid", 20);
    m.put("pipe", 42);
    m.put("wait4", 114);
    m.put("clone", 120);
    boolean v2632 = v26 && !regs60;
    if (v24 || regs60 || v2632) {
      // 2.4.22's and 2.6.11's tables end long before pipe2 and finit_module, and 2.6.32's has no
      // finit_module (3.8); modules load with init_module (include/asm-i386/unistd.h@2.4.22:136,
      // @2.6.11:136; entry.S@2.4.22:535; arch/x86/include/asm/unistd_32.h@2.6.32.67:136)
      m.put("init_module", 128);
    }
    m.put("sched_yield", 158);
    m.put("nanosleep", 162);
    if (!v24) { // 2.5.35 and 2.5.63 (include/asm-i386/unistd.h@2.6.11: 252, 267)
      m.put("exit_group", 252);
      m.put("clock_nanosleep", 267);
    }
    if (v6) {
      m.put("clone3", 435);
    }
    if (!v24 && !regs60) {
      m.put("pipe2", 331);
    }
    if (!v24 && !regs60 && !v2632) {
      m.put("finit_module", 350);
    }
    return m;
  }

  /**
   * 4.16 i386: the SyS_NAME / sys_NAME pairs of SYSCALL_DEFINEx (no __ia32_ wrappers yet). 2.6.32:
   * plain sys_NAME (x86 does not select HAVE_SYSCALL_WRAPPERS, syscalls.h@2.6.32:297-318), with
   * the ptregs_ stubs in the table for fork, clone and execve (syscall_table_32.S@2.6.32).
   */
  @Override
  public String syscallSymbol(Profile p, String name, int nargs) {
    if (p.has(Feature.FORK_PASSES_REGS) || p.has(Feature.TASK_UNION)) {
      return "sys_" + name;
    }
    if (p.has(Feature.SYSCALL_PTREGS_WRAPPERS)) {
      return I386Entry6.wrapperSymbol(name, nargs); // syscall_wrapper.h@6.19; nanosleep_time32
    }
    return SyscallWrappers.symbol("__ia32", false, name, nargs);
  }

  /** The table functions are asmlinkage: their arguments are stack words (pt_regs on 2.6). */
  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    if (v26 || v24) {
      return k.image.c(syscallSymbol(k.profile, name, params.length), source).params(params).asmlinkage();
    }
    if (v6) {
      String[] f = {"bx", "cx", "dx", "si", "di", "bp"};
      return SyscallWrappers.routine(k, syscallSymbol(k.profile, name, params.length), true, name,
          source, params, i -> f[i], i -> k.image.off("pt_regs", f[i]));
    }
    return SyscallWrappers.routine(k, syscallSymbol(k.profile, name, params.length), false, name,
        source, params, i -> "", i -> 0).asmlinkage();
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
    return v26 || v6 ? "copy_thread" : "copy_thread_tls";
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    if (v24) {
      I386Process24.inlineSwitch(k, b);
    } else if (regs60) {
      I386Process2611.inlineSwitch(k, b);
    } else {
      I386Process26.inlineSwitch(k, b);
    }
  }

  /** native_kick_ap on 6.19: see X86_64#cpuUpSymbol. */
  @Override
  public String cpuUpSymbol() {
    return kickAp ? "native_kick_ap" : "native_cpu_up";
  }
  /**
   * CONFIG_NR_CPUS, 8 (arch/x86/Kconfig: range 2 8 and default "8" if SMP && X86_32 &&
   * !X86_BIGSMP, @2.6.32.67 and @4.16.13; 6.19 dropped BIGSMP).
   */
  @Override
  public int nrCpus() {
    return 8;
  }

  @Override
  public String nrCpusWhy() {
    return "NR_CPUS: arch/x86/Kconfig's default and limit for X86_32 without X86_BIGSMP is 8, "
        + "@2.6.32.67, @4.16.13 and @6.19 alike";
  }

  /** 2.4 and 2.6.11 boot one CPU: their SMP bring-up is not modelled. */
  @Override
  public String smpBringUpMissing() {
    if (v24) {
      return "2.4's SMP bring-up (smp_boot_cpus, do_boot_cpu's trampoline, initialize_secondary, "
          + "the per-CPU idle tasks from fork_by_hand) is not modelled "
          + "(arch/i386/kernel/smpboot.c@2.4.22:483-911)";
    }
    return regs60 ? "2.6.11's SMP bring-up (smp_boot_cpus, do_boot_cpu with fork_idle, head.S's "
        + "initialize_secondary) is not modelled (arch/i386/kernel/smpboot.c@2.6.11; "
        + "head.S@2.6.11:316-323)" : null;
  }


  @Override
  public String idleHaltSymbol() {
    return "default_idle";
  }

  /** 4.16: the per-CPU __preempt_count; 2.6.32: current_thread_info()->preempt_count (esp masked). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    if (v24) {
      throw new IllegalStateException("2.4 has no preempt_count: in_interrupt() reads local_irq_count");
    }
    if (v26) {
      return (k.cpu(cpu).get("esp") & -k.threadSize) + k.image.off("thread_info", "preempt_count");
    }
    return k.perCpu("__preempt_count", cpu);
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
  /** copy_thread's TLS is a GDT descriptor from a struct user_desc (process.c's do_set_thread_area). */
  @Override
  public String copyThreadTlsMissing() {
    return "copy_thread would install a GDT TLS descriptor from a struct user_desc "
        + "(do_set_thread_area), which the model does not";
  }

  @Override
  public String noFastSyscallEntry() {
    return noVdso;
  }


  @Override
  public void buildRoutines(Kernel k) {
    if (v24) {
      I386Entry24.build(k);
      I386Traps24.build(k);
      I386Process24.build(k);
      I386Boot24.build(k);
      return;
    }
    if (regs60) {
      // 2.6.11: its own entry, interrupt (I386Irq2611, from I386Irq26.build) and process code
      I386Entry2611.build(k);
      I386Irq26.build(k);
      I386Process2611.build(k);
      I386Boot2611.build(k);
      I386Sysenter.build(k);
      I386Traps2611.build(k);
      return;
    }
    if (v26) {
      I386Entry26.build(k);
      I386Irq26.build(k);
      I386Process26.build(k);
      I386Process.buildStartThread(k);
      I386Boot26.build(k);
      I386Sysenter.build(k);
      I386Traps.build(k);
      return;
    }
    if (v6) {
      I386Entry6.build(k);
      I386Irq6.build(k);
    } else {
      I386Entry.build(k);
      I386Irq.build(k);
    }
    I386Process.build(k);
    I386Boot.build(k);
    I386Traps.build(k);
  }

  @Override
  public void linkData(Kernel k, Linker l) {
    if (v24) {
      I386Boot24.linkData(k, l);
    } else if (regs60) {
      I386Boot2611.linkData(k, l);
    } else if (v26) {
      I386Boot26.linkData(k, l);
    } else {
      I386Boot.linkData(k, l);
    }
  }

  @Override
  public List<PerCpuVar> perCpuVars(Kernel k) {
    return v24 ? I386Boot24.perCpuVars(k) : v26 ? I386Boot26.perCpuVars(k) : I386Boot.perCpuVars(k);
  }

  /** 32-bit per-CPU data is never zero-based: %fs's segment base is the CPU's offset. */
  @Override
  public boolean perCpuZeroBased(Profile p) {
    return false;
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return k.image.symbol(name);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    if (v24) {
      I386Boot24.initPerCpu(k, cpu);
    } else if (v26) {
      I386Boot26.initPerCpu(k, cpu);
    } else {
      I386Boot.initPerCpu(k, cpu);
    }
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    if (v24) {
      // INIT_THREAD (processor.h@2.4.22:381-389): all zero, esp0 included, but io_bitmap {~0,}
      k.writePtr(initTask + k.image.offPath("task_struct", "thread.io_bitmap"), 0xffffffffL);
      return;
    }
    if (regs60) {
      I386Boot2611.initThread(k, initTask);
    } else if (v26) {
      I386Boot26.initThread(k, initTask);
    } else {
      I386Boot.initThread(k, initTask);
    }
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    if (v24) {
      I386Boot24.powerOn(k, cpu);
    } else if (v26) {
      I386Boot26.powerOn(k, cpu);
    } else {
      I386Boot.powerOn(k, cpu);
    }
  }

  /**
   * get_current(): this_cpu_read_stable(current_task), a %fs-relative load (asm/current.h); on 2.4
   * esp & ~8191 (I386Process24.current); on 2.6.11 the task word of the thread_info found that way.
   */
  @Override
  public long current(Kernel k, int cpu) {
    if (v24) {
      return I386Process24.current(k, k.cpu(cpu), inUserMode(k, cpu));
    }
    if (k.profile.has(Feature.CURRENT_FROM_THREAD_INFO)) {
      // get_current() = current_thread_info()->task (current.h@2.6.11:8-13): the masked esp, then
      // a load; in user mode the stack the next entry will use, TSS.esp0's
      long ti = I386Process24.current(k, k.cpu(cpu), inUserMode(k, cpu));
      return ti == k.image.symbol("init_task") ? ti : k.readPtr(ti + k.image.off("thread_info", "task"));
    }
    return k.readPtr(k.perCpu("current_task", cpu));
  }

  /**
   * task_pt_regs: task_stack_page + THREAD_SIZE - TOP_OF_KERNEL_STACK_PADDING - sizeof(pt_regs); on
   * 2.4 the 60-byte pt_regs end at the very top of the task_union (process.c@2.4.22:589).
   */
  @Override
  public long taskPtRegs(Kernel k, long task) {
    return k.stacks.taskStackPage(task) + k.threadSize - k.image.constant("TOP_OF_KERNEL_STACK_PADDING")
        - k.image.constant("SIZEOF_PTREGS");
  }

  /** The top of the hardware frame: thread.sp0 = childregs + 1 (process_32.c@4.16.13:139). */
  @Override
  public long taskTopOfStack(Kernel k, long task) {
    return taskPtRegs(k, task) + k.image.constant("SIZEOF_PTREGS");
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

  /** ELF_PLAT_INIT on X86_32 (asm/elf.h@2.6.32.67:103-108, @4.16.13:109-114, @6.19:105-110; asm-i386/elf.h@2.4.22:44-48). */
  @Override
  public List<String> elfPlatInitRegs(Kernel k) {
    // 2.4 and 2.6.11 name the 60-byte pt_regs' members ebx... (asm-i386/elf.h@2.6.11:59-62)
    return regs60 || v24 ? List.of("ebx", "ecx", "edx", "esi", "edi", "ebp", "eax")
        : List.of("bx", "cx", "dx", "si", "di", "bp", "ax");
  }

  @Override
  public String vdsoSyscallEntry() {
    return v24 ? null : I386Sysenter.VSYSCALL; // 2.4.22 has no sysenter path and no vDSO (§1.3)
  }

  /** 2.6.32: thread_info->sysenter_return = VDSO32_SYMBOL(addr, SYSENTER_RETURN) (vdso32-setup.c@2.6.32.67:363). */
  @Override
  public void setupAdditionalPages(Kernel k, Exec x) {
    if (v26 && !regs60) {
      k.tasks.tiWrite(k.current(x), "sysenter_return", k.image.symbol(I386Sysenter.landingPad(k)));
    }
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
        kernelCs, kernelDs, v24);
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
    // 2.4's set_trap_gate for #DB and #MC (traps.c@2.4.22:967,984) leaves IF as it was; 2.6.11
    // makes #DB an interrupt gate and keeps #MC a trap gate (traps.c@2.6.11:1010,1028)
    boolean trap = v24 && (vector == I386Traps.DB_VECTOR || vector == I386Traps.MC_VECTOR)
        || regs60 && vector == I386Traps.MC_VECTOR;
    return deliver(k.cpu(cpu), vector, k::readPtr, k::writePtr, k.image::symbol, handlerName(vector),
        kernelCs, kernelDs, trap);
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
    k.timeline.emit(new Event.PageFaultOops(cpu, Event.OopsForm.I386, f.address(),
        k.symbols.describe(c.get("eip")), whoIsCurrent(k, cpu), lowmem(f.address())));
    k.panic("Kernel panic - not syncing: Fatal exception");
    return true;
  }

  /**
   * A fault at a kernel address in the direct map is the simulator's limit, not the kernel's: the
   * model holds only the memory it allocated, where a real i386 maps all of lowmem, so a real
   * overflow would go on overwriting some other allocation there without faulting.
   */
  private boolean lowmem(long addr) {
    // lowmem: PAGE_OFFSET up to the 896 MiB the direct map covers (VMALLOC_RESERVE 128 MiB)
    return addr >= userTop() && addr < userTop() + (896L << 20);
  }

  /**
   * "pid N" for the oops line; on 2.6.11, where current is read through the thread_info at the
   * stack base, an overflow that clobbered it leaves no task to name.
   */
  private static String whoIsCurrent(Kernel k, int cpu) {
    try {
      return "pid " + k.tasks.pid(k.current(cpu));
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
  /**
   * The double fault from user mode: 2.4 has no double-fault task (vector 8 is a plain trap gate,
   * traps.c@2.4.22 trap_init), so the CPU triple-faults; 6.19's doublefault_shim calls
   * exc_double_fault, which dies (doublefault_32.c@6.19); between them a task gate into
   * doublefault_fn, which prints "PANIC: double fault" and spins forever (for (;;) cpu_relax():
   * arch/x86/kernel/doublefault_32.c, read in a 2.6.39 snapshot).
   */
  @Override
  public DoubleFault userDoubleFault() {
    if (v24) {
      return new DoubleFault(kstack.trace.Event.DoubleFaultEnd.TRIPLE_FAULT,
          "triple fault: the CPU shut down (the machine resets)");
    }
    if (v6) {
      return new DoubleFault(kstack.trace.Event.DoubleFaultEnd.DOUBLEFAULT_SHIM,
          "Kernel panic - not syncing: Machine halted.");
    }
    return new DoubleFault(kstack.trace.Event.DoubleFaultEnd.DOUBLEFAULT_TASK,
        "PANIC: double fault: doublefault_fn spins forever, the CPU is wedged");
  }


  @Override
  public int nmiVector() {
    return I386Irq.NMI_VECTOR;
  }

  /** ISA_IRQ_VECTOR(irq): legacy lines 0-15 at vectors 0x30-0x3f (asm/irq_vectors.h). */
  @Override
  public int irqVector(int irq) {
    // 2.4 and 2.6.11: the 8259 lines at FIRST_EXTERNAL_VECTOR + irq (arch/i386/kernel/i8259.c@
    // 2.4.22:443-460, @2.6.11:363-410)
    return irq >= 0 && irq < 16 ? (v24 || regs60 ? I386Irq.FIRST_EXTERNAL_VECTOR : 0x30) + irq : -1;
  }

  @Override
  public int timerVector() {
    return timerVector;
  }

  /** 2.4 and 2.6.11 (UP): the 8253 PIT on IRQ 0, not a local APIC timer. */
  @Override
  public String timerName() {
    return v24 || regs60 ? "IRQ 0 timer (8253 PIT)" : "local timer";
  }

  /** The IDT entry of a vector in this generation. */
  String handlerName(int vector) {
    if (v24) {
      return I386Entry24.handler(vector);
    }
    if (vector == timerVector && !regs60) { // 2.6.11's tick is IRQ 0's stub
      return v6 ? "asm_sysvec_apic_timer_interrupt" : "apic_timer_interrupt";
    }
    if (v6 && vector == I386Irq.NMI_VECTOR) {
      return "asm_exc_nmi";
    }
    if (vector == I386Traps.DB_VECTOR || vector == I386Traps.MC_VECTOR) {
      return I386Traps.handlerName(v6, vector);
    }
    return v26 && vector == SYSCALL_VECTOR ? "system_call" : I386Irq.handler(vector);
  }

  /** user_mode(regs): the saved CS has RPL 3 (the VM86 flag is not modelled). */
  @Override
  public boolean userModeRegs(Kernel k, long regs) {
    return (k.readPtr(regs + k.image.off("pt_regs", "cs")) & 3) == 3;
  }

  @Override
  public boolean inUserMode(Kernel k, int cpu) {
    return (k.cpu(cpu).get("cs") & 3) == 3;
  }

  boolean v26() {
    return v26;
  }

  /** 2.6.11: thread_info at the base with 2.4's pt_regs and names. */
  boolean v2611() {
    return regs60;
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
