package kstack.arch.arm64;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * arch/arm64/kernel/entry.S (and entry-common.c, syscall.c in 6.19): the vector table with
 * kernel_ventry's overflow test, kernel_entry and kernel_exit, system-call dispatch (4.16 in
 * assembly through sys_call_table; 6.19 in C through invoke_syscall), the return paths, IRQ entry
 * with the switch to the per-CPU IRQ stack, and __bad_stack. Sequences: research/arm64.md §3-§9.
 */
final class Arm64Entry {
  enum L implements Local {
      desc, dev_id, domain, handler, hwirq, irq, irqnr, lookup, regs, sc_nr, scno, syscall_fn,
      syscall_table, thread_flags
  }

  private Arm64Entry() {}

  static final String ENTRY = "arch/arm64/kernel/entry.S";
  static final int S_FRAME_SIZE = 320;
  static final int S_LR = 240;
  static final int S_SP = 248;
  static final int S_PC = 256;
  static final int S_PSTATE = 264;
  static final int S_ORIG_X0 = 272;
  static final int S_SYSCALLNO = 280;

  static int stackframe(Kernel k) {
    return k.profile.has(Feature.ARM64_FINAL_FRAME_RECORD) ? 296 : 304;
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.ARM64_ENTRY_COMMON);
    buildVectors(k, v6);
    if (v6) {
      buildSvc619(k);
    } else {
      buildSvc416(k);
    }
    buildRetToUser(k, v6);
    buildIrq(k, v6);
    buildTimer(k);
    if (k.profile.config("VMAP_STACK")) { // __bad_stack and overflow_stack need it
      buildBadStack(k, v6);
    }
  }

  /**
   * vectors: 16 entries of 128 bytes (32 steps each). The used ones run kernel_ventry: make room
   * for pt_regs, test bit THREAD_SHIFT of the new SP, and branch to the handler.
   */
  private static void buildVectors(Kernel k, boolean v6) {
    RoutineBuilder b = k.image.asm("vectors", ENTRY);
    String[] names = v6
        ? new String[] {"el1t_64_sync", "el1t_64_irq", "el1t_64_fiq", "el1t_64_error",
            "el1h_64_sync", "el1h_64_irq", "el1h_64_fiq", "el1h_64_error",
            "el0t_64_sync", "el0t_64_irq", "el0t_64_fiq", "el0t_64_error",
            "el0t_32_sync", "el0t_32_irq", "el0t_32_fiq", "el0t_32_error"}
        : new String[] {"el1_sync_invalid", "el1_irq_invalid", "el1_fiq_invalid", "el1_error_invalid",
            "el1_sync", "el1_irq", "el1_fiq_invalid", "el1_error_invalid",
            "el0_sync", "el0_irq", "el0_fiq_invalid", "el0_error_invalid",
            "el0_sync_compat", "el0_irq_compat", "el0_fiq_invalid_compat", "el0_error_compat"};
    long shift = k.image.constant("THREAD_SHIFT");
    boolean vmap = k.profile.config("VMAP_STACK");
    for (int slot = 0; slot < 16; slot++) {
      String target = names[slot];
      boolean used = slot == 4 || slot == 5 || slot == 8 || slot == 9;
      int steps = 0;
      if (used) {
        b.step("kernel_ventry: sub sp, sp, #" + (v6 ? "PT_REGS_SIZE" : "S_FRAME_SIZE"),
            x -> x.setSp(x.sp() - S_FRAME_SIZE));
        steps = 2;
        if (vmap) { // the check is CONFIG_VMAP_STACK only (entry.S@4.16.13:89-131)
          b.step("add sp, sp, x0; sub x0, sp, x0; tbnz x0, #THREAD_SHIFT: has SP left its stack?",
              x -> {
                if ((x.sp() >>> shift & 1) != 0) {
                  overflow(k, x);
                }
              });
          steps = 3;
        }
        b.step("b " + target, x -> x.jumpTo(k.image.symbol(target)));
      } else {
        b.step("(" + target + ": not modelled) b " + target + " -> panic",
            x -> k.panic("Kernel panic - not syncing: unhandled exception vector " + target));
        steps = 1;
      }
      for (int i = steps; i < 32; i++) {
        b.step("(.align 7: the rest of the 128-byte slot)", x -> { });
      }
    }
    k.image.add(b.build());
  }

  /** kernel_ventry's overflow path: stash SP and x0, move to the overflow stack, __bad_stack. */
  private static void overflow(Kernel k, Exec x) {
    x.set("tpidr_el0", x.sp());
    x.set("tpidrro_el0", x.reg("x0"));
    long top = k.perCpu("overflow_stack", x.cpu().id()) + k.image.constant("OVERFLOW_STACK_SIZE");
    x.setSp(top);
    k.timeline.emit(new Event.OverflowStackEntry(x.cpu().id(), x.reg("tpidr_el0"), top));
    x.jumpTo(k.image.symbol("__bad_stack"));
  }

  /** kernel_entry el (entry.S@4.16.13:140-240, @6.19:197-333). */
  static RoutineBuilder kernelEntry(Kernel k, RoutineBuilder b, int el) {
    boolean v6 = k.profile.has(Feature.ARM64_ENTRY_COMMON);
    int sf = stackframe(k);
    b.step("kernel_entry " + el + ": stp x0, x1, [sp, #16*0] .. stp x28, x29, [sp, #16*14]", x -> {
      for (int i = 0; i <= 29; i++) {
        x.write(x.sp() + 8L * i, x.reg("x" + i));
      }
    });
    if (el == 0) {
      if (v6) {
        b.step("clear_gp_regs; mrs x21, sp_el0 (the user SP); ldr_this_cpu tsk, __entry_task; "
            + "msr sp_el0, tsk: current", x -> {
              for (int i = 0; i <= 29; i++) {
                x.set("x" + i, 0);
              }
              x.set("x21", x.reg("sp_el0"));
              long tsk = x.read(k.perCpu("__entry_task", x.cpu().id()));
              x.set("x28", tsk);
              x.set("sp_el0", tsk);
            });
      } else {
        b.step("mrs x21, sp_el0 (the user SP); ldr_this_cpu tsk, __entry_task; mov x29, xzr", x -> {
          x.set("x21", x.reg("sp_el0"));
          x.set("x28", x.read(k.perCpu("__entry_task", x.cpu().id())));
          x.setFp(0);
        });
      }
    } else {
      b.step("add x21, sp, #S_FRAME_SIZE (the interrupted SP); get_current_task tsk", x -> {
        x.set("x21", x.sp() + S_FRAME_SIZE);
        x.set("x28", x.reg("sp_el0"));
      });
    }
    b.step("mrs x22, elr_el1; mrs x23, spsr_el1; stp lr, x21, [sp, #S_LR]", x -> {
      x.set("x22", x.reg("elr_el1"));
      x.set("x23", x.reg("spsr_el1"));
      x.write(x.sp() + S_LR, x.reg("x30"));
      x.write(x.sp() + S_SP, x.reg("x21"));
    });
    if (v6) {
      b.step("stp xzr, xzr, [sp, #S_STACKFRAME]; type = " + (el == 0 ? "FRAME_META_TYPE_FINAL"
          : "FRAME_META_TYPE_PT_REGS") + "; add x29, sp, #S_STACKFRAME", x -> {
            x.write(x.sp() + sf, 0);
            x.write(x.sp() + sf + 8, 0);
            x.write(x.sp() + sf + 16, el == 0 ? 1 : 2);
            x.setFp(x.sp() + sf);
          });
    } else {
      b.step(el == 0 ? "stp xzr, xzr, [sp, #S_STACKFRAME]; add x29, sp, #S_STACKFRAME"
          : "stp x29, x22, [sp, #S_STACKFRAME] (the interrupted fp and pc); add x29, sp, "
              + "#S_STACKFRAME", x -> {
                x.write(x.sp() + sf, el == 0 ? 0 : x.fp());
                x.write(x.sp() + sf + 8, el == 0 ? 0 : x.reg("x22"));
                x.setFp(x.sp() + sf);
              });
    }
    b.step("stp x22, x23, [sp, #S_PC]" + (el == 0 ? "; mov w21, #NO_SYSCALL; str w21, "
        + "[sp, #S_SYSCALLNO]" : ""), x -> {
          x.write(x.sp() + S_PC, x.reg("x22"));
          x.write(x.sp() + S_PSTATE, x.reg("x23"));
          if (el == 0) {
            x.write(x.sp() + S_SYSCALLNO, 4, 0xffffffffL);
          }
        });
    if (el == 0 && !v6) {
      b.step("msr sp_el0, tsk: current (set last in 4.16)", x -> x.set("sp_el0", x.reg("x28")));
    }
    return b;
  }

  /** kernel_exit el (entry.S@4.16.13:242-346, @6.19:335-463). */
  static RoutineBuilder kernelExit(Kernel k, RoutineBuilder b, int el) {
    b.step("kernel_exit " + el + ": ldp x21, x22, [sp, #S_PC]" + (el == 0
        ? "; ldr x23, [sp, #S_SP]; msr sp_el0, x23: SP_EL0 = the user SP" : ""), x -> {
          x.set("x21", x.read(x.sp() + S_PC));
          x.set("x22", x.read(x.sp() + S_PSTATE));
          if (el == 0) {
            x.set("sp_el0", x.read(x.sp() + S_SP));
          }
        })
        .step("msr elr_el1, x21; msr spsr_el1, x22; ldp x0, x1 .. x28, x29; ldr lr, [sp, #S_LR]",
            x -> {
              x.set("elr_el1", x.reg("x21"));
              x.set("spsr_el1", x.reg("x22"));
              for (int i = 0; i <= 29; i++) {
                x.set("x" + i, x.read(x.sp() + 8L * i));
              }
              x.set("x30", x.read(x.sp() + S_LR));
            })
        .step("add sp, sp, #S_FRAME_SIZE" + (el == 0 ? ": SP_EL1 is the top of the task stack again"
            : ""), x -> {
              if (el == 0) {
                long task = entryTask(k, x);
                String broken = k.stacks.overwritten(task);
                if (broken != null) {
                  k.timeline.emit(new Event.CorruptReturn(x.cpu().id(),
                      Event.ReturnPath.ERET, broken));
                }
                long top = broken != null ? x.sp() + S_FRAME_SIZE : k.arch.taskTopOfStack(k, task);
                if (x.sp() + S_FRAME_SIZE != top) {
                  throw new IllegalStateException(String.format(
                      "kernel stack not empty on return to user: sp 0x%x, top 0x%x",
                      x.sp() + S_FRAME_SIZE, top));
                }
              }
              x.setSp(x.sp() + S_FRAME_SIZE);
            })
        .step("eret: pc = ELR_EL1, PSTATE = SPSR_EL1", x -> eret(k, x));
    return b;
  }

  /** [ARCH] ERET: back to the mode in SPSR; to EL0 the stack pointer becomes SP_EL0 again. */
  static void eret(Kernel k, Exec x) {
    long spsr = x.reg("spsr_el1");
    if ((spsr & 0xf) == Arm64.PSR_MODE_EL0T) {
      x.set("sp_el1", x.sp());
      long task = entryTask(k, x);
      x.set("pstate", spsr);
      x.setSp(x.reg("sp_el0"));
      long nr = k.mem.read(k.arch.taskPtRegs(k, task) + S_SYSCALLNO, 4);
      k.timeline.emit(nr == 0xffffffffL
          ? new Event.ReturnToUser(x.cpu().id(), k.tasks.pid(task), Event.ReturnPath.ERET)
          : new Event.SyscallExit(x.cpu().id(), k.tasks.pid(task), name(k, nr), x.reg("x0")));
    } else {
      x.set("pstate", spsr);
    }
    x.jumpTo(x.reg("elr_el1"));
  }

  /** The task returning to EL0 (SP_EL0 already holds the user SP at this point). */
  static long entryTask(Kernel k, Exec x) {
    return x.read(k.perCpu("__entry_task", x.cpu().id()));
  }

  static String name(Kernel k, long nr) {
    for (var e : k.arch.syscallNumbers().entrySet()) {
      if (e.getValue() == nr) {
        return e.getKey();
      }
    }
    return "syscall " + nr;
  }

  private static void entered(Kernel k, Exec x, long regs) {
    long nr = k.mem.read64(regs + 8L * 8);
    long task = k.current(x);
    k.timeline.emit(new Event.SyscallEntry(x.cpu().id(), k.tasks.pid(task), name(k, nr), nr,
        x.read(regs + S_SP), regs));
  }

  private static long target(Kernel k, long nr) {
    String s = k.image.sysCallTable.get((int) nr);
    return k.image.symbol(s != null ? s : k.profile.has(Feature.SYSCALL_PTREGS_WRAPPERS) ? "__arm64_sys_ni_syscall"
        : "sys_ni_syscall");
  }

  /** 4.16: el0_sync → el0_svc → el0_svc_naked → blr sys_call_table[nr] (entry.S@4.16.13:631-959). */
  private static void buildSvc416(Kernel k) {
    k.image.add(kernelEntry(k, k.image.asm("el0_sync", ENTRY), 0)
        .step("mrs x25, esr_el1; lsr x24, x25, #ESR_ELx_EC_SHIFT; cmp x24, #ESR_ELx_EC_SVC64; "
            + "b.eq el0_svc", x -> {
              x.set("x25", x.reg("esr_el1"));
              x.set("x24", x.reg("esr_el1") >>> 26);
              x.jumpTo(k.image.symbol("el0_svc"));
            }).build());
    k.image.add(k.image.asm("el0_svc", ENTRY)
        .step("ldr x16, [tsk, #TSK_TI_FLAGS]; adrp stbl, sys_call_table; mov wscno, w8; "
            + "mov wsc_nr, #__NR_syscalls", x -> {
              x.set("x26", x.reg("x8"));
              x.set("x25", 292);
              entered(k, x, x.sp());
            })
        .globalLabel("el0_svc_naked")
        .step("stp x0, xscno, [sp, #S_ORIG_X0]: orig_x0 and syscallno", x -> {
          x.write(x.sp() + S_ORIG_X0, x.reg("x0"));
          x.write(x.sp() + S_SYSCALLNO, x.reg("x26"));
        })
        .step("enable_daif", k.arch::irqEnable)
        .callVia("cmp wscno, wsc_nr; mask_nospec64; ldr x16, [stbl, xscno, lsl #3]; blr x16",
            x -> target(k, x.reg("x26")), Args.of(x -> x.reg("x0"), x -> x.reg("x1"), x -> x.reg("x2"),
                x -> x.reg("x3"), x -> x.reg("x4"), x -> x.reg("x5")), null)
        .step("b ret_fast_syscall", x -> x.jumpTo(k.image.symbol("ret_fast_syscall"))).build());
    k.image.add(k.image.asm("ret_fast_syscall", ENTRY)
        .step("disable_daif; str x0, [sp, #S_X0]: the result into pt_regs", x -> {
          k.arch.irqDisable(x);
          x.write(x.sp(), x.reg("x0"));
        })
        .step("ldr x1, [tsk, #TSK_TI_FLAGS]; _TIF_WORK_MASK? b.ne work_pending; else "
            + "b finish_ret_to_user", x -> x.jumpTo(k.rq.needResched(k.current(x))
                ? k.image.symbol("work_pending") : k.image.symbol("finish_ret_to_user"))).build());
    k.image.add(k.image.asm("work_pending", ENTRY)
        .call("mov x0, sp; bl do_notify_resume", "do_notify_resume",
            Args.of(x -> x.sp(), x -> 0))
        .step("b finish_ret_to_user", x -> x.jumpTo(k.image.symbol("finish_ret_to_user"))).build());
    k.image.add(k.image.c("do_notify_resume", "arch/arm64/kernel/signal.c").params(L.regs, L.thread_flags)
        .label("loop")
        .branchIf("done", "do { if (thread_flags & _TIF_NEED_RESCHED) {",
            x -> !k.rq.needResched(k.current(x)))
        .step("  local_daif_restore(DAIF_PROCCTX_NOIRQ)", x -> { })
        .call("  schedule()", "schedule", Args.inPlace())
        .jump("loop", "} } while (thread_flags & _TIF_WORK_MASK)")
        .label("done")
        .retVoid().build());
    k.image.add(k.image.c("sys_ni_syscall", "kernel/sys_ni.c").params()
        .ret("return -ENOSYS", x -> -38).build());
  }

  /**
   * 6.19: el0t_64_sync → el0t_64_sync_handler → el0_svc → do_el0_svc → el0_svc_common →
   * invoke_syscall → __invoke_syscall → __arm64_sys_NAME (research arm64.md §4.2).
   */
  private static void buildSvc619(Kernel k) {
    k.image.add(kernelEntry(k, k.image.asm("el0t_64_sync", ENTRY), 0)
        .call("mov x0, sp; bl el0t_64_sync_handler", "el0t_64_sync_handler",
            Args.of(x -> x.sp()))
        .step("b ret_to_user", x -> x.jumpTo(k.image.symbol("ret_to_user"))).build());
    String ec = "arch/arm64/kernel/entry-common.c";
    k.image.add(k.image.c("el0t_64_sync_handler", ec).params(L.regs)
        .branchIf("abort", "switch (ESR_ELx_EC(read_sysreg(esr_el1))): case ESR_ELx_EC_SVC64",
            x -> (x.reg("esr_el1") >>> 26) != 0x15)
        .call("  el0_svc(regs)", "el0_svc", Args.of(x -> x.get(L.regs)))
        .label("abort")
        .retVoid().build());
    var svc = k.image.c("el0_svc", ec).params(L.regs)
        .step("arm64_enter_from_user_mode(regs) [inline]; fpsimd_syscall_enter() [inline]; "
            + "local_daif_restore(DAIF_PROCCTX)", x -> {
              entered(k, x, x.get(L.regs));
              k.arch.irqEnable(x);
            })
        .call("do_el0_svc(regs)", "do_el0_svc", Args.of(x -> x.get(L.regs)));
    k.image.add(kstack.arch.ExitWork.append(k, svc, "arm64_exit_to_user_mode(regs) [inline]: "
            + "local_irq_disable(); work pending?", "exit_to_user_mode_loop",
            "exit_to_user_mode_loop(regs, ti_work)")
        .retVoid().build());
    String sc = "arch/arm64/kernel/syscall.c";
    k.image.add(k.image.c("do_el0_svc", sc).params(L.regs)
        .call("el0_svc_common(regs, regs->regs[8], __NR_syscalls, sys_call_table)",
            "el0_svc_common", Args.of(x -> x.get(L.regs), x -> x.read(x.get(L.regs) + 64), x -> 471, x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("el0_svc_common", sc).params(L.regs, L.scno, L.sc_nr, L.syscall_table)
        .step("regs->orig_x0 = regs->regs[0]; regs->syscallno = scno", x -> {
          long r = x.get(L.regs);
          x.write(r + S_ORIG_X0, x.read(r));
          x.write(r + S_SYSCALLNO, 4, x.get(L.scno));
        })
        .call("invoke_syscall(regs, scno, sc_nr, syscall_table)", "invoke_syscall",
            Args.of(x -> x.get(L.regs), x -> x.get(L.scno), x -> x.get(L.sc_nr), x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("invoke_syscall", sc).params(L.regs, L.scno, L.sc_nr, L.syscall_table)
        .step("add_random_kstack_offset() (RANDOMIZE_KSTACK_OFFSET not modelled: offset 0)", x -> { })
        .call("ret = __invoke_syscall(regs, syscall_table[array_index_nospec(scno, sc_nr)])",
            "__invoke_syscall", Args.of(x -> x.get(L.regs), x -> target(k, x.get(L.scno))))
        .step("syscall_set_return_value(current, regs, 0, ret): regs->regs[0] = ret",
            x -> x.write(x.get(L.regs), x.retval()))
        .retVoid().build());
    k.image.add(k.image.c("__invoke_syscall", sc).params(L.regs, L.syscall_fn)
        .callVia("return syscall_fn(regs)", x -> x.get(L.syscall_fn),
            Args.of(x -> x.get(L.regs)), null)
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("__arm64_sys_ni_syscall", "kernel/sys_ni.c").params(L.regs)
        .ret("return -ENOSYS", x -> -38).build());
    k.image.add(k.image.c("asm_exit_to_user_mode", ec).params(L.regs)
        .branchIf("nowork", "arm64_exit_to_user_mode(regs) [inline]: work pending?", x -> {
          k.arch.irqDisable(x);
          return !k.rq.needResched(k.current(x));
        })
        .call("exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
            Args.of(x -> x.get(L.regs), x -> 0))
        .label("nowork")
        .retVoid().build());
  }

  /** ret_to_user: (4.16: the work check) then kernel_exit 0. */
  private static void buildRetToUser(Kernel k, boolean v6) {
    RoutineBuilder b = k.image.asm("ret_to_user", ENTRY);
    if (!v6) {
      b.step("disable_daif; ldr x1, [tsk, #TSK_TI_FLAGS]; and x2, x1, #_TIF_WORK_MASK; "
          + "cbnz x2, work_pending", x -> {
            k.arch.irqDisable(x);
            if (k.rq.needResched(k.current(x))) {
              x.jumpTo(k.image.symbol("work_pending"));
            }
          });
      b.globalLabel("finish_ret_to_user");
    }
    b.step("enable_step_tsk x1, x2" + (v6 ? " (ldr x19, [tsk, #TSK_TI_FLAGS])" : ""), x -> { });
    k.image.add(kernelExit(k, b, 0).build());
  }

  /**
   * IRQs. 4.16: el0_irq / el1_irq → irq_handler: irq_stack_entry switches to the IRQ stack only if
   * SP is in the task stack; the GIC driver's handle_domain_irq does irq_enter/irq_exit there. 6.19:
   * el0t_64_irq / el1h_64_irq → el0_interrupt / el1_interrupt (irq_enter_rcu, do_interrupt_handler,
   * irq_exit_rcu on the task stack); call_on_irq_stack when on the thread stack.
   */
  /** on_thread_stack(): SP lies in current's task stack. */
  private static boolean onThreadStack(Kernel k, kstack.exec.Exec x) {
    return Long.compareUnsigned(x.sp() - k.stacks.stack(k.current(x)), k.threadSize) < 0;
  }

  private static void buildIrq(Kernel k, boolean v6) {
    if (!v6) {
      for (int el : new int[] {0, 1}) {
        RoutineBuilder b = kernelEntry(k, k.image.asm(el == 0 ? "el0_irq" : "el1_irq", ENTRY), el);
        if (el == 0) {
          b.globalLabel("el0_irq_naked");
        }
        b.step("enable_da_f; irq_handler: ldr_l x1, handle_arch_irq; mov x0, sp", x -> {
          x.set("x1", k.image.symbol("gic_handle_irq"));
          x.set("x0", x.sp());
        })
            .step("irq_stack_entry: mov x19, sp; if SP is in current's task stack, "
                + "sp = irq_stack_ptr + IRQ_STACK_SIZE", x -> {
                  x.set("x19", x.sp());
                  long stack = k.stacks.stack(k.current(x));
                  if (((x.sp() ^ stack) & -k.threadSize) == 0) {
                    long top = x.read(k.perCpu("irq_stack_ptr", x.cpu().id())) + k.threadSize;
                    x.setSp(top);
                    k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "irq_stack_entry",
                        "IRQ stack", "sp", top, Event.BackLink.NONE, 0));
                  }
                })
            .callVia("blr x1 (handle_arch_irq = gic_handle_irq)", x -> x.reg("x1"),
                Args.of(x -> x.reg("x0")), null)
            .step("irq_stack_exit: mov sp, x19", x -> x.setSp(x.reg("x19")));
        if (el == 0) {
          b.step("b ret_to_user", x -> x.jumpTo(k.image.symbol("ret_to_user")));
          k.image.add(b.build());
        } else {
          b.branchIf("nopreempt", "CONFIG_PREEMPT: preempt count 0 and TIF_NEED_RESCHED? "
              + "bl el1_preempt", x -> !k.profile.config("PREEMPT") || !k.rq.needResched(k.current(x))
                  || k.mem.read(k.arch.preemptCountAddress(k, x.cpu().id()), 4) != 0)
              .call("bl preempt_schedule_irq (el1_preempt)", "preempt_schedule_irq", Args.inPlace())
              .label("nopreempt");
          k.image.add(kernelExit(k, b, 1).build());
        }
      }
      k.image.add(k.image.c("gic_handle_irq", "drivers/irqchip/irq-gic-v3.c").params(L.regs)
          .step("irqnr = gic_read_iar(); handle_domain_irq(gic_data.domain, irqnr, regs) [inline]",
              x -> { })
          .call("__handle_domain_irq(domain, hwirq, true, regs)", "__handle_domain_irq",
              Args.of(x -> 0, x -> 0, x -> 1, x -> x.get(L.regs)))
          .retVoid().build());
      k.image.add(k.image.c("__handle_domain_irq", "kernel/irq/irqdesc.c").params(L.domain, L.hwirq, L.lookup, L.regs)
          .call("set_irq_regs(regs); irq_enter()", "irq_enter", Args.inPlace())
          .callVia("generic_handle_irq(irq) -> desc->handle_irq(desc): handle_percpu_devid_irq for "
              + "the timer's PPI, handle_edge_irq for a device", x -> flowHandler(k, x),
              Args.of(x -> x.reg("gic_iar")), null)
          .call("irq_exit(): softirqs run here, on this stack", "irq_exit", Args.inPlace())
          .ret("set_irq_regs(old_regs); return 0", x -> 0).build());
    } else {
      for (int el : new int[] {0, 1}) {
        String asm = el == 0 ? "el0t_64_irq" : "el1h_64_irq";
        String handler = asm + "_handler";
        RoutineBuilder b = kernelEntry(k, k.image.asm(asm, ENTRY), el)
            .call("mov x0, sp; bl " + handler, handler, Args.of(x -> x.sp()));
        if (el == 0) {
          k.image.add(b.step("b ret_to_user", x -> x.jumpTo(k.image.symbol("ret_to_user"))).build());
        } else {
          k.image.add(kernelExit(k, b, 1).build());
        }
      }
      String ec = "arch/arm64/kernel/entry-common.c";
      k.image.add(k.image.c("el0t_64_irq_handler", ec).params(L.regs)
          .call("__el0_irq_handler_common(regs) -> el0_interrupt(regs, handle_arch_irq)",
              "el0_interrupt", Args.of(x -> x.get(L.regs), x -> k.image.symbol("gic_handle_irq")))
          .retVoid().build());
      k.image.add(k.image.c("el1h_64_irq_handler", ec).params(L.regs)
          .call("el1_interrupt(regs, handle_arch_irq)", "el1_interrupt",
              Args.of(x -> x.get(L.regs), x -> k.image.symbol("gic_handle_irq")))
          .retVoid().build());
      for (int el : new int[] {0, 1}) {
        String fn = el == 0 ? "el0_interrupt" : "el1_interrupt";
        RoutineBuilder b = k.image.c(fn, ec).params(L.regs, L.handler)
            .step(el == 0 ? "arm64_enter_from_user_mode(regs); write_sysreg(DAIF_PROCCTX_NOIRQ)"
                : "write_sysreg(DAIF_PROCCTX_NOIRQ); __el1_irq() [inline]: state = "
                    + "enter_from_kernel_mode(regs)", x -> { })
            .call("irq_enter_rcu()", "irq_enter_rcu", Args.inPlace())
            .call("do_interrupt_handler(regs, handler)", "do_interrupt_handler",
                Args.of(x -> x.get(L.regs), x -> x.get(L.handler)))
            .call("irq_exit_rcu()", "irq_exit_rcu", Args.inPlace());
        if (el == 0) {
          b.branchIf("nowork", "arm64_exit_to_user_mode(regs) [inline]: work pending?",
                  x -> !k.rq.needResched(k.current(x)))
              .call("exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
                  Args.of(x -> x.get(L.regs), x -> 0))
              .label("nowork");
        } else {
          b.call("exit_to_kernel_mode(regs, state) -> irqentry_exit(regs, state)", "irqentry_exit",
              Args.of(x -> x.get(L.regs), x -> 0));
        }
        k.image.add(b.retVoid().build());
      }
      k.image.add(k.image.c("do_interrupt_handler", ec).params(L.regs, L.handler)
          .branchIf("here", "old_regs = set_irq_regs(regs); if (on_thread_stack())",
              x -> !onThreadStack(k, x))
          .call("  call_on_irq_stack(regs, handler)", "call_on_irq_stack",
              Args.of(x -> x.get(L.regs), x -> x.get(L.handler)))
          .jump("done", "else")
          .label("here")
          .callVia("  handler(regs)", x -> x.get(L.handler), Args.of(x -> x.get(L.regs)), null)
          .label("done")
          .step("set_irq_regs(old_regs)", x -> { })
          .retVoid().build());
      k.image.add(k.image.asm("call_on_irq_stack", ENTRY)
          .step("save_and_disable_daif x9; stp x29, x30, [sp, #-16]!; mov x29, sp: a frame record "
              + "on the interrupted stack", x -> {
                long sp = x.sp() - 16;
                x.write(sp, x.fp());
                x.write(sp + 8, x.reg("x30"));
                x.setSp(sp);
                x.setFp(sp);
              })
          .step("ldr_this_cpu x16, irq_stack_ptr; add sp, x16, #IRQ_STACK_SIZE", x -> {
            long top = x.read(k.perCpu("irq_stack_ptr", x.cpu().id())) + k.threadSize;
            x.setSp(top);
            k.timeline.emit(new Event.StackSwitch(x.cpu().id(), "call_on_irq_stack",
                "IRQ stack", "sp", top, Event.BackLink.NONE, 0));
          })
          .callVia("restore_irq x9; blr x1", x -> x.reg("x1"), Args.of(x -> x.reg("x0")), null)
          .step("save_and_disable_daif x9; mov sp, x29; ldp x29, x30, [sp], #16", x -> {
            x.setSp(x.fp());
            x.setFp(x.read(x.sp()));
            x.set("x30", x.read(x.sp() + 8));
            x.setSp(x.sp() + 16);
          })
          .step("restore_irq x9; ret", x -> x.ret(x.reg("x30"))).build());
      // arch/arm64/kernel/irq.c@6.19:65-75: softirqs move to the IRQ stack unless already off the
      // thread stack; ____do_softirq(regs) only calls __do_softirq().
      k.image.add(k.image.c("do_softirq_own_stack", "arch/arm64/kernel/irq.c").params()
          .branchIf("here", "if (on_thread_stack())", x -> !onThreadStack(k, x))
          .call("  call_on_irq_stack(NULL, ____do_softirq)", "call_on_irq_stack",
              Args.of(x -> 0, x -> k.image.symbol("____do_softirq")))
          .jump("done", "  return")
          .label("here")
          .call("__do_softirq()", "__do_softirq", Args.inPlace())
          .label("done")
          .retVoid().build());
      k.image.add(k.image.c("____do_softirq", "arch/arm64/kernel/irq.c").params(L.regs)
          .call("__do_softirq()", "__do_softirq", Args.inPlace()).retVoid().build());
      String gic = "drivers/irqchip/irq-gic-v3.c";
      k.image.add(k.image.c("gic_handle_irq", gic).params(L.regs)
          .call("__gic_handle_irq_from_irqson(regs)", "__gic_handle_irq_from_irqson",
              Args.of(x -> x.get(L.regs)))
          .retVoid().build());
      k.image.add(k.image.c("__gic_handle_irq_from_irqson", gic).params(L.regs)
          .call("irqnr = gic_read_iar(); __gic_handle_irq(irqnr, regs)", "__gic_handle_irq",
              Args.of(x -> 0, x -> x.get(L.regs)))
          .retVoid().build());
      k.image.add(k.image.c("__gic_handle_irq", gic).params(L.irqnr, L.regs)
          .callVia("generic_handle_domain_irq(gic_data.domain, irqnr) -> handle_irq_desc(desc) -> "
              + "desc->handle_irq(desc)", x -> flowHandler(k, x), Args.of(x -> x.reg("gic_iar")),
              null)
          .retVoid().build());
    }
  }

  /** The flow handler of the acknowledged interrupt: the timer PPI 27 is per-CPU. */
  private static long flowHandler(Kernel k, Exec x) {
    return k.image.symbol(x.reg("gic_iar") == 27 ? "handle_percpu_devid_irq" : "handle_edge_irq");
  }

  static void buildTimer(Kernel k) {
    k.image.add(k.image.c("handle_percpu_devid_irq", "kernel/irq/chip.c").params(L.desc)
        .call("action->handler(irq, raw_cpu_ptr(action->percpu_dev_id)) = arch_timer_handler_virt",
            "arch_timer_handler_virt", Args.of(x -> 27, x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("arch_timer_handler_virt", "drivers/clocksource/arm_arch_timer.c")
        .params(L.irq, L.dev_id)
        .call("timer_handler() [inline]: evt->event_handler(evt) = hrtimer_interrupt",
            "hrtimer_interrupt", Args.of(x -> 0))
        .ret("return IRQ_HANDLED", x -> 1).build());
  }

  /** __bad_stack → handle_bad_stack (entry.S@4.16.13:445-464, @6.19:541-567; traps.c). */
  private static void buildBadStack(Kernel k, boolean v6) {
    RoutineBuilder b = k.image.asm("__bad_stack", ENTRY)
        .step("mrs x0, tpidrro_el0 (x0 back); sub sp, sp, #S_FRAME_SIZE", x -> {
          x.set("x0", x.reg("tpidrro_el0"));
          x.setSp(x.sp() - S_FRAME_SIZE);
        });
    kernelEntry(k, b, 1)
        .step("mrs x0, tpidr_el0; add x0, x0, #S_FRAME_SIZE; str x0, [sp, #S_SP]: the real "
            + "interrupted SP", x -> x.write(x.sp() + S_SP, x.reg("tpidr_el0") + S_FRAME_SIZE))
        .call("mov x0, sp; bl handle_bad_stack", "handle_bad_stack", Args.of(x -> x.sp()))
        .step("ASM_BUG()", x -> { });
    k.image.add(b.build());
    String traps = v6 ? "arch/arm64/kernel/traps.c (panic_bad_stack)" : "arch/arm64/kernel/traps.c";
    k.image.add(k.image.c("handle_bad_stack", traps).params(L.regs)
        .step("console_verbose(); report: no stack space for the exception; ESR, FAR; the task, "
            + "IRQ and overflow stacks' bounds; __show_regs(regs)", x -> {
              int cpu = x.cpu().id();
              long task = k.current(x);
              long ts = k.stacks.stack(task);
              long irq = x.read(k.perCpu("irq_stack_ptr", cpu));
              long ov = k.perCpu("overflow_stack", cpu);
              k.timeline.emit(new Event.BadStack(cpu, x.reg("esr_el1"), x.reg("far_el1"),
                  ts, ts + k.threadSize, irq, irq + k.threadSize, ov, ov + 4096, k.tasks.pid(task),
                  k.tasks.comm(task)));
            })
        .step("nmi_panic(NULL, \"kernel stack overflow\"); cpu_park_loop()", x -> {
          k.timeline.emit(new Event.Panic(x.cpu().id(),
              "Kernel panic - not syncing: kernel stack overflow"));
          k.panic("Kernel panic - not syncing: kernel stack overflow");
          x.stay();
        })
        .retVoid().build());
  }
}
