package io.nsl.pipeline;

import io.nsl.js.ExecutionRequest;
import io.nsl.js.FetchPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The small simulation the simulation tests share, whatever they check of its running. */
public final class SimulationInputs {
  private SimulationInputs() {}

  /**
   * {@code main} returns 1 for the input {@code null}: no schema, secrets, state or fetch, 1,000
   * gas, request 1 at the epoch, the default memory budget and {@code timeout}.
   *
   * @throws Simulation.InvalidSimulationException for a timeout a simulation may not have
   */
  public static Simulation.Input returningOne(Duration timeout) {
    return new Simulation.Input(
        "simulated:t",
        "function main(){ return 1 }",
        "null".getBytes(),
        Optional.empty(),
        Map.of(),
        Map.of(),
        1000,
        1,
        Instant.EPOCH,
        FetchPolicy.denyAll(),
        ExecutionRequest.DEFAULT_MEMORY,
        timeout);
  }
}
