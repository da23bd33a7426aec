package kstack.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kstack.image.Symbol;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.profile.Feature;
import kstack.profile.Profile;

/**
 * What differs between two profiles' machines, each difference tied to the profile features that
 * cause it: features, constants, struct layouts, and the symbols of the kernel images. Differences
 * no feature explains between two architectures are put down to the architecture.
 */
public final class ProfileDiff {
  /** One difference: what, the value in A and in B, and why. */
  public record Item(String section, String what, String a, String b, String because) {}

  private ProfileDiff() {}

  public static List<Item> compare(Machine ma, Machine mb) {
    Profile a = ma.profile();
    Profile b = mb.profile();
    List<Item> out = new ArrayList<>();
    Set<Feature> onlyA = new TreeSet<>(a.features());
    onlyA.removeAll(b.features());
    Set<Feature> onlyB = new TreeSet<>(b.features());
    onlyB.removeAll(a.features());
    for (Feature f : onlyA) {
      out.add(new Item("features", f.name(), "yes", "no", f.citation() + archOnly(f, a, b)));
    }
    for (Feature f : onlyB) {
      out.add(new Item("features", f.name(), "no", "yes", f.citation() + archOnly(f, b, a)));
    }
    Set<Feature> changed = new TreeSet<>(onlyA);
    changed.addAll(onlyB);
    String arch = a.arch().equals(b.arch()) ? null : "the architecture (" + a.arch() + " vs "
        + b.arch() + ")";
    constants(ma, mb, out, changed, arch);
    structs(ma, mb, out, changed, arch);
    symbols(ma, mb, out, changed, arch);
    return out;
  }

  /** Across architectures, says when no profile of the other arch has the feature at all. */
  private static String archOnly(Feature f, Profile has, Profile lacks) {
    if (has.arch().equals(lacks.arch())) {
      return "";
    }
    boolean other = kstack.catalog.Profiles.of(lacks.arch()).stream().anyMatch(p -> p.has(f));
    return other ? "" : " [an " + has.arch() + " feature: no " + lacks.arch() + " profile has it]";
  }

  private static void constants(Machine ma, Machine mb, List<Item> out, Set<Feature> changed,
      String arch) {
    Set<String> names = new TreeSet<>(ma.inspector().constants().keySet());
    names.addAll(mb.inspector().constants().keySet());
    for (String n : names) {
      Long va = ma.inspector().constants().get(n);
      Long vb = mb.inspector().constants().get(n);
      if (va == null || !va.equals(vb)) {
        boolean cited = changed.stream().anyMatch(f -> f.explainsConstant(n));
        String gen = va == null || vb == null ? generation(n) : null;
        out.add(new Item("constants", n, hex(va), hex(vb), cited
            ? because(changed, f -> f.explainsConstant(n), arch) : gen != null ? gen
            : arch != null ? arch
            : "the profile's cited values (" + ma.profile().version() + " vs "
                + mb.profile().version() + ")"));
      }
    }
  }

  private static void structs(Machine ma, Machine mb, List<Item> out, Set<Feature> changed,
      String arch) {
    Set<String> names = new TreeSet<>(ma.structs().keySet());
    names.addAll(mb.structs().keySet());
    for (String n : names) {
      StructLayout la = ma.struct(n);
      StructLayout lb = mb.struct(n);
      String why = because(changed, f -> f.explainsStruct(n), arch);
      if ((la == null || lb == null) && generation("struct " + n) != null
          && changed.stream().noneMatch(f -> f.explainsStruct(n))) {
        why = generation("struct " + n);
      }
      if (la == null || lb == null) {
        out.add(new Item("layouts", "struct " + n, la == null ? "-" : la.size() + " bytes",
            lb == null ? "-" : lb.size() + " bytes", why));
        continue;
      }
      String fa = members(la);
      String fb = members(lb);
      if (la.size() != lb.size() || !fa.equals(fb)) {
        out.add(new Item("layouts", "struct " + n, la.size() + " bytes: " + fa,
            lb.size() + " bytes: " + fb, why));
      }
    }
  }

  private static String members(StructLayout l) {
    StringBuilder b = new StringBuilder();
    for (Field f : l.fields()) {
      b.append(b.length() == 0 ? "" : ", ").append(f.name()).append('@').append(f.offset());
    }
    return b.toString();
  }

  private static void symbols(Machine ma, Machine mb, List<Item> out, Set<Feature> changed,
      String arch) {
    Set<String> sa = names(ma);
    Set<String> sb = names(mb);
    Map<String, List<String>> byReason = new LinkedHashMap<>();
    for (String n : new TreeSet<>(sa)) {
      if (!sb.contains(n)) {
        byReason.computeIfAbsent("A|" + symbolWhy(changed, n, arch), k -> new ArrayList<>()).add(n);
      }
    }
    for (String n : new TreeSet<>(sb)) {
      if (!sa.contains(n)) {
        byReason.computeIfAbsent("B|" + symbolWhy(changed, n, arch), k -> new ArrayList<>()).add(n);
      }
    }
    for (var e : byReason.entrySet()) {
      boolean inA = e.getKey().startsWith("A|");
      String list = String.join(" ", e.getValue());
      out.add(new Item("symbols", e.getValue().size() + " symbol(s) only in " + (inA ? "A" : "B"),
          inA ? list : "-", inA ? "-" : list, e.getKey().substring(2)));
    }
  }

  private static Set<String> names(Machine m) {
    Set<String> s = new TreeSet<>();
    for (Symbol sym : m.symbols().all()) {
      s.add(sym.name());
    }
    return s;
  }

  private static String because(Set<Feature> changed, java.util.function.Predicate<Feature> p,
      String arch) {
    List<String> why = new ArrayList<>();
    for (Feature f : changed) {
      if (p.test(f)) {
        why.add(f.name() + " (" + f.citation() + ")");
      }
    }
    if (!why.isEmpty()) {
      return String.join("; ", why);
    }
    return arch != null ? arch : "no cited feature (a difference of the simulator's own layout)";
  }

  /** A feature that explains a symbol, else the Generations row, else the arch or nothing. */
  private static String symbolWhy(Set<Feature> changed, String n, String arch) {
    boolean cited = changed.stream().anyMatch(f -> f.explainsSymbol(n));
    String gen = generation(n);
    return cited || gen == null ? because(changed, f -> f.explainsSymbol(n), arch) : gen;
  }

  /** Where the source defines a name only some generations have (kstack.profile.Generations). */
  private static String generation(String name) {
    return kstack.profile.Generations.names().stream().filter(g -> g.name().equals(name))
        .findFirst().map(g -> "a name of some generations only: " + g.citation()).orElse(null);
  }

  private static String hex(Long v) {
    return v == null ? "-" : v >= 0 && v < 100000 ? Long.toString(v) : "0x" + Long.toHexString(v);
  }
}
