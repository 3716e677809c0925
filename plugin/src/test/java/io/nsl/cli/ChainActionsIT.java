package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.crypto.ECKeyPair;
import io.nsl.ProjectRoot;
import io.nsl.devnet.LocalStack;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/chain/prepare}, {@code /send} and {@code /tx/{hash}} against a real neo-go chain and
 * service: the page's path (prepare, sign the sign data as WebCrypto does, send, follow) registers
 * a function and sends a request whose answer lands; a signature by another key, a transaction
 * changed after prepare and a public key that is not the caller's are refused before the node.
 */
class ChainActionsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CODE =
      "function main(input) { return { doubled: input.value * 2 }; }";

  @TempDir static Path data;
  static LocalStack stack;
  static ApiClient developer;
  static ECKeyPair developerKey;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(ProjectRoot.find(), data.resolve("service"), System.out);
    developerKey = stack.node().wallets().developer().getECKeyPair();
    developer =
        new ApiClient(
            "http://127.0.0.1:" + stack.service().apiPort(), developerKey, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** What the console's WebCrypto call does: ECDSA P-256 over SHA-256(data), r‖s (IEEE P1363). */
  static byte[] signLikeWebCrypto(ECKeyPair key, byte[] data) throws Exception {
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    PrivateKey priv =
        KeyFactory.getInstance("EC")
            .generatePrivate(
                new ECPrivateKeySpec(
                    key.getPrivateKey().getInt(), p.getParameterSpec(ECParameterSpec.class)));
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(priv);
    s.update(data);
    return s.sign();
  }

  static JsonNode prepare(String action, ObjectNode args) {
    ObjectNode body = JSON.createObjectNode();
    body.put("action", action);
    body.set("args", args);
    return developer.signed("POST", "/v1/chain/prepare", body);
  }

  static ObjectNode sendBody(String txHex, byte[] signature, String publicKeyHex) {
    ObjectNode body = JSON.createObjectNode();
    body.put("tx", txHex);
    body.put("signature", HexFormat.of().formatHex(signature));
    body.put("publicKey", publicKeyHex);
    return body;
  }

  static String developerPublicKey() {
    return HexFormat.of().formatHex(developerKey.getPublicKey().getEncoded(true));
  }

  /** Follows GET /v1/chain/tx/{hash} until {@code done}, as the page polls it. */
  static JsonNode follow(String hash, java.util.function.Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + 90_000_000_000L;
    JsonNode s = developer.signed("GET", "/v1/chain/tx/" + hash, null);
    while (!done.test(s)) {
      assertTrue(System.nanoTime() < deadline, "transaction " + hash + " stuck at " + s);
      Thread.sleep(300);
      s = developer.signed("GET", "/v1/chain/tx/" + hash, null);
    }
    return s;
  }

  static String sendSigned(JsonNode prepared) throws Exception {
    byte[] sig =
        signLikeWebCrypto(
            developerKey, HexFormat.of().parseHex(prepared.path("signData").asText()));
    return developer
        .signed(
            "POST",
            "/v1/chain/send",
            sendBody(prepared.path("tx").asText(), sig, developerPublicKey()))
        .path("hash")
        .asText();
  }

  @Test
  void registersAFunctionAndSendsARequestWhoseAnswerLands() throws Exception {
    ObjectNode reg = JSON.createObjectNode();
    reg.put("functionId", "double-web");
    reg.put("code", CODE);
    JsonNode prepared = prepare("register", reg);
    assertEquals("registerFunction", prepared.path("summary").path("method").asText());
    assertEquals(72, prepared.path("signData").asText().length(), "magic u32 ‖ sha256");
    assertTrue(prepared.path("networkFee").asLong() > 0 && prepared.path("systemFee").asLong() > 0);
    String regHash = sendSigned(prepared);
    assertEquals(prepared.path("hash").asText(), regHash);
    JsonNode regState = follow(regHash, s -> !"PENDING".equals(s.path("state").asText()));
    assertEquals("IN_BLOCK", regState.path("state").asText(), regState.toString());
    assertTrue(regState.path("blocksWaited").asLong() >= 1, regState.toString());
    ObjectNode put = JSON.createObjectNode();
    put.put("code", CODE);
    developer.signed("PUT", "/v1/functions/double-web", put);

    ObjectNode ask = JSON.createObjectNode();
    ask.put("consumer", "0x" + stack.deployment().consumer());
    ask.put("functionId", "double-web");
    ask.put("input", "{\"value\": 21}");
    String reqHash = sendSigned(prepare("request", ask));
    JsonNode answered =
        follow(reqHash, s -> s.has("answer") || s.path("state").asText().equals("FAULTED"));
    assertEquals("IN_BLOCK", answered.path("state").asText(), answered.toString());
    assertTrue(answered.path("requestId").asLong() > 0, answered.toString());
    assertEquals("FULFILLED", answered.path("requestState").asText());
    assertEquals(0, answered.path("answer").path("status").asInt(), answered.toString());
    assertEquals(42, answered.path("answer").path("result").path("doubled").asInt());
    assertTrue(answered.path("answer").path("gasUsed").asLong() > 0, answered.toString());
    assertTrue(answered.path("answer").path("logs").isMissingNode(), "logs are the owner's only");
    assertTrue(answered.path("blocksWaited").asLong() >= 1, answered.toString());
  }

  @Test
  void refusesASignatureByAnotherKey() throws Exception {
    JsonNode prepared = hostileTx();
    ECKeyPair other = stack.node().wallets().operator().getECKeyPair();
    byte[] sig =
        signLikeWebCrypto(other, HexFormat.of().parseHex(prepared.path("signData").asText()));
    ApiCallException e =
        assertThrows(
            ApiCallException.class,
            () ->
                developer.signed(
                    "POST",
                    "/v1/chain/send",
                    sendBody(prepared.path("tx").asText(), sig, developerPublicKey())));
    assertEquals("CHAIN_SIGNATURE_INVALID", e.code());
    assertEquals(400, e.httpStatus());
  }

  @Test
  void refusesATransactionChangedAfterPrepare() throws Exception {
    JsonNode prepared = hostileTx();
    byte[] sig =
        signLikeWebCrypto(
            developerKey, HexFormat.of().parseHex(prepared.path("signData").asText()));
    byte[] tx = HexFormat.of().parseHex(prepared.path("tx").asText());
    tx[tx.length - 1] ^= 0x01; // the script's last byte: another call than the one signed
    ApiCallException e =
        assertThrows(
            ApiCallException.class,
            () ->
                developer.signed(
                    "POST",
                    "/v1/chain/send",
                    sendBody(HexFormat.of().formatHex(tx), sig, developerPublicKey())));
    assertEquals("CHAIN_SIGNATURE_INVALID", e.code());
  }

  @Test
  void refusesAPublicKeyThatIsNotTheCallers() throws Exception {
    JsonNode prepared = hostileTx();
    ECKeyPair other = stack.node().wallets().operator().getECKeyPair();
    byte[] sig =
        signLikeWebCrypto(other, HexFormat.of().parseHex(prepared.path("signData").asText()));
    String otherKey = HexFormat.of().formatHex(other.getPublicKey().getEncoded(true));
    ApiCallException e =
        assertThrows(
            ApiCallException.class,
            () ->
                developer.signed(
                    "POST",
                    "/v1/chain/send",
                    sendBody(prepared.path("tx").asText(), sig, otherKey)));
    assertEquals("CHAIN_KEY_NOT_CALLER", e.code());
    assertEquals(403, e.httpStatus());
  }

  @Test
  void anAccountWithoutGasIsToldHowToFundIt() throws Exception {
    ECKeyPair poor = ECKeyPair.createEcKeyPair();
    ApiClient client =
        new ApiClient("http://127.0.0.1:" + stack.service().apiPort(), poor, Clock.systemUTC());
    ObjectNode body = JSON.createObjectNode();
    body.put("action", "register");
    ObjectNode reg = fn("poor-account-fn");
    reg.put("code", CODE);
    body.set("args", reg);
    JsonNode prepared = client.signed("POST", "/v1/chain/prepare", body);
    byte[] sig =
        signLikeWebCrypto(poor, HexFormat.of().parseHex(prepared.path("signData").asText()));
    String key = HexFormat.of().formatHex(poor.getPublicKey().getEncoded(true));
    ApiCallException e =
        assertThrows(
            ApiCallException.class,
            () ->
                client.signed(
                    "POST", "/v1/chain/send", sendBody(prepared.path("tx").asText(), sig, key)));
    assertEquals("CHAIN_TX_REFUSED", e.code(), e.getMessage());
    assertEquals(422, e.httpStatus());
    assertTrue(e.getMessage().contains("lacks the GAS"), e.getMessage());
  }

  @Test
  void namesAnUnknownActionAndBadArguments() {
    ApiCallException unknown =
        assertThrows(ApiCallException.class, () -> prepare("transfer", fn("x")));
    assertEquals("CHAIN_UNKNOWN_ACTION", unknown.code());
    ObjectNode noConsumer = fn("double-web");
    noConsumer.put("input", "{}");
    ApiCallException bad =
        assertThrows(ApiCallException.class, () -> prepare("request", noConsumer));
    assertEquals("CHAIN_BAD_ARGS", bad.code());
    assertTrue(bad.getMessage().contains("'consumer' is required"), bad.getMessage());
    ApiCallException notRegistered =
        assertThrows(ApiCallException.class, () -> prepare("enable", fn("not-registered-id")));
    assertEquals("FUNCTION_NOT_REGISTERED", notRegistered.code());
    ApiCallException unknownTx =
        assertThrows(
            ApiCallException.class,
            () -> developer.signed("GET", "/v1/chain/tx/0x" + "ab".repeat(32), null));
    assertEquals("CHAIN_TX_NOT_FOUND", unknownTx.code());
  }

  private static ObjectNode fn(String id) {
    ObjectNode o = JSON.createObjectNode();
    o.put("functionId", id);
    return o;
  }

  /** A transaction to sign for the hostile cases (its test run passes; none is ever relayed). */
  private static JsonNode hostileTx() {
    ObjectNode reg = fn("hostile-case");
    reg.put("code", CODE);
    JsonNode p = prepare("register", reg);
    assertNotEquals("", p.path("tx").asText());
    return p;
  }
}
