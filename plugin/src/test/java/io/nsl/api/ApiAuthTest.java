package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.crypto.ECKeyPair;
import io.neow3j.crypto.Sign;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ApiAuthTest {
  static final BigInteger N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  final ECKeyPair key = Dev.freshKey();
  final byte[] pub = key.getPublicKey().getEncoded(true);
  final byte[] msg = ApiAuth.message("GET", "/v1/functions", 1L, "n".repeat(16), new byte[0]);
  final byte[] sig = Sign.signMessage(msg, key).getConcatenated();

  @Test
  void aNeoSignatureOfTheMessageVerifies() {
    assertTrue(ApiAuth.verify(pub, msg, sig));
  }

  @Test
  void anotherMessageOrKeyDoesNot() {
    assertFalse(ApiAuth.verify(pub, "other".getBytes(StandardCharsets.UTF_8), sig));
    assertFalse(ApiAuth.verify(Dev.freshKey().getPublicKey().getEncoded(true), msg, sig));
  }

  @Test
  void badKeysAreRefusedWithoutThrowing() {
    byte[] offCurve = new byte[33];
    offCurve[0] = 0x02;
    Arrays.fill(offCurve, 1, 33, (byte) 0xff);
    byte[] wrongPrefix = pub.clone();
    wrongPrefix[0] = 0x04;
    for (byte[] k :
        new byte[][] {null, new byte[0], offCurve, wrongPrefix, Arrays.copyOf(pub, 32)}) {
      assertFalse(ApiAuth.verify(k, msg, sig));
      assertFalse(ApiAuth.isCompressedPoint(k));
    }
    assertTrue(ApiAuth.isCompressedPoint(pub));
  }

  @Test
  void signaturesOutOfRangeAreRefused() {
    byte[] zeroR = sig.clone();
    Arrays.fill(zeroR, 0, 32, (byte) 0);
    byte[] sIsN = sig.clone();
    System.arraycopy(unsigned32(N), 0, sIsN, 32, 32);
    for (byte[] s : new byte[][] {null, new byte[63], Arrays.copyOf(sig, 65), zeroR, sIsN}) {
      assertFalse(ApiAuth.verify(pub, msg, s));
    }
  }

  @Test
  void theHighSFormOfAValidSignatureIsAcceptedAsEcdsaAllows() {
    // Neo's own CheckSig accepts either s; so does the API, so any Neo signer works.
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] other = sig.clone();
    System.arraycopy(unsigned32(N.subtract(s)), 0, other, 32, 32);
    assertTrue(ApiAuth.verify(pub, msg, other));
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(32, b.length);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }
}
