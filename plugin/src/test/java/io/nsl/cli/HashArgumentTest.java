package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.crypto.Base58;
import io.neow3j.types.Hash160;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The one parser of hash arguments: each accepted form, and each way a hash can be wrong. Addresses
 * are made by neow3j's own encoder, so the decoding here is checked against another implementation.
 */
class HashArgumentTest {
  private static final String BE = "d2a4cff31913016155e38e474a2c06d08be276cf"; // GAS, big-endian
  private static final String LE =
      HexFormat.of().formatHex(new Hash160(BE).toLittleEndianArray()); // the same, little-endian

  private static HashArgument.Invalid refused(String text, HashArgument.Kind kind) {
    return assertThrows(
        HashArgument.Invalid.class, () -> HashArgument.parse("--gateway", text, kind));
  }

  @Test
  void readsZeroXPrefixedHexAsBigEndian() {
    HashArgument h = HashArgument.parse("--gateway", "0x" + BE, HashArgument.Kind.CONTRACT);
    assertEquals(HashArgument.Form.BIG_ENDIAN_HEX, h.form());
    assertEquals("0x" + BE, h.bigEndian0x());
    assertTrue(h.note().contains("0x-prefixed big-endian"), h.note());
    assertEquals(
        "0x" + BE,
        HashArgument.parse("--x", "0X" + BE.toUpperCase(), HashArgument.Kind.CONTRACT)
            .bigEndian0x());
  }

  @Test
  void readsPlainHexAsLittleEndianAndSaysSo() {
    HashArgument h = HashArgument.parse("--gateway", LE, HashArgument.Kind.CONTRACT);
    assertEquals(HashArgument.Form.LITTLE_ENDIAN_HEX, h.form());
    assertEquals("0x" + BE, h.bigEndian0x());
    assertTrue(h.note().contains("little-endian"), h.note());
    assertTrue(h.note().contains("= 0x" + BE), h.note());
  }

  @Test
  void readsAnAccountsAddress() {
    String address = new Hash160(BE).toAddress();
    HashArgument h = HashArgument.parse("--to", address, HashArgument.Kind.ACCOUNT);
    assertEquals(HashArgument.Form.ADDRESS, h.form());
    assertEquals("0x" + BE, h.bigEndian0x());
    assertEquals(address, h.hash().toAddress());
    assertTrue(h.note().contains("Neo N3 address"), h.note());
  }

  @Test
  void refusesAnAddressWhereAContractHashIsExpectedAndGivesTheHash() {
    String address = new Hash160(BE).toAddress();
    var e = refused(address, HashArgument.Kind.CONTRACT);
    assertEquals("INVALID_HASH", e.code());
    assertTrue(e.getMessage().contains("not an address"), e.getMessage());
    assertTrue(e.getMessage().contains("0x" + BE), e.getMessage());
  }

  @Test
  void refusesWrongLengthsNamingTheCount() {
    var shortBe = refused("0x" + BE.substring(2), HashArgument.Kind.CONTRACT);
    assertTrue(shortBe.getMessage().contains("has 38 hex digits after 0x"), shortBe.getMessage());
    var longLe = refused(LE + "00", HashArgument.Kind.CONTRACT);
    assertTrue(longLe.getMessage().contains("has 42 hex digits"), longLe.getMessage());
    var txHash = refused("0x" + "ab".repeat(32), HashArgument.Kind.CONTRACT);
    assertTrue(txHash.getMessage().contains("transaction or block"), txHash.getMessage());
    var key = refused("02" + "ab".repeat(32), HashArgument.Kind.ACCOUNT);
    assertTrue(key.getMessage().contains("public key"), key.getMessage());
    assertTrue(refused("", HashArgument.Kind.CONTRACT).getMessage().contains("--gateway is empty"));
  }

  @Test
  void refusesANonHexCharacterNamingItAndItsPosition() {
    var be =
        refused("0x" + BE.substring(0, 10) + "g" + BE.substring(11), HashArgument.Kind.ACCOUNT);
    assertTrue(be.getMessage().contains("'g' at position 13"), be.getMessage());
    var le = refused(LE.substring(0, 39) + "z", HashArgument.Kind.CONTRACT);
    assertTrue(le.getMessage().contains("'z' at position 40"), le.getMessage());
  }

