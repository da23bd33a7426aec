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

  private KernelConfig(Map<String, Boolean> values, Map<String, String> help) {
    this.values = values;
    this.help = help;
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
    return help.get(option);
  }

  /** A copy with one option changed; rejects options the profile does not have. */
  public KernelConfig with(String option, boolean value) {
    if (!values.containsKey(option)) {
      throw new IllegalArgumentException("unknown config option CONFIG_" + option
          + " for this profile (known: " + String.join(", ", all().keySet()) + ")");
    }
    Map<String, Boolean> copy = new LinkedHashMap<>(values);
    copy.put(option, value);
    return new KernelConfig(copy, help);
  }

  /** Collects a profile's options with their defaults and what each changes. */
  public static final class Builder {
    private final Map<String, Boolean> values = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();

    public Builder option(String name, boolean dflt, String what) {
      values.put(name, dflt);
      help.put(name, what);
      return this;
    }

    public KernelConfig build() {
      return new KernelConfig(values, help);
    }
  }
}
