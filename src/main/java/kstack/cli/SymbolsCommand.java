package kstack.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kstack.gdb.Elf;
import kstack.lang.ScriptError;
import kstack.machine.Machine;
import kstack.profile.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kstack symbols --elf FILE}: the profile's symbols and struct types for gdb's symbol-file. */
@Command(name = "symbols", mixinStandardHelpOptions = true,
    description = "Write an ELF file of the profile (symbol table, DWARF types) for gdb's symbol-file.")
final class SymbolsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  ProfileOptions machine;

  @Option(names = "--elf", required = true, paramLabel = "FILE", description = "the ELF file to write")
  Path elf;

  @Override
  public Integer call() {
    Profile p;
    try {
      p = machine.profile();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("kstack: symbols: " + ScriptError.oneLine(e.getMessage()));
      return 2;
    }
    byte[] bytes = Elf.of(Machine.create(p, 1));
    try {
      Files.write(elf, bytes);
    } catch (IOException e) {
      spec.commandLine().getErr().println("kstack: symbols: cannot write "
          + ScriptError.oneLine(elf.toString()) + ": " + ScriptError.oneLine(why(e)));
      return 1;
    }
    spec.commandLine().getOut().println("kstack symbols: " + p.label() + ": " + bytes.length
        + " bytes written to " + ScriptError.oneLine(elf.toString()));
    return 0;
  }

  /** The operating system's reason, without Java's exception names. */
  private static String why(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
