package io.nsl.bench.storage;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * CPU time per 1 KiB read, encrypted versus plain, for a machine shared with other work. JMH's
 * wall-clock modes count the time this thread waits for a core, which on a loaded machine swamps a
 * microsecond-scale difference; the thread's own CPU time (ThreadMXBean) does not. The two stores
 * are measured in alternating rounds so that drifting load hits both alike, and the median round is
 * reported. Same data and settings as {@link StorageBenchmark} (20,000 random 1 KiB values,
 * compression off, so the difference is the sealing).
 *
 * <p>Run: {@code bench/jmh/storage.sh cpu [rounds] [readsPerRound]}
 */
public final class ReadCpuTime {
  private static final int KEYS = 20_000;
  private static final Namespace NS = Namespace.service();

  private ReadCpuTime() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int reads = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Path encDir = Files.createTempDirectory("nsl-cpu-enc");
    Path plainDir = Files.createTempDirectory("nsl-cpu-plain");
    try (PersistentStorageService enc = fill(encDir, true);
        PersistentStorageService plain = fill(plainDir, false)) {
      // Warm-up: JIT both paths before measuring.
      for (int i = 0; i < 3; i++) {
        run(enc, reads, mx);
        run(plain, reads, mx);
      }
      double[] e = new double[rounds];
      double[] p = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        e[r] = run(enc, reads, mx);
        p[r] = run(plain, reads, mx);
      }
      Arrays.sort(e);
      Arrays.sort(p);
      double em = e[rounds / 2];
      double pm = p[rounds / 2];
      System.out.printf(
          "CPU ns per 1 KiB read, median of %d rounds x %d reads: encrypted %.0f (min %.0f),"
              + " plain %.0f (min %.0f); encrypted throughput = %.1f %% of plain (cost %.1f %%)%n",
          rounds, reads, em, e[0], pm, p[0], 100 * pm / em, 100 * (1 - pm / em));
    } finally {
      delete(encDir);
      delete(plainDir);
    }
  }

  private static double run(PersistentStorageService s, int reads, ThreadMXBean mx) {
    long sink = 0;
    long t0 = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < reads; i++) {
      sink += s.read(NS, key(i * 7919L)).orElseThrow().length;
    }
    long t1 = mx.getCurrentThreadCpuTime();
    if (sink != 1024L * reads) {
      throw new IllegalStateException("read " + sink + " bytes");
    }
    return (double) (t1 - t0) / reads;
  }

  private static PersistentStorageService fill(Path dir, boolean encrypted) {
    StorageOptions o =
        StorageOptions.defaults(dir)
            .withEncrypted(encrypted)
            .withCompressed(false)
            .withSyncWrites(false);
    Random r = new Random(1);
    byte[][] values = new byte[64][1024];
    for (byte[] v : values) {
      r.nextBytes(v);
    }
    PersistentStorageService s = PersistentStorageService.initialise(o, ReadCpuTime::key32);
    for (int i = 0; i < KEYS; i++) {
      s.write(NS, key(i), values[i & 63]);
    }
    s.flush();
    return s;
  }

  private static byte[] key32(String purpose) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 1);
    return k;
  }

  private static byte[] key(long i) {
    return ByteBuffer.allocate(8).putLong(i % KEYS).array();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
