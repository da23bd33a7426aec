package kstack.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel configuration options that change stack layouts, as {@code CONFIG_NAME=y|n}. Each profile
 * says which options it knows and their defaults; setting an unknown one is a usage error.
 */
public final class KernelConfig {
  private final Map<String, Boolean> values;
  private final Map<String, String> help;
  /** Options the architecture selects at this version: shown, but not to be changed. */
  private final Map<String, String> fixed;

  private KernelConfig(Map<String, Boolean> values, Map<String, String> help,
      Map<String, String> fixed) {
    this.values = values;
    this.help = help;
    this.fixed = fixed;
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean enabled(String option) {
    Boolean v = values.get(option);
    if (v == null) {
      throw new IllegalArgumentException("unknown config option " + option);
    }
    return v;
  }

  public boolean knows(String option) {
    return values.containsKey(option);
  }

  /** Options sorted by name, with values. */
  public Map<String, Boolean> all() {
    return new TreeMap<>(values);
  }

  public String help(String option) {
    String why = fixed.get(option);
    return why == null ? help.get(option) : help.get(option) + " [fixed: " + why + "]";
  }

  /** A copy with one option changed; rejects options the profile does not have. */
  public KernelConfig with(String option, boolean value) {
    if (!values.containsKey(option)) {
      throw new IllegalArgumentException("unknown config option CONFIG_" + option
          + " for this profile (known: " + String.join(", ", all().keySet()) + ")");
    }
    if (fixed.containsKey(option) && values.get(option) != value) {
      throw new IllegalArgumentException("CONFIG_" + option + " cannot be "
          + (value ? "enabled" : "disabled") + " on this profile: " + fixed.get(option));
    }
    Map<String, Boolean> copy = new LinkedHashMap<>(values);
    copy.put(option, value);
    return new KernelConfig(copy, help, fixed);
  }

  /** Collects a profile's options with their defaults and what each changes. */
  public static final class Builder {
    private final Map<String, Boolean> values = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final Map<String, String> fixed = new LinkedHashMap<>();

    public Builder option(String name, boolean dflt, String what) {
      values.put(name, dflt);
      help.put(name, what);
      return this;
    }

    /** An option the architecture selects (Kconfig {@code select}): why is the refusal's reason. */
    public Builder fixed(String name, boolean value, String what, String why) {
      option(name, value, what);
      fixed.put(name, why);
      return this;
    }

    public KernelConfig build() {
      return new KernelConfig(values, help, fixed);
    }
  }
}
