package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.api.ApiLimits;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> ConfigFiles.load(dir, "chain:\n  rpcUrll: http://x\n"));
    assertTrue(e.getMessage().contains("rpcUrll"), e.getMessage());
  }

  @Test
  void memoryBudgetsDefaultTo128MiBAndTheDefaultMustBeWithinTheLimit(@TempDir Path dir)
      throws IOException {
    ServiceConfig d = ServiceConfig.defaults();
    assertEquals(128L << 20, d.executor().memoryLimitBytes());
    assertEquals(128L << 20, d.executor().maxMemoryLimitBytes());
    // A larger default alone raises the limit with it.
    assertEquals(
        256L << 20,
        ConfigFiles.load(dir, "executor:\n  memoryLimitBytes: 268435456\n")
            .executor()
            .maxMemoryLimitBytes());
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () ->
                ConfigFiles.load(
                    dir,
                    "executor:\n  memoryLimitBytes: 268435456\n  maxMemoryLimitBytes: 134217728\n"));
    assertTrue(
        e.getMessage()
            .contains(
                "executor.memoryLimitBytes must be in 1..134217728"
                    + " (executor.maxMemoryLimitBytes), got 268435456"),
        e.getMessage());
    assertThrows(
        ServiceConfig.InvalidConfig.class,
        () -> ConfigFiles.load(dir, "executor:\n  maxMemoryLimitBytes: 0\n"));
  }

  @Test
  void refusesUnknownModeWithTheValue(@TempDir Path dir) throws IOException {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class, () -> ConfigFiles.load(dir, "mode: enclave\n"));
    assertTrue(e.getMessage().contains("'enclave'"), e.getMessage());
  }

  @Test
  void partialFileKeepsDefaultsForTheRest(@TempDir Path dir) throws IOException {
    ServiceConfig c = ConfigFiles.load(dir, "submitter:\n  maxBatch: 7\n");
    assertEquals(7, c.submitter().maxBatch());
    assertEquals(150, c.submitter().maxDelayMs());
    assertEquals("simulation", c.mode());
  }

  @Test
  void defaultApiOptionsAreTheApiDefaults() {
    assertEquals(ApiLimits.defaults(), ServiceConfig.defaults().api().limits());
    assertEquals(ApiLimits.defaults(), ServiceConfig.load(defaultFile).api().limits());
  }

  @Test
  void apiLimitsInTheFileReachTheDeveloperApi(@TempDir Path dir) throws IOException {
    ApiLimits l =
        ConfigFiles.load(
                dir,
                """
        api:
          port: 0
          maxBodyBytes: 4096
          timestampWindowSeconds: 60
          callerPerSecond: 2.5
          addressBurst: 7
          requestTimeoutSeconds: 10
        """)
            .api()
            .limits();
    ApiLimits d = ApiLimits.defaults();
    assertEquals(4096, l.maxBodyBytes());
    assertEquals(Duration.ofSeconds(60), l.timestampWindow());
    assertEquals(2.5, l.callerPerSecond());
    assertEquals(7, l.addressBurst());
    assertEquals(Duration.ofSeconds(10), l.requestTimeout());
    assertEquals(d.nonceCacheEntries(), l.nonceCacheEntries());
    assertEquals(d.callerBurst(), l.callerBurst());
    assertEquals(d.addressPerSecond(), l.addressPerSecond());
    assertEquals(d.recentFailures(), l.recentFailures());
    assertEquals(d.maxRequestHeaders(), l.maxRequestHeaders());
  }

  @Test
  void refusesATooSmallBodyLimitNamingTheOptionAndValue(@TempDir Path dir) throws IOException {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> ConfigFiles.load(dir, "api:\n  maxBodyBytes: 10\n"));
    assertTrue(
        e.getMessage().contains("api.maxBodyBytes") && e.getMessage().contains("10"),
        e.getMessage());
  }

  @Test
  void refusesAZeroRateNamingTheOption(@TempDir Path dir) throws IOException {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> ConfigFiles.load(dir, "api:\n  callerPerSecond: 0\n"));
    assertTrue(e.getMessage().contains("api.callerPerSecond"), e.getMessage());
  }

  @Test
  void refusesAReplayWindowOfZeroNamingTheOption(@TempDir Path dir) throws IOException {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> ConfigFiles.load(dir, "api:\n  timestampWindowSeconds: 0\n"));
    assertTrue(e.getMessage().contains("api.timestampWindowSeconds"), e.getMessage());
  }

  @Test
  void fetchIsOffByDefault() {
    var p = ServiceConfig.defaults().fetch().policy();
    assertTrue(p.allowedHosts().isEmpty());
    assertFalse(p.allowHttp());
    assertFalse(p.allowPrivateAddresses());
  }

  @Test
  void fetchOptionsInTheFileBecomeThePolicyEveryFunctionGets(@TempDir Path dir) throws IOException {
    var p =
        ConfigFiles.load(
                dir,
                "fetch:\n  allowedHosts: [API.Example.com, 203.0.114.7]\n  maxCalls: 2\n"
                    + "  maxResponseBytes: 4096\n  timeoutMs: 1500\n")
            .fetch()
            .policy();
    assertEquals(java.util.Set.of("api.example.com", "203.0.114.7"), p.allowedHosts());
    assertEquals(2, p.maxCalls());
    assertEquals(4096, p.maxResponseBytes());
    assertEquals(65536, p.maxRequestBodyBytes());
    assertEquals(java.time.Duration.ofMillis(1500), p.timeout());
    assertFalse(p.allowHttp());
    assertFalse(p.allowPrivateAddresses());
  }

  @Test
  void refusesAHostWithASchemeOrWildcardNamingTheOption(@TempDir Path dir) throws IOException {
    for (String bad :
        new String[] {"https://api.example.com", "*.example.com", "api.example.com/v1"}) {
      var e =
          assertThrows(
              ServiceConfig.InvalidConfig.class,
              () -> ConfigFiles.load(dir, "fetch:\n  allowedHosts: ['" + bad + "']\n"));
      assertTrue(e.getMessage().contains("fetch.allowedHosts"), e.getMessage());
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void refusesFetchCapsOutOfRangeNamingTheOption(@TempDir Path dir) throws IOException {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> ConfigFiles.load(dir, "fetch:\n  timeoutMs: 0\n"));
    assertTrue(e.getMessage().contains("fetch.timeoutMs must be 1..60000, got 0"), e.getMessage());
  }
}
