package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Math.random is xoshiro128** seeded from the request (docs/functions.md, "Deterministic answers"):
 * checked against a reference written here from the published algorithm, not against the prelude.
 */
class MathRandomTest {
  private static final String DRAW =
      "function main(){ const a = []; for (let i = 0; i < 8; i++) a.push(Math.random()); return a }";
  private static JavaScriptEngine engine;

  @BeforeAll
  static void start() {
    engine = JavaScriptEngine.start(EngineConfig.defaults());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static String draw(String requestId, Instant blockTime) {
    ExecutionResult r =
        engine.execute(
            new ExecutionRequest(
                "fn-1",
                "NOwner",
                requestId,
                DRAW,
                "null".getBytes(StandardCharsets.UTF_8),
                Optional.empty(),
                Requests.GAS,
                blockTime,
                Requests.host(Map.of())));
    assertEquals(ErrorKind.OK, r.status(), r.errorMessage());
    return r.resultJsonString();
  }

  /** The published xoshiro128** (Blackman and Vigna), 53 bits from two outputs. */
  private static String reference(String requestId, Instant blockTime) throws Exception {
    byte[] h =
        MessageDigest.getInstance("SHA-256")
            .digest(
                ("nsl:Math.random:v1\n" + requestId + "\n" + blockTime.toEpochMilli())
                    .getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.wrap(h);
    int[] s = {b.getInt(), b.getInt(), b.getInt(), b.getInt()};
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < 8; i++) {
      long hi = Integer.toUnsignedLong(next(s)) >>> 5;
      long lo = Integer.toUnsignedLong(next(s)) >>> 6;
      double d = (hi * 67108864.0 + lo) / 9007199254740992.0;
      out.append(i == 0 ? "" : ",").append(jsNumber(d));
    }
    return out.append("]").toString();
  }

  private static int next(int[] s) {
    int result = Integer.rotateLeft(s[1] * 5, 7) * 9;
    int t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Integer.rotateLeft(s[3], 11);
    return result;
  }

  // JS prints doubles in their shortest round-trip form, as Java's Double.toString does for these
  // values in [0.001, 1) (no exponent); 0 prints as 0.
  private static String jsNumber(double d) {
    return d == 0 ? "0" : Double.toString(d);
  }

  @Test
  void mathRandomIsXoshiro128StarStarSeededFromRequestIdAndBlockTime() throws Exception {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertEquals(reference("42", t), draw("42", t));
  }

  @Test
  void sameRequestDrawsTheSameSequence() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertEquals(draw("7", t), draw("7", t));
  }

  @Test
  void anotherRequestOrBlockTimeDrawsAnotherSequence() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertNotEquals(draw("7", t), draw("8", t));
    assertNotEquals(draw("7", t), draw("7", t.plusMillis(1)));
  }
}
