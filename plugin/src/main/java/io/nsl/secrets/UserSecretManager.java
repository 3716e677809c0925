package io.nsl.secrets;

import io.nsl.secrets.internal.EnvelopeCodec;
import io.nsl.secrets.internal.EnvelopeCrypto;
import io.nsl.secrets.internal.Names;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageBatch;
import io.nsl.storage.StorageVersionConflictException;
import io.nsl.storage.VersionedValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Users' secrets, per owner (a Neo account), kept in the {@link Namespace#secrets()} namespace of
 * an encrypted store.
 *
 * <p><b>Writing.</b> Secrets arrive only as envelopes (docs/secrets-envelope.md) encrypted to the
 * enclave's secrets key and signed by the owner's Neo key. {@link #store} and {@link #delete}
 * check, in this order: format, the enclave key it was made for (the current one, or a live older
 * cluster epoch's), name, size, signature, that the signing key belongs to the named account, that
 * the sequence is above the owner's last accepted one (no replay of older envelopes), decryption,
 * and the per-owner count.
 *
 * <p><b>Reading.</b> Values leave only as {@code byte[]} the caller clears, or through a {@link
 * SecretView} that clears them when the function run ends. They never appear in {@code toString()},
 * logs or exception messages. The JVM may still hold copies the code cannot clear (the storage
 * layer's and RocksDB's buffers, GC moves, JS strings made from them): see
 * docs/secrets-envelope.md, "What the JVM cannot promise".
 *
 * <p><b>Threading.</b> Thread-safe. Concurrent envelopes of one owner are serialised by a version
 * check on the owner's record; an envelope whose sequence has been overtaken meanwhile is refused
 * as stale.
 */
public final class UserSecretManager {
  private static final Namespace NS = Namespace.secrets();
  private static final int MAX_ATTEMPTS = 16;

  /** Parse bound: the format's hard ceiling; the configured limit is checked afterwards. */
  private static final int MAX_PARSE_CIPHERTEXT = (1 << 20) + EnvelopeCodec.TAG;

  private final PersistentStorageService storage;
  private final SecretsKey key;
  private final SecretLimits limits;

  /**
   * @throws IllegalArgumentException when {@code storage} is not encrypted (secrets would lie on
   *     disk in plaintext)
   */
  public UserSecretManager(PersistentStorageService storage, SecretsKey key, SecretLimits limits) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.key = Objects.requireNonNull(key, "key");
    this.limits = Objects.requireNonNull(limits, "limits");
    if (!storage.encrypted()) {
      throw new IllegalArgumentException(
          "user secrets need an encrypted store; open the storage with encryption on");
    }
  }

  /** Applies a PUT envelope: sets the secret. */
  public SecretReceipt store(byte[] envelope) {
    return apply(envelope, SecretOp.PUT);
  }

  /** Applies a DELETE envelope: removes the secret (accepted also when it does not exist). */
  public SecretReceipt delete(byte[] envelope) {
    return apply(envelope, SecretOp.DELETE);
  }

  /**
   * WARNING: returns the plaintext secret; the caller clears the array after use.
   *
   * @throws SecretNotFoundException the owner has no secret of that name
   */
  public byte[] get(SecretOwner owner, String name) {
    return find(owner, name)
        .orElseThrow(
            () ->
                new SecretNotFoundException(
                    "account " + owner + " has no secret named '" + name + "'; list its names"));
  }

  /**
   * WARNING: returns plaintext secrets; the caller clears every array. Names the owner does not
   * have are left out of the answer; the order follows {@code names}.
   */
  public Map<String, byte[]> getMany(SecretOwner owner, Collection<String> names) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String n : names) {
      find(owner, n).ifPresent(v -> out.put(n, v));
    }
    return out;
  }

  /** The owner's secret names, sorted. */
  public List<String> listNames(SecretOwner owner) {
    byte[] prefix = secretPrefix(owner);
    List<String> names = new ArrayList<>();
    for (byte[] k : storage.listKeys(NS, prefix, limits.maxSecretsPerOwner() + 1_000)) {
      names.add(new String(k, prefix.length, k.length - prefix.length, StandardCharsets.US_ASCII));
    }
    return names;
  }

  /**
   * A view of one owner's secrets for one function run; everything it hands out is cleared when it
   * is closed.
   */
  public SecretView openView(SecretOwner owner) {
    return new SecretView(owner, this);
  }

  Optional<byte[]> find(SecretOwner owner, String name) {
    Objects.requireNonNull(owner, "owner");
    Names.check(name);
    Optional<byte[]> raw = storage.read(NS, secretKey(owner, name));
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    byte[] stored = raw.get();
    try {
      return Optional.of(Arrays.copyOfRange(stored, 8, stored.length));
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
  }

  private SecretReceipt apply(byte[] envelope, SecretOp expected) {
    EnvelopeCodec.Parsed p = EnvelopeCodec.parse(envelope, MAX_PARSE_CIPHERTEXT);
    if (p.op() != expected) {
      throw new SecretEnvelopeMalformedException(
          "the envelope asks for "
              + p.op()
              + " but was sent as "
              + expected
              + "; send it to the "
              + p.op().name().toLowerCase(java.util.Locale.ROOT)
              + " operation");
    }
    if (!key.holds(p.enclaveKey())) {
      HexFormat hex = HexFormat.of();
      throw new SecretWrongEnclaveException(
          "the envelope was encrypted to secrets key "
              + hex.formatHex(p.enclaveKey())
              + ", but this enclave's secrets key is "
              + hex.formatHex(key.publicKey())
              + " (an older cluster epoch's key opens only until it is retired); fetch the current"
              + " key (from the attested enclave keys) and build the envelope again");
    }
    String name = Names.check(p.nameBytes());
    int valueBytes = p.ciphertext().length - EnvelopeCodec.TAG;
    if (p.op() == SecretOp.PUT && valueBytes > limits.maxSecretBytes()) {
      throw new SecretTooLargeException(
          "secret '"
              + name
              + "' has "
              + valueBytes
              + " bytes, the limit is "
              + limits.maxSecretBytes()
              + " bytes per secret");
    }
    if (p.op() == SecretOp.DELETE && valueBytes != 0) {
      throw new SecretEnvelopeMalformedException(
          "a DELETE envelope must encrypt an empty value, this one carries "
              + valueBytes
              + " bytes");
    }
    if (!EnvelopeCrypto.verify(p.ownerKey(), p.signed(), p.signature())) {
      throw new SecretSignatureInvalidException(
          "the signature does not verify with the owner public key in the envelope; sign"
              + " SHA-256 of every byte before the signature with that key (secp256r1, r||s)");
    }
    SecretOwner signer = SecretOwner.fromPublicKey(p.ownerKey());
    if (!signer.equals(p.owner())) {
      throw new SecretOwnerMismatchException(
          "the envelope names account "
              + p.owner()
              + " but is signed by the key of account "
              + signer
              + "; only an account's own key can set its secrets");
    }
    if (EnvelopeCrypto.decodeCompressed(p.ephemeralKey()) == null) {
      throw new SecretEnvelopeMalformedException(
          "the ephemeral key is not a compressed secp256r1 point");
    }
    byte[] plain = decrypt(p);
    try {
      return commit(p, name, plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private byte[] decrypt(EnvelopeCodec.Parsed p) {
    byte[] shared = key.agree(p.enclaveKey(), p.ephemeralKey());
    byte[] aesKey = null;
    try {
      aesKey = EnvelopeCrypto.deriveAesKey(shared, p.ephemeralKey(), p.enclaveKey());
      byte[] plain = EnvelopeCrypto.aesGcmDecrypt(aesKey, p.nonce(), p.aad(), p.ciphertext());
      if (plain == null) {
        throw new SecretDecryptionFailedException(
            "the envelope is signed but its ciphertext does not decrypt with this enclave's"
                + " secrets key; build it again (ECDH, HKDF and AAD as in docs/secrets-envelope.md)");
      }
      return plain;
    } finally {
      Arrays.fill(shared, (byte) 0);
      if (aesKey != null) {
        Arrays.fill(aesKey, (byte) 0);
      }
    }
  }

  private SecretReceipt commit(EnvelopeCodec.Parsed p, String name, byte[] plain) {
    SecretOwner owner = p.owner();
    byte[] ownerKey = owner.scriptHashLE();
    byte[] secretKey = secretKey(owner, name);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<VersionedValue> rec = storage.readVersioned(NS, ownerKey);
      long lastSequence = 0;
      int count = 0;
      long version = 0;
      if (rec.isPresent()) {
        ByteBuffer b = ByteBuffer.wrap(rec.get().value());
        lastSequence = b.getLong();
        count = b.getInt();
        version = rec.get().version();
      }
      if (p.sequence() <= lastSequence) {
        throw new SecretStaleSequenceException(
            "envelope sequence "
                + p.sequence()
                + " is not above "
                + lastSequence
                + ", the last one accepted for account "
                + owner
                + "; an old envelope was replayed or sent out of order. Build a new one with a"
                + " higher sequence (the CLI uses the current time in milliseconds)");
      }
      boolean exists = storage.exists(NS, secretKey);
      StorageBatch.Builder batch = StorageBatch.builder().expectVersion(NS, ownerKey, version);
      int newCount;
      if (p.op() == SecretOp.PUT) {
        newCount = exists ? count : count + 1;
        if (newCount > limits.maxSecretsPerOwner()) {
          throw new SecretLimitReachedException(
              "account "
                  + owner
                  + " already has "
                  + count
                  + " secrets, the limit; delete one before adding '"
                  + name
                  + "'");
        }
        byte[] stored =
            ByteBuffer.allocate(8 + plain.length).putLong(p.sequence()).put(plain).array();
        batch.put(NS, secretKey, stored);
        Arrays.fill(stored, (byte) 0);
      } else {
        newCount = exists ? count - 1 : count;
        batch.delete(NS, secretKey);
      }
      batch.put(
          NS, ownerKey, ByteBuffer.allocate(12).putLong(p.sequence()).putInt(newCount).array());
      try {
        storage.commit(batch.build());
        return new SecretReceipt(owner, name, p.op(), p.sequence());
      } catch (StorageVersionConflictException e) {
        // Another envelope of this owner landed first; look again (ours may now be stale).
      }
    }
    throw new SecretConflictException(
        "secrets of account " + owner + " kept changing concurrently; send the envelope again");
  }

  private static byte[] secretPrefix(SecretOwner owner) {
    return ByteBuffer.allocate(21).put(owner.scriptHashLE()).put((byte) '/').array();
  }

  private static byte[] secretKey(SecretOwner owner, String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(21 + n.length).put(secretPrefix(owner)).put(n).array();
  }

  @Override
  public String toString() {
    return "UserSecretManager[" + limits + "]";
  }
}
