package io.nsl.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Measures how long a rotation of 10,000 secrets takes (not a test: {@code java -cp ...
 * io.nsl.cluster.RotationTiming [secretsPerOwner] [batch]}): two owners' secrets plus the fixture's
 * function state, stored through envelopes, then {@link Rotation#rotate()} until the move is DONE
 * (both passes: the one that moves, and the clean one that proves nothing is left).
 */
public final class RotationTiming {
  private RotationTiming() {}

  public static void main(String[] args) throws Exception {
    int perOwner = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    Path dir = Files.createTempDirectory("rotation-timing");
    try (RotationFixture f = RotationFixture.open(dir)) {
      long t0 = System.nanoTime();
      f.populate(perOwner);
      long populated = System.nanoTime();
      long records = f.storage.sealedRecordsByEpoch().get(0);
      try (Rotation rotation = new Rotation(f.enclave, f.storage, batch, Clock.systemUTC())) {
        long r0 = System.nanoTime();
        rotation.rotate();
        Rotation.Status s = RotationFixture.awaitEnd(rotation);
        long r1 = System.nanoTime();
        if (s.stage() != RotationStage.DONE) {
          throw new IllegalStateException("the move ended " + s);
        }
        long c0 = System.nanoTime();
        int read = f.checkAll(perOwner);
        long c1 = System.nanoTime();
        System.out.printf(
            "RotationTiming: %d secrets (%d store records) rotated in %d ms with batch %d"
                + " (%d re-sealed, %d passes); storing them took %d ms; reading all %d values"
                + " back took %d ms%n",
            2 * perOwner,
            records,
            (r1 - r0) / 1_000_000,
            batch,
            s.moved(),
            s.pass() + 1,
            (populated - t0) / 1_000_000,
            read,
            (c1 - c0) / 1_000_000);
      }
    }
  }
}
