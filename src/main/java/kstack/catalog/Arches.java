package kstack.catalog;

import kstack.arch.arm64.Arm64;
import kstack.arch.i386.I386;
import kstack.arch.x86_64.X86_64;
import kstack.kernel.Arch;

/** The architectures the simulator knows, by the name {@code --arch} takes. */
public final class Arches {
  private Arches() {}

  /** The architecture a profile runs on (i386 differs between its 2.6 and later generations). */
  public static Arch forProfile(kstack.profile.Profile p) {
    return switch (p.arch()) {
      case "i386" -> new I386(p);
      case "x86_64" -> new X86_64(p);
      case "arm64" -> new kstack.arch.arm64.Arm64(p);
      default -> forName(p.arch());
    };
  }

  public static Arch forName(String name) {
    return switch (name) {
      case "x86_64" -> new X86_64(Profiles.newest("x86_64").orElseThrow());
      case "arm64" -> new kstack.arch.arm64.Arm64(Profiles.newest("arm64").orElseThrow());
      case "i386" -> new I386(Profiles.newest("i386").orElseThrow());
      default -> throw new IllegalArgumentException("unknown architecture " + name
          + " (known: x86_64, i386, arm64)");
    };
  }
}
