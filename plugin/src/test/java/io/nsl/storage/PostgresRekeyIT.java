package io.nsl.storage;

import static io.nsl.storage.TestStores.bytes;
import static io.nsl.storage.TestStores.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.testing.LocalPostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster rotation (decision 0502) on the PostgreSQL engine: records of epoch 0 stay readable
 * while the epoch is 1, {@code rekeyStep} re-seals every row (values, their sealed names, chunks,
 * usage, metadata), and afterwards the store opens and reads with the epoch-1 key alone.
 */
class PostgresRekeyIT {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  static final Namespace FN = Namespace.functionState("f1");
  static final Namespace SVC = Namespace.service();

  /** Keys per epoch; {@code oldest} is the first epoch it still holds. */
  static StorageKeyProvider epochs(AtomicInteger current, int oldest) {
    return new StorageKeyProvider() {
      @Override
      public byte[] deriveStorageKey(String purpose) {
        return deriveStorageKey(current.get(), purpose);
      }

      @Override
      public int currentEpoch() {
        return current.get();
      }

      @Override
      public byte[] deriveStorageKey(int epoch, String purpose) {
        if (epoch < oldest || epoch > current.get()) {
          throw new StorageKeyMismatchException("no key for epoch " + epoch);
        }
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) (epoch + 11));
        return k;
      }
    };
  }

  @Test
  void rekeyMovesEveryRowToTheNewEpochAndTheOldKeyIsNoLongerNeeded() throws IOException {
    String url = pg.freshDatabase("rekey");
    AtomicInteger epoch = new AtomicInteger(0);
    byte[] blob = new byte[150_000];
    new Random(2).nextBytes(blob);
    try (PersistentStorageService s =
        PersistentStorageService.initialise(StorageOptions.postgres(url), epochs(epoch, 0))) {
      for (int i = 0; i < 10; i++) {
        s.write(FN, "k" + i, bytes("value " + i));
      }
      try (StorageWriteStream out = s.openWriteStream(SVC, bytes("blob"))) {
        out.write(blob);
      }
      Map<Integer, Long> before = s.sealedRecordsByEpoch();
      assertEquals(1, before.size(), before.toString());
      long records = before.get(0);

      epoch.set(1);
      s.write(SVC, "new", bytes("sealed under epoch 1"));
      assertEquals("value 3", str(s.read(FN, "k3").orElseThrow()), "epoch 0 still opens");
      RekeyProgress p;
      int steps = 0;
      do {
        p = s.rekeyStep(4);
        steps++;
        assertTrue(steps < 100, "the move does not end: " + p);
      } while (!p.done());
      assertTrue(steps > 2, "a step moves at most 4 rows, took " + steps);
      assertEquals(1, p.targetEpoch());
      Map<Integer, Long> after = s.sealedRecordsByEpoch();
      // + the new value and its sealed name, + the rekey cursor: all under epoch 1.
      assertEquals(Map.of(1, records + 3), after);
      assertTrue(s.rekeyCursor().orElseThrow().done());
    }
    // The old epoch retired: only epoch 1's key.
    try (PersistentStorageService s =
        PersistentStorageService.initialise(StorageOptions.postgres(url), epochs(epoch, 1))) {
      for (int i = 0; i < 10; i++) {
        assertEquals("value " + i, str(s.read(FN, "k" + i).orElseThrow()));
      }
      assertEquals(new StorageUsage(10 * 2 + 10 * 7, 10), s.usage(FN));
      try (InputStream in = s.openReadStream(SVC, bytes("blob")).orElseThrow()) {
        assertArrayEquals(blob, in.readAllBytes());
      }
      assertEquals(10, s.listKeys(FN, new byte[0], 100).size());
      s.write(FN, "k0", bytes("written after"));
    }
  }
}
