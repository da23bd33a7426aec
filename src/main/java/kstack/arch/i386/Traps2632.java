package kstack.arch.i386;

import java.util.Set;
import kstack.arch.x86.DoDebug;
import kstack.arch.x86.DoMachineCheck;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.6.32's #DB and #MC: the entry_32.S@2.6.32.67 stubs, do_debug sending SIGTRAP whatever the mode (I386Traps). */
public final class Traps2632 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_AT_BASE);
  }

  @Override
  public void buildTraps(Kernel k) {
    String entry = I386Entry2632.ENTRY;
    RoutineBuilder db = k.image.asm("debug", entry);
    I386Traps.fixStack(k, db, "RING0_INT_FRAME; ", "sp0");
    I386Traps.debugSaveAll(k, db, false);
    k.image.add(I386Traps.callDoDebug(k, db).build());
    I386Traps.buildMachineCheckAndCommon(k, entry, "RING0_INT_FRAME; ", "error_code", false);
    DoDebug.buildDoDebugSigtrapAlways(k);
    DoMachineCheck.build(k, DoMachineCheck.MCHECK_MCE_C);
  }
}
