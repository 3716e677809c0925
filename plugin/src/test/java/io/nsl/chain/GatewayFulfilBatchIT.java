package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import io.neow3j.transaction.Transaction;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.FulfilmentMessage.Entry;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.pipeline.ResultSigner;
import io.nsl.testing.LocalChain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java half of the one-signature batch against the real gateway on a real neo-go node: the
 * contract builds the same message bytes, the locally computed network fee is the node's, and a
 * batch signed by the enclave key is accepted while a batch whose signature covers other entries is
 * refused before it is sent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFulfilBatchIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  static DevnetDeployment deployment;
  static GatewayClient gateway;
  static NeoRpcClient rpc;
  static ResultSigner enclave;
  static Account operator;
  static long magic;
  static final int N = 3;

  @BeforeAll
  static void deploy() throws Exception {
    deployment =
        DevnetDeployment.deploy(chain.node(), ProjectRoot.find().resolve("contracts/build"));
    rpc = new NeoRpcClient(chain.node().rpcUrl());
    gateway = new GatewayClient(chain.chain(), rpc, deployment.gateway());
    ECKeyPair key = ECKeyPair.createEcKeyPair();
    enclave = m -> Sign.signMessage(m, key).getConcatenated();
    Account owner = chain.node().wallets().validator();
    Account developer = chain.node().wallets().developer();
    operator = chain.node().wallets().operator();
    gateway.registerEnclave(
        key.getPublicKey().getEncoded(true),
        "SIMULATED test".getBytes(StandardCharsets.UTF_8),
        GatewayClient.MODE_SIMULATED,
        owner);
    byte[] code =
        MessageDigest.getInstance("SHA-256")
            .digest("export function main(i) { return i; }".getBytes(StandardCharsets.UTF_8));
    gateway.registerFunction("f", code, developer);
    List<DevnetDeployment.Ask> asks = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      asks.add(new DevnetDeployment.Ask(deployment.consumer(), "f", "{\"i\":" + i + "}", 1000));
    }
    DevnetDeployment.requestMany(chain.chain(), developer, asks, true);
    magic = chain.chain().networkMagic();
  }

  /**
   * The fields the example consumer's requests commit to: its hash (VM order), then its callback
   * "onResult"; it sends no userData. The Request events carry the same bytes.
   */
  static byte[] consumerFields() {
    byte[] callback = "onResult".getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[21 + callback.length];
    System.arraycopy(deployment.consumer().toLittleEndianArray(), 0, f, 0, 20);
    f[20] = (byte) callback.length;
    System.arraycopy(callback, 0, f, 21, callback.length);
    return f;
  }

  static List<Entry> entries(long firstId, int n, String result) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new Entry(
              firstId + i,
              i % 2,
              (result + i).getBytes(StandardCharsets.UTF_8),
              100 + i,
              consumerFields()));
    }
    return out;
  }

  @Test
  @Order(0)
  void requestEventsCarryTheFieldsTheGatewayCommittedTo() {
    List<GatewayRequest> seen = new ArrayList<>();
    for (long b = 0; b < chain.chain().blockCount(); b++) {
      for (var n : rpc.blockNotifications(b, deployment.gateway().toString(), "Request")) {
        seen.add(GatewayClient.parseRequest(n, b));
      }
    }
    assertEquals(N, seen.size());
    for (GatewayRequest r : seen) {
      assertArrayEquals(consumerFields(), r.fields(), "request " + r.requestId());
    }
  }

  @Test
  @Order(1)
  void contractBuildsTheSameBatchMessage() {
    List<Entry> e = entries(1, N, "{\"r\":");
    List<Map<String, Object>> items = new ArrayList<>();
    for (Entry x : e) {
      items.add(
          Map.of(
              "type",
              "Array",
              "value",
              List.of(
                  Map.of("type", "Integer", "value", Long.toString(x.requestId())),
                  Map.of("type", "Integer", "value", Integer.toString(x.status())),
                  Map.of(
                      "type", "ByteArray", "value", Base64.getEncoder().encodeToString(x.result())),
                  Map.of("type", "Integer", "value", Long.toString(x.gasUsed())),
                  Map.of(
                      "type",
                      "ByteArray",
                      "value",
                      Base64.getEncoder().encodeToString(x.fields())))));
    }
    var r =
        rpc.call(
            "invokefunction",
            deployment.gateway().toString(),
            "getBatchFulfilmentMessage",
            List.of(Map.of("type", "Array", "value", items)));
    assertEquals("HALT", r.path("state").asText(), r.toString());
    byte[] onChain = NeoRpcClient.parseStack(r.path("stack").path(0)).asBytes();
    assertArrayEquals(FulfilmentMessage.encodeBatch(magic, gateway.scriptHashLE(), e), onChain);
  }

  @Test
  @Order(2)
  void batchWhoseSignatureCoversOtherEntriesIsRefusedBeforeSending() {
    List<Entry> signed = entries(1, N, "{\"r\":");
    List<Entry> sent = new ArrayList<>(signed);
    sent.set(
        1, new Entry(2, 0, "{\"r\":999}".getBytes(StandardCharsets.UTF_8), 101, consumerFields()));
    byte[] sig = enclave.signBatch(magic, gateway.scriptHashLE(), signed);
    long valid = chain.chain().blockCount() + 100;
    var e =
        assertThrows(
            ChainException.TransactionFaulted.class,
            () -> gateway.buildFulfilBatch(sent, sig, operator, valid));
    assertTrue(
        e.getMessage().contains("batch signature is not by an active enclave key"), e.getMessage());
  }

  @Test
  @Order(3)
  void locallyComputedNetworkFeeIsTheNodesAndTheBatchIsAccepted() {
    List<Entry> e = entries(1, N, "{\"r\":");
    byte[] sig = enclave.signBatch(magic, gateway.scriptHashLE(), e);
    long valid = chain.chain().blockCount() + 100;
    gateway.buildFulfilBatch(
        e.subList(0, 1),
        enclave.signBatch(magic, gateway.scriptHashLE(), e.subList(0, 1)),
        operator,
        valid); // calibrates against the node
    Transaction tx = gateway.buildFulfilBatch(e, sig, operator, valid); // computed locally
    long nodeFee =
        rpc.call("calculatenetworkfee", Base64.getEncoder().encodeToString(tx.toArray()))
            .path("networkfee")
            .asLong();
    assertEquals(nodeFee, tx.getNetworkFee());
    var log = chain.chain().sendAndWait(tx, "fulfil batch", Duration.ofSeconds(30));
    assertEquals(List.of(1L, 2L, 3L), GatewayClient.acceptedIds(log));
    assertEquals(GatewayClient.RequestState.FULFILLED, gateway.requestState(2));
  }

  @Test
  @Order(4)
  void nodeSaysUnknownTransactionWithACodeAndOtherErrorsStayErrors() {
    // The tracker reads "not included yet" from this code (NEP-23), never from any error.
    assertEquals(
        java.util.Optional.empty(), rpc.callOptional("getapplicationlog", "0x" + "00".repeat(32)));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ChainException.RpcError.class,
            () -> rpc.callOptional("getapplicationlog", "not-a-hash"));
    org.junit.jupiter.api.Assertions.assertFalse(e.unknownItem(), e.getMessage());
  }
}
