package kstack.arch.i386;

import java.util.List;
import java.util.Map;
import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.4.22's entry.S (I386Entry24): system_call through a trap gate, the 60-byte pt_regs, GDT entries
 * 2-5 for the flat selectors, no regparm, no SYSENTER and no vDSO (research §1.3).
 */
public final class Entry24 extends SystemCallEntry {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TASK_UNION, Feature.I386_ENTRY_24);
  }

  @Override
  public void buildEntry(Kernel k) {
    I386Entry24.build(k);
  }

  /** include/asm-i386/unistd.h@2.4.22:136 (init_module; no exit_group yet). */
  @Override
  public Map<String, Integer> syscallNumbers() {
    return I386Unistd.table("init_module");
  }

  /** set_system_gate makes 0x80 a type-15 trap gate (traps.c@2.4.22:824-827,987). */
  @Override
  public boolean int80TrapGate() {
    return true;
  }

  @Override
  public int regparm() {
    return 0;
  }

  @Override
  public long[] selectors() {
    return new long[] {I386Process24.KERNEL_CS, I386Process24.KERNEL_DS, I386Process24.USER_CS,
        I386Process24.USER_DS};
  }

  @Override
  public long handlerArgBytes(String entrySymbol) {
    return entrySymbol.equals("error_code") || entrySymbol.equals("nmi") ? 8 : 0;
  }

  @Override
  public long ptRegsSize() {
    return 60;
  }

  @Override
  public boolean initExecveStub() {
    return true;
  }
}
