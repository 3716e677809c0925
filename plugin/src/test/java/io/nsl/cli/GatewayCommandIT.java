package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.neow3j.crypto.ECKeyPair;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.devnet.DevnetDeployment;
import io.nsl.enclave.dcap.SgxVectors;
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
 * {@code ./nsl gateway} against the real gateway on a real neo-go node: {@code info} tells an
 * owner-registered key from an attested one, and {@code register-enclave --attested} carries a real
 * SGX quote to the chain, where the gateway's own verifier answers (here: no collateral on chain
 * yet, so COLLATERAL_REQUIRED). The service's /v1/enclave is a loopback stand-in serving Phala's
 * recorded quote.
 */
class GatewayCommandIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  static DevnetDeployment deployment;
  static GatewayClient gateway;
  static byte[] ownerKey;
  static HttpServer service;

  @BeforeAll
  static void deploy() throws Exception {
    deployment =
        DevnetDeployment.deploy(chain.node(), ProjectRoot.find().resolve("contracts/build"));
    gateway =
        new GatewayClient(
            chain.chain(), new NeoRpcClient(chain.node().rpcUrl()), deployment.gateway());
    ownerKey = ECKeyPair.createEcKeyPair().getPublicKey().getEncoded(true);
    gateway.registerEnclave(
        ownerKey,
        "SIMULATED test".getBytes(StandardCharsets.UTF_8),
        GatewayClient.MODE_SIMULATED,
        chain.node().wallets().validator());

    ObjectNode doc = Output.JSON.createObjectNode();
    HexFormat hex = HexFormat.of();
    doc.put("mode", "SGX");
    doc.put("simulated", false);
    doc.put(
        "signingPublicKey",
        hex.formatHex(ECKeyPair.createEcKeyPair().getPublicKey().getEncoded(true)));
    doc.put(
        "secretsPublicKey",
        hex.formatHex(ECKeyPair.createEcKeyPair().getPublicKey().getEncoded(true)));
    doc.put("networkMagic", chain.chain().networkMagic());
    doc.put("gatewayScriptHash", "0x" + deployment.gateway());
    doc.put("evidenceFormat", "SGX_DCAP_QUOTE_V3");
    doc.put("evidenceEncoding", "hex");
    doc.put("evidence", hex.formatHex(SgxVectors.phalaQuote()));
    byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext(
        "/v1/enclave",
        x -> {
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    service.start();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.stop(0);
    }
  }

  private record Run(int exit, String out) {}

  private static Run nsl(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit = cli.execute(args);
    return new Run(exit, out.toString());
  }

  private static String[] common(String... more) {
    String[] base = {
      "--api",
      "http://127.0.0.1:" + service.getAddress().getPort(),
      "--rpc",
      chain.node().rpcUrl(),
      "--gateway",
      "0x" + deployment.gateway(),
      "--json"
    };
    String[] all = new String[more.length + base.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(base, 0, all, more.length, base.length);
    return all;
  }

  @Test
  void infoShowsTheOwnerRegisteredKeyAsAdmittedByTheOwner() throws Exception {
    Run r = nsl(common("gateway", "info"));
    assertEquals(0, r.exit(), r.out());
    JsonNode answer = Output.JSON.readTree(r.out().substring(r.out().indexOf('{')));
    JsonNode key = answer.path("activeEnclaves").path(0);
    assertEquals(HexFormat.of().formatHex(ownerKey), key.path("publicKey").asText(), r.out());
    assertEquals("owner", key.path("admission").asText());
    assertEquals("SIMULATED", key.path("mode").asText());
  }

  @Test
  void attestedRegistrationCarriesTheQuoteToTheGatewaysOwnVerifier() {
    Run r = nsl(common("gateway", "register-enclave", "--attested"));
    assertNotEquals(0, r.exit(), r.out());
    // The quote verified here and on chain up to the collateral, which nobody has set.
    assertTrue(r.out().contains("COLLATERAL_REQUIRED"), r.out());
  }

  @Test
  void attestedRegistrationWithStaleCollateralSendsNothing() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("collateral", ".json");
    try {
      java.nio.file.Files.writeString(file, SgxVectors.phalaCollateralJson());
      Run r =
          nsl(common("gateway", "register-enclave", "--attested", "--collateral", file.toString()));
      assertNotEquals(0, r.exit(), r.out());
      assertTrue(r.out().contains("QUOTE_REFUSED"), r.out());
      assertTrue(r.out().contains("nothing was sent"), r.out());
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
