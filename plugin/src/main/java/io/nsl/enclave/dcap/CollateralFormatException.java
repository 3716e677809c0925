package io.nsl.enclave.dcap;

import io.nsl.NslException;

/** A collateral file is not in the expected PCCS-style JSON shape. */
public final class CollateralFormatException extends NslException {
  public CollateralFormatException(String message) {
    super("COLLATERAL_FORMAT", message);
  }
}
