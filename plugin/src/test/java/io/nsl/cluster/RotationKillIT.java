package io.nsl.cluster;

import static io.nsl.cluster.RotationFixture.assertOnlyEpoch;
import static io.nsl.cluster.RotationFixture.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the process that rotates (a separate JVM, {@link RotationChild}) at several points of
 * a rotation: right after the new epoch is sealed and before anything moved, at seeded random
 * points of the move, and during the move a restart resumes. After every kill every secret and
 * every state value reads back, and a resumed move completes with everything under the new epoch.
 * The seed is in every failure message.
 */
class RotationKillIT {
  private static final int PER_OWNER = 100;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aRotationKilledAtAnyPointLosesNothingAndAResumedMoveCompletes() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path data = dir.resolve("instance");
    int records;
    try (RotationFixture f = RotationFixture.open(data)) {
      f.populate(PER_OWNER);
      records = (int) (long) f.storage.sealedRecordsByEpoch().get(0);
    }
    int epoch = 0;

    // 1. Killed right after the new epoch was sealed, before a record moved.
    killWhen(data, "seal", line -> line.equals("SEALED"), "seed " + seed + " seal");
    epoch++;
    checkThenResume(data, epoch, "seed " + seed + " after seal");

    // 2. Killed at random points of the move, then at a random point of the resumed move.
    int kills = 0;
    for (int round = 0; round < 4; round++) {
      String ctx = "seed " + seed + " round " + round;
      int killAfter = 1 + random.nextInt(Math.max(1, records / 4 / 3));
      boolean killed =
          killWhen(data, "rotate", movedAtLeast(killAfter * 4L), ctx + " killAfter " + killAfter);
      epoch++;
      check(data, epoch, ctx + " after the kill");
      if (killed && round % 2 == 1) {
        killWhen(data, "resume", movedAtLeast(1 + (killAfter + 2) * 4L), ctx + " resume");
        check(data, epoch, ctx + " after the kill of the resume");
      }
      kills += killed ? 1 : 0;
      checkThenResume(data, epoch, ctx);
      try (RotationFixture f = RotationFixture.open(data);
          Rotation rotation = new Rotation(f.enclave, f.storage, 64, Clock.systemUTC())) {
        rotation.retire(epoch - 1); // keeps the ring small; refused if anything were left
      }
    }
    assertTrue(kills >= 2, ctx(seed) + ": only " + kills + " of 4 kills landed during a move");
    System.out.printf(
        "RotationKillIT seed %d: %d records, %d of 4 move kills landed mid-move%n",
        seed, records, kills);
  }

  private static String ctx(long seed) {
    return "seed " + seed;
  }

  private static Predicate<String> movedAtLeast(long n) {
    return line -> line.startsWith("MOVED ") && Long.parseLong(line.substring(6)) >= n;
  }

  /** Every value reads back at the current epoch {@code epoch}. */
  private static void check(Path data, int epoch, String ctx) {
    try (RotationFixture f = RotationFixture.open(data)) {
      assertEquals(epoch, f.enclave.currentEpoch(), ctx);
      f.checkAll(PER_OWNER);
    } catch (AssertionError e) {
      throw new AssertionError(ctx + ": " + e.getMessage(), e);
    }
  }

  /** {@link #check}, then what a restart does: the move resumes and completes. */
  private static void checkThenResume(Path data, int epoch, String ctx) {
    try (RotationFixture f = RotationFixture.open(data);
        Rotation rotation = new Rotation(f.enclave, f.storage, 64, Clock.systemUTC())) {
      assertEquals(epoch, f.enclave.currentEpoch(), ctx);
      f.checkAll(PER_OWNER);
      rotation.resumeIfNeeded();
      Rotation.Status s = awaitEnd(rotation);
      assertEquals(RotationStage.DONE, s.stage(), ctx + ": " + s);
      assertOnlyEpoch(f.storage, epoch);
      f.checkAll(PER_OWNER);
    }
  }

  /**
   * Starts the child in {@code mode} and SIGKILLs it once a line of its output matches {@code
   * when}. Returns false when the child finished first (the move was quicker than the kill).
   */
  private boolean killWhen(Path data, String mode, Predicate<String> when, String ctx)
      throws IOException, InterruptedException {
    Process p = start(data, mode, dir.resolve(mode + "-" + System.nanoTime() + ".err"));
    boolean killed = false;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (when.test(line)) {
          p.destroyForcibly();
          killed = true;
          break;
        }
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), ctx + ": the child did not end");
    if (!killed) {
      assertEquals(0, p.exitValue(), ctx + ": the child failed; see " + dir);
    }
    return killed;
  }

  private static Process start(Path data, String mode, Path stderr) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RotationChild.class.getName());
    cmd.add(data.toString());
    cmd.add(mode);
    return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
  }
}
