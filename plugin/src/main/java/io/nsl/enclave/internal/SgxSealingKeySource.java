package io.nsl.enclave.internal;

import io.nsl.enclave.SealedStateException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * SGX sealing: EGETKEY (through {@link SgxDevice#getKey}) with key name SEAL and policy MRENCLAVE,
 * so only this exact enclave build on this CPU can derive the key. The 128-bit SGX key is stretched
 * to AES-256 with HKDF-SHA256 (salt "NSL-SEAL-v1"). The public context stored in the sealed file is
 * a random key id plus the CPU SVN, ISV SVN and CONFIG SVN at sealing time.
 *
 * <p>Occlum's own encrypted file system key ("autokey") is MRSIGNER-bound: any enclave signed by
 * the same key could read it. NSL's keys are bound tighter, to MRENCLAVE.
 */
public final class SgxSealingKeySource implements SealingKeySource {
  /** Header tag for SGX MRENCLAVE sealing. */
  public static final byte TAG = 'E';

  private static final byte[] SALT = "NSL-SEAL-v1".getBytes(StandardCharsets.US_ASCII);

  private final SgxDevice device;
  private final SecureRandom random;

  public SgxSealingKeySource(SgxDevice device, SecureRandom random) {
    this.device = device;
    this.random = random;
  }

  @Override
  public byte tag() {
    return TAG;
  }

  @Override
  public byte[] newContext() {
    byte[] keyId = new byte[32];
    random.nextBytes(keyId);
    byte[] body = SgxStructs.reportBody(device.selfReport());
    return SgxStructs.contextFor(body, keyId).encode();
  }

  @Override
  public byte[] sealingKey(byte[] context) {
    SgxStructs.SealContext ctx;
    try {
      ctx = SgxStructs.SealContext.decode(context);
    } catch (IllegalArgumentException e) {
      throw new SealedStateException(
          "the sealed key file's SGX context is malformed: " + e.getMessage());
    }
    byte[] sgxKey = device.getKey(SgxStructs.sealKeyRequest(ctx));
    try {
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(
          new HKDFParameters(sgxKey, SALT, "keys.sealed".getBytes(StandardCharsets.US_ASCII)));
      byte[] out = new byte[32];
      hkdf.generateBytes(out, 0, 32);
      return out;
    } finally {
      Arrays.fill(sgxKey, (byte) 0);
    }
  }
}
