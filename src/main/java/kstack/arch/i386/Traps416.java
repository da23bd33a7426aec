package kstack.arch.i386;

import java.util.Set;
import kstack.arch.x86.DoDebug;
import kstack.arch.x86.DoMachineCheck;
import kstack.exec.Args;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 4.16's #DB and #MC: the entry_32.S@4.16.13 stubs through common_exception, do_debug's user icebp (I386Traps). */
public final class Traps416 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK);
  }

  @Override
  public void buildTraps(Kernel k) {
    String entry = I386Entry.ENTRY;
    RoutineBuilder db = k.image.asm("debug", entry).step("ASM_CLAC", x -> { });
    I386Traps.debugSaveAll(k, db, true);
    // entry_32.S@4.16.13:963-981: a #DB at entry_SYSENTER_32's first instruction lands on the
    // 256-byte entry stack; do_debug must not run there
    db.branchIf("sysenter_stack", "movl PER_CPU_VAR(cpu_entry_area), %ecx; addl "
        + "$CPU_ENTRY_AREA_entry_stack + SIZEOF_entry_stack, %ecx; subl %eax, %ecx; cmpl "
        + "$SIZEOF_entry_stack, %ecx; jb .Ldebug_from_sysenter_stack", x -> Long.compareUnsigned(
            EntryStack.top(k, x.cpu().id()) - x.reg(Regs.eax),
            k.image.constant("ENTRY_STACK_SIZE")) < 0);
    I386Traps.callDoDebug(k, db)
        .label("sysenter_stack")
        .step(".Ldebug_from_sysenter_stack: movl %esp, %ebx; movl "
            + "PER_CPU_VAR(cpu_current_top_of_stack), %esp: onto the task stack", x -> {
              x.set(Regs.ebx, x.sp());
              x.setSp(x.read(k.perCpu("cpu_current_top_of_stack", x.cpu().id())));
            })
        .call("TRACE_IRQS_OFF; call do_debug", "do_debug", Args.of(x -> x.reg(Regs.eax), x -> 0))
        .step("movl %ebx, %esp; jmp ret_from_exception", x -> {
          x.setSp(x.reg(Regs.ebx));
          x.jumpTo(k.image.symbol("ret_from_exception"));
        });
    k.image.add(db.build());
    I386Traps.buildMachineCheckAndCommon(k, entry, "ASM_CLAC; ", "common_exception", true);
    DoDebug.buildDoDebugUserIcebp(k);
    DoMachineCheck.build(k, DoMachineCheck.MCHECK_MCE_C);
  }
}
