package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.neow3j.crypto.ECKeyPair;
import io.neow3j.types.Hash160;
import io.nsl.ProjectRoot;
import io.nsl.chain.ChainException;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.testing.LocalChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * Every {@code ./nsl gateway} command against a gateway the CLI itself deploys to a fresh neo-go
 * chain: the owner (the devnet validator's wallet) and a non-owner (the developer's wallet), whose
 * owner-only commands are refused before anything is sent. A loopback stand-in for the service's
 * /v1/enclave gives register-enclave a SIMULATED key to register.
 */
class GatewayAdminIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  static final Path DEVNET = ProjectRoot.find().resolve("config/devnet");
  static final String OWNER = DEVNET.resolve("consensus.wallet.json").toString();
  static final String DEVELOPER = DEVNET.resolve("developer.wallet.json").toString();

  static Hash160 gateway;
  static HttpServer service;
  static byte[] serviceKey;
  static GatewayReads reads;

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return Output.JSON.readTree(out);
    }

    String all() {
      return out + err;
    }
  }

  static Run nsl(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code gateway <args>} with --rpc, --gateway, --wallet and --json. */
  static Run gw(String wallet, String... args) {
    List<String> all = new ArrayList<>(List.of("gateway"));
    all.addAll(List.of(args));
    all.addAll(List.of("--rpc", chain.node().rpcUrl(), "--json", "--wallet", wallet));
    if (gateway != null) {
      all.addAll(List.of("--gateway", "0x" + gateway));
    }
    Run r = nsl(all.toArray(String[]::new));
    // The system fee of each sending command, for the record (docs/operator.md quotes none).
    if (r.exit() == 0 && r.out().contains("\"gasConsumed\"")) {
      System.out.println("GAS gateway " + args[0] + ": " + r.out().strip());
    }
    return r;
  }

  @BeforeAll
  static void deployWithTheCli() throws Exception {
    var w = chain.node().wallets();
    chain.node().fundGas(w.validator().getScriptHash(), DevnetDeployment.FUNDING);
    chain.node().fundGas(w.developer().getScriptHash(), DevnetDeployment.FUNDING);
    Run r = gw(OWNER, "deploy", "--allow-simulated");
    assertEquals(0, r.exit(), r.all());
    JsonNode d = r.json();
    gateway = new Hash160(d.path("gateway").asText().substring(2));
    assertEquals("0x" + w.validator().getScriptHash(), d.path("owner").asText());
    assertTrue(d.path("startBlock").asLong() >= 0);
    reads = new GatewayReads(new NeoRpcClient(chain.node().rpcUrl()), gateway);

    serviceKey = ECKeyPair.createEcKeyPair().getPublicKey().getEncoded(true);
    ObjectNode doc = Output.JSON.createObjectNode();
    doc.put("mode", "SIMULATED");
    doc.put("simulated", true);
    doc.put("signingPublicKey", HexFormat.of().formatHex(serviceKey));
    doc.put(
        "secretsPublicKey",
        HexFormat.of().formatHex(ECKeyPair.createEcKeyPair().getPublicKey().getEncoded(true)));
    doc.put("gatewayScriptHash", "0x" + gateway);
    doc.putObject("evidence").put("mode", "SIMULATED");
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

  private static void assertRefusedAsNotOwner(Run r) throws Exception {
    assertEquals(1, r.exit(), r.all());
    assertEquals("NOT_GATEWAY_OWNER", r.json().path("error").path("code").asText(), r.all());
    assertTrue(r.json().path("error").path("message").asText().contains("nothing was sent"));
  }

  @Test
  void infoReadsTheSettingsOfTheDeployedGateway() throws Exception {
    Run r = gw(DEVELOPER, "info");
    assertEquals(0, r.exit(), r.all());
    JsonNode i = r.json();
    assertEquals("0x" + gateway, i.path("gateway").asText());
    assertEquals(chain.node().wallets().validator().getAddress(), i.path("ownerAddress").asText());
    assertTrue(i.path("allowsSimulated").asBoolean());
    assertTrue(i.path("fees").has("requestFee"), i.toString());
    assertTrue(i.path("measurements").isArray());
    assertTrue(i.has("clusterKey"));
    assertTrue(i.has("paused"));
    // The text form names the same things.
    Run text = nsl("gateway", "info", "--rpc", chain.node().rpcUrl(), "--gateway", "0x" + gateway);
    assertEquals(0, text.exit(), text.all());
    assertTrue(text.out().contains("owner            " + i.path("ownerAddress").asText()));
    assertTrue(text.out().contains("simulation       allowed"), text.out());
  }

  @Test
  void deployingTheSameCodeFromTheSameAccountAgainIsRefused() throws Exception {
    List<String> args =
        List.of("gateway", "deploy", "--rpc", chain.node().rpcUrl(), "--json", "--wallet", OWNER);
    Run r = nsl(args.toArray(String[]::new));
    assertEquals(1, r.exit(), r.all());
    assertEquals("GATEWAY_EXISTS", r.json().path("error").path("code").asText());
    assertTrue(r.json().path("error").path("message").asText().contains("0x" + gateway));
  }

  @Test
  void registersTheServicesKeyThenRevokesIt() throws Exception {
    String api = "http://127.0.0.1:" + service.getAddress().getPort();
    Run stranger = gw(DEVELOPER, "register-enclave", "--api", api);
    assertRefusedAsNotOwner(stranger);

    Run reg = gw(OWNER, "register-enclave", "--api", api);
    assertEquals(0, reg.exit(), reg.all());
    String keyHex = HexFormat.of().formatHex(serviceKey);
    JsonNode keys = gw(DEVELOPER, "info").json().path("activeEnclaves");
    assertEquals(keyHex, keys.path(0).path("publicKey").asText(), keys.toString());

    assertRefusedAsNotOwner(gw(DEVELOPER, "revoke-enclave", keyHex));
    Run rev = gw(OWNER, "revoke-enclave", keyHex);
    assertEquals(0, rev.exit(), rev.all());
    assertTrue(rev.json().path("revokedAt").asLong() > 0);
    assertEquals(0, gw(DEVELOPER, "info").json().path("activeEnclaves").size());

    Run again = gw(OWNER, "revoke-enclave", keyHex);
    assertEquals(1, again.exit(), again.all());
    assertTrue(again.out().contains("already revoked"), again.all());
    Run bad = gw(OWNER, "revoke-enclave", keyHex.substring(2));
    assertEquals(1, bad.exit(), bad.all());
    assertEquals("INVALID_HEX", bad.json().path("error").path("code").asText());
  }

  @Test
  void ownerSetsFeesAnyoneReadsThemAndANonOwnerIsRefused() throws Exception {
    GatewayReads.Fees before = reads.fees();
    assertRefusedAsNotOwner(gw(DEVELOPER, "fees", "--request-fee", "0"));
    assertEquals(before, reads.fees());

    String developer = chain.node().wallets().developer().getAddress();
    Run set =
        gw(
            OWNER,
            "fees",
            "--request-fee",
            "0.07",
            "--expiry-blocks",
            "300",
            "--fee-recipient",
            developer);
    assertEquals(0, set.exit(), set.all());
    assertTrue(set.err().contains("--fee-recipient: read Neo N3 address"), set.err());
    Run read = gw(DEVELOPER, "fees");
    assertEquals(0, read.exit(), read.all());
    JsonNode f = read.json();
    assertEquals(7_000_000, f.path("requestFee").asLong());
    assertEquals(300, f.path("expiryBlocks").asLong());
    assertEquals(before.minGasForResponse(), f.path("minGasForResponse").asLong());
    assertEquals(before.maxJsGasLimit(), f.path("maxJsGasLimit").asLong());
    assertEquals(developer, f.path("feeRecipientAddress").asText());

    Run zero = gw(OWNER, "fees", "--expiry-blocks", "0");
    assertEquals(1, zero.exit(), zero.all());
    assertTrue(zero.out().contains("--expiry-blocks must be more than 0"), zero.all());
    Run bad = gw(OWNER, "fees", "--request-fee", "1e3");
    assertEquals("INVALID_AMOUNT", bad.json().path("error").path("code").asText());
    // Back to what the other tests expect.
    assertEquals(
        0,
        gw(
                OWNER,
                "fees",
                "--request-fee",
                GatewayReads.gas(before.requestFee()),
                "--expiry-blocks",
                String.valueOf(before.expiryBlocks()))
            .exit());
  }

  @Test
  void pauseRefusesARequestUntilUnpause() throws Exception {
    Path build = ProjectRoot.find().resolve("contracts/build");
    Hash160 consumer = DevnetDeployment.deployConsumer(chain.node(), build, gateway, "paused");
    var developer = chain.node().wallets().developer();
    new GatewayClient(chain.chain(), new NeoRpcClient(chain.node().rpcUrl()), gateway)
        .registerFunction("f", new byte[32], developer);

    assertRefusedAsNotOwner(gw(DEVELOPER, "pause"));
    Run pause = gw(OWNER, "pause");
    assertEquals(0, pause.exit(), pause.all());
    assertTrue(pause.json().path("paused").asBoolean());
    var refused =
        assertThrows(
            ChainException.TransactionFaulted.class,
            () ->
                DevnetDeployment.request(chain.chain(), consumer, developer, "f", "{}", 1_000_000));
    assertTrue(refused.getMessage().contains("gateway is paused"), refused.getMessage());

    assertRefusedAsNotOwner(gw(DEVELOPER, "unpause"));
    Run resume = gw(OWNER, "unpause");
    assertEquals(0, resume.exit(), resume.all());
    assertFalse(resume.json().path("paused").asBoolean());
    long id = DevnetDeployment.request(chain.chain(), consumer, developer, "f", "{}", 1_000_000);
    assertTrue(id > 0);
  }

  @Test
  void depositAndWithdrawMoveTheBalance() throws Exception {
    var developer = chain.node().wallets().developer();
    var owner = chain.node().wallets().validator();
    long start = reads.balanceOf(developer.getScriptHash());

    Run dep = gw(DEVELOPER, "deposit", "5");
    assertEquals(0, dep.exit(), dep.all());
    assertEquals(start + 5_0000_0000L, dep.json().path("balance").asLong());
    assertEquals(start + 5_0000_0000L, reads.balanceOf(developer.getScriptHash()));

    // A fresh account: the validator's own GAS also grows with every block's fees.
    var receiver = io.neow3j.wallet.Account.create();
    Run wd = gw(DEVELOPER, "withdraw", "2", "--to", receiver.getAddress());
    assertEquals(0, wd.exit(), wd.all());
    assertEquals(start + 3_0000_0000L, wd.json().path("balance").asLong());
    assertEquals(2_0000_0000L, reads.gasBalanceOf(receiver.getScriptHash()));

    Run tooMuch = gw(DEVELOPER, "withdraw", "1000000");
    assertEquals(1, tooMuch.exit(), tooMuch.all());
    assertEquals("INSUFFICIENT_GAS", tooMuch.json().path("error").path("code").asText());
    assertEquals(start + 3_0000_0000L, reads.balanceOf(developer.getScriptHash()));

    // A beneficiary given little-endian, as the VM writes it: the note says how it was read.
    String le = HexFormat.of().formatHex(owner.getScriptHash().toLittleEndianArray());
    long ownerBalance = reads.balanceOf(owner.getScriptHash());
    Run forOwner = gw(DEVELOPER, "deposit", "0.5", "--for", le);
    assertEquals(0, forOwner.exit(), forOwner.all());
    assertTrue(forOwner.err().contains("--for: read plain hex, read as little-endian"));
    assertEquals(ownerBalance + 5000_0000L, reads.balanceOf(owner.getScriptHash()));

    Run zero = gw(DEVELOPER, "deposit", "0");
    assertEquals("INVALID_AMOUNT", zero.json().path("error").path("code").asText());
  }

  @Test
  void allowsListsAndRevokesMeasurements() throws Exception {
    String mrEnclave = "aa".repeat(32);
    String mrSigner = "bb".repeat(32);
    assertRefusedAsNotOwner(gw(DEVELOPER, "allow-measurement", "--mrenclave", mrEnclave));

    Run a = gw(OWNER, "allow-measurement", "--mrenclave", mrEnclave);
    assertEquals(0, a.exit(), a.all());
    Run s =
        gw(OWNER, "allow-measurement", "--mrsigner", mrSigner, "--prod-id", "3", "--min-svn", "2");
    assertEquals(0, s.exit(), s.all());
    JsonNode list = gw(DEVELOPER, "measurements").json().path("measurements");
    assertEquals(2, list.size(), list.toString());
    assertTrue(list.toString().contains("\"mrEnclave\":\"" + mrEnclave + "\""), list.toString());
    assertTrue(list.toString().contains("\"isvProdId\":3,\"minIsvSvn\":2"), list.toString());
    assertEquals(2, gw(DEVELOPER, "info").json().path("measurements").size());

    assertRefusedAsNotOwner(gw(DEVELOPER, "revoke-measurement", "--mrenclave", mrEnclave));
    Run r = gw(OWNER, "revoke-measurement", "--mrenclave", mrEnclave);
    assertEquals(0, r.exit(), r.all());
    assertEquals(1, r.json().path("measurements").size());
    Run r2 = gw(OWNER, "revoke-measurement", "--mrsigner", mrSigner, "--prod-id", "3");
    assertEquals(0, r2.exit(), r2.all());
    assertEquals(0, gw(DEVELOPER, "measurements").json().path("measurements").size());

    Run absent = gw(OWNER, "revoke-measurement", "--mrenclave", mrEnclave);
    assertEquals(1, absent.exit(), absent.all());
    assertTrue(absent.out().contains("has no rule"), absent.all());
    Run both =
        gw(
            OWNER,
            "allow-measurement",
            "--mrenclave",
            mrEnclave,
            "--mrsigner",
            mrSigner,
            "--prod-id",
            "1",
            "--min-svn",
            "1");
    assertEquals(2, both.exit(), both.all());
    Run shortHex = gw(OWNER, "allow-measurement", "--mrenclave", "aa");
    assertEquals(1, shortHex.exit(), shortHex.all());
    assertEquals("INVALID_HEX", shortHex.json().path("error").path("code").asText());
    Run svn =
        gw(
            OWNER,
            "allow-measurement",
            "--mrsigner",
            mrSigner,
            "--prod-id",
            "70000",
            "--min-svn",
            "1");
    assertEquals(1, svn.exit(), svn.all());
    assertTrue(svn.out().contains("0..65535"), svn.all());
  }

  @Test
  void theGatewayMayBeNamedLittleEndianButNotByAddress() throws Exception {
    String le = HexFormat.of().formatHex(gateway.toLittleEndianArray());
    Run r =
        nsl("gateway", "measurements", "--rpc", chain.node().rpcUrl(), "--gateway", le, "--json");
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.err().contains("--gateway: read plain hex, read as little-endian"), r.err());
    assertEquals("0x" + gateway, r.json().path("gateway").asText());

    Run addr =
        nsl(
            "gateway",
            "measurements",
            "--rpc",
            chain.node().rpcUrl(),
            "--gateway",
            gateway.toAddress(),
            "--json");
    assertEquals(1, addr.exit(), addr.all());
    assertEquals("INVALID_HASH", addr.json().path("error").path("code").asText());
  }
}
