package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.4.22's #DB and #MC (I386Traps24): set_trap_gate for both (traps.c@2.4.22:967,984), so IF stays
 * as it was; built with entry.S, before process.c.
 */
public final class Traps24 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION);
  }

  @Override
  public void buildTraps(Kernel k) {
    I386Traps24.build(k);
  }

  @Override
  public boolean trapGate(int vector) {
    return vector == I386Traps.DB_VECTOR || vector == I386Traps.MC_VECTOR;
  }

  @Override
  public boolean builtWithEntry() {
    return true;
  }

  /** No double-fault task: vector 8 is a plain trap gate (traps.c@2.4.22 trap_init), so the CPU
   * triple-faults. */
  @Override
  public kstack.kernel.ArchInterrupts.DoubleFault userDoubleFault() {
    return new kstack.kernel.ArchInterrupts.DoubleFault(
        kstack.trace.Event.DoubleFaultEnd.TRIPLE_FAULT,
        "triple fault: the CPU shut down (the machine resets)");
  }
}
