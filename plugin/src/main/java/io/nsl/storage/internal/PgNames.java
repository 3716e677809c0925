package io.nsl.storage.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the PostgreSQL store names its rows without showing names to the database (decision 1002): a
 * namespace's row id is HMAC-SHA256 of it under the store's name key, a key's row id binds its
 * namespace and the key, and the plaintext name is kept beside the row sealed for listings, bound
 * to the row by its key id. Opening a name checks it hashes back to its row, so a row moved to
 * another namespace or key is refused.
 *
 * <p>Threading: any thread (one {@link Mac} per thread). The name key lives in a {@link
 * SecretKeySpec} for the store's lifetime; the JVM cannot promise its erasure.
 */
final class PgNames {
  private static final byte[] NAME_NS = StoreSchema.ascii("!name");
  private static final byte[] NS_DOMAIN = StoreSchema.ascii("nsl/pg/namespace/v1\0");
  private static final byte[] KEY_DOMAIN = StoreSchema.ascii("nsl/pg/key/v1\0");

  private final Sealer sealer;
  private final ThreadLocal<Mac> macs;

  /**
   * @param nameKey the 32-byte name key; copied, the caller clears its array
   */
  PgNames(byte[] nameKey, Sealer sealer) {
    this.sealer = sealer;
    SecretKeySpec spec = new SecretKeySpec(nameKey, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
              }
            });
  }

  /** The namespace that sealed names are sealed under ({@code !name}). */
  static byte[] namespace() {
    return NAME_NS.clone();
  }

  private byte[] hmac(byte[] domain, byte[] a, byte[] b) {
    Mac m = macs.get();
    m.update(domain);
    m.update(a);
    if (b != null) {
      m.update(b);
    }
    return m.doFinal();
  }

  /** The row id of namespace {@code ns}. */
  byte[] nsId(byte[] ns) {
    return hmac(NS_DOMAIN, ns, null);
  }

  /** The row id of {@code key} in {@code ns}: HMAC over {@code u8 len(ns) || ns || key}. */
  byte[] keyId(byte[] ns, byte[] key) {
    byte[] located = new byte[1 + ns.length];
    located[0] = (byte) ns.length;
    System.arraycopy(ns, 0, located, 1, ns.length);
    return hmac(KEY_DOMAIN, located, key);
  }

  /** The sealed {@code u8 len(ns) || ns || key}, bound to its row by the key id. */
  byte[] seal(byte[] ns, byte[] key, byte[] keyId) {
    byte[] plain = StoreSchema.physical(ns, key);
    return sealer.sealValue(NAME_NS, keyId, 1, plain);
  }

  /**
   * Opens a row's name: [ns, key].
   *
   * @throws io.nsl.storage.StorageTamperedException the name does not open or hashes to another row
   */
  byte[][] open(byte[] nsId, byte[] keyId, byte[] sealed) {
    Object where = "row " + HexFormat.of().formatHex(keyId, 0, 8);
    byte[] plain = sealer.openValue(NAME_NS, keyId, sealed, where).body();
    int nsLen = plain.length == 0 ? -1 : plain[0] & 0xff;
    if (nsLen < 1 || plain.length < 2 + nsLen) {
      throw Sealer.tampered(where, "name record of " + plain.length + " bytes");
    }
    byte[] ns = Arrays.copyOfRange(plain, 1, 1 + nsLen);
    byte[] key = Arrays.copyOfRange(plain, 1 + nsLen, plain.length);
    if (!Arrays.equals(nsId(ns), nsId) || !Arrays.equals(keyId(ns, key), keyId)) {
      throw Sealer.tampered(where, "its name belongs to another row (moved)");
    }
    return new byte[][] {ns, key};
  }
}
