package kstack.arch.i386;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * #DB and #MC on i386. The 32-bit TSS has no IST, so both are plain interrupt gates: from user mode
 * the CPU switches to TSS.sp0 like any interrupt, from kernel mode the handler runs on the stack it
 * interrupted (set_intr_gate_ist ignores the IST index on 32-bit, desc.h@2.6.32.67:391-395).
 *
 * <ul>
 *   <li>2.6.32 (entry_32.S@2.6.32.67:1226-1275, 1307-1320, 973-980): {@code debug} pushes -1 and
 *       SAVE_ALL and calls do_debug(regs, 0); {@code machine_check} pushes 0 and the value of
 *       machine_check_vector (do_machine_check) and jumps to {@code error_code}, which finishes the
 *       frame below the address, takes it from the gs slot, puts %gs back there and calls it.
 *       do_debug (traps.c@2.6.32.67) sends SIGTRAP whatever DR6 says.
 *   <li>4.16 (entry_32.S@4.16.13:795-800, 914-944, 946-982): the same shapes, with common_exception and
 *       the entry-stack check in {@code debug}; do_debug as on x86_64.
 *   <li>6.19: DECLARE_IDTENTRY_DEBUG/_MCE are plain DECLARE_IDTENTRY on 32-bit (idtentry.h@6.19),
 *       so asm_exc_debug and asm_exc_machine_check go through handle_exception; the C entries
 *       choose the user or kernel variant (traps.c@6.19:1405-1420, mce/core.c@6.19).
 * </ul>
 * The injected events carry nothing to handle (DR6 = 0, no valid MCA bank).
 */
final class I386Traps {
  enum L implements Local { regs, user }

  private I386Traps() {}

  static final int DB_VECTOR = 1;
  static final int MC_VECTOR = 18;

  /** The exceptions the machine can inject by name: db (#DB) and mc (#MC); -1 for others. */
  static int vectorOf(String name) {
    return switch (name) {
      case "db" -> DB_VECTOR;
      case "mc" -> MC_VECTOR;
      default -> -1;
    };
  }

  /** debug's frame: orig_ax = -1, SAVE_ALL, then do_debug's arguments (regs in eax, 0 in edx). */
  static RoutineBuilder debugSaveAll(Kernel k, RoutineBuilder db, boolean encodeFramePointer) {
    db.step("pushl $-1: orig_ax, not a system call", x -> x.push(-1));
    return I386Entry.saveAll(k, db, false)
        .step((encodeFramePointer ? "ENCODE_FRAME_POINTER; " : "") + "xorl %edx, %edx (error code 0); "
            + "movl %esp, %eax", x -> {
              if (encodeFramePointer) {
                x.setFp(x.sp() & 0x7fffffffL);
              }
              x.set(Regs.edx, 0);
              x.set(Regs.eax, x.sp());
            });
  }

  /** debug's call of do_debug and its way out through ret_from_exception. */
  static RoutineBuilder callDoDebug(Kernel k, RoutineBuilder db) {
    return db.call("TRACE_IRQS_OFF; call do_debug", "do_debug", Args.of(x -> x.reg(Regs.eax), x -> 0))
        .step("jmp ret_from_exception", k.image.jump("ret_from_exception"));
  }

  /**
   * machine_check, error_code / common_exception and ret_from_exception: the #MC stub pushes 0 and
   * machine_check_vector's value and jumps to the common code (prefix: the stub's first
   * annotation; common: the common code's name; encode: whether it encodes the frame pointer).
   */
  static void buildMachineCheckAndCommon(Kernel k, String entry, String prefix, String common,
      boolean encode) {
    k.image.add(k.image.asm("machine_check", entry)
        .step(prefix + "pushl $0: no error code from the CPU", x -> x.push(0))
        .step("pushl machine_check_vector: its value, do_machine_check, in what becomes the gs slot",
            x -> x.push(k.image.symbol("do_machine_check")))
        .step("jmp " + common, k.image.jump(common)).build());
    buildCommonException(k, common, entry, encode);
    k.image.add(k.image.asm("ret_from_exception", entry)
        .step("preempt_stop(CLBR_ANY): DISABLE_INTERRUPTS under CONFIG_PREEMPT; then ret_from_intr, "
            + "which follows it", x -> {
              if (k.profile.config("PREEMPT")) {
                k.arch.irqDisable(x);
              }
              x.jumpTo(k.image.symbol("ret_from_intr"));
            }).build());
  }

