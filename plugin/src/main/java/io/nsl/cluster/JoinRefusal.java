package io.nsl.cluster;

/**
 * Why a join was refused, by the provider or by the newcomer. The names are stable: they are the
 * {@code code} of {@link JoinRefusedException}, in the join endpoint's error answers and in the
 * CLI's JSON errors.
 */
public enum JoinRefusal {
  /** The message does not parse, or names another protocol version. */
  JOIN_MALFORMED,
  /** The quote (or SIMULATED document) does not verify: signature, chain, format. */
  JOIN_QUOTE_INVALID,
  /** The peer enclave is built debuggable: the host can read its memory. */
  JOIN_DEBUG_ENCLAVE,
  /** The peer platform's TCB status is not accepted (out of date, revoked). */
  JOIN_TCB_NOT_ACCEPTED,
  /** The peer's measurement is not in the owner-signed policy. */
  JOIN_MEASUREMENT_NOT_ALLOWED,
  /** The peer's measurement is revoked by the owner-signed policy. */
  JOIN_MEASUREMENT_REVOKED,
  /** The peer is for another gateway contract. */
  JOIN_WRONG_GATEWAY,
  /** The peer is for another Neo network (network magic). */
  JOIN_WRONG_NETWORK,
  /** The evidence's report_data does not bind this message (another key, transcript, keys). */
  JOIN_BINDING_MISMATCH,
  /** The request was seen before, or the answer is for another request. */
  JOIN_REPLAYED,
  /** The request is older (or newer) than the freshness window. */
  JOIN_EXPIRED,
  /** A SIMULATED instance on one side and SGX on the other, or simulation not allowed. */
  JOIN_SIMULATED_REFUSED,
  /** No policy, or the policy is not signed by the pinned owner key, or is for another gateway. */
  JOIN_POLICY_INVALID,
  /** The wrapped cluster keys do not open, or do not match the epochs the provider attested. */
  JOIN_KEYS_TAMPERED,
  /** The provider holds no cluster keys. */
  JOIN_PROVIDER_NOT_MEMBER,
  /** The provider could not be reached, or answered something that is not a join answer. */
  JOIN_PROVIDER_UNREACHABLE
}
