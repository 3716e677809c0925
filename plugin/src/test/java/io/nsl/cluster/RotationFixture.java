package io.nsl.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.cluster.ClusterFixture.Developer;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.UserSecretManager;
import io.nsl.service.ClusterWiring;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import io.nsl.storage.StorageWriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * One instance's data folder for the rotation tests: a SIMULATED enclave holding cluster keys, its
 * encrypted store, two developers' secrets, two functions' state (one value streamed in chunks).
 * Every value is a function of its index, so any process can check them all.
 */
final class RotationFixture implements AutoCloseable {
  static final Developer ALICE = Developer.of("alice");
  static final Developer BOB = Developer.of("bob");
  static final Namespace FN_A = Namespace.functionState("fn-a");
  static final Namespace FN_B = Namespace.functionState("fn-b");
  static final int BIG = 300 * 1024;

  final SimulatedEnclave enclave;
  final PersistentStorageService storage;
  final UserSecretManager secrets;

  private RotationFixture(Path dir) {
    enclave = SimulatedEnclave.open(dir.resolve("enclave"), Clock.systemUTC(), new SecureRandom());
    storage =
        PersistentStorageService.initialise(
            StorageOptions.defaults(dir.resolve("store")), ClusterWiring.storageKeys(enclave));
    secrets =
        new UserSecretManager(
            storage, ClusterWiring.secretsKey(enclave), new SecretLimits(100_000, 64 * 1024));
  }

  /** Opens (or creates) the data folder at {@code dir}. */
  static RotationFixture open(Path dir) {
    return new RotationFixture(dir);
  }

  /** Makes the cluster and writes {@code perOwner} secrets per developer and the state. */
  void populate(int perOwner) {
    enclave.initCluster();
    SecureRandom r = new SecureRandom();
    for (Developer d : new Developer[] {ALICE, BOB}) {
      for (int i = 0; i < perOwner; i++) {
        secrets.store(
            SecretEnvelopeBuilder.put(
                enclave.secretsPublicKey(), "s" + i, secretValue(d, i), i + 1, d, r));
      }
    }
    for (int i = 0; i < 50; i++) {
      storage.write(FN_A, "k" + i, stateValue(FN_A, i));
      storage.write(FN_B, "k" + i, stateValue(FN_B, i));
    }
    try (StorageWriteStream out = storage.openWriteStream(FN_B, bytes("big"))) {
      out.write(bigValue());
    }
  }

  /** Checks that every secret and state value reads back; returns how many values it read. */
  int checkAll(int perOwner) {
    int n = 0;
    for (Developer d : new Developer[] {ALICE, BOB}) {
      SecretOwner o = SecretOwner.fromPublicKey(d.publicKey());
      for (int i = 0; i < perOwner; i++) {
        assertArrayEquals(secretValue(d, i), secrets.get(o, "s" + i), o + " secret s" + i);
        n++;
      }
    }
    for (Namespace ns : new Namespace[] {FN_A, FN_B}) {
      for (int i = 0; i < 50; i++) {
        assertArrayEquals(
            stateValue(ns, i), storage.read(ns, "k" + i).orElseThrow(), ns + " k" + i);
        n++;
      }
    }
    try (InputStream in = storage.openReadStream(FN_B, bytes("big")).orElseThrow()) {
      assertArrayEquals(bigValue(), in.readAllBytes(), "the streamed value");
      n++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  /** Waits (at most two minutes: a bound, not a timing assertion) for the move to end. */
  static Rotation.Status awaitEnd(Rotation rotation) {
    long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < until) {
      Rotation.Status s = rotation.status();
      if (s.stage() != RotationStage.MOVING) {
        return s;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the move did not end within two minutes: " + rotation.status());
  }

  static void assertOnlyEpoch(PersistentStorageService s, int epoch) {
    assertEquals(
        java.util.List.of(epoch),
        java.util.List.copyOf(s.sealedRecordsByEpoch().keySet()),
        "records by epoch " + s.sealedRecordsByEpoch());
  }

  static byte[] secretValue(Developer d, int i) {
    return bytes((d == ALICE ? "alice-" : "bob-") + i + "-secret");
  }

  static byte[] stateValue(Namespace ns, int i) {
    return bytes(ns.name() + "/value-" + i + "-" + "x".repeat(i * 7));
  }

  static byte[] bigValue() {
    byte[] b = new byte[BIG];
    new Random(42).nextBytes(b);
    return b;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    storage.close();
    enclave.close();
  }
}
