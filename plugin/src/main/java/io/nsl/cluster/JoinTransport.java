package io.nsl.cluster;

/** Carries one join exchange to a provider. Implementations are thread-safe. */
@FunctionalInterface
public interface JoinTransport {
  /**
   * Sends {@code request} and returns the provider's answer.
   *
   * @throws JoinRefusedException with the provider's refusal, or JOIN_PROVIDER_UNREACHABLE
   */
  JoinResponse exchange(JoinRequest request);
}