  @Test
  void refusesAnAddressWithABadChecksum() {
    String address = new Hash160(BE).toAddress();
    char last = address.charAt(address.length() - 1);
    String typo = address.substring(0, address.length() - 1) + (last == 'a' ? 'b' : 'a');
    var e = refused(typo, HashArgument.Kind.ACCOUNT);
    assertTrue(e.getMessage().contains("checksum does not match"), e.getMessage());
  }

  @Test
  void refusesALegacyAddressByItsVersion() {
    byte[] payload = new byte[21];
    payload[0] = 0x17;
    System.arraycopy(HexFormat.of().parseHex(LE), 0, payload, 1, 20);
    String legacy = Base58.base58CheckEncode(payload);
    var e = refused(legacy, HashArgument.Kind.ACCOUNT);
    assertTrue(e.getMessage().contains("version 0x17"), e.getMessage());
    assertTrue(e.getMessage().contains("Neo Legacy"), e.getMessage());
  }

  @Test
  void refusesCharactersOutsideBase58NamingThem() {
    String address = new Hash160(BE).toAddress();
    String bad = address.substring(0, 5) + "0" + address.substring(6);
    var e = refused(bad, HashArgument.Kind.ACCOUNT);
    assertTrue(e.getMessage().contains("'0' at position 6"), e.getMessage());
  }

  @Test
  void refusesBase58OfTheWrongLength() {
    String truncated = new Hash160(BE).toAddress().substring(0, 31);
    var e = refused(truncated, HashArgument.Kind.ACCOUNT);
    assertTrue(e.getMessage().contains("a Neo address holds 25"), e.getMessage());
  }

  @Test
  void hexArgumentsNameTheirLengthAndBadCharacter() {
    assertArrayEquals(
        new byte[32], HexArgument.parse("--mrenclave", "00".repeat(32), 32, "an MRENCLAVE"));
    assertArrayEquals(
        new byte[32], HexArgument.parse("--mrenclave", "0x" + "00".repeat(32), 32, "an MRENCLAVE"));
    var len =
        assertThrows(
            HexArgument.Invalid.class,
            () -> HexArgument.parse("--mrenclave", "00".repeat(31), 32, "an MRENCLAVE"));
    assertEquals("INVALID_HEX", len.code());
    assertTrue(len.getMessage().contains("62 hex digits"), len.getMessage());
    var ch =
        assertThrows(
            HexArgument.Invalid.class, () -> HexArgument.parse("--key", "0x0q", 1, "a byte"));
    assertTrue(ch.getMessage().contains("'q' at position 4"), ch.getMessage());
  }

  private static Output output(java.io.StringWriter err) {
    picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.create();
    new picocli.CommandLine(spec).setErr(new java.io.PrintWriter(err));
    return new Output(spec, false);
  }

  @Test
  void anAccountOptionNotGivenFallsBackWithoutANote() {
    java.io.StringWriter err = new java.io.StringWriter();
    Hash160 wallet = new Hash160(BE);
    assertEquals(wallet, HashArgument.accountOr("--to", null, () -> wallet, output(err)));
    assertEquals("", err.toString());
  }

  @Test
  void aGivenAccountOptionIsReadNotedAndNeverOpensTheWallet() {
    java.io.StringWriter err = new java.io.StringWriter();
    String address = new Hash160(BE).toAddress();
    Hash160 read =
        HashArgument.accountOr(
            "ACCOUNT",
            address,
            () -> {
              throw new AssertionError("the wallet was asked for although ACCOUNT was given");
            },
            output(err));
    assertEquals(address, read.toAddress());
    assertTrue(err.toString().contains("ACCOUNT: read Neo N3 address"), err.toString());
    assertThrows(
        HashArgument.Invalid.class,
        () -> HashArgument.accountOr("--for", "0x" + BE.substring(2), () -> null, output(err)));
  }
}
