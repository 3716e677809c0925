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
   * @param metrics the pipeline's numbers, the same {@code /metrics} renders, gauges read now
   * @param series their last hour
   * @param funds the GAS the operator holds and the fees the gateway keeps for its recipient, read
   *     from the chain on each call (may be slow: one node round trip per figure)
   * @param workers the workers as this one knows them
   */
  public record OperatorView(
      String operatorOwner,
      java.util.function.Supplier<ApiServer.Readiness> readiness,
      java.util.function.Supplier<io.nsl.pipeline.PipelineMetrics.Snapshot> metrics,
      OperatorSeries series,
      java.util.function.Supplier<Funds> funds,
      java.util.function.Supplier<Workers> workers) {
    public OperatorView {
      java.util.Objects.requireNonNull(funds, "funds");
      java.util.Objects.requireNonNull(workers, "workers");
    }
  }

  /**
   * What the chain says about the operator's money. A figure the node could not give is null, and
   * {@code problem} says why.
   *
   * @param operatorGasDatoshi the operator account's own GAS (NEP-17), what pays the fulfilment
   *     transactions' fees
   * @param feeRecipient the account the gateway credits each fulfilled request's fee to ({@code
   *     getFeeParameters}; 0x + 40 hex, big-endian)
   * @param feeRecipientBalanceDatoshi that account's prepaid balance at the gateway: the fees of
   *     requests fulfilled so far, by any service answering for this gateway, not yet withdrawn,
   *     plus whatever was deposited to it
   */
  public record Funds(
      Long operatorGasDatoshi,
      String feeRecipient,
      Long feeRecipientBalanceDatoshi,
      String problem) {}

  /**
   * The workers answering for this gateway from one store.
   *
   * @param several false for a service that runs alone (the embedded store): {@code list} is then
   *     this one process
   */
  public record Workers(boolean several, java.util.List<Worker> list) {
    public Workers {
      list = java.util.List.copyOf(list);
    }
  }

  /**
   * One worker as this one last read its lease row.
   *
   * @param workerId its configured id, null for a service that runs alone
   * @param measurement the build's enclave measurement (hex)
   * @param self whether it is the worker answering this call
   * @param live whether its lease had not expired at the last read
   * @param sinceMillis when its current lease began (it joined, or rejoined after a lapse)
   * @param renewedMillis when it last renewed its lease
   * @param assigned requests in its queue that are its own to answer; known for {@code self} only
   *     (each worker counts its own; see its {@code /metrics}), null for the others
   * @param inFlight requests it is running, has answered or has sent; {@code self} only, as {@code
   *     assigned}
   */
  public record Worker(
      String workerId,
      String measurement,
      boolean self,
      boolean live,
      long sinceMillis,
      long renewedMillis,
      Long assigned,
      Long inFlight) {}
}
