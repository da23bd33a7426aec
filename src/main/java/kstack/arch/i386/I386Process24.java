package kstack.arch.i386;

import static kstack.arch.i386.PtRegsByValue.byValueReg;
import static kstack.arch.i386.PtRegsByValue.byValueRegs;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.kernel.TaskMember;

/**
 * arch/i386/kernel/process.c and include/asm-i386/system.h at 2.4.22 (docs/research/i386-and-2.x.md
 * §1.4-1.6): current is esp & ~8191; switch_to inline in schedule() pushes esi, edi, ebp and saves
 * thread.esp and thread.eip; __switch_to (FASTCALL) loads TSS.esp0; copy_thread puts the child's
 * pt_regs at the very top of its task_union; sys_fork, sys_clone and sys_execve take pt_regs by
 * value; arch_kernel_thread is a clone through int $0x80 from kernel mode; cpu_idle.
 */
final class I386Process24 {
  enum L implements Local {
      arg, childregs, clone_flags, error, esp, filename, flags, fn, newsp, next, nr, p, prev, regs,
      unused
  }

  private I386Process24() {}

  static final String SRC = "arch/i386/kernel/process.c";
  /** include/asm-i386/segment.h@2.4.22:4-8. */
  static final long KERNEL_CS = 0x10;
  static final long KERNEL_DS = 0x18;
  static final long USER_CS = 0x23;
  static final long USER_DS = 0x2b;

  /** The switch_to macro (include/asm-i386/system.h@2.4.22:16-34) as steps of schedule(). */
  static void inlineSwitch(Kernel k, RoutineBuilder b) {
    b.step("  switch_to(prev, next, last) [inline asm]: eax = prev, edx = next, ebx = prev; "
            + "pushl %esi; pushl %edi; pushl %ebp", x -> {
              x.set(Regs.eax, x.get(L.prev));
              x.set(Regs.edx, x.get(L.next));
              x.set(Regs.ebx, x.get(L.prev));
              x.push(x.reg(Regs.esi));
              x.push(x.reg(Regs.edi));
              x.push(x.fp());
            });
    SwitchToEsp.swapStacks(k, b, "current")
        .step("  1: popl %ebp; popl %edi; popl %esi: this task again; last = prev from ebx", x -> {
          x.setFp(x.pop());
          x.set(Regs.edi, x.pop());
          x.set(Regs.esi, x.pop());
          x.set(Regs.eax, x.reg(Regs.ebx));
        });
  }

  static void build(Kernel k) {
    // FASTCALL void (system.h@2.4.22:13): prev_p in eax, next_p in edx, no stack parameters
    k.image.add(k.image.c("__switch_to", SRC).params()
        .step("FASTCALL: prev_p = eax, next_p = edx; unlazy_fpu(prev_p)", x -> { })
        .step("tss = init_tss + smp_processor_id(); tss->esp0 = next->thread.esp0: where "
            + "int $0x80 and interrupts from user mode will land", x -> x.write(
                k.image.symbol("init_tss") + 4, k.tasks.taskRead(x.reg(Regs.edx), TaskMember.thread_esp0)))
        .step("save %fs, %gs in prev->thread; loadsegment(fs/gs, next->thread.fs/gs); no "
            + "debug registers, no io bitmap", x -> { })
        .retVoid().build());
    RoutineBuilder ct = k.image.c("copy_thread", SRC).params(L.nr, L.clone_flags, L.esp, L.unused, L.p, L.regs).locals(L.childregs)
        .step("childregs = ((struct pt_regs *) (THREAD_SIZE + (unsigned long) p)) - 1: the very "
            + "top of p's task_union", x -> x.set(L.childregs,
                x.get(L.p) + k.threadSize - SwitchToEsp.PTREGS));
    k.image.add(SwitchToEsp.childFrame(k, ct, "struct_cpy(childregs, regs)")
        .ret("savesegment(fs/gs, p->thread); unlazy_fpu(current); copy the FPU state; return 0",
            x -> 0).build());
    buildSyscalls(k);
    buildKernelThread(k);
    buildIdle(k);
  }

