package io.nsl.bench.storage;

import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Write and read of 1 KiB values, encrypted versus plain, on the same RocksDB engine. Values are
 * random (incompressible) and compression is off in both, so the difference is the sealing. With
 * {@code syncWrites=true} every write waits for the WAL fsync (what production does); {@code false}
 * shows the CPU cost alone. Throughput mode gives ops/s, SampleTime gives the p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class StorageBenchmark {
  private static final int KEYS = 20_000;
  private static final Namespace NS = Namespace.service();

  @Param({"true", "false"})
  public boolean encrypted;

  @Param({"true", "false"})
  public boolean syncWrites;

  private Path dir;
  private PersistentStorageService store;
  private byte[][] values;
  private long counter;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("nsl-bench");
    StorageOptions o =
        StorageOptions.defaults(dir)
            .withEncrypted(encrypted)
            .withCompressed(false)
            .withSyncWrites(syncWrites);
    Random r = new Random(1);
    values = new byte[64][1024];
    for (byte[] v : values) {
      r.nextBytes(v);
    }
    // Fill without fsync (fast), then reopen with the setting under test.
    try (PersistentStorageService fill =
        PersistentStorageService.initialise(o.withSyncWrites(false), StorageBenchmark::key32)) {
      for (int i = 0; i < KEYS; i++) {
        fill.write(NS, key(i), values[i & 63]);
      }
      fill.flush();
    }
    store = PersistentStorageService.initialise(o, StorageBenchmark::key32);
  }

  private static byte[] key32(String purpose) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 1);
    return k;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static byte[] key(long i) {
    return ByteBuffer.allocate(8).putLong(i % KEYS).array();
  }

  @Benchmark
  public long write1KiB() {
    long i = counter++;
    return store.write(NS, key(i * 7919), values[(int) (i & 63)]);
  }

  @Benchmark
  public byte[] read1KiB() {
    long i = counter++;
    return store.read(NS, key(i * 7919)).orElseThrow();
  }
}
