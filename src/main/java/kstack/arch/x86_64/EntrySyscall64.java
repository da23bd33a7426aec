package kstack.arch.x86_64;

import java.util.Map;
import kstack.arch.SyscallWrappers;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.LinkedAddress;

/**
 * entry_SYSCALL_64 (arch/x86/entry/entry_64.S; docs/research/x86_64-call-chains.md §2, linux-facts
 * §5.1): swapgs, the user rsp parked in a per-CPU word, pt_regs pushed at the top of the task
 * stack, the C dispatcher, then SYSRET through the entry stack or the IRET exit. What the
 * generations with it share is here; each generation's module says where the user rsp is parked,
 * how registers are cleared and how the C side is reached and decides between SYSRET and IRET.
 */
public abstract class EntrySyscall64 implements SyscallEntry64 {
  private static final PtRegs[] ARG_REGS = {PtRegs.di, PtRegs.si, PtRegs.dx, PtRegs.r10, PtRegs.r8, PtRegs.r9};
  static final String ENTRY = X86Entry.ENTRY;

  /** Whether handlers take one pt_regs pointer (asm/syscall_wrapper.h, since 4.17). */
  abstract boolean ptregsWrappers();

  /** The per-CPU word that holds the user rsp while the entry builds pt_regs. */
  abstract String scratch();

  /** The step that loads the top of current's stack. */
  abstract String loadTopOfStack();

  /** Whether PUSH_AND_CLEAR_REGS clears each callee-clobbered register as it pushes it. */
  abstract boolean clearsAsPushed();

  /** The steps between the last push and the call of do_syscall_64. */
  abstract void callSetup(Kernel k, EntryFrame f, RoutineBuilder b);

  /**
   * The arguments callSetup left in registers for do_syscall_64, as many as its prototype takes
   * (the linker checks the count against the do_syscall_64 that buildDoSyscall declares).
   */
  abstract Args doSyscallArgs();

  /** The test after do_syscall_64 returns: branch to "iret" unless SYSRET may be used. */
  abstract void sysretOrIret(Kernel k, EntryFrame f, RoutineBuilder b);

  /** Whether rcx and r11 were reloaded before the test, so their pt_regs slots are skipped. */
  abstract boolean skipsRcxR11Pops();

  /** do_syscall_64 and what it calls, in arch/x86/entry. */
  abstract void buildDoSyscall(Kernel k);

  @Override
  public void build(Kernel k) {
    buildEntry(k);
    buildDoSyscall(k);
    X86Entry.buildExits(k);
    k.profile.module(SwitchFrame64.class).buildEntryHalf(k);
  }

