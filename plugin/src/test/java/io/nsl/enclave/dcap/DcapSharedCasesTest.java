package io.nsl.enclave.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.ReportData;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared DCAP case table, testdata/dcap-cases.json, run against the Java verifier. The gateway
 * contract runs the same table (contracts/gateway/dcap_table_test.go,
 * TestContractAgreesWithTheSharedDcapTable): a case's {@code expect} is what both say, and {@code
 * java}, where present, is the one place the Java verifier says something else (it checks CRLs; the
 * chain does not) with the reason in {@code why}.
 */
class DcapSharedCasesTest {
  private static final JsonNode TABLE = load();
  private final DcapQuoteVerifier verifier = SgxVectors.verifier();

  private static JsonNode load() {
    try {
      return new ObjectMapper()
          .readTree(Files.readString(SgxVectors.repoRoot().resolve("testdata/dcap-cases.json")));
    } catch (IOException e) {
      throw new IllegalStateException("testdata/dcap-cases.json cannot be read", e);
    }
  }

  static Stream<JsonNode> cases() {
    List<JsonNode> all = new ArrayList<>();
    TABLE.path("cases").forEach(all::add);
    return all.stream();
  }

  private static Collateral collateralOf(String set) {
    return switch (set) {
      case "phala" -> SgxVectors.phalaCollateral();
      case "automata" -> SgxVectors.automataCollateral();
      case "mobilecoin" -> SgxVectors.mobilecoinCollateral();
      default -> throw new IllegalArgumentException("unknown vector set " + set);
    };
  }

  private static byte[] quoteOf(JsonNode c) {
    JsonNode vector = TABLE.path("vectors").path(c.path("vector").asText());
    String file = c.has("quote") ? c.path("quote").asText() : vector.path("quote").asText();
    byte[] q = file.endsWith(".hex") ? SgxVectors.hexFile(file) : SgxVectors.bytes(file);
    if (c.has("flip")) {
      q[c.path("flip").asInt()] ^= 0x01;
    } else if (c.has("truncate")) {
      q = Arrays.copyOf(q, c.path("truncate").asInt());
    } else if (c.has("append")) {
      q = Arrays.copyOf(q, q.length + c.path("append").asInt());
    }
    return q;
  }

  private static Instant atOf(JsonNode c) {
    String at =
        c.has("at")
            ? c.path("at").asText()
            : TABLE.path("vectors").path(c.path("vector").asText()).path("at").asText();
    return Instant.parse(at);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void javaVerifierAgreesWithTheSharedTable(JsonNode c) {
    QuoteVerification v =
        verifier.verify(quoteOf(c), collateralOf(c.path("vector").asText()), atOf(c));
    if (c.has("register")) {
      // The contract's registration policy: the MRENCLAVE allowed (or some other one), and
      // report_data binding fresh keys to a gateway.
      String allowed =
          "allowed".equals(c.path("register").asText()) ? v.mrEnclave() : "00".repeat(32);
      byte[] k1 = freshKey();
      byte[] k2 = freshKey();
      String binding =
          HexFormat.of()
              .formatHex(ReportData.compute(new GatewayIdentity(860833102L, new byte[20]), k1, k2));
      v =
          new AttestationPolicy(
                  false,
                  java.util.Set.of(allowed),
                  AttestationPolicy.DEFAULT_TCB_STATUSES,
                  true,
                  binding)
              .apply(v);
    }
    String want = c.has("java") ? c.path("java").asText() : c.path("expect").asText();
    if ("OK".equals(want)) {
      assertTrue(v.valid(), c.path("name").asText() + ": " + v.detail());
      assertEquals(c.path("tcbStatus").asText(), v.tcbStatus());
    } else {
      assertFalse(v.valid(), c.path("name").asText());
      assertEquals(want, v.reason().name(), c.path("name").asText() + ": " + v.detail());
    }
  }

  private static byte[] freshKey() {
    byte[] k = new byte[33];
    new SecureRandom().nextBytes(k);
    k[0] = 2;
    return k;
  }

  /** splitmix64, as dcap_table_test.go: the same seed picks the same mutations on both sides. */
  private static final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
      state = seed;
    }

    long next() {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  @Test
  void randomSingleByteMutationsNeverVerify() {
    JsonNode r = TABLE.path("random");
    int count = r.path("count").asInt();
    assertTrue(count >= 200, "the table must ask for at least 200 mutations");
    String set = r.path("vector").asText();
    JsonNode vector = TABLE.path("vectors").path(set);
    byte[] genuine = SgxVectors.bytes(vector.path("quote").asText());
    Instant at = Instant.parse(vector.path("at").asText());
    Collateral collateral = collateralOf(set);
    assertTrue(verifier.verify(genuine, collateral, at).valid(), "the unmutated quote must verify");
    SplitMix64 rng = new SplitMix64(r.path("seed").asLong());
    Map<String, Integer> reasons = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      byte[] q = genuine.clone();
      int off = (int) Long.remainderUnsigned(rng.next(), q.length);
      q[off] ^= (byte) (1 + Long.remainderUnsigned(rng.next(), 255));
      QuoteVerification v = verifier.verify(q, collateral, at);
      assertFalse(v.valid(), "mutation " + i + " at byte " + off + " verified");
      reasons.merge(v.reason().name(), 1, Integer::sum);
    }
    System.out.println(count + " mutations of " + set + " refused: " + reasons);
  }
}
