package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.neow3j.crypto.ECKeyPair;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.testing.LocalChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * Issue 18: {@code ./nsl status} said READY while the service's signing key was not registered on
 * the gateway, so every answer it sent would have been refused. The service here is a loopback
 * stand-in that says ready; the gateway is real, on a real neo-go node.
 */
class StatusCommandIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  static DevnetDeployment deployment;
  static HttpServer service;
  static byte[] signingKey;

  @BeforeAll
  static void start() throws Exception {
    deployment =
        DevnetDeployment.deploy(chain.node(), ProjectRoot.find().resolve("contracts/build"));
    signingKey = ECKeyPair.createEcKeyPair().getPublicKey().getEncoded(true);
    ObjectNode doc = Output.JSON.createObjectNode();
    doc.put("mode", "SIMULATED");
    doc.put("instanceId", "stand-in");
    doc.put("signingPublicKey", HexFormat.of().formatHex(signingKey));
    doc.put("secretsPublicKey", HexFormat.of().formatHex(signingKey));
    doc.put("gatewayScriptHash", "0x" + deployment.gateway());
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serve("/v1/enclave", doc.toString());
    serve("/ready", "{\"ready\":true,\"backlog\":0}");
    serve("/metrics", "nsl_chain_height 5\nnsl_lag_blocks 0\n");
    service.start();
  }

  private static void serve(String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    service.createContext(
        path,
        x -> {
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.stop(0);
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run status(String rpc, boolean json) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String api = "http://127.0.0.1:" + service.getAddress().getPort();
    int exit =
        json
            ? cli.execute("status", "--api", api, "--rpc", rpc, "--json")
            : cli.execute("status", "--api", api, "--rpc", rpc);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void isNotReadyUntilTheServicesKeyIsRegisteredOnTheGateway() throws Exception {
    Run before = status(chain.node().rpcUrl(), true);
    assertEquals(1, before.exit(), before.out() + before.err());
    JsonNode s = Output.JSON.readTree(before.out());
    assertFalse(s.path("ready").asBoolean(), s.toString());
    assertTrue(s.path("serviceReady").asBoolean(), s.toString());
    assertFalse(s.path("keyRegistered").asBoolean(), s.toString());
    assertTrue(s.path("reason").asText().contains("not registered"), s.toString());
    Run text = status(chain.node().rpcUrl(), false);
    assertTrue(text.out().startsWith("NOT READY: "), text.out());
    assertTrue(text.out().contains("nsl gateway register-enclave"), text.out());

    new GatewayClient(chain.chain(), new NeoRpcClient(chain.node().rpcUrl()), deployment.gateway())
        .registerEnclave(
            signingKey,
            "SIMULATED test".getBytes(StandardCharsets.UTF_8),
            GatewayClient.MODE_SIMULATED,
            chain.node().wallets().validator());

    Run after = status(chain.node().rpcUrl(), true);
    assertEquals(0, after.exit(), after.out() + after.err());
    JsonNode r = Output.JSON.readTree(after.out());
    assertTrue(r.path("ready").asBoolean(), r.toString());
    assertTrue(r.path("keyRegistered").asBoolean(), r.toString());
    assertTrue(status(chain.node().rpcUrl(), false).out().startsWith("READY"));
  }

  @Test
  void isNotReadyWhenTheRegistrationCannotBeChecked() throws Exception {
    Run r = status("http://127.0.0.1:1", true);
    assertEquals(1, r.exit(), r.out() + r.err());
    JsonNode s = Output.JSON.readTree(r.out());
    assertFalse(s.path("ready").asBoolean(), s.toString());
    assertTrue(s.path("keyRegistered").isNull(), s.toString());
    assertTrue(s.path("reason").asText().contains("--rpc"), s.toString());
  }
}
