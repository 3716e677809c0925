package io.nsl.api;

import java.util.Optional;

/**
 * What the endpoints the web console needs run on, beyond the developer API's own stores; each is
 * optional, and an endpoint without its backend answers 404 (docs/api.md).
 *
 * @param simulations runs {@code POST /v1/simulate}
 */
public record ConsoleBackends(Optional<SimulationRunner> simulations) {
  public ConsoleBackends {
    java.util.Objects.requireNonNull(simulations, "simulations");
  }

  /** No console endpoints. */
  public static ConsoleBackends none() {
    return new ConsoleBackends(Optional.empty());
  }
}
