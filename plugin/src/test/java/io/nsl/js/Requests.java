package io.nsl.js;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Builds requests for tests. */
final class Requests {
  static final long GAS = 10_000_000;

  private Requests() {}

  static HostServices host(Map<String, String> secrets) {
    return new HostServices(
        new InMemoryFunctionStateStore(64 * 1024),
        new MapSecretsView(secrets),
        b -> java.util.Arrays.fill(b, (byte) 0x2a),
        FetchPolicy.denyAll());
  }

  static ExecutionRequest of(String code, String input) {
    return of(code, input, GAS, host(Map.of()));
  }

  static ExecutionRequest of(String code, String input, long gas, HostServices host) {
    return new ExecutionRequest(
        "fn-1",
        "NOwner",
        "req-1",
        code,
        input.getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        gas,
        Instant.parse("2026-01-01T00:00:00Z"),
        host);
  }

  static ExecutionRequest withSchema(String code, String input, String schema) {
    return new ExecutionRequest(
        "fn-1",
        "NOwner",
        "req-1",
        code,
        input.getBytes(StandardCharsets.UTF_8),
        Optional.of(schema),
        GAS,
        Instant.parse("2026-01-01T00:00:00Z"),
        host(Map.of()));
  }

  static ExecutionRequest withMemory(String code, long memoryLimitBytes) {
    return new ExecutionRequest(
        "fn-1",
        "NOwner",
        "req-1",
        code,
        "null".getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        GAS,
        Instant.parse("2026-01-01T00:00:00Z"),
        host(Map.of()),
        memoryLimitBytes);
  }

  static ExecutionRequest of(
      String code, String input, long gas, HostServices host, long memoryLimitBytes) {
    return new ExecutionRequest(
        "fn-1",
        "NOwner",
        "req-1",
        code,
        input.getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        gas,
        Instant.parse("2026-01-01T00:00:00Z"),
        host,
        memoryLimitBytes);
  }
}
