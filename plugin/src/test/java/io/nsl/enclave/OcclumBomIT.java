package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After {@code mvn package}: every source occlum/bom.yaml names exists (runs in verify). */
class OcclumBomIT {
  @Test
  void everyBomSourceExistsAfterPackage() throws Exception {
    List<OcclumConfig.BomEntry> entries = OcclumConfig.bomEntries(System.getProperty("java.home"));
    assertFalse(entries.isEmpty());
    for (OcclumConfig.BomEntry e : entries) {
      assertTrue(
          e.directory() ? Files.isDirectory(e.source()) : Files.isRegularFile(e.source()),
          "occlum/bom.yaml names " + e.source() + ", which does not exist after mvn package");
    }
    assertTrue(
        entries.stream().anyMatch(e -> e.source().toString().endsWith(".jar")),
        "the BOM copies the service jar");
  }
}
