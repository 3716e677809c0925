package io.nsl.cluster;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The stages of a rotation's move, and the one table of allowed changes ({@link Rotation} owns
 * them). IDLE: nothing to move (no rotation since start, or every epoch but the current one is
 * retired). MOVING: records are being re-sealed under the current epoch. DONE: a whole pass found
 * nothing left under older epochs; they may be retired. FAILED: a step failed (the message says
 * why); a new rotate, or a restart, moves again from the durable cursor.
 */
public enum RotationStage {
  IDLE,
  MOVING,
  DONE,
  FAILED;

  private static final Map<RotationStage, Set<RotationStage>> NEXT =
      Map.of(
          IDLE, EnumSet.of(MOVING),
          MOVING, EnumSet.of(DONE, FAILED),
          DONE, EnumSet.of(MOVING, IDLE),
          FAILED, EnumSet.of(MOVING));

  /** Whether a move from this stage to {@code next} is allowed. */
  public boolean canMoveTo(RotationStage next) {
    return NEXT.get(this).contains(next);
  }
}
