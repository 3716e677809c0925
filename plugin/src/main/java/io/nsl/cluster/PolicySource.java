package io.nsl.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the host hands an instance the owner-signed policy document. Untrusted: whatever it returns
 * is believed only after {@link SignedPolicy#verify}.
 */
@FunctionalInterface
public interface PolicySource {
  /**
   * The current document's bytes.
   *
   * @throws JoinRefusedException JOIN_POLICY_INVALID when there is none
   */
  byte[] read();

  /** The document in {@code file}, read afresh on every call (the owner may replace it). */
  static PolicySource file(Path file) {
    return () -> {
      try {
        return Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new JoinRefusedException(
            JoinRefusal.JOIN_POLICY_INVALID,
            "no measurement policy at "
                + file
                + "; put the owner-signed policy there (./nsl cluster policy sign)");
      } catch (IOException e) {
        throw new JoinRefusedException(
            JoinRefusal.JOIN_POLICY_INVALID,
            "cannot read the measurement policy " + file + ": " + e.getMessage());
      }
    };
  }
}
