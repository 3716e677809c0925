package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nsl.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  static final long NOW = 1_700_000_000_000L;
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  private static String key(int i) {
    return String.format("02%064x", i);
  }

  private static ErrorStatus refusal(Runnable r) {
    return assertThrows(ApiFailure.class, r::run).status();
  }

  @Test
  void oneClientWithFreshKeysCannotFillTheCache() {
    // Before: one address signing with a fresh key per request filled all 100 entries, and then
    // every client got NONCE_CACHE_FULL.
    ReplayGuard g = new ReplayGuard(clock, Duration.ofMinutes(5), 100, 10);
    for (int i = 0; i < 10; i++) {
      g.check("203.0.113.7", key(i), NOW, "nonce-" + i + "-aaaaaaaaaa");
    }
    assertEquals(
        ErrorStatus.RATE_LIMITED,
        refusal(() -> g.check("203.0.113.7", key(99), NOW, "nonce-99-aaaaaaaaaa")));
    // Everyone else still gets in.
    g.check("198.51.100.1", key(100), NOW, "nonce-100-aaaaaaaaa");
  }

  @Test
  void aClientsShareFreesAsItsNoncesLeaveTheWindow() {
    ManualClock moving = new ManualClock(NOW);
    ReplayGuard g = new ReplayGuard(moving, Duration.ofSeconds(10), 100, 2);
    g.check("a", key(1), NOW, "n1-aaaaaaaaaaaaaa");
    g.check("a", key(2), NOW, "n2-aaaaaaaaaaaaaa");
    assertEquals(
        ErrorStatus.RATE_LIMITED, refusal(() -> g.check("a", key(3), NOW, "n3-aaaaaaaaaaaaaa")));
    moving.set(NOW + 10_001);
    g.check("a", key(3), moving.millis(), "n3-aaaaaaaaaaaaaa");
  }

  @Test
  void aReplayIsRefusedWhateverTheClient() {
    ReplayGuard g = new ReplayGuard(clock, Duration.ofMinutes(5), 100, 10);
    g.check("a", key(1), NOW, "same-nonce-aaaaaaa");
    assertEquals(
        ErrorStatus.AUTH_NONCE_REUSED,
        refusal(() -> g.check("b", key(1), NOW, "same-nonce-aaaaaaa")));
  }

  @Test
  void theWholeCacheStillHasACap() {
    ReplayGuard g = new ReplayGuard(clock, Duration.ofMinutes(5), 4, 2);
    g.check("a", key(1), NOW, "n1-aaaaaaaaaaaaaa");
    g.check("a", key(2), NOW, "n2-aaaaaaaaaaaaaa");
    g.check("b", key(3), NOW, "n3-aaaaaaaaaaaaaa");
    g.check("b", key(4), NOW, "n4-aaaaaaaaaaaaaa");
    assertEquals(
        ErrorStatus.NONCE_CACHE_FULL,
        refusal(() -> g.check("c", key(5), NOW, "n5-aaaaaaaaaaaaaa")));
  }
}
