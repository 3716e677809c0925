package io.nsl.enclave;

import io.nsl.NslException;

/** A public key handed to the enclave for key agreement is not a valid secp256r1 point. */
public final class InvalidPeerKeyException extends NslException {
  public InvalidPeerKeyException(String why) {
    super(
        "INVALID_PEER_KEY",
        "the peer public key is not a valid secp256r1 point: "
            + why
            + " (send 33 bytes compressed, 02/03 prefix, or 65 bytes uncompressed, 04 prefix)");
  }
}
