package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.crypto.ECKeyPair;
import io.neow3j.types.Hash160;
import io.nsl.ProjectRoot;
import io.nsl.secrets.SecretOp;
import io.nsl.secrets.internal.EnvelopeCodec;
import io.nsl.secrets.internal.EnvelopeCrypto;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shared WebCrypto module (clients/js/src/webcrypto.js, the console's signer) signs and
 * seals, checked by the Java side: CallerAuth accepts its requests, the enclave's envelope code
 * opens its envelopes, neow3j agrees on its WIFs and addresses. The committed vectors are
 * vectors/js-webcrypto-v1.json (made by clients/js/tools/java-vectors.mjs); when node is on PATH
 * the script also runs afresh, so a change on the JavaScript side is checked here too.
 */
class JsWebCryptoVectorsTest {
  static final HexFormat HEX = HexFormat.of();
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void javaAcceptsTheCommittedWebCryptoVectors() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/vectors/js-webcrypto-v1.json")) {
      checkAll(JSON.readTree(in));
    }
  }

  @Test
  void javaAcceptsWhatTheWebCryptoModuleProducesNow(@TempDir Path dir) throws Exception {
    assumeTrue(
        nodeAvailable(), "node (20+) is not on PATH; the committed vectors are checked anyway");
    Path out = dir.resolve("fresh.json");
    Path script = ProjectRoot.find().resolve("clients/js/tools/java-vectors.mjs");
    Process p =
        new ProcessBuilder("node", script.toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
    checkAll(JSON.readTree(Files.readString(out)));
  }

  @Test
  void aWebCryptoSignatureDoesNotCoverAnotherBodyPathOrKey() throws IOException {
    JsonNode v;
    try (InputStream in = getClass().getResourceAsStream("/vectors/js-webcrypto-v1.json")) {
      v = JSON.readTree(in);
    }
    JsonNode put = v.get("requests").get(1);
    assertEquals("PUT", put.get("method").asText());
    List<UnaryOperator<ApiRequest>> tampers =
        List.of(
            r -> withBody(r, (put.get("bodyUtf8").asText() + " ").getBytes(StandardCharsets.UTF_8)),
            r ->
                new ApiRequest(
                    r.method(),
                    "/v1/functions/other",
                    null,
                    r.headers(),
                    r.body(),
                    r.remoteAddress()),
            r ->
                new ApiRequest("POST", r.rawPath(), null, r.headers(), r.body(), r.remoteAddress()),
            r ->
                withHeader(
                    r, ApiAuth.HEADER_PUBLIC_KEY, v.get("enclaveSecretsPublicKey").asText()));
    for (UnaryOperator<ApiRequest> tamper : tampers) {
      ApiRequest bad = tamper.apply(request(put));
      ApiFailure f = assertThrows(ApiFailure.class, () -> authAt(put).authenticate(bad));
      assertEquals(ErrorStatus.AUTH_SIGNATURE_INVALID, f.status());
    }
  }

  static void checkAll(JsonNode v) {
    String owner = v.get("signer").get("scriptHash").asText();
    for (JsonNode r : v.get("requests")) {
      Caller caller = authAt(r).authenticate(request(r));
      assertEquals(owner, caller.owner(), r.get("pathAndQuery").asText());
      assertEquals(v.get("signer").get("publicKey").asText(), caller.publicKeyHex());
    }
    byte[] enclavePrivate = HEX.parseHex(v.get("enclaveSecretsPrivateKey").asText());
    byte[] enclavePublic = HEX.parseHex(v.get("enclaveSecretsPublicKey").asText());
    int envelopes = 0;
    for (JsonNode e : v.get("envelopes")) {
      checkEnvelope(e, enclavePrivate, enclavePublic, owner);
      envelopes++;
    }
    assertEquals(3, envelopes);
    for (JsonNode k : v.get("keys")) {
      ECKeyPair key =
          ECKeyPair.create(new BigInteger(1, HEX.parseHex(k.get("privateKey").asText())));
      assertEquals(k.get("wif").asText(), key.exportAsWIF());
      byte[] pub = key.getPublicKey().getEncoded(true);
      assertEquals(k.get("publicKey").asText(), HEX.formatHex(pub));
      Hash160 account = Hash160.fromPublicKey(pub);
      assertEquals(k.get("address").asText(), account.toAddress());
      assertEquals(k.get("scriptHash").asText(), "0x" + account);
    }
  }

  /** The enclave's checks, in its order (docs/secrets-envelope.md), then decryption. */
  static void checkEnvelope(JsonNode e, byte[] enclavePrivate, byte[] enclavePublic, String owner) {
    EnvelopeCodec.Parsed p = EnvelopeCodec.parse(HEX.parseHex(e.get("envelope").asText()), 1 << 16);
    String what = e.get("op").asText() + " " + e.get("name").asText();
    assertEquals(SecretOp.valueOf(e.get("op").asText()), p.op(), what);
    assertArrayEquals(enclavePublic, p.enclaveKey(), what);
    assertEquals(e.get("name").asText(), new String(p.nameBytes(), StandardCharsets.US_ASCII));
    assertEquals(e.get("sequence").asLong(), p.sequence());
    assertTrue(EnvelopeCrypto.verify(p.ownerKey(), p.signed(), p.signature()), what);
    assertArrayEquals(EnvelopeCrypto.scriptHashLE(p.ownerKey()), p.owner().scriptHashLE(), what);
    assertEquals(owner, p.owner().toString());
    byte[] shared = EnvelopeCrypto.agree(enclavePrivate, p.ephemeralKey());
    byte[] aesKey = EnvelopeCrypto.deriveAesKey(shared, p.ephemeralKey(), enclavePublic);
    byte[] plain = EnvelopeCrypto.aesGcmDecrypt(aesKey, p.nonce(), p.aad(), p.ciphertext());
    assertEquals(e.get("valueUtf8").asText(), new String(plain, StandardCharsets.UTF_8), what);
  }

  static CallerAuth authAt(JsonNode r) {
    long ts = Long.parseLong(r.get("headers").get(ApiAuth.HEADER_TIMESTAMP).asText());
    return new CallerAuth(
        ApiLimits.defaults(), Clock.fixed(Instant.ofEpochMilli(ts), ZoneOffset.UTC));
  }

  static ApiRequest request(JsonNode r) {
    String target = r.get("pathAndQuery").asText();
    int q = target.indexOf('?');
    Map<String, List<String>> headers = new HashMap<>();
    r.get("headers")
        .properties()
        .forEach(
            h ->
                headers.put(
                    h.getKey().toLowerCase(java.util.Locale.ROOT), List.of(h.getValue().asText())));
    return new ApiRequest(
        r.get("method").asText(),
        q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1),
        headers,
        r.get("bodyUtf8").asText().getBytes(StandardCharsets.UTF_8),
        "127.0.0.1");
  }

  static ApiRequest withBody(ApiRequest r, byte[] body) {
    return new ApiRequest(
        r.method(), r.rawPath(), r.rawQuery(), r.headers(), body, r.remoteAddress());
  }

  static ApiRequest withHeader(ApiRequest r, String name, String value) {
    Map<String, List<String>> headers = new HashMap<>(r.headers());
    headers.put(name.toLowerCase(java.util.Locale.ROOT), List.of(value));
    return new ApiRequest(
        r.method(), r.rawPath(), r.rawQuery(), headers, r.body(), r.remoteAddress());
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
