package kstack.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.btf.Btf;
import kstack.btf.BtfException;
import kstack.btf.BtfKind;
import kstack.btf.BtfMembers;
import kstack.catalog.Profiles;
import kstack.lang.ScriptError;
import kstack.machine.Machine;
import kstack.profile.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * kstack check --btf FILE: every layout the profile models against the kernel's own, each item
 * with its verdict. Exit 0 when every modelled item the kernel has is equal, 1 when one differs,
 * 2 for a usage error (no such profile, a BTF of another architecture, no such file).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compare the profile's struct layouts and per-CPU variables with a kernel's BTF.")
final class Check implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--btf", required = true, paramLabel = "FILE",
      description = "the kernel's BTF ('host': " + BtfFile.HOST + ")")
  String file;

  @Option(names = "--base", paramLabel = "FILE", description = "FILE is split BTF on this base")
  String base;

  @Option(names = "--arch", description = "x86_64, i386 or arm64 (default: the BTF's)")
  String arch;

  @Option(names = "--kernel", description = "the profile's generation (default: newest)")
  String kernel;

  @Option(names = "--all", description = "list every kernel member the model leaves out")
  boolean all;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Btf btf;
    try {
      btf = BtfFile.open(file, base);
    } catch (BtfFile.Failure f) {
      err.println("kstack: check: " + ScriptError.oneLine(f.getMessage()));
      return f.exit;
    }
    String btfArch;
    try {
      btfArch = arch(btf);
    } catch (BtfException e) {
      err.println("kstack: check: " + BtfFile.path(file) + ": " + e.getMessage());
      return 1;
    }
    String a = arch == null ? btfArch : arch;
    if (btfArch == null || !btfArch.equals(a)) {
      err.println("kstack: check: " + BtfFile.path(file) + " is " + (btfArch == null
          ? "of no architecture kstack models" : btfArch + "'s") + " (" + btf.pointerSize()
          + "-byte pointers), not " + a + "'s: compare it with --arch "
          + (btfArch == null ? "x86_64, i386 or arm64" : btfArch));
      return 2;
    }
    Profile p = (kernel == null ? Profiles.newest(a) : Profiles.find(a, kernel)).orElse(null);
    if (p == null) {
      err.println("kstack: check: no profile for --arch " + a + (kernel == null ? ""
          : " --kernel " + ScriptError.oneLine(kernel)) + " (known: " + Profiles.names() + ")");
      return 2;
    }
    List<LayoutCheck.Item> items;
    try {
      items = new LayoutCheck(Machine.create(p, 1), btf).run();
    } catch (BtfException e) {
      err.println("kstack: check: " + BtfFile.path(file) + ": " + e.getMessage());
      return 1;
    }
    out.println("kstack check: the " + p.label() + " model against " + BtfFile.path(file)
        + " (" + btfArch + ", " + btf.count() + " types)");
    return print(items, out);
  }

  private int print(List<LayoutCheck.Item> items, PrintWriter out) {
    String section = "";
    int[] counts = new int[LayoutCheck.Verdict.values().length];
    for (LayoutCheck.Item i : items) {
      if (!i.section().equals(section)) {
        section = i.section();
        out.println("== " + section);
      }
      counts[i.verdict().ordinal()]++;
      out.println(line("", i));
      for (LayoutCheck.Item part : i.parts()) {
        out.println(line("    ", part));
      }
    }
    boolean ok = counts[LayoutCheck.Verdict.DIFFERENT.ordinal()] == 0;
    out.printf("== %d equal, %d different, %d absent in the kernel, %d absent in the model: %s%n",
        counts[0], counts[1], counts[2], counts[3], ok ? "every modelled layout the kernel has"
            + " is equal" : "the model differs from this kernel");
    return ok ? 0 : 1;
  }

  private String line(String indent, LayoutCheck.Item i) {
    String detail = i.detail();
    if (!all && i.verdict() == LayoutCheck.Verdict.ABSENT_IN_MODEL) {
      String[] names = detail.split(", ");
      if (names.length > 8) {
        detail = String.join(", ", List.of(names).subList(0, 8)) + ", ... (--all lists them)";
      }
    }
    return indent + i.name() + ": " + i.verdict().text + " (" + detail + ")";
  }

  /**
   * The architecture a BTF describes: its pointer size and its pt_regs (x86_64's r15, i386's
   * bx (ebx before 2.6.25) with 4-byte longs, arm64's pstate; arch/{x86,arm64}/include/asm/ptrace.h).
   */
  static String arch(Btf btf) {
    var regs = btf.find("pt_regs", BtfKind.STRUCT);
    if (regs.isEmpty()) {
      return null;
    }
    BtfMembers m = new BtfMembers(btf);
    int id = regs.get().id();
    int ptr = btf.pointerSize();
    if (ptr == 8 && m.find(id, "r15").isPresent()) {
      return "x86_64";
    }
    if (ptr == 4 && (m.find(id, "bx").isPresent() || m.find(id, "ebx").isPresent())) {
      return "i386";
    }
    if (ptr == 8 && m.find(id, "pstate").isPresent()) {
      return "arm64";
    }
    return null;
  }
}
