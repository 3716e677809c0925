package io.nsl.enclave.dcap;

/**
 * Internal signal of one failed check, turned into a {@link QuoteVerification} by the verifier.
 * Never escapes {@link DcapQuoteVerifier#verify}.
 */
final class QuoteRejectedException extends Exception {
  private final FailureReason reason;

  QuoteRejectedException(FailureReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  FailureReason reason() {
    return reason;
  }
}
