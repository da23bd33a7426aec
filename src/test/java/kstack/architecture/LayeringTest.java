package kstack.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/design/architecture.md, enforced on the compiled main classes: the
 * simulation core below the kernel model, the kernel below the architectures, the profile table above
 * both, the machine above that, and the command language and CLI on top.
 */
class LayeringTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("kstack");
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("kstack.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("core").definedBy("kstack.mem..", "kstack.layout..", "kstack.stack..",
            "kstack.trace..", "kstack.cpu..", "kstack.exec..", "kstack.image..",
            "kstack.btf..")
        .layer("profile").definedBy("kstack.profile..")
        .layer("kernel").definedBy("kstack.kernel..")
        .layer("arch").definedBy("kstack.arch..")
        .layer("catalog").definedBy("kstack.catalog..")
        .layer("machine").definedBy("kstack.machine..")
        .layer("view").definedBy("kstack.view..")
        .layer("lang").definedBy("kstack.lang..")
        .layer("tour").definedBy("kstack.tour..")
        .layer("gdb").definedBy("kstack.gdb..")
        .layer("cli").definedBy("kstack.cli..")
        .layer("web").definedBy("kstack.web..")
        .layer("bench").definedBy("kstack.bench..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("web").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("gdb").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("bench").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("tour").mayOnlyBeAccessedByLayers("cli", "web")
        .whereLayer("lang").mayOnlyBeAccessedByLayers("gdb", "cli", "web", "tour")
        .whereLayer("view").mayOnlyBeAccessedByLayers("lang", "cli", "web", "tour")
        .whereLayer("machine").mayOnlyBeAccessedByLayers("view", "lang", "gdb", "cli", "web",
            "bench", "tour")
        .whereLayer("catalog").mayOnlyBeAccessedByLayers("machine", "view", "lang", "cli", "web",
            "bench", "tour")
        .whereLayer("arch").mayOnlyBeAccessedByLayers("catalog", "machine", "view", "lang", "cli",
            "web", "bench")
        .whereLayer("kernel").mayOnlyBeAccessedByLayers("arch", "catalog", "machine", "view", "lang",
            "cli", "web", "bench")
        .whereLayer("profile").mayOnlyBeAccessedByLayers("kernel", "arch", "catalog", "machine",
            "view", "lang", "gdb", "cli", "web", "bench", "tour")
        .check(main);
  }

  @Test
  void theBtfReaderDependsOnNothingElseOfKstack() {
    noClasses().that().resideInAPackage("kstack.btf..")
        .should().dependOnClassesThat().resideOutsideOfPackages("kstack.btf..", "java..")
        .check(main);
  }

  @Test
  void architecturesAreIndependentExceptThroughTheSharedX86Layer() {
    noClasses().that().resideInAPackage("kstack.arch.i386..")
        .should().dependOnClassesThat().resideInAnyPackage("kstack.arch.x86_64..",
            "kstack.arch.arm64..").check(main);
    noClasses().that().resideInAPackage("kstack.arch.x86_64..")
        .should().dependOnClassesThat().resideInAnyPackage("kstack.arch.i386..",
            "kstack.arch.arm64..").check(main);
    noClasses().that().resideInAPackage("kstack.arch.arm64..")
        .should().dependOnClassesThat().resideInAnyPackage("kstack.arch.i386..",
            "kstack.arch.x86_64..", "kstack.arch.x86..").check(main);
    noClasses().that().resideInAPackage("kstack.arch.x86")
        .should().dependOnClassesThat().resideInAnyPackage("kstack.arch.i386..",
            "kstack.arch.x86_64..", "kstack.arch.arm64..").check(main);
  }

  @Test
  void onlyTheProfileTableAndTheReportsOfFeaturesAskAProfileForAFeature() {
    noClasses().that().resideOutsideOfPackages("kstack.catalog..", "kstack.profile..")
        .and().doNotHaveSimpleName("ProfileDiff")
        .should().callMethod(kstack.profile.Profile.class, "has", kstack.profile.Feature.class)
        .check(main);
  }
}
