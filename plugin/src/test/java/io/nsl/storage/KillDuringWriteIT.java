package io.nsl.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write survives SIGKILL: a child JVM writes in a loop and is killed at a random
 * moment, 24 times; after each kill the store must open, hold every acknowledged step with its
 * exact value, and hold nothing corrupt.
 */
class KillDuringWriteIT {
  private static final int ROUNDS = 24;
  private static final long SEED = Long.getLong("nsl.test.seed", 20250611L);

  @TempDir Path dir;

  /** Where the store called {@code name} is: a folder here; PostgreSQL's subclass, a database. */
  String location(String name) {
    return dir.resolve(name).toString();
  }

  /** Stream chunks held by the store at {@code location} (closed). */
  int chunkCount(String location) {
    int[] n = {0};
    TestStores.editRaw(Path.of(location), raw -> n[0] = TestStores.chunkKeys(raw).size());
    return n[0];
  }

  /** Waits until the killed child's hold on the store is gone (RocksDB: its lock is the file). */
  void awaitChildGone(String location) {}

  @Test
  void survivesKillDuringWrite() throws Exception {
    String db = location("db");
    Random random = new Random(SEED);
    long maxAcked = 0;
    long totalAcked = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String context = "round " + round + ", seed " + SEED;
      Process child = startChild(db, dir.resolve("child-" + round + ".err"), "batches");
      AtomicLong lastAck = new AtomicLong(-1);
      CountDownLatch firstAck = new CountDownLatch(1);
      Thread reader =
          Thread.ofVirtual().start(() -> readAcks(child.getInputStream(), lastAck, firstAck));
      boolean started = firstAck.await(60, TimeUnit.SECONDS);
      if (started) {
        Thread.sleep(random.nextInt(250));
      }
      // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
      // child's stdout and lose ACK lines still in the pipe.
      child.toHandle().destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
      assertTrue(started, "child never acknowledged a write in " + context + "; see " + dir);
      long acked = lastAck.get();
      assertTrue(acked >= maxAcked, "acks went backwards in " + context);
      totalAcked += acked - maxAcked;
      maxAcked = acked;
      awaitChildGone(db);
      verify(db, maxAcked, context);
    }
    assertTrue(totalAcked >= ROUNDS, "only " + totalAcked + " writes were acknowledged");
  }

  /**
   * A child that committed one stream and is killed while writing two more (one replacing the
   * first) leaves orphaned chunks; opening the store collects them and keeps the committed one.
   */
  @Test
  void orphanedChunksOfAKilledStreamWriterAreCollectedAtOpen() throws Exception {
    String db = location("orphans");
    Process child = startChild(db, dir.resolve("orphans.err"), "orphans");
    CountDownLatch chunks = new CountDownLatch(1);
    AtomicLong written = new AtomicLong();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                      if (line.startsWith("CHUNK ") && Long.parseLong(line.substring(6)) >= 4) {
                        written.set(Long.parseLong(line.substring(6)));
                        chunks.countDown();
                      }
                    }
                  } catch (IOException e) {
                    // broken by the kill
                  }
                });
    boolean streaming = chunks.await(60, TimeUnit.SECONDS);
    child.toHandle().destroyForcibly();
    child.waitFor(30, TimeUnit.SECONDS);
    reader.join(10_000);
    assertTrue(streaming, "the child never wrote 4 chunks; see " + dir.resolve("orphans.err"));

    awaitChildGone(db);
    int[] onDisk = {chunkCount(db)};
    byte[] kept = DurabilityChild.keptStream();
    int keptChunks =
        (kept.length + StorageLimits.defaults().streamChunkBytes() - 1)
            / StorageLimits.defaults().streamChunkBytes();
    // Each acknowledged CHUNK line is one emitted chunk per stream, minus the one still buffered.
    assertTrue(onDisk[0] >= keptChunks + 2 * 3, "orphans on disk after the kill: " + onDisk[0]);

    try (PersistentStorageService store =
        PersistentStorageService.initialise(DurabilityChild.options(db), TestStores.fixedKey(7))) {
      assertTrue(
          store.openReadStream(DurabilityChild.SVC, DurabilityChild.key("lost", 0)).isEmpty());
      try (InputStream in =
          store.openReadStream(DurabilityChild.SVC, DurabilityChild.key("kept", 0)).orElseThrow()) {
        assertArrayEquals(kept, in.readAllBytes());
      }
    }
    onDisk[0] = chunkCount(db);
    assertEquals(
        keptChunks,
        onDisk[0],
        "only the committed stream's chunks remain (" + written + " written)");
  }

  private static void readAcks(InputStream in, AtomicLong lastAck, CountDownLatch firstAck) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          lastAck.set(Long.parseLong(line.substring(4)));
          firstAck.countDown();
        }
      }
    } catch (IOException e) {
      // The pipe breaks when the child is killed; what was read before is all that was acked.
    }
  }

  private static void verify(String db, long maxAcked, String context) {
    try (PersistentStorageService store =
        PersistentStorageService.initialise(DurabilityChild.options(db), TestStores.fixedKey(7))) {
      long cursor =
          Long.parseLong(TestStores.str(store.read(DurabilityChild.SVC, "cursor").orElseThrow()));
      // The child may have committed one step and died before printing its ACK.
      assertTrue(
          cursor == maxAcked || cursor == maxAcked + 1,
          "cursor " + cursor + " vs last ack " + maxAcked + " in " + context);
      for (long n = 1; n <= cursor; n++) {
        byte[] v =
            store
                .read(DurabilityChild.DATA, DurabilityChild.key("k", n))
                .orElseThrow(() -> new AssertionError("missing acknowledged step in " + context));
        assertArrayEquals(DurabilityChild.valueFor(n), v, "step " + n + " in " + context);
        if (n % 7 == 0) {
          try (InputStream in =
              store
                  .openReadStream(DurabilityChild.SVC, DurabilityChild.key("s", n))
                  .orElseThrow()) {
            assertArrayEquals(DurabilityChild.streamFor(n), in.readAllBytes(), "stream " + n);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      }
      // Nothing beyond the cursor is half-written: every stored value authenticates.
      List<byte[]> keys = store.listKeys(DurabilityChild.DATA, new byte[0], Integer.MAX_VALUE);
      for (byte[] k : keys) {
        store.read(DurabilityChild.DATA, k).orElseThrow();
      }
      assertTrue(
          keys.size() == cursor, keys.size() + " keys for cursor " + cursor + " in " + context);
    }
  }

  private static Process startChild(String db, Path stderr, String mode) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xshare:auto");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DurabilityChild.class.getName());
    cmd.add(db);
    cmd.add(mode);
    return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
  }
}
