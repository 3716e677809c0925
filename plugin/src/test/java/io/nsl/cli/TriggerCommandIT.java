package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.testing.LocalChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code ./nsl trigger} against the real gateway on a real neo-go node, with the devnet developer's
 * wallet (the function's owner): create, list, show, pause, resume, cancel with its refund, and a
 * create the CLI refuses before anything is sent.
 */
class TriggerCommandIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  static DevnetDeployment deployment;
  static GatewayClient gateway;
  static Account developer;

  @BeforeAll
  static void deploy() {
    deployment =
        DevnetDeployment.deploy(chain.node(), ProjectRoot.find().resolve("contracts/build"));
    gateway =
        new GatewayClient(
            chain.chain(), new NeoRpcClient(chain.node().rpcUrl()), deployment.gateway());
    developer = chain.node().wallets().developer();
    gateway.registerFunction("tick", new byte[32], developer);
    gateway.deposit(developer, developer.getScriptHash(), 300_000_000L);
  }

  private record Run(int exit, String out) {
    JsonNode json() {
      try {
        String[] lines = out.strip().split("\n");
        return Output.JSON.readTree(lines[lines.length - 1]);
      } catch (java.io.IOException e) {
        throw new AssertionError(out, e);
      }
    }
  }

  private static Run nsl(String... more) {
    String[] base = {
      "--rpc", chain.node().rpcUrl(), "--gateway", "0x" + deployment.gateway(), "--json"
    };
    String[] all = new String[more.length + base.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(base, 0, all, more.length, base.length);
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    return new Run(cli.execute(all), out.toString());
  }

  static long balance() {
    var r =
        new NeoRpcClient(chain.node().rpcUrl())
            .call(
                "invokefunction",
                "0x" + deployment.gateway(),
                "balanceOf",
                java.util.List.of(
                    java.util.Map.of(
                        "type", "Hash160", "value", "0x" + developer.getScriptHash())));
    return NeoRpcClient.parseStack(r.path("stack").path(0)).asInt().longValueExact();
  }

  @Test
  void createsListsPausesResumesAndCancelsWithRefund() {
    String target = "0x" + deployment.consumer() + ":onResult";
    Run created =
        nsl(
            "trigger",
            "create",
            "--function",
            "tick",
            "--every-blocks",
            "2",
            "--target",
            target,
            "--budget",
            "1.5");
    assertEquals(0, created.exit(), created.out());
    JsonNode s = created.json();
    long id = s.path("id").asLong();
    assertEquals("every-blocks", s.path("kind").asText());
    assertEquals(2, s.path("everyBlocks").asLong());
    assertEquals(150_000_000L, s.path("budget").asLong());
    assertEquals("active", s.path("status").asText());
    assertEquals(target, s.path("target").asText());

    Run list = nsl("trigger", "list");
    assertEquals(0, list.exit(), list.out());
    assertEquals(id, list.json().path("subscriptions").get(0).path("id").asLong());

    assertEquals(
        "paused", nsl("trigger", "pause", Long.toString(id)).json().path("status").asText());
    assertEquals(
        "active", nsl("trigger", "resume", Long.toString(id)).json().path("status").asText());
    long before = balance();
    Run cancelled = nsl("trigger", "cancel", Long.toString(id));
    assertEquals("cancelled", cancelled.json().path("status").asText(), cancelled.out());
    assertEquals(0, cancelled.json().path("budget").asLong());
    assertEquals(before + 150_000_000L, balance());

    Run show = nsl("trigger", "show", Long.toString(id));
    assertEquals("cancelled", show.json().path("status").asText());
  }

  @Test
  void refusesTwoTriggersBeforeSendingAnything() {
    Run r =
        nsl(
            "trigger",
            "create",
            "--function",
            "tick",
            "--every-blocks",
            "2",
            "--cron",
            "* * * * *",
            "--target",
            "0x" + deployment.consumer() + ":onResult",
            "--budget",
            "1");
    assertNotEquals(0, r.exit());
    assertTrue(r.out().contains("give exactly one trigger"), r.out());
  }
}
