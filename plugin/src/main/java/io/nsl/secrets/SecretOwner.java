package io.nsl.secrets;

import io.nsl.secrets.internal.EnvelopeCrypto;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Neo N3 account that owns secrets, by script hash. {@code scriptHashLE} is the raw RIPEMD-160
 * output (the byte order inside a Neo address and of neow3j's {@code
 * Hash160.toLittleEndianArray()}); {@link #toString()} shows it the way Neo tools do, {@code 0x} +
 * big-endian hex.
 */
public record SecretOwner(byte[] scriptHashLE) {
  public SecretOwner {
    Objects.requireNonNull(scriptHashLE, "scriptHashLE");
    if (scriptHashLE.length != 20) {
      throw new IllegalArgumentException("a script hash has 20 bytes, got " + scriptHashLE.length);
    }
    scriptHashLE = scriptHashLE.clone();
  }

  @Override
  public byte[] scriptHashLE() {
    return scriptHashLE.clone();
  }

  /** The account of a single-signature verification script for {@code compressedPublicKey}. */
  public static SecretOwner fromPublicKey(byte[] compressedPublicKey) {
    return new SecretOwner(EnvelopeCrypto.scriptHashLE(compressedPublicKey));
  }

  /** Parses {@code 0x}-prefixed (or bare) big-endian hex, as Neo tools print script hashes. */
  public static SecretOwner fromScriptHashHex(String hexBigEndian) {
    String h = hexBigEndian.startsWith("0x") ? hexBigEndian.substring(2) : hexBigEndian;
    byte[] be;
    try {
      be = HexFormat.of().parseHex(h);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("script hash is not hex: " + hexBigEndian);
    }
    return new SecretOwner(reverse(be));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretOwner other && Arrays.equals(other.scriptHashLE, scriptHashLE);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(scriptHashLE);
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(reverse(scriptHashLE));
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}
