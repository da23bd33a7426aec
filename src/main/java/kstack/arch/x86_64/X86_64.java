package kstack.arch.x86_64;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.kernel.Arch;
import kstack.cpu.RegisterSet;
import kstack.exec.Abi;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.profile.Profile;
import kstack.stack.Frame;
import kstack.stack.StackWord;

/**
 * x86_64: registers, the SysV ABI, the 4-level address-space constants, and the arch half of the
 * kernel (entry_64.S, head_64.S, process_64.c, cpu/common.c, smpboot.c) for 4.16 and 6.19.
 */
public final class X86_64 implements Arch {
  static final long USER_CS = 0x33; // __USER_CS: GDT entry 6, RPL 3 (asm/segment.h)
  static final long USER_DS = 0x2b; // __USER_DS: GDT entry 5, RPL 3
  static final long KERNEL_CS = 0x10;
  static final long KERNEL_DS = 0x18;
  static final long EFLAGS_IF = 0x200;
  static final long ENOSYS = -38;

  private final RegisterSet regs = new RegisterSet(
      List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
          "r12", "r13", "r14", "r15", "rip", "eflags", "cs", "ss", "fs_base", "gs_base",
          "k_gs_base", "cr2", "cr3", "lstar", "nmi_blocked"),
      "rsp", "rbp", "rip", "rax", List.of("rdi", "rsi", "rdx", "rcx", "r8", "r9"),
      List.of("rbx", "rbp", "r12", "r13", "r14", "r15")).hide("nmi_blocked");
  private final Abi abi = new X86Abi();
  private final Types types = new Types(8);
  /** 2.6.32's entry, switch and process code (thread_info at the stack base), or 4.16's / 6.19's. */
  private final boolean v26;
  private final boolean clone3;
  private final boolean kickAp;
  private final int timerVector;

  public X86_64(Profile p) {
    this.v26 = p.has(Feature.THREAD_INFO_AT_BASE);
    this.clone3 = p.has(Feature.KERNEL_CLONE);
    this.kickAp = p.has(Feature.HOTPLUG_SPLIT_STARTUP);
    this.timerVector = kstack.arch.x86.ApicTimer.localTimerVector(p);
  }

  boolean v26() {
    return v26;
  }

  @Override
  public String name() {
    return "x86_64";
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

  /** TASK_SIZE_MAX + PAGE_SIZE: the first non-canonical address of the lower half (4-level). */
  @Override
  public long userDs() {
    return userTop() - 4096; // TASK_SIZE_MAX
  }

  @Override
  public long userTop() {
    return 0x0000800000000000L;
  }

  @Override
  public Map<String, StructLayout> layouts(Profile p) {
    return X86Layouts.build(p, types);
  }

  /**
   * arch/x86/include/asm/page_64_types.h (THREAD_SIZE_ORDER 2 + KASAN_STACK_ORDER), thread_info.h
   * (TOP_OF_KERNEL_STACK_PADDING: 16 with CONFIG_X86_FRED on 6.19, else 0), pgtable_64_types.h.
   */
  @Override
  public Map<String, Long> constants(Profile p) {
    Map<String, Long> c = new LinkedHashMap<>();
    boolean kasan = p.optional("KASAN");
    // 2.6.32: THREAD_ORDER 1 (page_64_types.h@2.6.32), IRQ_STACK_ORDER 2
    long threadSize = p.has(Feature.THREAD_INFO_AT_BASE) ? 8192L : 4096L << (2 + (kasan ? 1 : 0));
    c.put("PAGE_SIZE", 4096L);
    c.put("THREAD_SIZE", threadSize);
    c.put("THREAD_ALIGN", threadSize);
    c.put("TOP_OF_KERNEL_STACK_PADDING",
        p.config().knows("X86_FRED") && p.config("X86_FRED") ? 16L : 0L);
    c.put("SIZEOF_PTREGS", 168L);
    c.put("PTREGS_SIZE", 168L); // asm-offsets.c@4.16.13:96, @6.19:104 (Generations hides it on 2.6)
    c.put("STACK_END_MAGIC", Kernel.STACK_END_MAGIC);
    c.put("__START_KERNEL_map", 0xffffffff80000000L);
    c.put("__START_KERNEL", 0xffffffff81000000L);
    c.put("PAGE_OFFSET", p.has(Feature.TSS_IO_BITMAP_STRUCT)
        ? 0xffff888000000000L : 0xffff880000000000L);
    c.put("VMALLOC_START", p.has(Feature.THREAD_INFO_AT_BASE) ? 0xffffc20000000000L
        : 0xffffc90000000000L);
    c.put("MODULES_VADDR", 0xffffffffa0000000L);
    c.put("CPU_ENTRY_AREA_PER_CPU", 0xfffffe0000001000L);
    c.put("TASK_SIZE_MAX", 0x00007ffffffff000L);
    c.put("STACK_TOP", 0x00007ffffffff000L);
    c.put("IRQ_STACK_SIZE", p.has(Feature.THREAD_INFO_AT_BASE) ? 16384L : threadSize);
    if (p.has(Feature.THREAD_INFO_AT_BASE)) {
      c.put("KERNEL_STACK_OFFSET", 40L); // 5*8: thread_info.h@2.6.32:200-229
    }
    c.put("__USER_CS", USER_CS);
    c.put("__USER_DS", USER_DS);
    c.put("__KERNEL_CS", KERNEL_CS);
    c.put("__KERNEL_DS", KERNEL_DS);
    c.put("ENTRY_STACK_SIZE", p.has(Feature.TSS_IO_BITMAP_STRUCT) ? 4096L : 512L);
    return c;
  }

  /**
   * arch/x86/entry/syscalls/syscall_64.tbl (same numbers in 4.16 and 6.19;
   * include/asm/unistd_64.h@2.6.32.67 too); clone3 from 5.3.
   */
  @Override
  public Map<String, Integer> syscallNumbers() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("read", 0);
    m.put("write", 1);
    m.put("pipe", 22);
    m.put("sched_yield", 24);
    m.put("nanosleep", 35);
    m.put("getpid", 39);
    m.put("clone", 56);
    m.put("fork", 57);
    m.put("execve", 59);
    m.put("exit", 60);
    m.put("wait4", 61);
    m.put("pipe2", 293);
    m.put("clock_nanosleep", 230);
    m.put("exit_group", 231);
    if (v26) {
      m.put("init_module", 175); // 2.6.32 has no finit_module (3.8): unistd_64.h@2.6.32.67:404-405
    } else {
      m.put("finit_module", 313);
    }
    if (clone3) {
      m.put("clone3", 435); // 5.3+
    }
    return m;
  }

  /**
   * 4.16: SYSCALL_DEFINE0 defines {@code sys_NAME}; SYSCALL_DEFINEx defines {@code SyS_NAME} with
   * {@code sys_NAME} as an alias (include/linux/syscalls.h@4.16.13:192-219). 6.19: the pt_regs
   * wrapper {@code __x64_sys_NAME} (arch/x86/include/asm/syscall_wrapper.h@6.19).
   */
  @Override
  public String syscallSymbol(Profile p, String name, int nargs) {
    if (p.has(Feature.FORK_PASSES_REGS)) {
      return "sys_" + name; // no HAVE_SYSCALL_WRAPPERS on x86 2.6.32 (syscalls.h@2.6.32:297-318)
    }
    return kstack.arch.SyscallWrappers.symbol("__x64", p.has(Feature.SYSCALL_PTREGS_WRAPPERS), name,
        nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    if (v26) {
      return k.image.c(syscallSymbol(k.profile, name, params.length), source).params(params);
    }
    String[] regNames = {"di", "si", "dx", "r10", "r8", "r9"};
    return kstack.arch.SyscallWrappers.routine(k, syscallSymbol(k.profile, name, params.length),
        k.profile.has(Feature.SYSCALL_PTREGS_WRAPPERS), name, source, params, i -> regNames[i],
        i -> k.image.off("pt_regs", regNames[i]));
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
    return "switch_to(prev, next, prev) [macro]: last = __switch_to_asm(prev, next)";
  }

  /** 4.16 x86 selects HAVE_COPY_THREAD_TLS: copy_thread_tls; 5.10+ copy_thread(p, args). */
  @Override
  public String copyThreadSymbol(Profile p) {
    return p.has(Feature.KERNEL_CLONE) || v26 ? "copy_thread" : "copy_thread_tls";
  }

  @Override
  public void inlineSwitch(Kernel k, RoutineBuilder b) {
    X86Process26.inlineSwitch(k, b);
  }

  /**
   * 6.19 x86 selects HOTPLUG_SPLIT_STARTUP (via HOTPLUG_PARALLEL on x86_64; arch/x86/Kconfig@6.19:
   * 307-309): the CPUHP_BP_KICK_AP step's cpuhp_kick_ap_alive → arch_cpuhp_kick_ap_alive →
   * smp_ops.kick_ap_alive = native_kick_ap (kernel/cpu.c@6.19:818-825; arch/x86/kernel/smp.c@6.19:294;
   * smpboot.c@6.19:975-1017) only starts the AP; there is no native_cpu_up any more.
   */
  @Override
  public String cpuUpSymbol() {
    return kickAp ? "native_kick_ap" : "native_cpu_up";
  }

  @Override
  public String idleHaltSymbol() {
    return "default_idle";
  }

  /** DEFINE_PER_CPU(int, __preempt_count) (cpu/common.c@4.16.13:1460, @6.19:2222). */
  @Override
  public long preemptCountAddress(Kernel k, int cpu) {
    if (v26) {
      // current_thread_info() = kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE (even on the IRQ stack)
      return k.readPtr(k.perCpu("kernel_stack", cpu)) + 40 - k.threadSize
          + k.image.off("thread_info", "preempt_count");
    }
    return k.perCpu("__preempt_count", cpu);
  }

  @Override
  public void setUserReturn(Kernel k, kstack.cpu.Cpu cpu, kstack.mem.AddressSpace space, long ret) {
    long sp = cpu.sp() - 8;
    space.write(sp, 8, ret);
    cpu.set("rsp", sp);
  }

  /** kernel/fork.c: the non-CLONE_BACKWARDS order (x86 selects CLONE_BACKWARDS only on 32-bit). */
  @Override
  public String[] cloneParams() {
    return new String[] {"clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls"};
  }
  /** 2.6.32: copy_thread would take the TLS from r8 (process_64.c@2.6.32.67 copy_thread). */
  @Override
  public String copyThreadTlsMissing() {
    return v26 ? "copy_thread would set the fs base with do_arch_prctl(p, ARCH_SET_FS, "
        + "childregs->r8), which the model does not" : null;
  }

  @Override
  public String noFastSyscallEntry() {
    return "x86_64 has no SYSENTER entry in this model (its system calls use SYSCALL: 'syscall')";
  }


  @Override
  public void buildRoutines(Kernel k) {
    if (v26) {
      X86Entry26.build(k);
      X86Irq26.build(k);
      X86Process26.build(k);
      X86Boot26.build(k);
      X86Nmi26.build(k);
      k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params().ret("return -ENOSYS", x -> ENOSYS)
          .build());
      for (String n : new String[] {"fork", "clone", "execve"}) {
        k.image.sysCallTable.put(syscallNumbers().get(n), "stub_" + n);
      }
      return;
    }
    X86Entry.build(k);
    X86Irq.build(k);
    X86Exceptions.build(k);
    X86Process.build(k);
    X86Boot.build(k);
  }

  @Override
  public void linkData(Kernel k, kstack.image.Linker l) {
    if (v26) {
      X86Boot26.linkData(k, l);
      return;
    }
    X86Boot.linkData(k, l);
  }

  @Override
  public List<kstack.kernel.PerCpuVar> perCpuVars(Kernel k) {
    return v26 ? X86Boot26.perCpuVars(k) : X86Boot.perCpuVars(k);
  }

  /** Zero-based in 4.16 (vmlinux.lds.S@4.16.13:210-217), not in 6.19 (research §9.1). */
  @Override
  public boolean perCpuZeroBased(Profile p) {
    return !p.has(Feature.PERCPU_IN_IMAGE);
  }

  @Override
  public long perCpuAddress(Kernel k, String name) {
    return v26 ? k.image.symbol(name) : X86Boot.perCpuMacro(k, name);
  }

  @Override
  public void initPerCpu(Kernel k, int cpu) {
    if (v26) {
      X86Boot26.initPerCpu(k, cpu);
      return;
    }
    X86Boot.initPerCpu(k, cpu);
  }

  @Override
  public void initThread(Kernel k, long initTask) {
    if (v26) {
      X86Boot26.initThread(k, initTask);
      return;
    }
    X86Boot.initThread(k, initTask);
  }

  @Override
  public void powerOn(Kernel k, int cpu) {
    if (v26) {
      X86Boot26.powerOn(k, cpu);
      return;
    }
    X86Boot.powerOn(k, cpu);
  }

  /** get_current(): this_cpu_read_stable(current_task) in both 4.16 and 6.19 (asm/current.h). */
  @Override
  public long current(Kernel k, int cpu) {
    return k.mem.read64(k.perCpu("current_task", cpu));
  }

  /** task_pt_regs: task_stack_page + THREAD_SIZE - TOP_OF_KERNEL_STACK_PADDING - sizeof(pt_regs). */
  @Override
  public long taskPtRegs(Kernel k, long task) {
    return k.stacks.taskStackPage(task) + k.threadSize - k.image.constant("TOP_OF_KERNEL_STACK_PADDING")
        - k.image.struct("pt_regs").size();
  }

  /**
   * 2.6.32's current_thread_info(): the per-CPU kernel_stack + KERNEL_STACK_OFFSET - THREAD_SIZE
   * (arch/x86/include/asm/thread_info.h@2.6.32.67:209-229), right even on the IRQ stack and in user
   * mode (the thread_info the next entry will find); sp is not used.
   */
  @Override
  public long currentThreadInfo(Kernel k, int cpu, long sp) {
    return k.readPtr(k.perCpu("kernel_stack", cpu)) + 40 - k.threadSize;
  }

  /** task_top_of_stack: (unsigned long)(task_pt_regs(task) + 1). */
  @Override
  public long taskTopOfStack(Kernel k, long task) {
    return taskPtRegs(k, task) + k.image.struct("pt_regs").size();
  }

  /**
   * The user half of a libc wrapper: nr into eax, the fourth argument from rcx to r10 (the syscall
   * ABI uses r10 because SYSCALL overwrites rcx), then SYSCALL itself: rcx = return rip, r11 = rflags,
   * rip = MSR_LSTAR, cs/ss = kernel selectors. The stack is not touched ([ARCH], Intel SDM SYSCALL).
   */
  @Override
  public void userSyscall(Exec x, int nr) {
    x.set("rax", nr);
    x.set("r10", x.reg("rcx"));
    syscallInstruction(x);
  }

  /** x86_64 syscall ABI: nr in rax; arguments in rdi, rsi, rdx, r10, r8, r9. */
  @Override
  public void setSyscallRegisters(kstack.cpu.Cpu cpu, int nr, long[] args) {
    String[] r = {"rdi", "rsi", "rdx", "r10", "r8", "r9"};
    cpu.set("rax", nr);
    for (int i = 0; i < args.length; i++) {
      cpu.set(r[i], args[i]);
    }
  }

  @Override
  public void syscallInstruction(Exec x) {
    x.set("rcx", x.nextPc());
    x.set("r11", x.reg("eflags"));
    x.set("eflags", x.reg("eflags") & ~EFLAGS_IF);
    x.set("cs", KERNEL_CS);
    x.set("ss", KERNEL_DS);
    x.jumpTo(x.reg("lstar"));
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
  public String exceptionRefusal(Kernel k, int cpu, int vector) {
    int ist = X86Exceptions.istOf(vector);
    if (ist < 0) {
      return null;
    }
    long tss = k.perCpu(v26 ? "init_tss" : "cpu_tss_rw", cpu);
    long top = k.mem.read64(tss + k.image.offPath("tss_struct", "x86_tss.ist") + 8L * ist);
    long rsp = k.cpu(cpu).get("rsp");
    long[] stack = X86Stacks.istStack(k, this, cpu, ist);
    if (Long.compareUnsigned(rsp - stack[0], stack[1] - stack[0]) >= 0
        || Long.compareUnsigned(rsp, top) >= 0) {
      return null;
    }
    return String.format("cpu %d is still on this exception's IST stack (rsp 0x%x, below the IST "
        + "entry's top 0x%x): the CPU would push the new frame over the one the running handler "
        + "returns through, and the two would return into each other forever; the kernel keeps "
        + "breakpoints out of its entry code, so this cannot happen there", cpu, rsp, top);
  }

  /**
   * [ARCH] Intel SDM vol. 3, 6.14: in 64-bit mode the CPU aligns RSP to 16, switches to TSS.sp0 on a
   * change from ring 3 (or to an IST stack), then pushes SS, RSP, RFLAGS, CS, RIP; an interrupt gate
   * clears IF. From ring 3 the new SS is the null selector.
   */
  @Override
  public String deliverInterrupt(Kernel k, int cpu, int vector) {
    var c = k.cpu(cpu);
    var mem = k.mem;
    boolean user = (c.get("cs") & 3) == 3;
    int ist = X86Exceptions.istOf(vector);
    long tss = k.perCpu(v26 ? "init_tss" : "cpu_tss_rw", cpu);
    long rsp = ist >= 0 ? mem.read64(tss + k.image.offPath("tss_struct", "x86_tss.ist") + 8L * ist)
        : user ? mem.read64(tss + k.image.offPath("tss_struct", "x86_tss.sp0")) : c.get("rsp");
    rsp &= -16L;
    long[] frame = {c.get("ss"), c.get("rsp"), c.get("eflags"), c.get("cs"), c.get("rip")};
    for (long v : frame) {
      rsp -= 8;
      try {
        mem.write64(rsp, v);
      } catch (kstack.mem.MemoryFault f) {
        throw f.duringDelivery(); // TSS.sp0 (2.6.32: from thread.sp0) names no stack
      }
    }
    if (vector == X86Exceptions.NMI_VECTOR) {
      c.set("nmi_blocked", 1); // [ARCH] SDM 6.7.1: further NMIs wait for the next IRET
    }
    if (vector == X86Exceptions.DF_VECTOR) {
      rsp -= 8;
      mem.write64(rsp, 0); // #DF pushes an error code of 0
    }
    c.set("rsp", rsp);
    c.set("eflags", c.get("eflags") & ~EFLAGS_IF);
    c.set("cs", KERNEL_CS);
    if (user) {
      c.set("ss", 0);
    }
    String named = X86Exceptions.handlerName(k, vector);
    c.set("rip", named != null ? k.image.symbol(named) : X86Irq.handlerAddress(k, vector));
    return named != null ? named : X86Irq.handler(k, vector);
  }

  /** A kernel-mode fault: a double fault on the guard page, or an oops (X86Faults). */
  @Override
  public boolean takeFault(Kernel k, int cpu, kstack.mem.MemoryFault f) {
    return X86Faults.takeFault(this, k, cpu, f);
  }

  /**
   * ELF_PLAT_INIT = elf_common_init (asm/elf.h@2.6.32.67:173-189, @4.16.13:172-186, @6.19:153-167):
   * the general registers (ax only on 2.6.32: later it keeps execve's return value); it also
   * clears the thread's fs/gs bases and selectors, which the model does not hold.
   */
  @Override
  public List<String> elfPlatInitRegs(Kernel k) {
    List<String> r = new java.util.ArrayList<>(v26 ? List.of("ax") : List.of());
    r.addAll(List.of("bx", "cx", "dx", "si", "di", "bp", "r8", "r9", "r10", "r11", "r12", "r13",
        "r14", "r15"));
    return r;
  }

  @Override
  public int exceptionVector(String name) {
    return switch (name) {
      case "db" -> X86Traps.DB_VECTOR;
      case "mc" -> X86Traps.MC_VECTOR;
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
  /** #DF has its own IST stack, so do_double_fault runs and dies (traps.c). */
  @Override
  public DoubleFault userDoubleFault() {
    return new DoubleFault(kstack.trace.Event.DoubleFaultEnd.IST_DIE, null);
  }


  @Override
  public int nmiVector() {
    return X86Exceptions.NMI_VECTOR;
  }

  /** ISA_IRQ_VECTOR(irq): legacy lines 0-15 at vectors 0x30-0x3f (asm/irq_vectors.h). */
  @Override
  public int irqVector(int irq) {
    return irq >= 0 && irq < 16 ? 0x30 + irq : -1;
  }

  @Override
  public int timerVector() {
    return timerVector;
  }

  @Override
  public boolean userModeRegs(Kernel k, long regs) {
    return (k.mem.read64(regs + k.image.off("pt_regs", "cs")) & 3) == 3;
  }

  @Override
  public boolean inUserMode(Kernel k, int cpu) {
    return (k.cpu(cpu).get("cs") & 3) == 3;
  }

  @Override
  public List<Frame> unwind(Kernel k, long task, boolean running, int cpu) {
    return X86Stacks.named(k, this, new X86Unwind(k, this).unwind(task, running, cpu), cpu,
        k.cpu(cpu).get("rsp"));
  }

  @Override
  public List<kstack.stack.StackRange> stackRanges(Kernel k, long task, boolean running, int cpu) {
    return X86Stacks.ranges(k, this, task, cpu, running);
  }

  @Override
  public List<StackWord> describeStack(Kernel k, long task, boolean running, int cpu) {
    return X86StackWords.describe(k, this, task, running, cpu);
  }
}
