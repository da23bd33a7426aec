package kstack.arch.i386;

import java.util.Set;
import kstack.profile.Feature;

/**
 * 6.19's boot: as 4.16's, with the AP started by native_kick_ap since the split startup
 * (HOTPLUG_SPLIT_STARTUP; see X86_64#cpuUpSymbol).
 */
public final class Boot619 extends BootPerCpu {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.THREAD_INFO_IN_TASK, Feature.HOTPLUG_SPLIT_STARTUP);
  }

  @Override
  public String cpuUpSymbol() {
    return "native_kick_ap";
  }
}
