package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {
  private final Path defaultFile = ProjectRoot.find().resolve("config/nsl.yml");

  @Test
  void defaultConfigFileLoadsToTheBuiltInDefaults() {
    assertEquals(ServiceConfig.defaults(), ServiceConfig.load(defaultFile));
  }

  @Test
  void defaultConfigFileDocumentsEveryOption() throws IOException {
    String text = Files.readString(defaultFile);
    assertDocumented(text, ServiceConfig.class, "");
  }

  private static void assertDocumented(String text, Class<?> type, String path) {
    for (RecordComponent c : type.getRecordComponents()) {
      String name = c.getName();
      assertTrue(
          text.contains("\n" + " ".repeat(path.isEmpty() ? 0 : 2) + name + ":"),
          "config/nsl.yml lacks option " + path + name);
      if (c.getType().isRecord()) {
        assertDocumented(text, c.getType(), path + name + ".");
      }
    }
  }

  @Test
  void refusesUnknownOptionByName(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "chain:\n  rpcUrll: http://x\n");
    var e = assertThrows(ServiceConfig.InvalidConfig.class, () -> ServiceConfig.load(f));
    assertTrue(e.getMessage().contains("rpcUrll"), e.getMessage());
  }

  @Test
  void refusesUnknownModeWithTheValue(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "mode: enclave\n");
    var e = assertThrows(ServiceConfig.InvalidConfig.class, () -> ServiceConfig.load(f));
    assertTrue(e.getMessage().contains("'enclave'"), e.getMessage());
  }

  @Test
  void partialFileKeepsDefaultsForTheRest(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "submitter:\n  maxBatch: 7\n");
    ServiceConfig c = ServiceConfig.load(f);
    assertEquals(7, c.submitter().maxBatch());
    assertEquals(150, c.submitter().maxDelayMs());
    assertEquals("simulation", c.mode());
  }
}
