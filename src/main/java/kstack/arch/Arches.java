package kstack.arch;

import kstack.arch.arm64.Arm64;
import kstack.arch.i386.I386;
import kstack.arch.x86_64.X86_64;

/** The architectures the simulator knows, by the name {@code --arch} takes. */
public final class Arches {
  private Arches() {}

  public static Arch forName(String name) {
    return switch (name) {
      case "x86_64" -> new X86_64();
      case "arm64" -> new Arm64();
      case "i386" -> new I386();
      default -> throw new IllegalArgumentException("unknown architecture " + name
          + " (known: x86_64, i386, arm64)");
    };
  }
}
