package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.ProjectRoot;
import io.nsl.cluster.MeasurementPolicy;
import io.nsl.cluster.OwnerKey;
import io.nsl.cluster.SignedPolicy;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedEnclave;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./nsl cluster init|status|policy sign} driven through {@link Main#commandLine()}. */
class ClusterCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GATEWAY = "0x" + "ab".repeat(20);

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path config() throws Exception {
    Path cfg = dir.resolve("nsl.yml");
    Files.writeString(
        cfg,
        "mode: simulation\ndataDir: "
            + dir.resolve("svc")
            + "\nchain:\n  gatewayHash: \""
            + GATEWAY
            + "\"\n");
    return cfg;
  }

  @Test
  void initTurnsAnExistingInstanceIntoEpochZeroWithItsOwnSecretsKey() throws Exception {
    Path cfg = config();
    String before;
    try (SimulatedEnclave e =
        SimulatedEnclave.open(dir.resolve("svc/enclave"), Clock.systemUTC())) {
      before = HexFormat.of().formatHex(e.secretsPublicKey());
    }
    Run first = run("cluster", "init", "--json", "--config", cfg.toString());
    assertEquals(0, first.exit(), first.err() + first.out());
    JsonNode j = first.json();
    assertTrue(j.get("created").asBoolean());
    assertEquals(0, j.get("currentEpoch").asInt());
    assertEquals(before, j.get("epochs").get(0).get("secretsPublicKey").asText());
    assertTrue(j.get("measurement").asText().matches("[0-9a-f]{64}"));

    Run again = run("cluster", "init", "--json", "--config", cfg.toString());
    assertFalse(again.json().get("created").asBoolean());
    assertEquals(j.get("epochs"), again.json().get("epochs"));

    Run status =
        run(
            "cluster",
            "status",
            "--json",
            "--config",
            cfg.toString(),
            "--network-magic",
            "5195086");
    assertEquals(0, status.exit(), status.err() + status.out());
    assertEquals(j.get("epochs"), status.json().get("epochs"));
    assertTrue(status.json().has("policy"));
    assertTrue(status.json().has("instances"), status.out());
  }

  @Test
  void statusOfAnInstanceWithoutClusterKeysSaysHowToGetThem() throws Exception {
    Run status = run("cluster", "status", "--config", config().toString(), "--network-magic", "1");
    assertEquals(0, status.exit(), status.err());
    assertTrue(status.out().contains("./nsl cluster init"), status.out());
  }

  @Test
  void policySignWritesAPolicyThatVerifiesWithTheWalletsKey() throws Exception {
    Path out = dir.resolve("policy.json");
    String m = "12".repeat(32);
    Run r =
        run(
            "cluster",
            "policy",
            "sign",
            "--json",
            "--wallet",
            ProjectRoot.find().resolve("config/devnet/consensus.wallet.json").toString(),
            "--network-magic",
            "5195086",
            "--gateway",
            GATEWAY,
            "--sequence",
            "3",
            "--allow-simulated",
            "--mrenclave",
            m,
            "--signer",
            "34".repeat(32) + ":1:2",
            "--out",
            out.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    OwnerKey owner = OwnerKey.ofHex(r.json().get("ownerPublicKey").asText());
    MeasurementPolicy p =
        SignedPolicy.parse(Files.readAllBytes(out))
            .verify(owner, GatewayIdentity.ofBigEndianHex(5195086, GATEWAY));
    assertEquals(3, p.sequence());
    assertEquals(Set.of(m), p.mrEnclaves());
    assertEquals(1, p.signers().size());
  }

  @Test
  void policySignRefusesABadMeasurementWithItsValue() throws Exception {
    Run r =
        run(
            "cluster",
            "policy",
            "sign",
            "--wallet",
            "x.json",
            "--network-magic",
            "1",
            "--gateway",
            GATEWAY,
            "--sequence",
            "1",
            "--mrenclave",
            "abc",
            "--out",
            dir.resolve("p.json").toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("'abc'"), r.err());
  }
}
