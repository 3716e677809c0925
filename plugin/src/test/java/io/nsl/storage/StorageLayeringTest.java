package io.nsl.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** storage and secrets stay low in the layering: secrets may use storage, never the reverse. */
class StorageLayeringTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.nsl.storage", "io.nsl.secrets");

  @Test
  void storageDependsOnNoOtherNslPart() {
    noClasses()
        .that()
        .resideInAPackage("io.nsl.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.nsl.secrets..",
            "io.nsl.enclave..",
            "io.nsl.js..",
            "io.nsl.chain..",
            "io.nsl.pipeline..",
            "io.nsl.api..",
            "io.nsl.cli..")
        .check(CLASSES);
  }

  @Test
  void secretsDependOnlyOnStorage() {
    noClasses()
        .that()
        .resideInAPackage("io.nsl.secrets..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.nsl.storage.internal..",
            "io.nsl.enclave..",
            "io.nsl.js..",
            "io.nsl.chain..",
            "io.nsl.pipeline..",
            "io.nsl.api..",
            "io.nsl.cli..")
        .check(CLASSES);
  }
}
