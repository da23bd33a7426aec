package kstack.cli;

import java.util.ArrayList;
import java.util.List;
import kstack.catalog.Profiles;
import kstack.profile.Profile;
import picocli.CommandLine.Option;

/** The options that pick the machine (--arch, --kernel, --config, --cpus), shared by run and gdbserver. */
final class ProfileOptions {
  @Option(names = "--arch",
      description = "architecture: x86_64, i386 or arm64 (default: x86_64)")
  String arch;

  @Option(names = "--kernel", description = "kernel generation: 2.4, 2.6.11, 2.6, 4.16 or 6.x (default: newest)")
  String kernel;

  @Option(names = "--config", description = "NAME=y|n, e.g. KASAN=y (see 'info config')")
  List<String> config = new ArrayList<>();

  @Option(names = "--cpus", defaultValue = "1", description = "number of CPUs (1 to the profile's NR_CPUS: 8 on i386, 64 elsewhere)")
  int cpus;

  /** The profile the options name (IllegalArgumentException: no such one, or a bad --config). */
  Profile profile() {
    String arch = this.arch == null ? "x86_64" : this.arch;
    Profile p = kernel == null ? Profiles.newest(arch).orElseThrow(
        () -> new IllegalArgumentException("unknown --arch " + arch + " (known: "
            + String.join(", ", Profiles.all().stream().map(Profile::arch).distinct().toList())
            + ")"))
        : Profiles.find(arch, kernel).orElseThrow(() -> new IllegalArgumentException(
            "no profile for --arch " + arch + " --kernel " + kernel + " (known: "
                + Profiles.names() + ")"));
    return configured(p);
  }

  /** The profile with each --config applied (run --btf applies them to the model it picks). */
  Profile configured(Profile p) {
    for (String c : config) {
      int eq = c.indexOf('=');
      String name = eq < 0 ? c : c.substring(0, eq);
      String v = eq < 0 ? "" : c.substring(eq + 1);
      if (name.startsWith("CONFIG_")) {
        name = name.substring(7);
      }
      if (!v.equals("y") && !v.equals("n")) {
        throw new IllegalArgumentException("--config takes NAME=y or NAME=n, not '" + c + "'");
      }
      p = p.withConfig(name, v.equals("y"));
    }
    return p;
  }
}
