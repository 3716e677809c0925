package io.nsl.cluster;

import io.nsl.NslException;
import java.util.Objects;

/** A join was refused; {@link #code()} is the {@link JoinRefusal} name. */
public final class JoinRefusedException extends NslException {
  private final JoinRefusal refusal;

  public JoinRefusedException(JoinRefusal refusal, String message) {
    super(Objects.requireNonNull(refusal, "refusal").name(), message);
    this.refusal = refusal;
  }

  public JoinRefusal refusal() {
    return refusal;
  }

  @Override
  public boolean retryable() {
    return refusal == JoinRefusal.JOIN_PROVIDER_UNREACHABLE;
  }
}
