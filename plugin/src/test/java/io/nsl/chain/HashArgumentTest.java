package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.types.Hash160;
import org.junit.jupiter.api.Test;

class HashArgumentTest {
  static final String BE = "945fc105c6607dcee1cbfd893c5c6e5cb0f74b56";
  static final String LE = "564bf7b05c6e5c3c89fdcbe1ce7d60c605c15f94";

  @Test
  void zeroXPrefixIsBigEndian() {
    HashArgument h = HashArgument.parse("--consumer", "0x" + BE);
    assertEquals(new Hash160(BE), h.hash());
    assertEquals("0x big-endian", h.readAs());
    assertEquals("0x" + BE, h.bigEndian0x());
  }

  @Test
  void plainHexIsLittleEndianAsNeoGoPrintsIt() {
    HashArgument h = HashArgument.parse("--consumer", LE);
    assertEquals(new Hash160(BE), h.hash());
    assertTrue(h.readAs().startsWith("little-endian"), h.readAs());
  }

  @Test
  void upperCaseHexAndSurroundingSpacesAreRead() {
    assertEquals(
        new Hash160(BE), HashArgument.parse("--consumer", " 0X" + BE.toUpperCase() + " ").hash());
  }

  @Test
  void addressIsItsAccountsScriptHash() {
    Hash160 hash = new Hash160(BE);
    HashArgument h = HashArgument.parse("--consumer", hash.toAddress());
    assertEquals(hash, h.hash());
    assertEquals("N3 address", h.readAs());
  }

  @Test
  void rejectsNonHexNamingCharacterAndPosition() {
    var e =
        assertThrows(
            HashArgument.InvalidHashException.class,
            () ->
                HashArgument.parse(
                    "--consumer", "0x" + BE.substring(0, 10) + "g" + BE.substring(11)));
    assertEquals("INVALID_HASH", e.code());
    assertTrue(e.getMessage().contains("'g' at position 12"), e.getMessage());
    assertTrue(e.getMessage().startsWith("--consumer"), e.getMessage());
  }

  @Test
  void rejectsWrongLength() {
    var e =
        assertThrows(
            HashArgument.InvalidHashException.class,
            () -> HashArgument.parse("--consumer", "0x" + BE.substring(2)));
    assertTrue(e.getMessage().contains("38 hex characters, not 40"), e.getMessage());
    assertThrows(HashArgument.InvalidHashException.class, () -> HashArgument.parse("--x", ""));
    assertThrows(HashArgument.InvalidHashException.class, () -> HashArgument.parse("--x", null));
  }

  @Test
  void rejectsAddressWithBadChecksum() {
    String address = new Hash160(BE).toAddress();
    String broken = address.substring(0, 33) + (address.charAt(33) == 'a' ? 'b' : 'a');
    var e =
        assertThrows(
            HashArgument.InvalidHashException.class, () -> HashArgument.parse("--to", broken));
    assertTrue(e.getMessage().contains("not one"), e.getMessage());
  }
}
