package io.nsl.service;

import io.nsl.api.ApiLimits;
import io.nsl.api.ChainActions;
import io.nsl.api.ChainView;
import io.nsl.api.ConsoleBackends;
import io.nsl.api.DeveloperApi;
import io.nsl.api.SimulationRunner;
import io.nsl.api.TriggerView;
import io.nsl.chain.GatewayClient;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.js.FetchPolicy;
import io.nsl.pipeline.ExecutionRecords;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.secrets.UserSecretManager;
import java.time.Clock;
import java.util.Optional;

/** Adapts the service's parts to what the developer API needs (part of the composition root). */
final class ApiWiring {
  private ApiWiring() {}

  static DeveloperApi developerApi(
      GatewayClient gateway,
      Enclave enclave,
      GatewayIdentity identity,
      StoredFunctionCatalog functions,
      UserSecretManager secrets,
      ExecutionRecords executions,
      ApiLimits limits,
      FetchPolicy fetchPolicy,
      long maxMemoryLimitBytes,
      SimulationRunner simulations,
      ConsoleBackends.OperatorView operatorView,
      Clock clock,
      Optional<TriggerView> triggers,
      ChainActions chainActions,
      Optional<io.nsl.enclave.dcap.Collateral> operatorCollateral,
      io.nsl.api.SharedApiState shared) {
    ChainView chain =
        new ChainView() {
          @Override
          public Optional<Registration> function(String functionId) {
            return gateway
                .function(functionId)
                .map(f -> new Registration(f.codeHash(), f.owner(), f.version(), f.enabled()));
          }

          @Override
          public String requestState(long requestId) {
            return gateway.requestState(requestId).name();
          }
        };
    return new DeveloperApi(
        chain,
        () -> AttestationJson.toJson(enclave.attest(identity)),
        functions,
        secrets,
        executions,
        limits,
        fetchPolicy,
        maxMemoryLimitBytes,
        clock,
        triggers.orElse(TriggerView.NONE),
        new ConsoleBackends(
            Optional.of(simulations),
            Optional.of(operatorView),
            Optional.of(
                new ServiceAttestationChecker(
                    () -> AttestationJson.toJson(enclave.attest(identity)),
                    io.nsl.enclave.dcap.DcapQuoteVerifier.withIntelRoot(),
                    clock,
                    operatorCollateral)),
            Optional.of(chainActions)),
        shared);
  }
}
