package kstack.catalog;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kstack.profile.Feature;
import kstack.profile.KernelConfig;
import kstack.profile.Module;
import kstack.profile.Profile;
import org.junit.jupiter.api.Test;

/** The profile table picks one module per mechanism for every profile that has the mechanism. */
class ProfileTableTest {

  /** The mechanism interfaces a module implements: the interfaces below Module in its type tree. */
  private static Set<Class<?>> mechanisms(Class<?> c) {
    Set<Class<?>> out = new LinkedHashSet<>();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        if (i != Module.class && Module.class.isAssignableFrom(i)) {
          out.add(i);
          out.addAll(mechanisms(i));
        }
      }
    }
    return out;
  }

  /** Kernel mechanisms apply to every profile; an arch package's only to that arch's profiles. */
  private static boolean appliesTo(Class<?> mechanism, Profile p) {
    String pkg = mechanism.getPackageName();
    if (pkg.startsWith("kstack.arch.x86")) {
      return pkg.equals("kstack.arch.x86") ? !p.arch().equals("arm64")
          : pkg.equals("kstack.arch." + p.arch());
    }
    if (pkg.startsWith("kstack.arch.")) {
      return pkg.equals("kstack.arch." + p.arch());
    }
    return true;
  }

  @Test
  void everyProfileHasExactlyOneModuleForEveryMechanismItsArchUses() {
    Set<Class<?>> all = new LinkedHashSet<>();
    for (Profile p : Profiles.all()) {
      for (Module m : p.modules()) {
        all.addAll(mechanisms(m.getClass()));
      }
    }
    List<String> missing = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      for (Class<?> mech : all) {
        if (appliesTo(mech, p)) {
          @SuppressWarnings("unchecked")
          Class<? extends Module> mm = (Class<? extends Module>) mech;
          try {
            p.module(mm);
          } catch (IllegalStateException e) {
            missing.add(e.getMessage());
          }
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void aProfilesFeaturesIncludeWhatItsModulesDeclare() {
    for (Profile p : Profiles.all()) {
      for (Module m : p.modules()) {
        assertTrue(p.features().containsAll(m.features()), p.label() + " " + m);
      }
    }
  }

  interface Mechanism extends Module {}

  record Gen(Set<Feature> features) implements Mechanism {}

  @Test
  void askingForAMechanismTheTableDidNotPickNamesTheProfileAndTheMechanism() {
    Profile p = new Profile("x86_64", "9.9", "9.9.0", EnumSet.noneOf(Feature.class),
        KernelConfig.builder().build(), List.of());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> p.module(Mechanism.class));
    assertEquals("the x86_64 9.9 (9.9.0) profile has no module for Mechanism "
        + "(kstack.catalog.Profiles picks one per mechanism)", e.getMessage());
  }

  @Test
  void twoModulesForOneMechanismAreRefusedAndTheModulesFeaturesJoinTheProfiles() {
    Profile p = new Profile("x86_64", "9.9", "9.9.0", EnumSet.noneOf(Feature.class),
        KernelConfig.builder().build(), List.of(new Gen(EnumSet.of(Feature.DO_FORK)),
            new Gen(EnumSet.of(Feature.KERNEL_CLONE))));
    assertTrue(p.has(Feature.DO_FORK) && p.has(Feature.KERNEL_CLONE));
    assertThrows(IllegalStateException.class, () -> p.module(Mechanism.class));
    Profile one = new Profile("x86_64", "9.9", "9.9.0", EnumSet.noneOf(Feature.class),
        KernelConfig.builder().option("PREEMPT", false, "preempt").build(),
        List.of(new Gen(EnumSet.of(Feature.DO_FORK))));
    assertDoesNotThrow(() -> one.withConfig("PREEMPT", true).module(Mechanism.class));
  }
}