  /** sys_fork, sys_clone, sys_execve (process.c@2.4.22:743-793): pt_regs by value. */
  private static void buildSyscalls(Kernel k) {
    k.image.add(k.image.c("sys_fork", SRC).params().asmlinkage()
        .call("return do_fork(SIGCHLD, regs.esp, &regs, 0): regs is the frame system_call saved",
            "do_fork", Args.of(x -> Kernel.SIGCHLD, x -> byValueReg(k, x, PtRegs.sp), x -> byValueRegs(x), x -> 0))
        .ret("return pid", Exec::retval).build());
    k.image.sysCallTable.put(k.arch.syscallNumbers().get("fork"), "sys_fork");
    k.image.add(k.image.c("sys_clone", SRC).params().asmlinkage().locals(L.newsp)
        .step("clone_flags = regs.ebx; newsp = regs.ecx; if (!newsp) newsp = regs.esp", x -> {
          long sp = byValueReg(k, x, PtRegs.cx);
          x.set(L.newsp, sp != 0 ? sp : byValueReg(k, x, PtRegs.sp));
        })
        .call("return do_fork(clone_flags, newsp, &regs, 0)", "do_fork",
            Args.of(x -> byValueReg(k, x, PtRegs.bx), x -> x.get(L.newsp), x -> byValueRegs(x), x -> 0))
        .ret("return pid", Exec::retval).build());
    k.image.sysCallTable.put(k.arch.syscallNumbers().get("clone"), "sys_clone");
    k.image.add(k.image.c("sys_execve", SRC).params().asmlinkage().locals(L.filename, L.error)
        .step("filename = getname((char *) regs.ebx)",
            x -> x.set(L.filename, k.getname(x, byValueReg(k, x, PtRegs.bx))))
        .callInto(L.error, "error = do_execve(filename, (char **) regs.ecx, (char **) regs.edx, "
            + "&regs)", "do_execve", Args.of(x -> x.get(L.filename), x -> byValueReg(k, x, PtRegs.cx),
                x -> byValueReg(k, x, PtRegs.dx), x -> byValueRegs(x)))
        .ret("if (error == 0) current->ptrace &= ~PT_DTRACE; putname(filename); return error",
            x -> x.get(L.error)).build());
    k.image.sysCallTable.put(k.arch.syscallNumbers().get("execve"), "sys_execve");
  }

  /**
   * arch_kernel_thread (process.c@2.4.22:488-513): clone from kernel mode. The CPU stays on this
   * stack and pushes only eflags, cs, eip, so system_call builds the parent's pt_regs in the middle
   * of it; the child's copy sits at the top of its own union and its iret to __KERNEL_CS leaves esp
   * at top - 8. The "r" operands arg and fn travel in registers the pt_regs copy carries across
   * (the simulator gives them edx and edi); parent and child tell themselves apart by esp.
   */
  private static void buildKernelThread(Kernel k) {
    int clone = k.arch.syscallNumbers().get("clone");
    int exit = k.arch.syscallNumbers().get("exit");
    k.image.add(k.image.c("arch_kernel_thread", SRC).params(L.fn, L.arg, L.flags)
        .step("pushl %edi; pushl %esi; pushl %ebx: the callee-saved registers the asm takes", x -> {
          x.push(x.reg(Regs.edi));
          x.push(x.reg(Regs.esi));
          x.push(x.reg(Regs.ebx));
        })
        .step("eax = __NR_clone; ebx = flags | CLONE_VM; edx = arg; edi = fn; "
            + "movl %esp, %esi", x -> {
              x.set(Regs.eax, clone);
              x.set(Regs.ebx, x.get(L.flags) | Kernel.CLONE_VM);
              x.set(Regs.edx, x.get(L.arg));
              x.set(Regs.edi, x.get(L.fn));
              x.set(Regs.esi, x.sp());
            })
        .step("int $0x80: sys_clone from kernel mode", x -> k.arch.syscallInstruction(x))
        .branchIf("parent", "cmpl %esp, %esi; je 1f: the same esp is the parent",
            x -> x.sp() == x.reg(Regs.esi))
        .step("the child: movl arg, %eax; pushl %eax", x -> {
          x.set(Regs.eax, x.reg(Regs.edx));
          x.push(x.reg(Regs.eax));
        })
        .callVia("call *fn", x -> x.reg(Regs.edi), Args.inPlace(), null)
        .step("movl $__NR_exit, %eax; int $0x80: exit(ebx), still flags | CLONE_VM (ebx is "
            + "callee-saved, so fn left it alone)", x -> {
          x.set(Regs.eax, exit);
          k.arch.syscallInstruction(x);
        })
        .label("parent")
        .step("1: popl %ebx; popl %esi; popl %edi", x -> {
          x.set(Regs.ebx, x.pop());
          x.set(Regs.esi, x.pop());
          x.set(Regs.edi, x.pop());
        })
        .ret("return retval (eax: the child's pid)", Exec::retval).build());
  }

  /** cpu_idle and default_idle (process.c@2.4.22:81-140). */
  private static void buildIdle(Kernel k) {
    k.image.add(k.image.c("cpu_idle", SRC).params()
        .step("init_idle(); current->nice = 20; current->counter = -100", x -> {
          long cur = k.current(x);
          k.tasks.taskWrite(cur, TaskMember.nice, 20);
          k.tasks.taskWrite(cur, TaskMember.counter, -100);
        })
        .label("loop")
        .branchIf("resched", "while (1) { while (!current->need_resched)",
            x -> k.rq.needResched(k.current(x)))
        .call("    idle() = default_idle()", "default_idle", Args.inPlace())
        .jump("loop", "")
        .label("resched")
        .call("  schedule()", "schedule", Args.inPlace())
        .step("  check_pgt_cache()", x -> { })
        .jump("loop", "}").build());
    k.image.add(k.image.c("default_idle", SRC).params()
        .step("__cli(); if (!current->need_resched) safe_halt(): sti; hlt", x -> {
          k.arch.irqEnable(x);
          if (!k.rq.needResched(k.current(x))) {
            x.stay();
          }
        })
        .retVoid().build());
  }
}
