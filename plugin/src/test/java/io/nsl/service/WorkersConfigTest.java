package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workers.* in config/nsl.yml: one worker by default, several only on a shared store. */
class WorkersConfigTest {
  @TempDir Path dir;

  private ServiceConfig load(String yaml) throws IOException {
    return ConfigFiles.load(dir, yaml);
  }

  @Test
  void withoutAnIdTheServiceIsTheOnlyWorker() throws IOException {
    ServiceConfig c = load("dataDir: .run/x\n");
    assertFalse(c.workers().several());
    assertEquals(5_000, c.workers().leaseMs());
    assertEquals(1_000, c.workers().renewMs());
  }

  @Test
  void anIdOnASharedStoreMakesItOneOfSeveral() throws IOException {
    ServiceConfig c =
        load(
            "storage:\n  url: postgresql://nsl@db.example:5432/nsl\n"
                + "workers:\n  id: worker-2\n  leaseMs: 3000\n  renewMs: 500\n");
    assertTrue(c.workers().several());
    assertEquals("worker-2", c.workers().id());
  }

  @Test
  void anIdOnTheEmbeddedStoreIsRefusedNamingBothOptions() {
    ServiceConfig.InvalidConfig e =
        assertThrows(ServiceConfig.InvalidConfig.class, () -> load("workers:\n  id: w1\n"));
    assertTrue(e.getMessage().contains("workers.id 'w1' needs storage.url"), e.getMessage());
  }

  @Test
  void anIdInTheFileWithTheStoreFromTheCommandLineMakesItOneOfSeveral() throws IOException {
    // ./nsl run --store URL with workers.id in the file: the URL counts before the check.
    Path f = dir.resolve("nsl.yml");
    Files.writeString(f, "workers:\n  id: w1\n");
    ServiceConfig c = ServiceConfig.load(f, "postgresql://nsl@db.example:5432/nsl");
    assertTrue(c.workers().several());
    assertEquals("postgresql://nsl@db.example:5432/nsl", c.storage().url());
    ServiceConfig.InvalidConfig e =
        assertThrows(ServiceConfig.InvalidConfig.class, () -> ServiceConfig.load(f, null));
    assertTrue(e.getMessage().contains("--store"), e.getMessage());
  }

  @Test
  void theStoreFromTheCommandLineReplacesTheFilesAndIsCheckedTheSameWay() throws IOException {
    Path f = dir.resolve("nsl.yml");
    Files.writeString(f, "storage:\n  url: postgresql://nsl@old.example:5432/nsl\n");
    assertEquals(
        "postgresql://nsl@new.example:5432/nsl",
        ServiceConfig.load(f, "postgresql://nsl@new.example:5432/nsl").storage().url());
    ServiceConfig.InvalidConfig bad =
        assertThrows(ServiceConfig.InvalidConfig.class, () -> ServiceConfig.load(f, "mysql://x"));
    assertTrue(bad.getMessage().contains("storage.url must be"), bad.getMessage());
  }

  @Test
  void badIdsAndTimingsAreRefusedByOptionName() {
    String pg = "storage:\n  url: postgresql://nsl@db.example:5432/nsl\n";
    ServiceConfig.InvalidConfig bad =
        assertThrows(
            ServiceConfig.InvalidConfig.class, () -> load(pg + "workers:\n  id: \"w 1\"\n"));
    assertTrue(bad.getMessage().contains("workers.id must be"), bad.getMessage());
    ServiceConfig.InvalidConfig shortLease =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> load(pg + "workers:\n  id: w1\n  leaseMs: 1500\n  renewMs: 1000\n"));
    assertTrue(shortLease.getMessage().contains("leaseMs 1500"), shortLease.getMessage());
    ServiceConfig.InvalidConfig lock =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> load(pg + "workers:\n  id: w1\n  functionLockMs: 10\n"));
    assertTrue(lock.getMessage().contains("workers.functionLockMs"), lock.getMessage());
  }
}
