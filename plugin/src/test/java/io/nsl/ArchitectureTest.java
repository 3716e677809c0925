package io.nsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The allow-list of dependencies (Teku's way): for every package of the service, the packages it
 * may use. An arrow not in this list fails the build, so a new dependency is a decision made here,
 * with its reason, not an accident. Package names are relative to {@code io.nsl} ({@code ""} is
 * {@code io.nsl} itself: {@link NslException}, {@link ProjectRoot}); a package may always use
 * itself. See docs/decisions/0101-service-and-devnet-packages.md.
 */
class ArchitectureTest {
  /** For every package, the other io.nsl packages it may use. */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("", Set.of()),
          // The layer below everything: each knows only its own internals (and secrets its store).
          Map.entry("chain", Set.of("", "chain.internal")),
          Map.entry("chain.internal", Set.of()),
          Map.entry("js", Set.of("", "js.internal")),
          Map.entry("js.internal", Set.of("", "js")),
          Map.entry("enclave", Set.of("", "enclave.internal")),
          Map.entry("enclave.internal", Set.of("enclave")),
          Map.entry("enclave.dcap", Set.of("")),
          Map.entry("storage", Set.of("", "storage.internal")),
          Map.entry("storage.internal", Set.of("", "storage")),
          Map.entry("secrets", Set.of("", "secrets.internal", "storage")),
          Map.entry("secrets.internal", Set.of("", "secrets")),
          // The pipeline over ports: the enclave reaches it only through ResultSigner.
          Map.entry("pipeline", Set.of("", "chain", "js", "secrets", "storage")),
          Map.entry("api", Set.of("", "js", "pipeline", "secrets")),
          // Triggers (docs/triggers.md): subscriptions and due runs from the chain's blocks and
          // events; runs enter the pipeline as requests through the composition root.
          Map.entry("trigger", Set.of("", "chain")),
          // The join protocol (docs/cluster.md): the enclave's keys and the DCAP verifier only.
          // Rotation moves the store to a new epoch (decision 0502), hence storage.
          Map.entry("cluster", Set.of("", "enclave", "enclave.dcap", "storage")),
          // Several workers on one store (docs/pipeline.md): leases, claims and function locks
          // in the store, behind the pipeline's Assignment and FunctionLocks ports.
          // The API's nonces and rate limits shared by workers (SharedApiState), hence api.
          Map.entry("workers", Set.of("", "api", "pipeline", "storage")),
          // The composition root: wires everything of production, and nothing of the devnet.
          Map.entry(
              "service",
              Set.of(
                  "",
                  "api",
                  "chain",
                  "cluster",
                  "enclave",
                  "enclave.dcap",
                  "js",
                  "pipeline",
                  "secrets",
                  "storage",
                  "trigger",
                  "workers")),
          // Local development only: a neo-go launcher, published wallets, the whole stack.
          Map.entry("devnet", Set.of("", "chain", "enclave", "pipeline", "secrets", "service")),
          // Commands: the only production package that may use devnet (demo, devnet wallets).
          Map.entry(
              "cli",
              Set.of(
                  "",
                  "api",
                  "chain",
                  "cluster",
                  "devnet",
                  "enclave",
                  "enclave.dcap",
                  "js",
                  "pipeline",
                  "secrets",
                  "service",
                  "trigger")));

  /**
   * Libraries that must stay behind the packages listed: the chain library behind {@code chain}
   * (the pipeline sees the chain only through {@code chain.FulfilmentChain}), the JavaScript engine
   * behind {@code js}, the storage engines (RocksDB; PostgreSQL's driver and pool) behind {@code
   * storage.internal}.
   */
  static final Map<String, Set<String>> LIBRARIES =
      Map.of(
          "io.neow3j", Set.of("chain", "chain.internal", "cli", "devnet", "service"),
          "org.graalvm", Set.of("js", "js.internal"),
          "com.oracle.truffle", Set.of("js", "js.internal"),
          "org.rocksdb", Set.of("storage.internal"),
          "org.postgresql", Set.of("storage.internal"),
          "com.zaxxer.hikari", Set.of("storage.internal"),
          "okhttp3", Set.of("chain", "js.internal"),
          "picocli", Set.of("cli"),
          "com.sun.net.httpserver", Set.of("api", "cluster"));

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.nsl");

  /** The package of {@code javaPackage} relative to io.nsl, or null when outside it. */
  static String relative(String javaPackage) {
    if (javaPackage.equals("io.nsl")) {
      return "";
    }
    return javaPackage.startsWith("io.nsl.") ? javaPackage.substring("io.nsl.".length()) : null;
  }

  /** Whether {@code from} may use {@code to} (both relative to io.nsl) by the list above. */
  static boolean allowed(String from, String to) {
    return from.equals(to) || ALLOWED.getOrDefault(from, Set.of()).contains(to);
  }

  static List<String> violations(JavaClasses classes) {
    Set<String> out = new TreeSet<>();
    for (JavaClass c : classes) {
      String from = relative(c.getPackageName());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getBaseComponentType().getPackageName();
        String to = relative(target);
        if (to != null && !allowed(from, to)) {
          out.add(from + " -> " + to + " (" + c.getSimpleName() + " uses " + target + ")");
        }
        for (var lib : LIBRARIES.entrySet()) {
          if ((target + ".").startsWith(lib.getKey() + ".") && !lib.getValue().contains(from)) {
            out.add(from + " -> " + lib.getKey() + " (" + c.getSimpleName() + ")");
          }
        }
      }
    }
    return List.copyOf(out);
  }

  @Test
  void everyPackageUsesOnlyThePackagesItsEntryAllows() {
    assertEquals(List.of(), violations(MAIN), "arrows missing from ArchitectureTest.ALLOWED");
  }

  @Test
  void everyPackageHasAnEntry() {
    Set<String> unlisted = new TreeSet<>();
    for (JavaClass c : MAIN) {
      String p = relative(c.getPackageName());
      if (!ALLOWED.containsKey(p)) {
        unlisted.add(p);
      }
    }
    assertEquals(Set.of(), unlisted, "new packages need an entry in ArchitectureTest.ALLOWED");
  }

  @Test
  void everyEntryNamesPackagesThatExist() {
    Set<String> existing = new TreeSet<>();
    MAIN.forEach(c -> existing.add(relative(c.getPackageName())));
    Set<String> stale = new TreeSet<>();
    ALLOWED.forEach(
        (from, tos) -> {
          if (!existing.contains(from)) {
            stale.add(from);
          }
          tos.stream().filter(t -> !existing.contains(t)).forEach(stale::add);
        });
    assertEquals(Set.of(), stale, "ArchitectureTest.ALLOWED names packages that are gone");
  }

  @Test
  void refusesArrowsThatPointUpOrIntoDevelopmentCode() {
    assertFalse(allowed("chain", "pipeline"));
    assertFalse(allowed("pipeline", "service"));
    assertFalse(allowed("service", "devnet"));
    assertFalse(allowed("pipeline", "enclave"));
    assertFalse(allowed("api", "storage.internal"));
    assertFalse(allowed("unknown", ""));
    assertTrue(allowed("cli", "devnet"));
    assertTrue(allowed("pipeline", "pipeline"));
  }

  @Test
  void findsTheDevnetArrowOfPipelineTests() {
    // The pipeline's integration tests start a local chain: allowed for tests, refused in main.
    JavaClasses withTests = new ClassFileImporter().importPackages("io.nsl.pipeline");
    assertTrue(
        violations(withTests).stream().anyMatch(v -> v.startsWith("pipeline -> devnet ")),
        "the checker should see pipeline tests using devnet");
  }

  @Test
  void noProductionPackageOtherThanCliUsesDevnet() {
    ALLOWED.forEach(
        (from, tos) -> {
          if (!from.equals("cli") && !from.equals("devnet")) {
            assertFalse(tos.contains("devnet"), from + " may not use devnet");
          }
        });
  }
}
