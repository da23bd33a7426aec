package kstack.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No i386 generation reaches sideways into another (docs/design/second-design-plan.md): a class of
 * kstack.arch.i386 whose name carries a generation (Boot24, I386Irq2611, Sysenter619, ...) may
 * depend only on the shared i386 classes (no generation in the name) and on its own generation's;
 * the shared classes depend on no generation. What two generations share lives in a class named
 * after what it models (SwitchToEsp, ThreadInfoEntry, ThreadInfoBoot, SaveAll60, IrqCtx, ...).
 */
class I386GenerationsTest {
  /** The i386 generations, as the version-named classes spell them. */
  private static final List<String> GENERATIONS = List.of("2611", "2632", "416", "619", "24");
  /** Shared classes whose name ends in digits that are not a generation: the port, the 60-byte pt_regs. */
  private static final Set<String> SHARED_DIGIT_NAMES = Set.of("I386", "SaveAll60");
  private static final String PACKAGE = "kstack.arch.i386";

  private static JavaClasses i386;

  @BeforeAll
  static void importI386Classes() {
    i386 = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(PACKAGE);
  }

  /** The generation a class name carries, empty for a shared class. */
  static Optional<String> generation(String simpleName) {
    return GENERATIONS.stream().filter(simpleName::endsWith).findFirst();
  }

  /** Whether a class named from may depend on a class named to. */
  static boolean allowed(String from, String to) {
    Optional<String> target = generation(to);
    return target.isEmpty() || target.equals(generation(from));
  }

  /** The top-level simple name of an i386 class (I386Irq2611$L is I386Irq2611's). */
  private static String topLevel(JavaClass c) {
    String name = c.getName().substring(PACKAGE.length() + 1);
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  @Test
  void noI386GenerationDependsOnAnotherGenerationAndSharedClassesOnNone() {
    Set<String> sideways = new TreeSet<>();
    for (JavaClass c : i386) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = d.getTargetClass();
        if (t.getPackageName().equals(PACKAGE) && !allowed(topLevel(c), topLevel(t))) {
          sideways.add(topLevel(c) + " -> " + topLevel(t));
        }
      }
    }
    assertEquals(Set.of(), sideways, "i386 classes reaching into another generation");
  }

  @Test
  void everyI386ClassNameEndingInDigitsNamesAGenerationOrIsAKnownSharedOne() {
    Set<String> unknown = new TreeSet<>();
    for (JavaClass c : i386) {
      String n = topLevel(c);
      if (n.matches(".*\\d") && generation(n).isEmpty() && !SHARED_DIGIT_NAMES.contains(n)) {
        unknown.add(n);
      }
    }
    assertEquals(Set.of(), unknown, "a digit suffix that is no i386 generation (26? 6?)");
  }

  @Test
  void theRuleAllowsSharedAndOwnGenerationAndRefusesAnotherGeneration() {
    assertTrue(allowed("I386Irq2611", "ThreadInfoEntry"));
    assertTrue(allowed("I386Irq2611", "I386Entry2611"));
    assertTrue(allowed("Sysenter2611", "SaveAll60"));
    assertFalse(allowed("Process2611", "I386Process24"));
    assertFalse(allowed("I386Irq2632", "I386Entry2611"));
    assertFalse(allowed("I386Unwind", "I386Entry619"));
    assertEquals(Optional.of("2611"), generation("I386Process2611"));
    assertEquals(Optional.of("24"), generation("SysenterNone24"));
    assertEquals(Optional.empty(), generation("I386Boot"));
  }
}
