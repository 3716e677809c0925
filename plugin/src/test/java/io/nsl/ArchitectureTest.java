package io.nsl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: cli -> api -> pipeline -> {chain, js, enclave, secrets -> storage};
 * cli -> cluster -> {enclave, secrets, storage} (the join protocol, docs/cluster.md). The lower
 * packages know nothing of each other except secrets -> storage; what crosses between them is
 * adapted in the composition root.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.nsl");

  private static void forbid(String from, String... to) {
    for (String t : to) {
      noClasses()
          .that()
          .resideInAPackage("io.nsl." + from + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.nsl." + t + "..")
          .because(from + " is below " + t + " or beside it")
          .check(MAIN);
    }
  }

  @Test
  void lowerPackagesDoNotImportUpperOnes() {
    for (String low : new String[] {"chain", "js", "enclave", "storage", "secrets"}) {
      forbid(low, "pipeline", "api", "cli");
    }
    forbid("pipeline", "api", "cli");
    forbid("api", "cli");
  }

  @Test
  void lowerPackagesStayIndependentOfEachOther() {
    forbid("chain", "js", "enclave", "storage", "secrets");
    forbid("js", "chain", "enclave", "storage", "secrets");
    forbid("enclave", "chain", "js", "storage", "secrets");
    forbid("storage", "chain", "js", "enclave", "secrets");
    forbid("secrets", "chain", "js", "enclave");
  }

  @Test
  void clusterUsesOnlyEnclaveSecretsAndStorageAndNothingBelowUsesIt() {
    forbid("cluster", "chain", "js", "pipeline", "api", "cli");
    for (String p :
        new String[] {"chain", "js", "enclave", "storage", "secrets", "pipeline", "api"}) {
      forbid(p, "cluster");
    }
  }
}
