package io.nsl.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the move of a store to its key provider's current epoch stands (decision 0502), as the
 * durable rekey cursor records it after a {@link PersistentStorageService#rekeyStep}.
 *
 * @param targetEpoch the epoch every record is being re-sealed under
 * @param resealedNow records this step re-sealed
 * @param resealedTotal records re-sealed for this target epoch so far, over every pass
 * @param pass 0 for the first pass over the store; a pass that re-sealed anything is followed by
 *     another, and the move is done after a whole pass that found nothing to re-seal
 * @param done a whole pass found no record under another epoch
 * @param cursorRejected why the durable cursor found at the start of this step was not used (it
 *     failed authentication, or named an epoch the provider does not hold as current); the step
 *     then began a new first pass
 */
public record RekeyProgress(
    int targetEpoch,
    long resealedNow,
    long resealedTotal,
    int pass,
    boolean done,
    Optional<String> cursorRejected) {
  public RekeyProgress {
    if (targetEpoch < 0 || resealedNow < 0 || resealedTotal < resealedNow || pass < 0) {
      throw new IllegalArgumentException(
          "rekey progress: epoch "
              + targetEpoch
              + ", now "
              + resealedNow
              + ", total "
              + resealedTotal
              + ", pass "
              + pass);
    }
    Objects.requireNonNull(cursorRejected, "cursorRejected");
  }
}
