package io.nsl.js.internal;

import io.nsl.js.GasAccountingManager;

/**
 * Service of {@link GasInstrument}: binds an execution's gas manager and call-depth guard to the
 * context entered on this thread.
 */
@FunctionalInterface
public interface GasMeterService {
  /** Must be called with the target context entered on the calling thread. */
  void attach(GasAccountingManager gas, CallDepthGuard depth);
}
