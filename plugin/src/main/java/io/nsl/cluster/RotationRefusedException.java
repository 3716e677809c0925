package io.nsl.cluster;

import io.nsl.NslException;

/**
 * A rotation or a retirement was refused (docs/cluster.md, "Rotation"): {@code
 * ROTATION_IN_PROGRESS} while a move runs, {@code ROTATION_RETIRE_REFUSED} while records are still
 * sealed under the epoch to retire. The message says how much remains and what to do.
 */
public final class RotationRefusedException extends NslException {
  public static final String IN_PROGRESS = "ROTATION_IN_PROGRESS";
  public static final String RETIRE_REFUSED = "ROTATION_RETIRE_REFUSED";

  public RotationRefusedException(String code, String message) {
    super(code, message);
    if (!IN_PROGRESS.equals(code) && !RETIRE_REFUSED.equals(code)) {
      throw new IllegalArgumentException("unknown rotation refusal " + code);
    }
  }

  @Override
  public boolean retryable() {
    return true; // both clear once the move is done
  }
}
