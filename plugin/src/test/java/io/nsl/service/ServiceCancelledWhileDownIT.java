package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.contract.SmartContract;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.types.ContractParameter;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient.RequestState;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.LocalStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: requests cancelled while the service was down were still executed and sent after it
 * came back, each a {@code FulfilmentRejected} paid by the operator. Real chain, real service: the
 * gateway's expiry is lowered to 2 blocks, the service stops, three requests are made, two are
 * cancelled once expired, the service starts again. Only the third is sent; the gateway rejects
 * nothing; the two are counted as dropped.
 */
class ServiceCancelledWhileDownIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path data;
  private LocalStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void requestsCancelledWhileTheServiceWasDownAreNotSent() throws Exception {
    Path root = ProjectRoot.find();
    stack = LocalStack.start(root, data, QUIET);
    stack.registerFunction(
        "echo", Files.readString(root.resolve("plugin/src/test/resources/functions/echo.js")));
    var owner = stack.node().wallets().validator();
    NeoRpcClient rpc = new NeoRpcClient(stack.node().rpcUrl());
    JsonNode fees =
        rpc.call("invokefunction", "0x" + stack.gateway(), "getFeeParameters")
            .path("stack")
            .path(0)
            .path("value");
    stack
        .service()
        .gateway()
        .invoke(
            owner,
            "lower the expiry to 2 blocks",
            "setFeeParameters",
            integer(fees.path(0)),
            integer(fees.path(1)),
            integer(fees.path(2)),
            integer(fees.path(3)),
            ContractParameter.integer(2));

    stack.stopService();
    List<LocalStack.RequestSent> sent = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      sent.add(stack.request("echo", "{\"n\":" + n + "}", 1_000_000));
    }
    long waitFor = sent.get(2).blockIndex() + 3;
    while (stack.node().chain().blockCount() - 1 < waitFor) {
      Thread.sleep(100);
    }
    var developer = stack.node().wallets().developer();
    for (int i = 0; i < 2; i++) {
      var b =
          new SmartContract(stack.deployment().consumer(), stack.node().chain().neow3j())
              .invokeFunction(
                  "cancel", ContractParameter.integer(BigInteger.valueOf(sent.get(i).requestId())))
              .signers(AccountSigner.calledByEntry(developer));
      stack.node().chain().sendAndWait(b, "cancel", Duration.ofSeconds(30), developer);
    }
    long restartedAt = stack.node().chain().blockCount() - 1;

    stack.startService(QUIET);
    var answer = stack.awaitAnswer(sent.get(2), Duration.ofSeconds(60));
    assertEquals(0, answer.status(), answer.result());
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (stack.service().queue().size() > 0 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertEquals(0, stack.service().queue().size(), "the cancelled ones left the queue");

    for (int i = 0; i < 2; i++) {
      assertEquals(
          RequestState.CANCELLED,
          stack.service().gateway().requestState(sent.get(i).requestId()),
          "request " + sent.get(i).requestId());
    }
    long height = stack.node().chain().blockCount() - 1;
    List<String> rejected = new ArrayList<>();
    for (long b = restartedAt; b <= height; b++) {
      for (var n : rpc.blockNotifications(b, stack.gateway().toString(), "FulfilmentRejected")) {
        rejected.add(n.containerHash());
      }
    }
    assertEquals(List.of(), rejected, "no GAS paid for a rejection");
    String metrics = stack.service().metrics().renderPrometheus();
    assertTrue(metrics.contains("nsl_requests_dropped_total{state=\"CANCELLED\"} 2"), metrics);
    assertEquals(1, stack.service().metrics().fulfilTransactions());
  }

  private static ContractParameter integer(JsonNode item) {
    return ContractParameter.integer(new BigInteger(item.path("value").asText()));
  }
}
