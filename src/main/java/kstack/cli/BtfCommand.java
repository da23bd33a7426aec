package kstack.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.btf.Btf;
import kstack.btf.BtfException;
import kstack.btf.BtfKind;
import kstack.btf.BtfNames;
import kstack.btf.BtfType;
import kstack.lang.ScriptError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * kstack btf: a real kernel's types, read from its BTF. {@code struct NAME} prints a type's
 * layout as pahole does; {@code percpu} lists the per-CPU variables of .data..percpu with their
 * offsets in a CPU's per-CPU area (the section DEFINE_PER_CPU places them in,
 * include/linux/percpu-defs.h@6.18).
 */
@Command(name = "btf", mixinStandardHelpOptions = true,
    description = "Read a kernel's BTF: a type's layout, or the per-CPU variables.",
    subcommands = {BtfCommand.Struct.class, BtfCommand.PerCpu.class})
final class BtfCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--btf", paramLabel = "FILE",
      description = "the BTF to read (default and 'host': " + BtfFile.HOST + ")")
  String file;

  @Option(names = "--base", paramLabel = "FILE",
      description = "read FILE as split BTF (a module's) on top of this base (vmlinux's)")
  String base;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Opens the BTF and runs body on it; a BTF that cannot be read is one line and its code. */
  int with(CommandSpec sub, java.util.function.BiFunction<Btf, PrintWriter, Integer> body) {
    PrintWriter err = sub.commandLine().getErr();
    Btf btf;
    try {
      btf = BtfFile.open(file, base);
    } catch (BtfFile.Failure f) {
      err.println("kstack: btf: " + ScriptError.oneLine(f.getMessage()));
      return f.exit;
    }
    try {
      return body.apply(btf, sub.commandLine().getOut());
    } catch (BtfException e) {
      err.println("kstack: btf: " + BtfFile.path(file) + ": " + e.getMessage());
      return 1;
    }
  }

  @Command(name = "struct", mixinStandardHelpOptions = true,
      description = "Print a struct's, union's, typedef's or enum's layout, pahole-style.")
  static final class Struct implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    BtfCommand parent;

    @Option(names = {"-E", "--expand"}, description = "expand named struct and union members too")
    boolean expand;

    @Parameters(paramLabel = "NAME", description = "e.g. task_struct, 'union thread_union'")
    String name;

    @Override
    public Integer call() {
      return parent.with(spec, (btf, out) -> {
        String n = name.replaceFirst("^(struct|union|enum)\\s+", "").strip();
        BtfKind[] kinds = name.startsWith("union ") ? new BtfKind[] {BtfKind.UNION}
            : name.startsWith("enum ") ? new BtfKind[] {BtfKind.ENUM, BtfKind.ENUM64}
            : name.startsWith("struct ") ? new BtfKind[] {BtfKind.STRUCT}
            : new BtfKind[] {BtfKind.STRUCT, BtfKind.UNION, BtfKind.TYPEDEF, BtfKind.ENUM,
                BtfKind.ENUM64, BtfKind.INT, BtfKind.FLOAT, BtfKind.FWD};
        var t = btf.find(n, kinds);
        if (t.isEmpty()) {
          spec.commandLine().getErr().println("kstack: btf: no type " + ScriptError.oneLine(name)
              + " in " + BtfFile.path(parent.file));
          return 1;
        }
        new Pahole(btf, expand).print(t.get()).forEach(out::println);
        return 0;
      });
    }
  }

  @Command(name = "percpu", mixinStandardHelpOptions = true,
      description = "List the per-CPU variables (.data..percpu) with offsets and sizes.")
  static final class PerCpu implements Callable<Integer> {
    static final String SECTION = ".data..percpu";

    @Spec
    CommandSpec spec;

    @ParentCommand
    BtfCommand parent;

    @Override
    public Integer call() {
      return parent.with(spec, (btf, out) -> {
        var sec = btf.dataSec(SECTION);
        if (sec.isEmpty()) {
          spec.commandLine().getErr().println("kstack: btf: " + BtfFile.path(parent.file)
              + " has no " + SECTION + " section (a kernel built without CONFIG_SMP, or split BTF"
              + " of a module without per-CPU data)");
          return 1;
        }
        lines(btf, sec.get()).forEach(out::println);
        return 0;
      });
    }

    static List<String> lines(Btf btf, BtfType.DataSec sec) {
      BtfNames names = new BtfNames(btf);
      List<String> out = new java.util.ArrayList<>();
      out.add(String.format("%s: %d variables, %d bytes", sec.name(), sec.vars().size(),
          sec.size()));
      out.add(String.format("%10s %8s  %s", "offset", "size", "variable"));
      for (BtfType.SecVar v : sec.vars()) {
        BtfType t = btf.type(v.type());
        String decl = t instanceof BtfType.Var var ? names.declare(var.type(), var.name())
            : t.kind() + " " + t.name();
        out.add(String.format("%#10x %8d  %s", v.offset(), v.size(), decl));
      }
      return out;
    }
  }
}
