package kstack.arch.i386;

import kstack.exec.Exec;
import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;
import kstack.stack.StackKind;
import kstack.trace.Event;

/**
 * The per-CPU irq_ctx stacks of CONFIG_4KSTACKS, shared by 2.6.11 and 2.6.32: union irq_ctx, a
 * thread_info at the base of a THREAD_SIZE stack, one for hardirqs and one for softirqs
 * (arch/i386/kernel/irq.c@2.6.11:34-107, arch/x86/kernel/irq_32.c@2.6.32:52-152), and the switch
 * onto one (call_on_stack).
 */
final class IrqCtx {
  private IrqCtx() {}

  /** Both irq_ctx of cpu: hardirq's preempt_count HARDIRQ_OFFSET, softirq's softirqCount. */
  static void init(Kernel k, int cpu, long softirqCount) {
    for (String n : new String[] {"hardirq", "softirq"}) {
      long ctx = k.perCpu(n + "_stack", cpu);
      k.writePtr(k.perCpu(n + "_ctx", cpu), ctx);
      k.mem.write(ctx + k.tasks.tiOff(ThreadInfoMember.cpu), 4, cpu);
      k.mem.write(ctx + k.tasks.tiOff(ThreadInfoMember.preempt_count), 4,
          n.equals("hardirq") ? 1 << 16 : softirqCount);
    }
  }

  /** The switch onto an irq_ctx: its thread_info gets the task and the old esp, esp its top. */
  static void switchTo(Kernel k, Exec x, String var, String who) {
    StackKind from = kstack.kernel.StackKinds.of(k, x.cpu().id(), x.sp());
    long ctx = k.readPtr(I386Entry.fs(k, x, var));
    long cur = x.sp() & -k.threadSize;
    x.write(ctx + k.tasks.tiOff(ThreadInfoMember.task), x.read(cur + k.tasks.tiOff(ThreadInfoMember.task)));
    x.write(ctx + k.tasks.tiOff(ThreadInfoMember.previous_esp), x.sp());
    x.set(Regs.ebx, x.sp());
    x.setSp(ctx + k.threadSize);
    k.timeline.emit(new Event.StackSwitch(x.cpu().id(), who, from, toKind(var),
        var.substring(0, var.indexOf('_')) + " stack", "esp", x.sp(), Event.BackLink.PREVIOUS_ESP,
        x.reg(Regs.ebx)));
  }

  /** The kind of the per-CPU stack a variable names: softirq_stack(_ptr) or hardirq_stack(_ptr). */
  static StackKind toKind(String var) {
    return var.startsWith("softirq") ? StackKind.SOFTIRQ : StackKind.IRQ;
  }
}
