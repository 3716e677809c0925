package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.ProjectRoot;
import io.nsl.service.NetworkProfile;
import io.nsl.service.ServiceConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./nsl run --network}: the configuration it builds from the profile, the operator's wallet
 * and gateway; and {@code ./nsl status}'s verdict (ready only with the key on the gateway).
 */
class RunAndStatusTest {
  private static final Path ROOT = ProjectRoot.find();
  private static final String GATEWAY = "0x" + "ab".repeat(20);

  @Test
  void runOnTestnetTakesTheProfileAndTheOperatorsWalletAndGateway() {
    NetworkProfile testnet = NetworkProfile.named(ROOT, "testnet");
    ServiceConfig cfg =
        RunCommand.effectiveConfig(
            ServiceConfig.defaults(), testnet, null, GATEWAY, "/srv/nsl/operator.json", 9L, ROOT);
    assertEquals(testnet.rpcUrls(), cfg.chain().rpcEndpoints());
    assertEquals(894710606L, cfg.chain().networkMagic());
    assertEquals(GATEWAY, cfg.chain().gatewayHash());
    assertEquals("/srv/nsl/operator.json", cfg.chain().operatorWallet());
    assertEquals(9L, cfg.chain().startBlock());
  }

  @Test
  void anRpcOptionPutsYourNodeFirstWithTheProfilesEndpointsToFailOverTo() {
    NetworkProfile testnet = NetworkProfile.named(ROOT, "testnet");
    ServiceConfig cfg =
        RunCommand.effectiveConfig(
            ServiceConfig.defaults(),
            testnet,
            "http://10.0.0.2:20332",
            GATEWAY,
            "/srv/nsl/operator.json",
            null,
            ROOT);
    java.util.List<String> expected = new java.util.ArrayList<>();
    expected.add("http://10.0.0.2:20332");
    expected.addAll(testnet.rpcUrls());
    assertEquals(expected, cfg.chain().rpcEndpoints());
    assertEquals(894710606L, cfg.chain().networkMagic());
  }

  @Test
  void runOnAPublicNetworkRefusesTheDevnetWalletAndAMissingGateway() {
    NetworkProfile testnet = NetworkProfile.named(ROOT, "testnet");
    var wallet =
        assertThrows(
            CliInputException.class,
            () ->
                RunCommand.effectiveConfig(
                    ServiceConfig.defaults(), testnet, null, GATEWAY, null, null, ROOT));
    assertTrue(wallet.getMessage().contains("--operator-wallet"), wallet.getMessage());
    var gateway =
        assertThrows(
            CliInputException.class,
            () ->
                RunCommand.effectiveConfig(
                    ServiceConfig.defaults(), testnet, null, null, "/srv/w.json", null, ROOT));
    assertTrue(gateway.getMessage().contains("--gateway"), gateway.getMessage());
  }

  @Test
  void runRefusesAnUnknownNetworkBeforeStartingAnything() throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("run", "--network", "moonnet", "--gateway", GATEWAY);
    assertEquals(1, exit, err.toString());
    assertTrue(err.toString().contains("INVALID_CONFIG"), err.toString());
    assertTrue(err.toString().contains("known: mainnet, testnet"), err.toString());
  }

  @Test
  void runRefusesASettingOutOfItsRangeBeforeStartingAnything(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("nsl.yml");
    Files.writeString(config, "submitter:\n  validForBlocks: 100000\n");
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("run", "--config", config.toString());
    assertEquals(1, exit, err.toString());
    assertTrue(err.toString().contains("INVALID_CONFIG"), err.toString());
    assertTrue(
        err.toString()
            .contains(
                "submitter.validForBlocks must be 1.."
                    + ServiceConfig.Submitter.MAX_VALID_FOR_BLOCKS),
        err.toString());
    assertTrue(err.toString().contains("got 100000"), err.toString());
  }

  private static JsonNode json(String s) throws Exception {
    return Output.JSON.readTree(s);
  }

  @Test
  void statusIsReadyOnlyWhenTheServiceIsAndItsKeyIsOnTheGateway() throws Exception {
    JsonNode ready = json("{\"ready\":true}");
    StatusCommand.Verdict ok =
        StatusCommand.Verdict.of(ready, new StatusCommand.KeyState.Registered());
    assertTrue(ok.ready());
    assertNull(ok.reason());

    StatusCommand.Verdict unregistered =
        StatusCommand.Verdict.of(ready, new StatusCommand.KeyState.NotRegistered("02ab", GATEWAY));
    assertFalse(unregistered.ready());
    assertTrue(unregistered.reason().contains("02ab is not registered on gateway " + GATEWAY));

    StatusCommand.Verdict unknown =
        StatusCommand.Verdict.of(ready, new StatusCommand.KeyState.Unknown("node down"));
    assertFalse(unknown.ready());
    assertTrue(unknown.reason().contains("node down"));

    StatusCommand.Verdict serviceSaysNo =
        StatusCommand.Verdict.of(
            json("{\"ready\":false,\"reason\":\"lag 9 blocks\"}"),
            new StatusCommand.KeyState.Registered());
    assertFalse(serviceSaysNo.ready());
    assertEquals("lag 9 blocks", serviceSaysNo.reason());
  }
}
