package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.contract.GasToken;
import io.neow3j.crypto.ECKeyPair;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.HighPriorityAttribute;
import io.neow3j.transaction.Signer;
import io.neow3j.transaction.Transaction;
import io.neow3j.transaction.TransactionAttribute;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.nsl.ProjectRoot;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Transactions built by neow3j the way the service's {@code POST /v1/chain/prepare} builds them
 * ({@code ChainActionsBackend}: {@link ConsumerCalls#requestScript}, the gateway's {@code
 * contractCall}, one CalledByEntry signer), and hostile variants of them, for the page's decoder
 * ({@code clients/js/src/neo-tx.js}). The committed file {@code vectors/neo-tx-v1.json} must equal
 * what neow3j builds now (so the JavaScript test decodes real neow3j bytes); when node is on PATH
 * the JavaScript decoder is run on the file from here too. Regenerate after a deliberate change
 * with {@code -Dnsl.writeTxVectors=true}.
 */
class JsTxDecoderVectorsTest {
  static final HexFormat HEX = HexFormat.of();
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String FILE = "plugin/src/test/resources/vectors/neo-tx-v1.json";

  static final ECKeyPair KEY =
      ECKeyPair.create(
          new BigInteger("4c0b2f2d8a5f34e1e3a9e5f3b1e0d7c6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0", 16));
  static final Hash160 SENDER = Hash160.fromPublicKey(KEY.getPublicKey().getEncoded(true));
  static final Hash160 OTHER = new Hash160("0x1111111111111111111111111111111111111111");
  static final Hash160 GATEWAY = new Hash160("0x5ab6b2f8c0d3e4a1b2c3d4e5f60718293a4b5c6d");
  static final Hash160 CONSUMER = new Hash160("0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
  static final long SYSTEM_FEE = 1_234_567;
  static final long NETWORK_FEE = 123_450;
  static final long VALID_UNTIL = 5_760;
  static final long NONCE = 305_419_896;
  static final String MAX_FEE = "1000000000"; // 10 GAS, the page's cap for these vectors

  @Test
  void theCommittedVectorsAreWhatNeow3jBuildsNow() throws IOException {
    String fresh = JSON.writeValueAsString(vectors()) + "\n";
    Path file = ProjectRoot.find().resolve(FILE);
    if (Boolean.getBoolean("nsl.writeTxVectors")) {
      Files.writeString(file, fresh);
    }
    assertEquals(
        fresh,
        Files.readString(file),
        FILE
            + " differs from what neow3j builds now; after a deliberate change regenerate it"
            + " with -Dnsl.writeTxVectors=true and check the JavaScript test still passes");
  }

  @Test
  void theJavaScriptDecoderAcceptsTheServiceCallsAndRefusesTheHostileOnes() throws Exception {
    assumeTrue(nodeAvailable(), "node (20+) is not on PATH; npm test in clients/js runs it");
    Path root = ProjectRoot.find();
    Process p =
        new ProcessBuilder(
                "node", "--test", root.resolve("clients/js/test/neo-tx.test.js").toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
  }

  static ObjectNode vectors() {
    ObjectNode root = JSON.createObjectNode();
    root.put(
        "about",
        "Made by io.nsl.chain.JsTxDecoderVectorsTest with neow3j; decoded by"
            + " clients/js/test/neo-tx.test.js. Hashes are 0x + big-endian hex; fees in GAS"
            + " fractions.");
    root.put("sender", "0x" + SENDER);
    root.put("senderPublicKey", HEX.formatHex(KEY.getPublicKey().getEncoded(true)));
    root.put("gateway", "0x" + GATEWAY);
    root.put("consumer", "0x" + CONSUMER);
    root.put("maxFee", MAX_FEE);
    ArrayNode list = root.putArray("vectors");
    byte[] sha = sha256("function main(input) { return input; }".getBytes(StandardCharsets.UTF_8));
    ContractParameter id = ContractParameter.string("echo");
    byte[] register =
        call(
            GATEWAY,
            "registerFunction",
            id,
            ContractParameter.byteArray(sha),
            ContractParameter.hash160(SENDER));
    ObjectNode registerExpect = expect(GATEWAY, "registerFunction");
    args(registerExpect).addObject().put("string", "echo");
    args(registerExpect).addObject().put("hex", HEX.formatHex(sha));
    args(registerExpect).addObject().put("hash160", "0x" + SENDER);
    add(list, "register", tx(register, signer()), registerExpect, null);

    ObjectNode updateExpect = expect(GATEWAY, "updateFunction");
    args(updateExpect).addObject().put("string", "echo");
    args(updateExpect).addObject().put("hex", HEX.formatHex(sha));
    add(
        list,
        "update",
        tx(call(GATEWAY, "updateFunction", id, ContractParameter.byteArray(sha)), signer()),
        updateExpect,
        null);

    byte[] request = ConsumerCalls.requestScript(CONSUMER, "echo", "{\"value\":42}", 1_000_000);
    ObjectNode requestExpect = expect(CONSUMER, "request");
    args(requestExpect).addObject().put("string", "echo");
    args(requestExpect).addObject().put("string", "{\"value\":42}");
    args(requestExpect).addObject().put("integer", "1000000");
    args(requestExpect).addObject().put("integer", Long.toString(ConsumerCalls.GAS_FOR_RESPONSE));
    add(list, "request", tx(request, signer()), requestExpect, null);

    for (boolean enable : new boolean[] {true, false}) {
      ObjectNode e = expect(GATEWAY, "setFunctionEnabled");
      args(e).addObject().put("string", "echo");
      args(e).addObject().put("boolean", enable);
      add(
          list,
          enable ? "enable" : "disable",
          tx(call(GATEWAY, "setFunctionEnabled", id, ContractParameter.bool(enable)), signer()),
          e,
          null);
    }

    // Hostile: each must be refused, for the reason named.
    add(
        list,
        "another contract: a GAS transfer instead of the gateway call",
        tx(gasTransfer(), signer()),
        registerExpect,
        "calls contract");
    add(
        list,
        "a GAS transfer appended after the asked call",
        tx(concat(register, gasTransfer()), signer()),
        registerExpect,
        "more than one call");
    add(
        list,
        "an extra signer",
        tx(register, List.of(AccountSigner.calledByEntry(SENDER), AccountSigner.none(OTHER))),
        registerExpect,
        "2 signers");
    add(
        list,
        "the only signer is another account",
        tx(register, List.of(AccountSigner.calledByEntry(OTHER))),
        registerExpect,
        "not your account");
    add(
        list,
        "Global scope instead of CalledByEntry",
        tx(register, List.of(AccountSigner.global(SENDER))),
        registerExpect,
        "scope GLOBAL");
    add(
        list,
        "another function id in the arguments",
        tx(
            call(
                GATEWAY,
                "registerFunction",
                ContractParameter.string("echo2"),
                ContractParameter.byteArray(sha),
                ContractParameter.hash160(SENDER)),
            signer()),
        registerExpect,
        "not registerFunction(");
    add(
        list,
        "another method on the right contract",
        tx(call(GATEWAY, "transferOwnership", ContractParameter.hash160(OTHER)), signer()),
        registerExpect,
        "method 'transferOwnership'");
    add(
        list,
        "an attribute",
        tx(register, signer(), List.of(new HighPriorityAttribute()), SYSTEM_FEE),
        registerExpect,
        "attributes (HighPriority)");
    add(
        list,
        "fees over the cap",
        tx(register, signer(), List.of(), 2_000_000_000L),
        registerExpect,
        "more than the cap");
    byte[] trailing = HEX.parseHex(tx(register, signer()));
    add(
        list,
        "trailing bytes after the script",
        HEX.formatHex(Arrays.copyOf(trailing, trailing.length + 1)),
        registerExpect,
        "follow the script");
    return root;
  }

  static byte[] call(Hash160 contract, String method, ContractParameter... params) {
    return new ScriptBuilder().contractCall(contract, method, List.of(params)).toArray();
  }

  static byte[] gasTransfer() {
    return call(
        GasToken.SCRIPT_HASH,
        "transfer",
        ContractParameter.hash160(SENDER),
        ContractParameter.hash160(OTHER),
        ContractParameter.integer(BigInteger.valueOf(5_000_000_000L)),
        ContractParameter.any(null));
  }

  static List<Signer> signer() {
    return List.of(AccountSigner.calledByEntry(SENDER));
  }

  static String tx(byte[] script, List<Signer> signers) {
    return tx(script, signers, List.of(), SYSTEM_FEE);
  }

  static String tx(
      byte[] script, List<Signer> signers, List<TransactionAttribute> attrs, long systemFee) {
    Transaction t =
        new Transaction(
            null,
            (byte) 0,
            NONCE,
            VALID_UNTIL,
            signers,
            systemFee,
            NETWORK_FEE,
            attrs,
            script,
            List.of());
    return HEX.formatHex(t.toArrayWithoutWitnesses());
  }

  static ObjectNode expect(Hash160 contract, String method) {
    ObjectNode e = JSON.createObjectNode();
    e.put("contract", "0x" + contract);
    e.put("method", method);
    e.putArray("args");
    return e;
  }

  static ArrayNode args(ObjectNode expect) {
    return (ArrayNode) expect.get("args");
  }

  static void add(ArrayNode list, String name, String txHex, ObjectNode expect, String refusal) {
    ObjectNode v = list.addObject();
    v.put("name", name);
    v.put("tx", txHex);
    v.put("hash", "0x" + HEX.formatHex(reverse(sha256(HEX.parseHex(txHex)))));
    v.set("expect", expect);
    if (refusal == null) {
      v.put("accept", true);
      v.put("systemFee", Long.toString(SYSTEM_FEE));
      v.put("networkFee", Long.toString(NETWORK_FEE));
      v.put("validUntilBlock", VALID_UNTIL);
      v.put("nonce", NONCE);
    } else {
      v.put("accept", false);
      v.put("refusal", refusal);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
