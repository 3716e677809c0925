package io.nsl.pipeline;

import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import io.nsl.ProjectRoot;
import io.nsl.chain.FulfilmentChain;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoFulfilmentChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.LocalNeoNode;
import io.nsl.testing.LocalChain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The FulfilmentChain contract on {@link NeoFulfilmentChain}: a real neo-go node with the gateway
 * and the example consumer deployed, a simulated enclave key registered, requests made by the
 * developer wallet and read back from the gateway's Request events.
 */
class NeoFulfilmentChainIT extends FulfilmentChainContract {
  @RegisterExtension static final LocalChain localChain = new LocalChain();

  /** Deployed once for the class (the node lives as long as the class). */
  private static Deployed deployed;

  private record Deployed(
      LocalNeoNode node,
      DevnetDeployment d,
      NeoRpcClient rpc,
      GatewayClient gateway,
      NeoFulfilmentChain chain,
      FulfilmentSigner signer,
      long[] scannedTo) {}

  private static synchronized Deployed deployed() {
    if (deployed == null) {
      LocalNeoNode node = localChain.node();
      DevnetDeployment d =
          DevnetDeployment.deploy(node, ProjectRoot.find().resolve("contracts/build"));
      NeoRpcClient rpc = new NeoRpcClient(node.rpcUrl());
      GatewayClient gateway = new GatewayClient(node.chain(), rpc, d.gateway());
      ECKeyPair key;
      byte[] codeHash;
      try {
        key = ECKeyPair.createEcKeyPair();
        codeHash =
            MessageDigest.getInstance("SHA-256").digest("x".getBytes(StandardCharsets.UTF_8));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      gateway.registerEnclave(
          key.getPublicKey().getEncoded(true),
          "SIMULATED".getBytes(StandardCharsets.UTF_8),
          GatewayClient.MODE_SIMULATED,
          node.wallets().validator());
      gateway.registerFunction("f", codeHash, node.wallets().developer());
      ResultSigner enclave = m -> Sign.signMessage(m, key).getConcatenated();
      deployed =
          new Deployed(
              node,
              d,
              rpc,
              gateway,
              new NeoFulfilmentChain(node.chain(), rpc, gateway, node.wallets().operator()),
              new FulfilmentSigner(enclave, node.chain().networkMagic(), gateway.scriptHashLE()),
              new long[] {d.gatewayDeployBlock()});
    }
    return deployed;
  }

  @Override
  Fixture open() {
    Deployed x = deployed();
    return new Fixture() {
      @Override
      public FulfilmentChain chain() {
        return x.chain();
      }

      @Override
      public List<GatewayRequest> request(int n) {
        DevnetDeployment.requestMany(
            x.node().chain(),
            x.node().wallets().developer(),
            Collections.nCopies(n, new DevnetDeployment.Ask(x.d().consumer(), "f", "{}", 1000)),
            true);
        long last = x.node().chain().blockCount() - 1;
        List<GatewayRequest> out = new ArrayList<>();
        for (long b = x.scannedTo()[0]; b <= last; b++) {
          for (var e : x.rpc().blockNotifications(b, x.d().gateway().toString(), "Request")) {
            out.add(GatewayClient.parseRequest(e, b));
          }
        }
        x.scannedTo()[0] = last + 1;
        if (out.size() != n) {
          throw new AssertionError("expected " + n + " Request events, read " + out.size());
        }
        return out;
      }

      @Override
      public byte[] signBatch(List<FulfilmentMessage.Entry> entries) {
        return x.signer().signBatch(entries);
      }

      @Override
      public void nextBlock() {
        long start = x.chain().blockCount();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (x.chain().blockCount() <= start) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("no new block in 30 s after " + start);
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
          }
        }
      }

      @Override
      public void close() {}
    };
  }
}
