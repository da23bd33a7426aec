package kstack.profile;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One architecture at one kernel generation with one configuration: the unit every layout, symbol and
 * mechanism is chosen by. Version numbers appear only in {@link Profiles}; everything else asks
 * {@link #has(Feature)} or reads the configuration.
 */
public final class Profile {
  private final String arch;
  private final String kernel;
  private final String version;
  private final Set<Feature> features;
  private final KernelConfig config;

  public Profile(String arch, String kernel, String version, Set<Feature> features,
      KernelConfig config) {
    this.arch = arch;
    this.kernel = kernel;
    this.version = version;
    this.features = Collections.unmodifiableSet(features.isEmpty()
        ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features));
    this.config = config;
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
    return new Profile(arch, kernel, version, features, config.with(option, value));
  }

  public String label() {
    return arch + " " + kernel + " (" + version + ")";
  }
}
