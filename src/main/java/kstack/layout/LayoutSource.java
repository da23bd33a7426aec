package kstack.layout;

import java.util.Map;

/**
 * Where a machine's struct layouts and per-CPU placements come from: the model's own (as the
 * profile's layout modules build them) or a kernel's, such as the layouts its BTF describes. The
 * kernel asks once, where it creates its layouts and links its per-CPU section; everything
 * downstream (member references, expressions, allocations, snapshots) sees the result.
 */
public interface LayoutSource {
  /** The model's own layouts and placements, unchanged. */
  LayoutSource MODEL = new LayoutSource() {
    @Override
    public Map<String, StructLayout> structs(Map<String, StructLayout> model) {
      return model;
    }

    @Override
    public PerCpu perCpu(String var) {
      return null;
    }

    @Override
    public long perCpuSize() {
      return 0;
    }
  };

  /** The layouts to run with, given the model's (a map by struct name, in the model's order). */
  Map<String, StructLayout> structs(Map<String, StructLayout> model);

  /** Where the kernel places a per-CPU variable in its section, or null to place it as modelled. */
  PerCpu perCpu(String var);

  /** The size of the kernel's per-CPU section (0: the model's variables alone fix it). */
  long perCpuSize();

  /** A per-CPU variable's offset from the section's start and its size in the kernel. */
  record PerCpu(long offset, long size) {}

  /** The kernel's layouts contradict a mechanism the model runs: the reason names what. */
  final class Refused extends IllegalArgumentException {
    public Refused(String reason) {
      super(reason);
    }
  }
}
