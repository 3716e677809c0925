package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.Enclaves;
import io.nsl.enclave.dcap.SgxVectors;
import io.nsl.service.ServiceConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./nsl attestation show|verify} driven through {@link Main#commandLine()}. */
class AttestationCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static String vector(String rel) {
    return SgxVectors.file(rel).toString();
  }

  /**
   * Issue 18: show read the key from {@code <root>/.run/enclave} while the service writes it to
   * {@code <root>/<dataDir>/enclave} ({@code .run/service/enclave} by default): it printed a key
   * that was not the service's.
   */
  @Test
  void showReadsTheKeyTheServiceKeepsInItsDataDir() throws Exception {
    Path root = dir.resolve("project");
    Files.createDirectories(root.resolve("config"));
    Files.writeString(root.resolve("nsl"), "#!/bin/sh\n");
    Files.copy(io.nsl.ProjectRoot.find().resolve("config/nsl.yml"), root.resolve("config/nsl.yml"));
    ServiceConfig cfg = ServiceConfig.load(root.resolve("config/nsl.yml"));
    Path serviceEnclave = root.resolve(cfg.dataDir()).resolve("enclave");
    byte[] serviceKey;
    try (Enclave e = Enclaves.open(EnclaveMode.SIMULATED, serviceEnclave, Clock.systemUTC())) {
      serviceKey = e.signingPublicKey();
    }
    String before = System.getProperty("nsl.root");
    System.setProperty("nsl.root", root.toString());
    try {
      Run r = run("attestation", "show");
      assertEquals(0, r.exit(), r.err());
      assertEquals(
          HexFormat.of().formatHex(serviceKey), r.json().path("signingPublicKey").asText());
      assertEquals(serviceEnclave.toAbsolutePath().toString(), r.json().path("dataDir").asText());
    } finally {
      if (before == null) {
        System.clearProperty("nsl.root");
      } else {
        System.setProperty("nsl.root", before);
      }
    }
  }

  @Test
  void showPrintsASimulatedAttestationWithStableKeys() throws Exception {
    Run first =
        run(
            "attestation",
            "show",
            "--data-dir",
            dir.toString(),
            "--network-magic",
            "860833102",
            "--gateway",
            "0x" + "12".repeat(20));
    assertEquals(0, first.exit(), first.err());
    JsonNode a = first.json();
    assertEquals("SIMULATED", a.get("mode").asText());
    assertTrue(a.get("simulated").asBoolean());
    assertTrue(a.get("warning").asText().startsWith("SIMULATED"));
    assertEquals("SIMULATED", a.get("evidence").get("mode").asText());
    assertEquals(66, a.get("signingPublicKey").asText().length());
    assertEquals(128, a.get("reportData").asText().length());
    assertEquals("0x" + "12".repeat(20), a.get("gatewayScriptHash").asText());
    Run second =
        run(
            "attestation",
            "show",
            "--data-dir",
            dir.toString(),
            "--network-magic",
            "860833102",
            "--gateway",
            "0x" + "12".repeat(20));
    assertEquals(a.get("signingPublicKey"), second.json().get("signingPublicKey"));
    assertEquals(a.get("reportData"), second.json().get("reportData"));
  }

  @Test
  void verifyRefusesASimulatedAttestation() throws Exception {
    Run show = run("attestation", "show", "--data-dir", dir.toString());
    Path file = dir.resolve("att.json");
    Files.writeString(file, show.out());
    Run v = run("attestation", "verify", file.toString(), "--json");
    assertNotEquals(0, v.exit());
    assertEquals("SIMULATED_ATTESTATION", v.json().get("reason").asText());
    assertFalse(v.json().get("valid").asBoolean());
  }

  @Test
  void verifyAcceptsTheGenuineQuoteWithCollateral() throws Exception {
    Run v =
        run(
            "attestation",
            "verify",
            vector("phala-dcap-qvl/sgx_quote.bin"),
            "--collateral",
            vector("phala-dcap-qvl/sgx_quote_collateral.json"),
            "--at",
            "2025-07-01T00:00:00Z",
            "--json");
    assertEquals(0, v.exit(), v.out() + v.err());
    JsonNode j = v.json();
    assertTrue(j.get("valid").asBoolean());
    assertTrue(j.get("reason").isNull());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        j.get("mrEnclave").asText());
    assertEquals("ConfigurationAndSWHardeningNeeded", j.get("tcbStatus").asText());
    assertEquals("INTEL-SA-00289", j.get("advisoryIds").get(0).asText());
    for (String f : new String[] {"mrSigner", "isvProdId", "isvSvn", "debug", "reportData"}) {
      assertTrue(j.has(f), f);
    }
  }

  @Test
  void verifyReadsHexQuotesAndDateOnlyTimes() throws Exception {
    Run v =
        run(
            "attestation",
            "verify",
            vector("automata-dcap-attestation/quotev3.hex"),
            "--at",
            "2025-08-20",
            "--json");
    assertEquals(0, v.exit(), v.out());
    assertFalse(v.json().get("collateralChecked").asBoolean());
  }

  @Test
  void verifyWithoutCollateralAtTheWrongTimeIsInvalid() throws Exception {
    Run v =
        run(
            "attestation",
            "verify",
            vector("phala-dcap-qvl/sgx_quote.bin"),
            "--collateral",
            vector("phala-dcap-qvl/sgx_quote_collateral.json"),
            "--json");
    // Now is long after the recorded collateral's nextUpdate.
    assertNotEquals(0, v.exit());
    assertFalse(v.json().get("valid").asBoolean());
  }

  @Test
  void verifyRefusesTdxDebugAndMalformedQuotesWithoutStackTraces() throws Exception {
    Path truncated = dir.resolve("truncated.bin");
    Files.write(truncated, java.util.Arrays.copyOf(SgxVectors.phalaQuote(), 1000));
    Path garbage = dir.resolve("garbage.bin");
    Files.write(garbage, new byte[] {1, 2, 3});
    String[][] cases = {
      {vector("automata-dcap-attestation/quotev4_tdx.hex"), "TDX_QUOTE_NOT_SUPPORTED"},
      {vector("automata-dcap-attestation/quote_sgx_debug.bin"), "DEBUG_ENCLAVE"},
      {truncated.toString(), "MALFORMED_QUOTE"},
      {garbage.toString(), "MALFORMED_QUOTE"},
    };
    for (String[] c : cases) {
      Run v = run("attestation", "verify", c[0], "--at", "2025-05-10T00:00:00Z", "--json");
      assertEquals(1, v.exit(), c[0]);
      assertEquals(c[1], v.json().get("reason").asText(), c[0]);
      assertFalse(v.out().contains("Exception") || v.err().contains("\tat "), v.out() + v.err());
      Run text = run("attestation", "verify", c[0], "--at", "2025-05-10T00:00:00Z");
      assertTrue(text.out().startsWith("INVALID: " + c[1]), text.out());
    }
  }

  @Test
  void verifyRefusesAnUnexpectedMrEnclave() throws Exception {
    Run v =
        run(
            "attestation",
            "verify",
            vector("phala-dcap-qvl/sgx_quote.bin"),
            "--at",
            "2025-07-01T00:00:00Z",
            "--expect-mrenclave",
            "ab".repeat(32),
            "--json");
    assertEquals(1, v.exit());
    assertEquals("UNEXPECTED_MRENCLAVE", v.json().get("reason").asText());
  }

  @Test
  void verifyRefusesCollateralWhosePckCrlIssuerChainIsNotThePckCa() throws Exception {
    // A mixed-up collateral file: the TCB signing chain (genuine, issued by Intel's root) where
    // the PCK CRL's issuer chain belongs.
    com.fasterxml.jackson.databind.node.ObjectNode c =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            JSON.readTree(SgxVectors.phalaCollateralJson());
    c.put("pck_crl_issuer_chain", c.get("tcb_info_issuer_chain").asText());
    Path file = dir.resolve("mixed.json");
    Files.writeString(file, c.toString());
    Run v =
        run(
            "attestation",
            "verify",
            vector("phala-dcap-qvl/sgx_quote.bin"),
            "--collateral",
            file.toString(),
            "--at",
            "2025-07-01T00:00:00Z",
            "--json");
    assertEquals(1, v.exit(), v.out() + v.err());
    assertEquals("CRL_INVALID", v.json().get("reason").asText());
    assertTrue(v.json().get("detail").asText().contains("PCK CRL issuer chain"), v.out());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        v.json().get("mrEnclave").asText());
  }

  @Test
  void verifyRefusesAMalformedPckCrlIssuerChainWithAOneLineError() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode c =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            JSON.readTree(SgxVectors.phalaCollateralJson());
    c.put("pck_crl_issuer_chain", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Path file = dir.resolve("bad-chain.json");
    Files.writeString(file, c.toString());
    Run v =
        run(
            "attestation",
            "verify",
            vector("phala-dcap-qvl/sgx_quote.bin"),
            "--collateral",
            file.toString(),
            "--at",
            "2025-07-01T00:00:00Z");
    assertEquals(1, v.exit());
    assertTrue(
        v.err().contains("COLLATERAL_FORMAT") && v.err().contains("pck_crl_issuer_chain"), v.err());
    assertFalse(v.err().contains("\tat "), v.err());
  }

  @Test
  void missingFilesAndBadOptionsGetOneLineErrors() {
    Run missing = run("attestation", "verify", dir.resolve("nope.bin").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().startsWith("error [CLI_INPUT]: the quote file"), missing.err());
    Run badAt =
        run("attestation", "verify", vector("phala-dcap-qvl/sgx_quote.bin"), "--at", "yesterday");
    assertEquals(1, badAt.exit());
    assertTrue(badAt.err().contains("--at must be an ISO-8601 time"), badAt.err());
    Run badCollateral =
        run(
            "attestation",
            "verify",
            vector("phala-dcap-qvl/sgx_quote.bin"),
            "--collateral",
            vector("README.txt"));
    assertEquals(1, badCollateral.exit());
    assertTrue(badCollateral.err().contains("COLLATERAL_FORMAT"), badCollateral.err());
    for (Run r : new Run[] {missing, badAt, badCollateral}) {
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }
}
