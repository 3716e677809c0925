package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain section's node list ({@code rpcUrl}, {@code rpcUrls}) and watcher mode. */
class ChainConfigTest {
  @TempDir Path dir;

  private ServiceConfig.Chain load(String chainYaml) throws IOException {
    return ConfigFiles.load(dir, "chain:\n" + chainYaml).chain();
  }

  @Test
  void oneNodeByDefaultWithTheWatcherInAutoMode() throws IOException {
    var c = load("  gatewayHash: \"0x0101010101010101010101010101010101010101\"\n");
    assertEquals(List.of("http://127.0.0.1:20332"), c.rpcEndpoints());
    assertEquals("auto", c.watcher());
  }

  @Test
  void rpcUrlComesFirstThenTheListWithoutDuplicates() throws IOException {
    var c =
        load(
            "  rpcUrl: http://a:1\n  rpcUrls: [http://b:2, http://a:1, https://c:3]\n"
                + "  watcher: standard\n");
    assertEquals(List.of("http://a:1", "http://b:2", "https://c:3"), c.rpcEndpoints());
    assertEquals("standard", c.watcher());
  }

  @Test
  void withoutRpcUrlTheListsFirstEntryIsTheNode() throws IOException {
    var c = load("  rpcUrls: [http://b:2, https://c:3]\n");
    assertEquals("http://b:2", c.rpcUrl());
    assertEquals(List.of("http://b:2", "https://c:3"), c.rpcEndpoints());
  }

  @Test
  void refusesAnEntryThatIsNotAnHttpUrlNamingItsPlace() {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> load("  rpcUrls: [http://b:2, \"seed1.neo.org:10332\"]\n"));
    assertEquals(
        dir.resolve("nsl.yml")
            + ": chain.rpcUrls[1] must be an http:// or https:// URL with a host, got"
            + " 'seed1.neo.org:10332'",
        e.getMessage());
  }

  @Test
  void refusesAnUnknownWatcherModeNamingTheAllowedOnes() {
    var e = assertThrows(ServiceConfig.InvalidConfig.class, () -> load("  watcher: neo-cli\n"));
    assertEquals(
        dir.resolve("nsl.yml")
            + ": chain.watcher must be one of [auto, notifications, standard], got 'neo-cli'",
        e.getMessage());
  }
}
