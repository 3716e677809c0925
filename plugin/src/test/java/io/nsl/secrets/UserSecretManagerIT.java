package io.nsl.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.NslException;
import io.nsl.secrets.internal.EnvelopeCrypto;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyProvider;
import io.nsl.storage.StorageOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UserSecretManager on a real encrypted store; hostile envelopes first. */
class UserSecretManagerIT {
  static final StorageKeyProvider STORAGE_KEY =
      purpose -> {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 9);
        return k;
      };

  @TempDir Path dir;
  PersistentStorageService storage;
  TestSecretsKey enclave = TestSecretsKey.random(new Random(1));
  TestOwner alice = TestOwner.of("alice");
  TestOwner mallory = TestOwner.of("mallory");
  UserSecretManager secrets;
  SecureRandom random = new SecureRandom();

  @BeforeEach
  void open() {
    storage =
        PersistentStorageService.initialise(
            StorageOptions.defaults(dir.resolve("db")), STORAGE_KEY);
    secrets = new UserSecretManager(storage, enclave, new SecretLimits(3, 100));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  byte[] put(TestOwner owner, String name, String value, long seq) {
    return SecretEnvelopeBuilder.put(
        enclave.publicKey(), name, value.getBytes(StandardCharsets.UTF_8), seq, owner, random);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void storesAndReadsBackPerOwner() {
    SecretReceipt r = secrets.store(put(alice, "API_KEY", "alice-secret", 1));
    assertEquals(new SecretReceipt(alice.account(), "API_KEY", SecretOp.PUT, 1), r);
    assertEquals("alice-secret", s(secrets.get(alice.account(), "API_KEY")));
    assertThrows(SecretNotFoundException.class, () -> secrets.get(mallory.account(), "API_KEY"));
    assertEquals(List.of(), secrets.listNames(mallory.account()));
  }

  @Test
  void getManyListNamesAndDelete() {
    secrets.store(put(alice, "b.key", "B", 1));
    secrets.store(put(alice, "a-key", "A", 2));
    secrets.store(put(alice, "a-key", "A2", 3));
    assertEquals(List.of("a-key", "b.key"), secrets.listNames(alice.account()));
    Map<String, byte[]> many =
        secrets.getMany(alice.account(), List.of("b.key", "missing", "a-key"));
    assertEquals(List.of("b.key", "a-key"), new ArrayList<>(many.keySet()));
    assertEquals("A2", s(many.get("a-key")));
    secrets.delete(SecretEnvelopeBuilder.delete(enclave.publicKey(), "a-key", 4, alice, random));
    assertEquals(List.of("b.key"), secrets.listNames(alice.account()));
    assertThrows(SecretNotFoundException.class, () -> secrets.get(alice.account(), "a-key"));
  }

  @Test
  void acceptsThePublishedVectorEnvelope() throws Exception {
    JsonNode v = SecretEnvelopeVectorTest.vectors().get(0);
    TestSecretsKey vectorEnclave =
        new TestSecretsKey(SecretEnvelopeVectorTest.h(v, "enclaveSecretsPrivateKey"));
    UserSecretManager m = new UserSecretManager(storage, vectorEnclave, SecretLimits.defaults());
    SecretReceipt r = m.store(SecretEnvelopeVectorTest.h(v, "envelope"));
    assertEquals(v.get("ownerScriptHash").asText(), r.owner().toString());
    assertEquals(v.get("valueUtf8").asText(), s(m.get(r.owner(), v.get("name").asText())));
    m.delete(SecretEnvelopeVectorTest.h(SecretEnvelopeVectorTest.vectors().get(1), "envelope"));
    assertEquals(List.of(), m.listNames(r.owner()));
  }

  @Test
  void acceptsRandomizedJceSignatureLikeNodeMakes() throws Exception {
    // Node's crypto.sign(..., {dsaEncoding: 'ieee-p1363'}) signs with a random k, like this.
    OwnerSigner jce =
        new OwnerSigner() {
          @Override
          public byte[] publicKey() {
            return alice.publicKey();
          }

          @Override
          public byte[] sign(byte[] message) {
            try {
              AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
              ap.init(new ECGenParameterSpec("secp256r1"));
              ECPrivateKey pk =
                  (ECPrivateKey)
                      KeyFactory.getInstance("EC")
                          .generatePrivate(
                              new ECPrivateKeySpec(
                                  new java.math.BigInteger(1, alice.privateKey()),
                                  ap.getParameterSpec(ECParameterSpec.class)));
              Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
              sig.initSign(pk);
              sig.update(message);
              return sig.sign();
            } catch (java.security.GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    byte[] env =
        SecretEnvelopeBuilder.put(
            enclave.publicKey(), "JCE", "v".getBytes(StandardCharsets.UTF_8), 1, jce, random);
    secrets.store(env);
    assertEquals("v", s(secrets.get(alice.account(), "JCE")));
  }

  @Test
  void rejectsEnvelopeForAnotherEnclave() {
    TestSecretsKey other = TestSecretsKey.random(new Random(2));
    byte[] env =
        SecretEnvelopeBuilder.put(other.publicKey(), "K", new byte[] {1}, 1, alice, random);
    SecretWrongEnclaveException e =
        assertThrows(SecretWrongEnclaveException.class, () -> secrets.store(env));
    assertEquals("SECRET_WRONG_ENCLAVE", e.code());
    assertTrue(
        e.getMessage().contains(HexFormat.of().formatHex(other.publicKey())), e.getMessage());
  }

  @Test
  void rejectsSignatureByAnotherKey() {
    byte[] env = put(alice, "K", "v", 1);
    byte[] forged = resign(env, mallory, false);
    SecretSignatureInvalidException e =
        assertThrows(SecretSignatureInvalidException.class, () -> secrets.store(forged));
    assertEquals("SECRET_SIGNATURE_INVALID", e.code());
  }

  @Test
  void rejectsAnyChangedByte() {
    byte[] env = put(alice, "K", "value", 1);
    for (int i : new int[] {10, 70, 100, env.length - 100, env.length - 65, env.length - 1}) {
      byte[] bad = env.clone();
      bad[i] ^= 0x01;
      assertThrows(NslException.class, () -> secrets.store(bad), "byte " + i);
    }
    assertFalse(secrets.listNames(alice.account()).contains("K"));
  }

  @Test
  void rejectsKeyThatDoesNotBelongToTheClaimedOwner() {
    // Mallory signs an envelope that claims to be Alice's, with her own key.
    byte[] env = put(mallory, "K", "mallory's value", 1);
    System.arraycopy(alice.account().scriptHashLE(), 0, env, 6, 20);
    byte[] forged = resign(env, mallory, true);
    SecretOwnerMismatchException e =
        assertThrows(SecretOwnerMismatchException.class, () -> secrets.store(forged));
    assertEquals("SECRET_OWNER_MISMATCH", e.code());
    assertTrue(e.getMessage().contains(alice.account().toString()), e.getMessage());
  }

  @Test
  void rejectsCiphertextTransplantedToAnotherOwner() {
    // Mallory takes Alice's envelope, makes it hers and signs it: the ciphertext is bound to the
    // header (owner included), so the enclave refuses to decrypt it into Mallory's secrets.
    byte[] env = put(alice, "K", "alice-secret", 1);
    System.arraycopy(mallory.account().scriptHashLE(), 0, env, 6, 20);
    int ownerKeyAt = env.length - 64 - 33;
    System.arraycopy(mallory.publicKey(), 0, env, ownerKeyAt, 33);
    byte[] forged = resign(env, mallory, true);
    SecretDecryptionFailedException e =
        assertThrows(SecretDecryptionFailedException.class, () -> secrets.store(forged));
    assertEquals("SECRET_DECRYPTION_FAILED", e.code());
    assertEquals(List.of(), secrets.listNames(mallory.account()));
  }

  @Test
  void rejectsReplayedOlderEnvelope() {
    byte[] first = put(alice, "K", "old", 10);
    secrets.store(first);
    secrets.store(put(alice, "K", "new", 11));
    SecretStaleSequenceException e =
        assertThrows(SecretStaleSequenceException.class, () -> secrets.store(first));
    assertEquals("SECRET_STALE_SEQUENCE", e.code());
    assertEquals("new", s(secrets.get(alice.account(), "K")));
    // Also after a delete: the old PUT must not bring the secret back.
    secrets.delete(SecretEnvelopeBuilder.delete(enclave.publicKey(), "K", 12, alice, random));
    assertThrows(SecretStaleSequenceException.class, () -> secrets.store(first));
    // The sequence is per owner, across names.
    assertThrows(
        SecretStaleSequenceException.class, () -> secrets.store(put(alice, "OTHER", "x", 12)));
    assertThrows(SecretNotFoundException.class, () -> secrets.get(alice.account(), "K"));
  }

  @Test
  void rejectsOversizeSecretAndTooManySecrets() {
    SecretTooLargeException big =
        assertThrows(
            SecretTooLargeException.class,
            () -> secrets.store(put(alice, "K", "x".repeat(101), 1)));
    assertEquals("SECRET_TOO_LARGE", big.code());
    assertTrue(big.getMessage().contains("101"), big.getMessage());
    secrets.store(put(alice, "K", "x".repeat(100), 2));
    secrets.store(put(alice, "A", "a", 3));
    secrets.store(put(alice, "B", "b", 4));
    SecretLimitReachedException many =
        assertThrows(
            SecretLimitReachedException.class, () -> secrets.store(put(alice, "C", "c", 5)));
    assertEquals("SECRET_LIMIT_REACHED", many.code());
    // Replacing an existing name is still fine at the limit.
    secrets.store(put(alice, "A", "a2", 6));
    assertEquals("a2", s(secrets.get(alice.account(), "A")));
  }

  @Test
  void refusesUnicodeNamesNamingTheCharacter() {
    InvalidSecretNameException e =
        assertThrows(InvalidSecretNameException.class, () -> put(alice, "clé", "v", 1));
    assertTrue(e.getMessage().contains("U+00E9 at position 2"), e.getMessage());
    assertThrows(InvalidSecretNameException.class, () -> secrets.get(alice.account(), "clé"));
    assertThrows(InvalidSecretNameException.class, () -> secrets.get(alice.account(), ""));
    assertThrows(
        InvalidSecretNameException.class, () -> secrets.get(alice.account(), "a".repeat(65)));
    assertThrows(InvalidSecretNameException.class, () -> secrets.get(alice.account(), "a/b"));
  }

  @Test
  void refusesBinaryNameInEnvelope() {
    // The builder refuses such names, so patch one in and sign it properly.
    byte[] env = put(alice, "AB", "v", 1);
    int nameAt = 4 + 1 + 1 + 20 + 33 + 8 + 1;
    env[nameAt] = 0x00;
    env[nameAt + 1] = (byte) 0xc3;
    byte[] signed = resign(env, alice, true);
    InvalidSecretNameException e =
        assertThrows(InvalidSecretNameException.class, () -> secrets.store(signed));
    assertTrue(e.getMessage().contains("byte 0x00 at position 0"), e.getMessage());
  }

  @Test
  void rejectsTruncatedAndWrongOperationEnvelopes() {
    byte[] env = put(alice, "K", "v", 1);
    assertThrows(
        SecretEnvelopeMalformedException.class,
        () -> secrets.store(Arrays.copyOf(env, env.length - 1)));
    assertThrows(SecretEnvelopeMalformedException.class, () -> secrets.store(new byte[3]));
    SecretEnvelopeMalformedException e =
        assertThrows(SecretEnvelopeMalformedException.class, () -> secrets.delete(env));
    assertTrue(e.getMessage().contains("PUT"), e.getMessage());
  }

  @Test
  void secretValuesNeverAppearInErrorsOrToString() {
    String value = "very-secret-value-xyz";
    secrets.store(put(alice, "K", value, 1));
    List<String> texts = new ArrayList<>();
    texts.add(secrets.toString());
    texts.add(secrets.store(put(alice, "K2", value, 2)).toString());
    try (SecretView view = secrets.openView(alice.account())) {
      view.get("K");
      texts.add(view.toString());
    }
    for (byte[] env :
        List.of(put(alice, "K", value, 1), put(alice, "K", value + "x".repeat(100), 9))) {
      try {
        secrets.store(env);
      } catch (NslException e) {
        texts.add(e.getMessage());
      }
    }
    assertEquals(5, texts.size());
    for (String t : texts) {
      assertFalse(t.contains(value), t);
    }
  }

  @Test
  void viewServesOnlyItsOwnerAndClearsValuesOnClose() {
    secrets.store(put(alice, "K", "alice", 1));
    secrets.store(put(mallory, "K", "mallory", 1));
    byte[] handed;
    try (SecretView view = secrets.openView(alice.account())) {
      handed = view.get("K").orElseThrow();
      assertEquals("alice", s(handed));
      assertEquals(List.of("K"), view.names());
      assertTrue(view.get("missing").isEmpty());
    }
    assertArrayEquals(new byte[5], handed);
    SecretView closed = secrets.openView(alice.account());
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.get("K"));
  }

  @Test
  void refusesToKeepSecretsInAPlainStore() {
    try (PersistentStorageService plain =
        PersistentStorageService.initialise(
            StorageOptions.defaults(dir.resolve("plain")).withEncrypted(false), STORAGE_KEY)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new UserSecretManager(plain, enclave, SecretLimits.defaults()));
    }
  }

  @Test
  void secretsSurviveRestartAndAreNotPlaintextOnDisk() throws Exception {
    String marker = "PLAINTEXT-SECRET-MARKER-77";
    secrets.store(put(alice, "K", marker, 1));
    storage.flush();
    storage.close();
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(marker), "plaintext secret in " + f.getFileName());
      }
    }
    open();
    assertEquals(marker, s(secrets.get(alice.account(), "K")));
    assertTrue(storage.exists(Namespace.secrets(), alice.account().scriptHashLE()));
  }

  @Test
  void concurrentEnvelopesKeepTheHighestSequence() throws Exception {
    int n = 24;
    List<byte[]> envs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      envs.add(put(alice, "K", "v" + i, i));
    }
    java.util.Collections.shuffle(envs, new Random(3));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (byte[] env : envs) {
        results.add(
            pool.submit(
                () -> {
                  try {
                    secrets.store(env);
                    return true;
                  } catch (SecretStaleSequenceException e) {
                    return false;
                  }
                }));
      }
      int accepted = 0;
      for (Future<Boolean> f : results) {
        accepted += f.get() ? 1 : 0;
      }
      assertTrue(accepted >= 1);
    } finally {
      pool.shutdownNow();
    }
    // Whatever interleaving happened, the highest sequence can never be stale, and wins.
    assertEquals("v" + n, s(secrets.get(alice.account(), "K")));
    assertThrows(
        SecretStaleSequenceException.class, () -> secrets.store(put(alice, "K", "late", n)));
  }

  /** Re-signs {@code env} with {@code signer}, optionally putting the signer's key in. */
  private static byte[] resign(byte[] env, TestOwner signer, boolean keepKeyField) {
    byte[] out = env.clone();
    int sigAt = out.length - 64;
    if (!keepKeyField) {
      // Keep the original owner key but sign with another key: the signature must not verify.
      byte[] sig = signer.sign(Arrays.copyOf(out, sigAt));
      System.arraycopy(sig, 0, out, sigAt, 64);
      return out;
    }
    byte[] sig = EnvelopeCrypto.signDeterministic(signer.privateKey(), Arrays.copyOf(out, sigAt));
    System.arraycopy(sig, 0, out, sigAt, 64);
    return ByteBuffer.wrap(out).array();
  }
}
