package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.types.ContractParameter;
import io.nsl.chain.StackValue;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.SgxVectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./nsl gateway}: the collateral transcription the owner sends (setTcbInfo, setQeIdentity)
 * and the reading of enclaveInfo answers. The contract side of the same transcription is
 * contracts/gateway/dcap_collateral_test.go; both are checked against Phala's genuine documents.
 */
class GatewayCommandTest {
  private static final HexFormat HEX = HexFormat.of();

  private static List<ContractParameter> items(ContractParameter p) {
    return List.of((ContractParameter[]) p.getValue());
  }

  @Test
  void transcribesIntelsTcbInfoForSetTcbInfo() {
    Collateral c = SgxVectors.phalaCollateral();
    List<ContractParameter> args = DcapCollateralTranscript.tcbInfo(c);
    assertEquals(6, args.size());
    assertEquals("00a067110000", HEX.formatHex((byte[]) args.get(0).getValue()));
    assertEquals("0000", HEX.formatHex((byte[]) args.get(1).getValue()));
    assertEquals(
        BigInteger.valueOf(Instant.parse("2025-06-19T10:56:11Z").toEpochMilli()),
        args.get(2).getValue());
    List<ContractParameter> first = items(items(args.get(4)).get(0));
    assertArrayEquals(
        new byte[] {11, 11, 2, 2, (byte) 255, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        (byte[]) first.get(0).getValue());
    assertEquals(BigInteger.valueOf(13), first.get(1).getValue());
    assertEquals("SWHardeningNeeded", first.get(2).getValue());
    assertArrayEquals(
        DcapCollateralTranscript.sha256(c.tcbInfoJson()), (byte[]) args.get(5).getValue());
  }

  @Test
  void transcribesIntelsQeIdentityForSetQeIdentity() {
    List<ContractParameter> args =
        DcapCollateralTranscript.qeIdentity(SgxVectors.phalaCollateral());
    assertEquals(10, args.size());
    assertEquals(
        "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff",
        HEX.formatHex((byte[]) args.get(0).getValue()));
    assertEquals(BigInteger.ONE, args.get(1).getValue());
    assertEquals(BigInteger.ZERO, args.get(2).getValue());
    assertEquals(BigInteger.valueOf(0xFFFFFFFFL), args.get(3).getValue());
    assertEquals(
        "fbffffffffffffff0000000000000000", HEX.formatHex((byte[]) args.get(5).getValue()));
    List<ContractParameter> first = items(items(args.get(8)).get(0));
    assertEquals(BigInteger.valueOf(8), first.get(0).getValue());
    assertEquals("UpToDate", first.get(1).getValue());
  }

  @Test
  void refusesCollateralItCannotTranscribe() {
    Collateral c = SgxVectors.phalaCollateral();
    Collateral broken =
        new Collateral(
            c.tcbInfoJson().replace("\"fmspc\":\"00A067110000\"", "\"fmspc\":\"00A0\""),
            c.tcbInfoSignature(),
            c.tcbInfoIssuerChain(),
            c.qeIdentityJson().replace("\"id\":\"QE\"", "\"id\":\"QVE\""),
            c.qeIdentitySignature(),
            c.qeIdentityIssuerChain(),
            c.rootCaCrl(),
            c.pckCrl(),
            c.pckCrlIssuerChain());
    var tcb =
        assertThrows(
            DcapCollateralTranscript.Malformed.class,
            () -> DcapCollateralTranscript.tcbInfo(broken));
    assertEquals("COLLATERAL_FORMAT", tcb.code());
    assertTrue(tcb.getMessage().contains("fmspc must be 6 bytes"), tcb.getMessage());
    var qe =
        assertThrows(
            DcapCollateralTranscript.Malformed.class,
            () -> DcapCollateralTranscript.qeIdentity(broken));
    assertTrue(qe.getMessage().contains("not QE"), qe.getMessage());
  }

  private static StackValue bytes(String hex) {
    return new StackValue.Bytes(HEX.parseHex(hex));
  }

  private static StackValue text(String s) {
    return new StackValue.Bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static StackValue integer(long n) {
    return new StackValue.Int(BigInteger.valueOf(n));
  }

  @Test
  void readsAnAttestedKeysAdmission() {
    byte[] key = HEX.parseHex("02" + "11".repeat(32));
    StackValue info =
        new StackValue.Array(
            List.of(
                integer(1),
                integer(42),
                integer(0),
                new StackValue.Bool(true),
                bytes("aa".repeat(32)),
                bytes("bb".repeat(32)),
                integer(3),
                integer(7),
                text("SWHardeningNeeded"),
                text("UpToDate"),
                bytes("00906ed50000"),
                bytes("03" + "22".repeat(32)),
                bytes("01" + "00".repeat(31))));
    GatewayCommand.EnclaveAdmission a = GatewayCommand.EnclaveAdmission.of(key, info);
    assertTrue(a.attested());
    assertEquals("SGX", a.modeName());
    assertEquals("aa".repeat(32), a.mrEnclave());
    assertEquals(7, a.isvSvn());
    assertEquals("SWHardeningNeeded", a.tcbStatus());
    // The VM holds a Hash256 little-endian; the CLI shows it as explorers do.
    assertEquals("0x" + "00".repeat(31) + "01", a.transaction());
    assertEquals("attested", a.toJson().path("admission").asText());
    assertTrue(a.describe().contains("attested on chain: MRENCLAVE " + "aa".repeat(32)));
  }

  @Test
  void readsAnOwnerRegisteredKeysAdmission() {
    byte[] key = HEX.parseHex("03" + "11".repeat(32));
    StackValue n = new StackValue.Null();
    StackValue info =
        new StackValue.Array(
            List.of(
                integer(2),
                integer(5),
                integer(0),
                new StackValue.Bool(false),
                n,
                n,
                n,
                n,
                n,
                n,
                n,
                n,
                n));
    GatewayCommand.EnclaveAdmission a = GatewayCommand.EnclaveAdmission.of(key, info);
    assertFalse(a.attested());
    assertNull(a.mrEnclave());
    assertEquals("SIMULATED", a.modeName());
    assertEquals("owner", a.toJson().path("admission").asText());
    assertTrue(a.describe().contains("admitted by the gateway owner"));
  }

  @Test
  void pausePushesARealBooleanForTheGatewaysBooleanEvent() {
    io.neow3j.types.Hash160 gw = new io.neow3j.types.Hash160("ab".repeat(20));
    assertEquals(0x08, GatewayOwnerCommands.setPausedScript(gw, true)[0]); // PUSHT
    assertEquals(0x09, GatewayOwnerCommands.setPausedScript(gw, false)[0]); // PUSHF
  }

  @Test
  void readsGasAmountsToDatoshi() {
    assertEquals(5_000_000L, GasArgument.datoshi("--fee", "0.05", true));
    assertEquals(10_0000_0000L, GasArgument.datoshi("--fee", "10", true));
    assertEquals(0L, GasArgument.datoshi("--fee", "0", true));
    assertEquals("0.05", GatewayReads.gas(5_000_000L));
    for (String bad : new String[] {"-1", "1e3", "0.123456789", "", "1,5"}) {
      var e =
          assertThrows(
              GasArgument.Invalid.class, () -> GasArgument.datoshi("--fee", bad, true), bad);
      assertEquals("INVALID_AMOUNT", e.code());
      assertTrue(e.getMessage().startsWith("--fee"), e.getMessage());
    }
    assertThrows(GasArgument.Invalid.class, () -> GasArgument.datoshi("GAS", "0", false));
  }

  @Test
  void gatewayHelpNamesItsSubcommands() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("gateway", "--help"));
    for (String sub :
        new String[] {
          "deploy",
          "info",
          "register-enclave",
          "revoke-enclave",
          "fees",
          "pause",
          "unpause",
          "deposit",
          "withdraw",
          "balance",
          "allow-measurement",
          "revoke-measurement",
          "measurements"
        }) {
      assertTrue(out.toString().contains(sub), sub + " missing from " + out);
    }
  }
}