  private void buildEntry(Kernel k) {
    String scratch = scratch();
    EntryFrame f = new EntryFrame(k);
    LinkedAddress parked = k.perCpuRef(scratch);
    LinkedAddress top = k.perCpuRef("cpu_current_top_of_stack");
    LinkedAddress iret = k.image.ref("swapgs_restore_regs_and_return_to_usermode");
    RoutineBuilder b = k.image.asm("entry_SYSCALL_64", ENTRY)
        .step("swapgs: GS base <-> KERNEL_GS_BASE; %gs now reaches this CPU's per-CPU area", X86Entry::swapgs)
        .step("movq %rsp, PER_CPU_VAR(" + scratch + "): park the user rsp",
            x -> x.write(x.reg(Regs.gs_base) + parked.get(), x.sp()))
        .step(loadTopOfStack(),
            x -> x.setSp(x.read(x.reg(Regs.gs_base) + top.get())))
        .step("pushq $__USER_DS: pt_regs->ss", x -> x.push(X86_64.USER_DS))
        .step("pushq PER_CPU_VAR(" + scratch + "): pt_regs->sp, the user rsp",
            x -> x.push(x.read(x.reg(Regs.gs_base) + parked.get())))
        .step("pushq %r11: pt_regs->flags (the user rflags SYSCALL saved)", x -> x.push(x.reg(Regs.r11)))
        .step("pushq $__USER_CS: pt_regs->cs", x -> x.push(X86_64.USER_CS))
        .step("pushq %rcx: pt_regs->ip (the user rip SYSCALL saved)", x -> x.push(x.reg(Regs.rcx)))
        .globalLabel("entry_SYSCALL_64_after_hwframe")
        .step("pushq %rax: pt_regs->orig_ax, the system call number", x -> x.push(x.reg(Regs.rax)));
    for (String r : X86Entry.PUSH_ORDER) {
      String reg = X86Entry.reg64(r);
      boolean clears = clearsAsPushed()
          && (r.startsWith("r") || r.equals("bx") || r.equals("bp"));
      if (r.equals("ax")) {
        b.step("pushq $-ENOSYS: pt_regs->ax (the result until the call returns)",
            x -> x.push(X86_64.ENOSYS));
      } else {
        String clr = clears ? "; xorl %" + reg + ", %" + reg : "";
        int ri = k.arch.registers().of(reg);
        b.step("pushq %" + reg + ": pt_regs->" + r + clr, x -> {
          x.push(x.reg(ri));
          if (clears) {
            x.set(ri, 0);
          }
        });
      }
    }
    callSetup(k, f, b);
    b.call("call do_syscall_64", "do_syscall_64", doSyscallArgs());
    sysretOrIret(k, f, b);
    b.globalLabel("syscall_return_via_sysret");
    for (String r : new String[] {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
        "r8", "rax", "rcx", "rdx", "rsi"}) {
      int rsi = k.arch.registers().of("rsi");
      int ri = k.arch.registers().of(r);
      if (skipsRcxR11Pops() && (r.equals("r11") || r.equals("rcx"))) {
        b.step("popq %rsi: skip pt_regs->" + r.substring(1) + " (SYSRET takes " + r
            + " from the register already)", x -> x.set(rsi, x.pop()));
      } else {
        b.step("popq %" + r, x -> x.set(ri, x.pop()));
      }
    }
    b.step("movq %rsp, %rdi; movq PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp: onto the entry stack; "
        + "the task stack is empty again", f::toEntryStack)
        .step("pushq RSP-RDI(%rdi): the user rsp; pushq (%rdi): the user rdi", x -> {
          long rdi = x.reg(Regs.rdi);
          x.push(x.read(rdi + 40));
          x.push(x.read(rdi));
        })
        .step("SWITCH_TO_USER_CR3_STACK (no PTI: nothing); popq %rdi; popq %rsp", x -> {
          x.set(Regs.rdi, x.pop());
          x.setSp(x.pop());
        })
        .step("swapgs; sysretq: rip = rcx, rflags = r11, cs = __USER_CS, ss = __USER_DS", x -> {
          X86Entry.swapgs(x);
          x.set(Regs.eflags, x.reg(Regs.r11));
          x.set(Regs.cs, X86_64.USER_CS);
          x.set(Regs.ss, X86_64.USER_DS);
          f.exited(x);
          x.jumpTo(x.reg(Regs.rcx));
        })
        .label("iret")
        .step("jmp swapgs_restore_regs_and_return_to_usermode",
            x -> x.jumpTo(iret.get()));
    k.image.add(b.build());
  }

  /**
   * SYSCALL_DEFINE0 defines {@code sys_NAME}; 4.16's SYSCALL_DEFINEx {@code SyS_NAME} with
   * {@code sys_NAME} as an alias (include/linux/syscalls.h@4.16.13:192-219); the pt_regs wrapper
   * {@code __x64_sys_NAME} later (arch/x86/include/asm/syscall_wrapper.h@6.19).
   */
  @Override
  public String syscallSymbol(String name, int nargs) {
    return SyscallWrappers.symbol("__x64", ptregsWrappers(), name, nargs);
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source,
      kstack.exec.Local... params) {
    return SyscallWrappers.routine(k, syscallSymbol(name, params.length), ptregsWrappers(), name,
        source, params, i -> ARG_REGS[i].name(), i -> ARG_REGS[i].off(k));
  }

  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    numbers.put("finit_module", 313);
  }
}
