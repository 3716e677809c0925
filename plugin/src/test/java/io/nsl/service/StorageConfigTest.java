package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage.url in config/nsl.yml and ./nsl run --store: which engine the service opens. */
class StorageConfigTest {
  @TempDir Path dir;

  private ServiceConfig load(String yaml) throws IOException {
    return ConfigFiles.load(dir, yaml);
  }

  @Test
  void withoutStorageUrlTheServiceKeepsTheEmbeddedStoreInItsDataDir() throws IOException {
    ServiceConfig c = load("dataDir: .run/x\n");
    assertNull(c.storage().url());
    StorageOptions o = c.storage().options(Path.of("/srv/nsl"));
    assertFalse(o.postgres());
    assertEquals(Path.of("/srv/nsl/store"), o.path());
  }

  @Test
  void aPostgresqlUrlPicksTheSharedEngine() throws IOException {
    ServiceConfig c = load("storage:\n  url: postgresql://nsl@db.example:5432/nsl\n");
    StorageOptions o = c.storage().options(Path.of("/srv/nsl"));
    assertTrue(o.postgres());
    assertEquals("postgresql://nsl@db.example:5432/nsl", o.databaseUrl());
    assertTrue(o.encrypted() && o.syncWrites(), "sealed and durable, as the embedded store");
  }

  @Test
  void runStoreOptionReplacesTheConfigFilesStore() throws IOException {
    ServiceConfig c =
        load("dataDir: .run/x\n")
            .withStorage(new ServiceConfig.Storage("jdbc:postgresql://10.0.0.5/nsl"));
    assertTrue(c.storage().options(Path.of("/srv")).postgres());
    assertEquals(".run/x", c.dataDir(), "the rest of the configuration stays");
  }

  @Test
  void refusesAStorageUrlOfAnotherKindNamingTheOption() {
    ServiceConfig.InvalidConfig e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> load("storage:\n  url: mysql://root:secret@db/nsl\n"));
    assertTrue(e.getMessage().contains("storage.url"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertThrows(ServiceConfig.InvalidConfig.class, () -> load("storage:\n  engine: postgres\n"));
  }
}
