package io.nsl.cluster;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The process {@link RotationKillIT} kills: opens a data folder as the service does and rotates.
 * {@code seal}: seals the next epoch, prints {@code SEALED}, then waits to be killed. {@code
 * rotate}: rotates through {@link Rotation} and prints {@code MOVED n} as the move advances, then
 * {@code DONE}. {@code resume}: the same from {@link Rotation#resumeIfNeeded()} (what a restart
 * does).
 */
public final class RotationChild {
  private RotationChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 4, Clock.systemUTC())) {
      System.out.println("OPEN");
      switch (mode) {
        case "seal" -> {
          f.enclave.rotateCluster();
          System.out.println("SEALED");
          Thread.sleep(600_000);
        }
        case "rotate" -> rotation.rotate();
        case "resume" -> rotation.resumeIfNeeded();
        default -> throw new IllegalArgumentException(mode);
      }
      long last = -1;
      while (true) {
        Rotation.Status s = rotation.status();
        if (s.moved() != last) {
          last = s.moved();
          System.out.println("MOVED " + last);
        }
        if (s.stage() != RotationStage.MOVING) {
          System.out.println(s.stage());
          break;
        }
        Thread.sleep(2);
      }
    }
  }
}
