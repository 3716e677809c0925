package io.nsl.api;

import java.util.Optional;

/**
 * What the endpoints the web console needs run on, beyond the developer API's own stores; each is
 * optional, and an endpoint without its backend answers 404 (docs/api.md).
 *
 * @param simulations runs {@code POST /v1/simulate}
 * @param operator what {@code GET /v1/operator/overview} reads
 * @param attestation runs {@code POST /v1/attestation/check}
 * @param chainActions runs {@code /v1/chain/prepare}, {@code /send} and {@code /tx/{hash}}
 */
public record ConsoleBackends(
    Optional<SimulationRunner> simulations,
    Optional<OperatorView> operator,
    Optional<AttestationChecker> attestation,
    Optional<ChainActions> chainActions) {
  public ConsoleBackends {
    java.util.Objects.requireNonNull(simulations, "simulations");
    java.util.Objects.requireNonNull(operator, "operator");
    java.util.Objects.requireNonNull(attestation, "attestation");
    java.util.Objects.requireNonNull(chainActions, "chainActions");
  }

  /** Without chain actions. */
  public ConsoleBackends(
      Optional<SimulationRunner> simulations,
      Optional<OperatorView> operator,
      Optional<AttestationChecker> attestation) {
    this(simulations, operator, attestation, Optional.empty());
  }

  /** No console endpoints. */
  public static ConsoleBackends none() {
    return new ConsoleBackends(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * The operator view's sources.
   *
   * @param operatorOwner the operator wallet's account (0x + 40 hex, as {@code ApiAuth.ownerOf})
   * @param readiness what {@code /ready} computes
   * @param metrics the pipeline's numbers, the same {@code /metrics} renders
   * @param series their last hour
   */
  public record OperatorView(
      String operatorOwner,
      java.util.function.Supplier<ApiServer.Readiness> readiness,
      java.util.function.Supplier<io.nsl.pipeline.PipelineMetrics.Snapshot> metrics,
      OperatorSeries series) {}
}
