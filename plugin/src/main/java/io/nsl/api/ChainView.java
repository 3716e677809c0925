package io.nsl.api;

import java.util.Optional;

/**
 * What the developer API reads from the chain; the composition root adapts the gateway client.
 * Implementations may block on the Neo node (bounded by the RPC client's timeouts) and throw the
 * chain's {@link io.nsl.NslException}s (NODE_UNREACHABLE, RPC_ERROR), which the API answers as 5xx.
 * Thread-safe.
 */
public interface ChainView {
  /** A function as the gateway registered it. {@code owner} is 0x + big-endian hex. */
  record Registration(byte[] codeSha256, String owner, long version, boolean enabled) {
    public Registration {
      codeSha256 = codeSha256.clone();
    }

    @Override
    public byte[] codeSha256() {
      return codeSha256.clone();
    }
  }

  /** The gateway's registration of {@code functionId}, or empty when it has none. */
  Optional<Registration> function(String functionId);

  /** The request's state on chain: UNKNOWN, PENDING, FULFILLED or CANCELLED. */
  String requestState(long requestId);
}
