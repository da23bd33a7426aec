package kstack.profile;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One architecture at one kernel generation with one configuration: the unit every layout, symbol and
 * mechanism is chosen by. Profiles are made only by the profile table, {@code kstack.catalog.Profiles}:
 * it names the version and picks one {@link Module} per mechanism. The profile's features are the
 * features its modules declare (plus, while the second design lands, the ones the table still lists
 * directly); {@code info config} and {@code diff} read them.
 */
public final class Profile {
  private final String arch;
  private final String kernel;
  private final String version;
  private final Set<Feature> features;
  private final KernelConfig config;
  private final List<Module> modules;

  public Profile(String arch, String kernel, String version, Set<Feature> features,
      KernelConfig config) {
    this(arch, kernel, version, features, config, List.of());
  }

  /**
   * A profile built from its modules: each mechanism at most once (two modules implementing the same
   * mechanism interface are refused when {@link #module} is asked for it).
   */
  public Profile(String arch, String kernel, String version, Set<Feature> features,
      KernelConfig config, List<Module> modules) {
    this.arch = arch;
    this.kernel = kernel;
    this.version = version;
    EnumSet<Feature> all = EnumSet.noneOf(Feature.class);
    all.addAll(features);
    for (Module m : modules) {
      all.addAll(m.features());
    }
    this.features = Collections.unmodifiableSet(all);
    this.config = config;
    this.modules = List.copyOf(modules);
  }

  /** The modules the profile table picked for this profile, in the table's order. */
  public List<Module> modules() {
    return modules;
  }

  /**
   * The module this profile uses for a mechanism. Asked once, when the kernel or arch is built; a
   * profile without one (or with two) is an error of the profile table, named here.
   */
  public <T extends Module> T module(Class<T> mechanism) {
    T found = null;
    for (Module m : modules) {
      if (mechanism.isInstance(m)) {
        if (found != null) {
          throw new IllegalStateException("the " + label() + " profile has two modules for "
              + mechanism.getSimpleName() + ": " + found.getClass().getSimpleName() + " and "
              + m.getClass().getSimpleName());
        }
        found = mechanism.cast(m);
      }
    }
    if (found == null) {
      throw new IllegalStateException("the " + label() + " profile has no module for "
          + mechanism.getSimpleName() + " (kstack.catalog.Profiles picks one per mechanism)");
    }
    return found;
  }

  public String arch() {
    return arch;
  }

  /** The generation's name as given to {@code --kernel}: {@code 4.16}, {@code 6.x}. */
  public String kernel() {
    return kernel;
  }

  /** The exact source version modelled, e.g. {@code 4.16.13}. */
  public String version() {
    return version;
  }

  public boolean has(Feature f) {
    return features.contains(f);
  }

  public Set<Feature> features() {
    return features;
  }

  public KernelConfig config() {
    return config;
  }

  public boolean config(String option) {
    return config.enabled(option);
  }

  /** An option that only some architectures have: off where the profile does not know it. */
  public boolean optional(String option) {
    return config.knows(option) && config.enabled(option);
  }

  public Profile withConfig(String option, boolean value) {
    return new Profile(arch, kernel, version, features, config.with(option, value), modules);
  }

  public String label() {
    return arch + " " + kernel + " (" + version + ")";
  }
}
