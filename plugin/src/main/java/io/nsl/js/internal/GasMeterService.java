package io.nsl.js.internal;

import io.nsl.js.GasAccountingManager;
import io.nsl.js.MemoryBudget;

/**
 * Service of {@link GasInstrument}: binds an execution's gas manager, call-depth guard and memory
 * budget to the context entered on this thread.
 */
@FunctionalInterface
public interface GasMeterService {
  /** Must be called with the target context entered on the calling thread. */
  void attach(GasAccountingManager gas, CallDepthGuard depth, MemoryBudget memory);
}
