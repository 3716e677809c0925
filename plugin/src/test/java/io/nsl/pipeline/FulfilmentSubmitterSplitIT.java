package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.GatewayClient.RequestState;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoFulfilmentChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.testing.LocalChain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose test invocation faults (one consumer's callback ABORTs, which NeoVM cannot catch)
 * is split in halves, each half signed anew by the enclave as its own batch, until the faulting
 * entry is alone and dropped; every other answer reaches the chain once. Real node, real gateway,
 * and a test-only hostile consumer compiled from contracts/gateway/testdata/hostile.
 */
class FulfilmentSubmitterSplitIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();
  @TempDir static Path tmp;

  static final int MODE_ABORT = 2;

  @Test
  void faultingEntryIsIsolatedByResignedHalvesAndTheRestAreFulfilled() throws Exception {
    Path root = ProjectRoot.find();
    var node = chain.node();
    DevnetDeployment d = DevnetDeployment.deploy(node, root.resolve("contracts/build"));
    NeoRpcClient rpc = new NeoRpcClient(node.rpcUrl());
    GatewayClient gateway = new GatewayClient(node.chain(), rpc, d.gateway());
    Account owner = node.wallets().validator();
    Account developer = node.wallets().developer();
    ECKeyPair key = ECKeyPair.createEcKeyPair();
    List<byte[]> signedMessages = new ArrayList<>();
    ResultSigner enclave =
        m -> {
          synchronized (signedMessages) {
            signedMessages.add(m);
          }
          return Sign.signMessage(m, key).getConcatenated();
        };
    gateway.registerEnclave(
        key.getPublicKey().getEncoded(true),
        "SIMULATED".getBytes(StandardCharsets.UTF_8),
        GatewayClient.MODE_SIMULATED,
        owner);
    byte[] codeHash =
        MessageDigest.getInstance("SHA-256").digest("x".getBytes(StandardCharsets.UTF_8));
    gateway.registerFunction("f", codeHash, developer);

    // The hostile consumer: its callback ABORTs.
    Path out = Files.createDirectories(tmp.resolve("hostile"));
    Process p =
        new ProcessBuilder(
                root.resolve(".tools/bin/neo-go").toString(),
                "contract",
                "compile",
                "-i",
                "gateway/testdata/hostile",
                "-c",
                "gateway/testdata/hostile/hostile.yml",
                "-o",
                out.resolve("hostile.nef").toString(),
                "-m",
                out.resolve("hostile.manifest.json").toString())
            .directory(root.resolve("contracts").toFile())
            .redirectErrorStream(true)
            .start();
    String compileLog = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), compileLog);
    Hash160 hostile =
        node.chain()
            .deploy(
                out.resolve("hostile.nef"),
                out.resolve("hostile.manifest.json"),
                ContractParameter.hash160(d.gateway()),
                developer);
    gateway.deposit(developer, hostile, 100_00000000L);
    call(node.chain(), hostile, developer, "setMode", ContractParameter.integer(MODE_ABORT));

    // Requests 1-4 and 6-7 from the example consumer, 5 from the hostile one.
    List<DevnetDeployment.Ask> asks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      asks.add(new DevnetDeployment.Ask(d.consumer(), "f", "{}", 1000));
    }
    DevnetDeployment.requestMany(node.chain(), developer, asks, true);
    call(
        node.chain(),
        hostile,
        developer,
        "request",
        ContractParameter.string("f"),
        ContractParameter.byteArray(new byte[] {'{', '}'}),
        ContractParameter.string("onResult"),
        ContractParameter.integer(BigInteger.valueOf(DevnetDeployment.GAS_FOR_RESPONSE)),
        ContractParameter.integer(1000));
    DevnetDeployment.requestMany(node.chain(), developer, asks.subList(0, 2), true);
    assertEquals(RequestState.PENDING, gateway.requestState(7));

    long magic = node.chain().networkMagic();
    PipelineMetrics metrics = new PipelineMetrics();
    RequestQueue queue =
        new RequestQueue(new InMemoryServiceStore(), 0, Clock.systemUTC(), metrics);
    FulfilmentSigner signer = new FulfilmentSigner(enclave, magic, gateway.scriptHashLE());
    FulfilmentSubmitter submitter =
        new FulfilmentSubmitter(
            queue,
            new NeoFulfilmentChain(node.chain(), rpc, gateway, node.wallets().operator()),
            signer,
            new BatchPolicy(50, Duration.ofMillis(100)),
            new ExpiryPolicy(100),
            metrics,
            Clock.systemUTC());
    // The requests as the service sees them: from the gateway's Request events, which carry the
    // fields the answers must hand back.
    long block = node.chain().blockCount() - 1;
    List<GatewayRequest> requests = new ArrayList<>();
    for (long b = 0; b <= block; b++) {
      for (var n : rpc.blockNotifications(b, d.gateway().toString(), "Request")) {
        requests.add(GatewayClient.parseRequest(n, block));
      }
    }
    assertEquals(7, requests.size());
    queue.commit(block, requests);
    for (long id = 1; id <= 7; id++) {
      byte[] result = ("{\"n\":" + id + "}").getBytes(StandardCharsets.UTF_8);
      QueuedRequest taken = queue.takeToRun(Duration.ZERO).orElseThrow();
      queue.executed(taken.id(), signer.sign(taken.id(), 0, result, 10, taken.request().fields()));
    }
    Thread sender = Thread.ofPlatform().start(submitter);
    Thread tracker = Thread.ofPlatform().start(submitter.tracker());
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (queue.size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    submitter.stop();
    sender.join();
    tracker.join();

    assertEquals(0, queue.size(), "every answer confirmed or dropped");
    for (long id = 1; id <= 7; id++) {
      assertEquals(
          id == 5 ? RequestState.PENDING : RequestState.FULFILLED,
          gateway.requestState(id),
          "request " + id);
    }
    assertTrue(
        metrics.renderPrometheus().contains("nsl_requests_failed_total{kind=\"FULFIL_FAULT\"} 1"),
        metrics.renderPrometheus());
    // 7 -> [1-3] + [4-7]; [4-7] -> [4,5] + [6,7]; [4,5] -> [4] + [5]. Every batch of more than
    // one is signed anew as a whole; a batch of one reuses the answer's own signature. The halves
    // got on chain, which only their own signature allows.
    List<Integer> batchSizes = new ArrayList<>();
    for (byte[] m : signedMessages) {
      // Each entry: head, a 7-byte result, 29 bytes of fields (requester, "onResult"), sha256.
      int entries =
          (m.length - FulfilmentMessage.PREFIX_LENGTH)
              / (FulfilmentMessage.ENTRY_HEAD_LENGTH + 7 + 29 + 32);
      if (entries > 1) {
        batchSizes.add(entries);
      }
    }
    assertEquals(List.of(7, 3, 4, 2, 2), batchSizes);
    assertEquals(3, metrics.fulfilTransactions(), "[1-3], [4], [6,7]");
    assertEquals(6, metrics.requestsFulfilled(), "confirmed from the gateway's own events");
  }

  static void call(
      io.nsl.chain.NeoChain c,
      Hash160 contract,
      Account signer,
      String method,
      ContractParameter... params) {
    var b =
        new io.neow3j.contract.SmartContract(contract, c.neow3j())
            .invokeFunction(method, params)
            .signers(io.neow3j.transaction.AccountSigner.calledByEntry(signer));
    c.sendAndWait(b, method, Duration.ofSeconds(30), signer);
  }
}
