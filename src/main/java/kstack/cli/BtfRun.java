package kstack.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import kstack.btf.Btf;
import kstack.btf.BtfException;
import kstack.catalog.BtfLayouts;
import kstack.catalog.Profiles;
import kstack.lang.ScriptError;
import kstack.layout.LayoutSource;
import kstack.machine.Machine;
import kstack.profile.Profile;

/**
 * kstack run --btf FILE: the machine built with a kernel's own layouts (kstack.catalog.BtfLayouts).
 * The profile is the one named, or else the newest of the BTF's architecture whose mechanisms the
 * BTF does not contradict; what was picked and what stays as modelled are said in the header.
 */
final class BtfRun {
  /** A refusal: one line for standard error and the exit code (2). */
  static final class Refusal extends Exception {
    Refusal(String message) {
      super(message);
    }
  }

  /** The machine, its profile, the BTF's file and what the run could not take from it. */
  record Picked(Machine machine, Profile profile, String file, String arch, int types,
      boolean named, List<String> modelOnly, int padded) {
    /** The same as JSON fields: {"btf": {file, arch, types, profile, named, padded, modelOnly}}. */
    Map<String, Object> json() {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("file", file);
      b.put("arch", arch);
      b.put("types", types);
      b.put("profile", profile.label());
      b.put("named", named);
      b.put("padding", padded);
      b.put("modelOnly", modelOnly);
      return Map.of("btf", b);
    }

    /** The header lines: what runs on which layouts, then what stays as modelled. */
    List<String> header() {
      List<String> out = new ArrayList<>();
      out.add("kstack: btf: " + file + " (" + arch + ", " + types + " types): the " + profile.label()
          + " model " + (named ? "(as named)" : "(the newest " + arch + " model it fits)")
          + " runs with the kernel's layouts; " + padded + " kernel members it does not use are"
          + " padding");
      if (!modelOnly.isEmpty()) {
        out.add("kstack: btf: not in the BTF, kept as modelled: " + String.join(", ", modelOnly));
      }
      return out;
    }
  }

  private BtfRun() {}

  /**
   * Builds the machine. arch and kernel are the user's (null: not given); configure applies
   * --config to a profile (IllegalArgumentException for a bad one).
   */
  static Picked build(String file, String arch, String kernel, int cpus,
      UnaryOperator<Profile> configure) throws Refusal {
    Btf btf;
    try {
      btf = BtfFile.open(file, null);
    } catch (BtfFile.Failure f) {
      throw new Refusal(f.getMessage());
    }
    String path = BtfFile.path(file);
    String btfArch;
    try {
      btfArch = Check.arch(btf);
    } catch (BtfException e) {
      throw new Refusal(path + ": " + e.getMessage());
    }
    if (btfArch == null || arch != null && !arch.equals(btfArch)) {
      throw new Refusal(path + " is " + (btfArch == null ? "of no architecture kstack models"
          : btfArch + "'s") + " (" + btf.pointerSize() + "-byte pointers)"
          + (arch == null ? "" : ", not " + arch + "'s"));
    }
    List<Profile> candidates = candidates(btfArch, kernel);
    String first = null;
    for (Profile c : candidates) {
      Profile p = configure.apply(c);
      BtfLayouts layouts = new BtfLayouts(btf, path);
      try {
        Machine m = Machine.create(p, cpus, layouts);
        return new Picked(m, p, path, btfArch, btf.count(), kernel != null, layouts.modelOnly(),
            layouts.padded());
      } catch (LayoutSource.Refused e) {
        first = first != null ? first : "the " + p.label() + " model cannot run on " + path
            + ": " + e.getMessage();
      }
    }
    throw new Refusal(first + (candidates.size() > 1 ? " (nor can any older " + btfArch
        + " model)" : ""));
  }

  private static List<Profile> candidates(String arch, String kernel) throws Refusal {
    if (kernel != null) {
      return List.of(Profiles.find(arch, kernel).orElseThrow(() -> new Refusal("no profile for "
          + "--arch " + arch + " --kernel " + ScriptError.oneLine(kernel) + " (known: "
          + Profiles.names() + ")")));
    }
    List<Profile> out = new ArrayList<>(Profiles.all().stream()
        .filter(p -> p.arch().equals(arch)).toList());
    java.util.Collections.reverse(out); // newest first
    return out;
  }
}
