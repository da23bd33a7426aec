package kstack.arch.i386;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/** 2.4.22: no SYSENTER path and no vDSO (research §1.3); system calls use int $0x80 only. */
public final class SysenterNone24 implements I386SysenterModel {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.I386_ENTRY_24);
  }

  @Override
  public void buildSysenterEntry(Kernel k) {
    throw new IllegalStateException("2.4.22 has no SYSENTER path");
  }

  @Override
  public String vdsoSyscallEntry() {
    return null;
  }

  @Override
  public String entrySymbol() {
    return null;
  }

  @Override
  public String landingPad() {
    return null;
  }

  @Override
  public String vdsoSource() {
    return null;
  }

  @Override
  public String enableSepSource() {
    return null;
  }

  @Override
  public String enableSepText() {
    return null;
  }

  @Override
  public String noFastSyscallEntry() {
    return "i386 2.4.22 has no SYSENTER path and no vDSO (entry.S@2.4.22 has only int $0x80: "
        + "'syscall')";
  }
}