  /**
   * 2.6.32's debug prologue (entry_32.S@2.6.32.67:1291-1311): a #DB at ia32_sysenter_target's
   * first instruction arrives on the SYSENTER stack (the tss_struct's emergency words) with a
   * kernel CS; FIX_STACK moves to tss.sp0 and forges the frame of a #DB taken at
   * sysenter_past_esp, the point where the entry has its stack.
   */
  static void fixStack(Kernel k, RoutineBuilder db, String cfi, String sp0) {
    // 2.6.11 (entry.S@2.6.11:441-453): the same check against sysenter_entry, TSS_sysenter_esp0,
    // without the CFI annotation
    String entry = I386Sysenter.model(k).entrySymbol();
    db.branchIf("correct", cfi + "cmpl $" + entry + ", (%esp); jne "
        + "debug_stack_correct", x -> x.read(x.sp()) != k.image.symbol(entry));
    fixStackMacro(k, db, 12, "correct", "FIX_STACK 12: ", "debug_stack_correct",
        "debug_esp_fix_insn: ", "the frame of a #DB after the stack switch", sp0);
    db.label("correct");
  }

  /**
   * FIX_STACK(offset, ok, label) of 2.6.11 and 2.6.32 (entry.S@2.6.11:441-448): unless the frame's
   * CS is not the kernel's, leave the SYSENTER stack for tss.esp0 (offset: the bytes the CPU has
   * pushed there since sysenter_entry was interrupted) and push the three words of an event taken
   * at sysenter_past_esp; sp0: the TSS member's name, esp0 on 2.6.11.
   */
  static void fixStackMacro(Kernel k, RoutineBuilder b, int offset, String ok, String macro,
      String okName, String fixLabel, String frame, String sp0) {
    b.branchIf(ok, macro + "cmpw $__KERNEL_CS, 4(%esp); jne " + okName,
            x -> (x.read(x.sp() + 4) & 0xffff) != I386.KERNEL_CS)
        .step(fixLabel + "movl TSS_sysenter_" + sp0 + " + " + offset + "(%esp), %esp: tss." + sp0
            + ", the task's stack top", x -> x.setSp(x.read(x.sp() + offset
                + Tss.sp0.off(k) - k.image.struct("tss_struct").size())))
        .step("pushfl; pushl $__KERNEL_CS; pushl $sysenter_past_esp: " + frame, x -> {
          x.push(x.reg(Regs.eflags));
          x.push(I386.KERNEL_CS);
          x.push(k.image.symbol("sysenter_past_esp"));
        });
  }

  /**
   * error_code (2.6.32) / common_exception (4.16): the rest of pt_regs below the two words the stub
   * pushed (fs .. bx), then the handler's address out of the gs slot and the error code out of
   * orig_ax (-1 left there), %gs back into its slot, and call *%edi with the pt_regs in eax.
   */
  static void buildCommonException(Kernel k, String name, String entry, boolean encode) {
    RoutineBuilder b = k.image.asm(name, entry);
    for (String r : new String[] {"fs", "es", "ds", "eax", "ebp", "edi", "esi", "edx", "ecx", "ebx"}) {
      int ri = Regs.of(r);
      b.step("pushl %" + r, x -> x.push(x.reg(ri)));
    }
    k.image.add(b.step((encode ? "ENCODE_FRAME_POINTER; " : "") + "cld; movl $(__KERNEL_PERCPU), %ecx; "
            + "movl %ecx, %fs; UNWIND_ESPFIX_STACK", x -> {
              if (encode) {
                x.setFp(x.sp() & 0x7fffffffL);
              }
              x.set(Regs.fs, I386.KERNEL_PERCPU);
              x.set(Regs.fs_base, k.perCpuOffset(x.cpu().id()));
            })
        .step("GS_TO_REG %ecx; movl PT_GS(%esp), %edi: the function address; movl PT_ORIG_EAX(%esp), "
            + "%edx: the error code; movl $-1, PT_ORIG_EAX(%esp): no system call to restart; "
            + "REG_TO_PTGS %ecx: %gs into its slot; SET_KERNEL_GS", x -> {
              long regs = x.sp();
              x.set(Regs.edi, x.read(regs + PtRegs.gs.off(k)));
              x.set(Regs.edx, x.read(regs + PtRegs.orig_ax.off(k)));
              x.write(regs + PtRegs.orig_ax.off(k), -1);
              x.write(regs + PtRegs.gs.off(k), x.reg(Regs.gs));
              x.set(Regs.gs, 0xe0);
            })
        .step("movl $(__USER_DS), %ecx; movl %ecx, %ds; movl %ecx, %es; TRACE_IRQS_OFF; "
            + "movl %esp, %eax: the pt_regs", x -> {
              x.set(Regs.ds, I386.USER_DS);
              x.set(Regs.es, I386.USER_DS);
              x.set(Regs.eax, x.sp());
            })
        .callVia(encode ? "CALL_NOSPEC %edi" : "call *%edi", x -> x.reg(Regs.edi),
            Args.of(x -> x.reg(Regs.eax), x -> x.reg(Regs.edx)), null)
        .step("jmp ret_from_exception", k.image.jump("ret_from_exception")).build());
  }
}
