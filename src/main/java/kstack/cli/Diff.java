package kstack.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.machine.ProfileDiff;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * kstack diff: one scenario on two profiles, side by side. First what differs in the profiles
 * (features, constants, layouts, symbols, each with its cause), then every command whose result
 * differs once addresses are set aside (the names, orders and values that do not depend on where
 * things were placed).
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Run a scenario on two profiles and show what differs, and why.")
final class Diff implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--a", required = true, description = "ARCH:VERSION, e.g. x86_64:4.16")
  String a;

  @Option(names = "--b", required = true, description = "ARCH:VERSION, e.g. arm64:6.x")
  String b;

  @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "default: boot")
  String scenario;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Profile pa;
    Profile pb;
    try {
      pa = profile(a);
      pb = profile(b);
    } catch (IllegalArgumentException e) {
      err.println("kstack: " + ScriptError.oneLine(e.getMessage()));
      return 2;
    }
    Source src;
    try {
      src = Scenarios.load(scenario == null ? "boot" : scenario);
    } catch (IllegalArgumentException e) {
      err.println("kstack: diff: " + ScriptError.oneLine(e.getMessage()));
      return 2;
    } catch (ScriptError e) {
      err.println(e.located());
      return 1;
    }
    Machine ma = Machine.create(pa, 1);
    Machine mb = Machine.create(pb, 1);
    out.println("kstack diff: A = " + pa.label() + ", B = " + pb.label() + ", scenario "
        + (scenario == null ? "boot" : scenario));
    String section = "";
    for (ProfileDiff.Item i : ProfileDiff.compare(ma, mb)) {
      if (!i.section().equals(section)) {
        section = i.section();
        out.println("== " + section);
      }
      out.println("  " + i.what());
      out.println("    A: " + i.a());
      out.println("    B: " + i.b());
      out.println("    because: " + i.because());
    }
    out.println("== steps (commands whose results differ, addresses set aside)");
    Session sa = new Session(ma);
    Session sb = new Session(mb);
    int differing = 0;
    for (Source.Line line : src.lines()) {
      List<String> ra = run(sa, line);
      List<String> rb = run(sb, line);
      List<String> na = normalize(ra);
      List<String> nb = normalize(rb);
      if (!na.equals(nb)) {
        differing++;
        out.println("(kstack) " + line.text());
        out.println("  A:");
        ra.forEach(l -> out.println("    " + l));
        out.println("  B:");
        rb.forEach(l -> out.println("    " + l));
      }
    }
    out.println(differing + " of " + src.lines().size() + " commands differ.");
    return 0;
  }

  private static List<String> run(Session s, Source.Line line) {
    try {
      Result r = s.execute(line);
      return r.text();
    } catch (ScriptError e) {
      return List.of("error: " + e.getMessage());
    }
  }

  /** Addresses and offsets differ with every layout change; compare the rest. */
  static List<String> normalize(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.replaceAll("0x[0-9a-f]+", "0x…").replaceAll("\\+0x…", "").replaceAll("\\$\\d+", "\\$N"));
    }
    return out;
  }

  static Profile profile(String spec) {
    int colon = spec.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected ARCH:VERSION, not '" + spec + "'");
    }
    String arch = spec.substring(0, colon);
    String kernel = spec.substring(colon + 1);
    return Profiles.find(arch, kernel).orElseThrow(() -> new IllegalArgumentException(
        "no profile " + spec));
  }
}
