package kstack.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import kstack.btf.Btf;
import kstack.btf.BtfException;

/**
 * Opens the BTF a command names: a file (default the running kernel's, /sys/kernel/btf/vmlinux),
 * optionally split BTF on top of a base. Every way it can fail is one line naming the file, and
 * for a blob the reader refuses, the byte offset.
 */
final class BtfFile {
  static final String HOST = "/sys/kernel/btf/vmlinux";

  /** A failure to open or read: the message and the exit code (2: no such file, 1: bad BTF). */
  static final class Failure extends Exception {
    final int exit;

    Failure(String message, int exit) {
      super(message);
      this.exit = exit;
    }
  }

  private BtfFile() {}

  /** "host" and null name the running kernel's BTF. */
  static String path(String file) {
    return file == null || file.equals("host") ? HOST : file;
  }

  static Btf open(String file, String baseFile) throws Failure {
    Btf base = baseFile == null ? null : read(path(baseFile), null);
    return read(path(file), base);
  }

  private static Btf read(String file, Btf base) throws Failure {
    byte[] blob;
    try {
      blob = Btf.load(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new Failure(file + ": no such file", 2);
    } catch (IOException | java.nio.file.InvalidPathException | SecurityException e) {
      throw new Failure(file + ": cannot read: " + e.getMessage(), 2);
    } catch (BtfException e) {
      throw new Failure(file + ": " + e.getMessage(), 1);
    }
    try {
      return base == null ? Btf.read(blob) : Btf.readSplit(blob, base);
    } catch (BtfException e) {
      throw new Failure(file + ": not valid BTF: " + e.getMessage(), 1);
    }
  }
}
