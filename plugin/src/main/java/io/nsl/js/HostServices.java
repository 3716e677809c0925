package io.nsl.js;

import java.util.Objects;

/**
 * What one execution may reach outside the sandbox. The pipeline builds one per request from the
 * real storage, secrets and enclave; the simulator from in-memory parts.
 */
public record HostServices(
    FunctionStateStore state, SecretsView secrets, RandomSource random, FetchPolicy fetchPolicy) {
  public HostServices {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(fetchPolicy, "fetchPolicy");
  }
}
