package io.nsl.enclave;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The gateway contract an attestation is made for: the Neo network and the gateway's script hash.
 * Binding both into report_data stops a quote made for one network or gateway from being replayed
 * to register the same keys on another.
 *
 * @param networkMagic the Neo network magic, an unsigned 32-bit value (e.g. 860833102 for N3
 *     MainNet)
 * @param gatewayScriptHashLE the gateway's 20-byte script hash in little-endian order (the order
 *     neo-go and the VM use internally; the "0x…" string Neo tools print is big-endian)
 */
public record GatewayIdentity(long networkMagic, byte[] gatewayScriptHashLE) {
  /** A Neo script hash (RIPEMD-160 of SHA-256). */
  public static final int SCRIPT_HASH_BYTES = 20;

  public GatewayIdentity {
    if (networkMagic < 0 || networkMagic > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "networkMagic must be an unsigned 32-bit value, got " + networkMagic);
    }
    if (gatewayScriptHashLE == null || gatewayScriptHashLE.length != SCRIPT_HASH_BYTES) {
      throw new IllegalArgumentException(
          "gatewayScriptHashLE must be "
              + SCRIPT_HASH_BYTES
              + " bytes, got "
              + (gatewayScriptHashLE == null ? "null" : gatewayScriptHashLE.length));
    }
    gatewayScriptHashLE = gatewayScriptHashLE.clone();
  }

  /**
   * Builds the identity from the big-endian "0x…" script hash string Neo tools print.
   *
   * @throws IllegalArgumentException when the string is not 40 hex digits (an optional 0x prefix is
   *     accepted)
   */
  public static GatewayIdentity ofBigEndianHex(long networkMagic, String scriptHashBE) {
    String hex = scriptHashBE.startsWith("0x") ? scriptHashBE.substring(2) : scriptHashBE;
    if (hex.length() != 40) {
      throw new IllegalArgumentException(
          "gateway script hash must be 40 hex digits (20 bytes), got '" + scriptHashBE + "'");
    }
    byte[] be = HexFormat.of().parseHex(hex);
    byte[] le = new byte[20];
    for (int i = 0; i < 20; i++) {
      le[i] = be[19 - i];
    }
    return new GatewayIdentity(networkMagic, le);
  }

  @Override
  public byte[] gatewayScriptHashLE() {
    return gatewayScriptHashLE.clone();
  }

  /** The script hash as Neo tools print it: big-endian hex with a 0x prefix. */
  public String gatewayScriptHashBEHex() {
    byte[] be = new byte[20];
    for (int i = 0; i < 20; i++) {
      be[i] = gatewayScriptHashLE[19 - i];
    }
    return "0x" + HexFormat.of().formatHex(be);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayIdentity g
        && g.networkMagic == networkMagic
        && Arrays.equals(g.gatewayScriptHashLE, gatewayScriptHashLE);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(networkMagic) * 31 + Arrays.hashCode(gatewayScriptHashLE);
  }

  @Override
  public String toString() {
    return "GatewayIdentity[networkMagic="
        + networkMagic
        + ", gateway="
        + gatewayScriptHashBEHex()
        + "]";
  }
}
