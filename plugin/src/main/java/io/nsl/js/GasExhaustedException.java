package io.nsl.js;

import io.nsl.NslException;

/** {@link GasAccountingManager#use} would pass the gas limit. */
public final class GasExhaustedException extends NslException {
  public GasExhaustedException(long limit) {
    super(
        "GAS_EXHAUSTED",
        "the function used all of its gas limit ("
            + limit
            + "); raise the request's gas limit or make the function do less work");
  }
}
