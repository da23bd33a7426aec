package kstack.arch.x86_64;

import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.Kernel;
import kstack.arch.x86.Idle;

/**
 * arch/x86/kernel/process_64.c and process.c: __switch_to (which makes next current and publishes
 * its stack top), copy_thread forging a child's fork_frame, start_thread for exec, and the idle halt.
 */
public final class X86Process {
  enum L implements Local { _cs, _ds, _ss, new_ip, new_sp, regs }

  private X86Process() {}

  /** start_thread (process_64.c@4.16.13, @6.19) and the idle routines, linked after copy_thread. */
  static void buildStartThread(Kernel k, String idleCall) {
    k.image.add(k.image.c("start_thread", "arch/x86/kernel/process_64.c").params(L.regs, L.new_ip, L.new_sp)
        .call("start_thread_common(regs, new_ip, new_sp, __USER_CS, __USER_DS, 0)",
            "start_thread_common", Args.of(x -> x.get(L.regs), x -> x.get(L.new_ip),
                x -> x.get(L.new_sp), x -> X86_64.USER_CS, x -> X86_64.USER_DS, x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("start_thread_common", "arch/x86/kernel/process_64.c")
        .params(L.regs, L.new_ip, L.new_sp, L._cs, L._ss, L._ds)
        .step("loadsegment(fs/es/ds, _ds); load_gs_index(_ds)", x -> { })
        .step("regs->ip = new_ip; regs->sp = new_sp; regs->cs = _cs; regs->ss = _ss; "
            + "regs->flags = X86_EFLAGS_IF", x -> {
              long r = x.get(L.regs);
              x.write(r + PtRegs.ip.off(k), x.get(L.new_ip));
              x.write(r + PtRegs.sp.off(k), x.get(L.new_sp));
              x.write(r + PtRegs.cs.off(k), x.get(L._cs));
              x.write(r + PtRegs.ss.off(k), x.get(L._ss));
              x.write(r + PtRegs.flags.off(k), X86_64.EFLAGS_IF);
              x.write(r + PtRegs.cx.off(k), x.get(L.new_ip));
              x.write(r + PtRegs.r11.off(k), X86_64.EFLAGS_IF);
            })
        .retVoid().build());
    Idle.buildArchCpuIdle(k, idleCall);
  }
}
