package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 6.19's #DB and #MC: asm_exc_debug and asm_exc_machine_check, the idtentry stubs (I386Traps). */
public final class Traps619 implements I386TrapsModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.IRQENTRY);
  }

  @Override
  public void buildTraps(Kernel k) {
    I386Traps.build(k);
  }

  @Override
  public String handlerName(int vector) {
    return switch (vector) {
      case I386Traps.DB_VECTOR -> "asm_exc_debug";
      case I386Traps.MC_VECTOR -> "asm_exc_machine_check";
      default -> null;
    };
  }
}
