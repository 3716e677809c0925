package io.nsl.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.js.FetchPolicy;
import io.nsl.pipeline.ExecutionRecords;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.secrets.UserSecretManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The developer endpoints under {@code /v1} (docs/openapi.yaml): function code, secrets, execution
 * records, and the enclave's attested keys. Routes each request to the {@link Resource} named by
 * its second path segment: {@link EnclaveResource}, {@link FunctionsResource}, {@link
 * SecretsResource}, {@link ExecutionsResource}. Every endpoint except {@code GET /v1/enclave} needs
 * a signed request ({@link CallerAuth}); the caller sees only what its own account owns, and
 * anything else answers exactly as if it did not exist. Thread-safe.
 */
public final class DeveloperApi {
  /** Every route, as "METHOD /template"; the OpenAPI test checks docs/openapi.yaml against it. */
  public static final List<String> ROUTES =
      List.of(
          "GET /v1/enclave",
          "GET /v1/functions",
          "GET /v1/functions/{functionId}",
          "PUT /v1/functions/{functionId}",
          "GET /v1/secrets",
          "POST /v1/secrets",
          "DELETE /v1/secrets/{name}",
          "GET /v1/executions",
          "GET /v1/executions/{requestId}",
          "GET /v1/failures",
          "GET /v1/triggers",
          "GET /v1/triggers/{subscriptionId}",
          "POST /v1/triggers/{subscriptionId}/run",
          "POST /v1/simulate",
          "GET /v1/operator/overview",
          "POST /v1/attestation/check",
          "POST /v1/chain/prepare",
          "POST /v1/chain/send",
          "GET /v1/chain/tx/{hash}");

  /** Most hosts one function may declare for its fetch calls. */
  public static final int MAX_FETCH_HOSTS = 32;

  private final ApiLimits limits;
  private final CallerAuth auth;
  private final Map<String, Resource> resources;

  /**
   * A single worker's API without triggers or console endpoints.
   *
   * @param attestation the enclave's attestation document ({@code AttestationJson}); called once,
   *     on the first {@code GET /v1/enclave}, and kept (the keys do not change while running)
   * @param maxMemoryLimitBytes the largest counted-memory budget a function may declare at upload
   *     (the operator's {@code executor.maxMemoryLimitBytes})
   */
  public DeveloperApi(
      ChainView chain,
      Supplier<JsonNode> attestation,
      StoredFunctionCatalog functions,
      UserSecretManager secrets,
      ExecutionRecords executions,
      ApiLimits limits,
      FetchPolicy fetchPolicy,
      long maxMemoryLimitBytes,
      Clock clock) {
    this(
        chain,
        attestation,
        functions,
        secrets,
        executions,
        limits,
        fetchPolicy,
        maxMemoryLimitBytes,
        clock,
        TriggerView.NONE,
        ConsoleBackends.none(),
        null);
  }

  /**
   * @param triggers the trigger scheduler's subscriptions and HTTP runs, behind {@code
   *     /v1/triggers} ({@link TriggerView#NONE} for none)
   * @param console what the console's endpoints run on ({@code /v1/simulate}, …); an endpoint whose
   *     backend is absent answers 404
   * @param shared the nonces and rate limits shared with the other workers of this service; null
   *     for a single worker
   */
  public DeveloperApi(
      ChainView chain,
      Supplier<JsonNode> attestation,
      StoredFunctionCatalog functions,
      UserSecretManager secrets,
      ExecutionRecords executions,
      ApiLimits limits,
      FetchPolicy fetchPolicy,
      long maxMemoryLimitBytes,
      Clock clock,
      TriggerView triggers,
      ConsoleBackends console,
      SharedApiState shared) {
    this.limits = limits;
    this.auth = new CallerAuth(limits, clock, java.util.Optional.ofNullable(shared));
    ExecutionsResource records = new ExecutionsResource(auth, chain, executions, limits);
    Map<String, Resource> r = new java.util.HashMap<>();
    r.put("enclave", new EnclaveResource(attestation));
    r.put(
        "functions",
        new FunctionsResource(auth, chain, functions, fetchPolicy, maxMemoryLimitBytes));
    r.put("secrets", new SecretsResource(auth, secrets));
    r.put("executions", records.executions());
    r.put("failures", records.failures());
    r.put("triggers", new TriggersResource(auth, triggers, clock));
    console
        .simulations()
        .ifPresent(s -> r.put("simulate", new SimulateResource(auth, s, fetchPolicy)));
    console.operator().ifPresent(o -> r.put("operator", new OperatorResource(auth, o, clock)));
    console.attestation().ifPresent(a -> r.put("attestation", new AttestationResource(auth, a)));
    console.chainActions().ifPresent(c -> r.put("chain", new ChainActionsResource(auth, c)));
    this.resources = Map.copyOf(r);
  }

  public ApiLimits limits() {
    return limits;
  }

  /** Per-address limit, checked before anything else (and before signature work). */
  void checkAddress(String remoteAddress) {
    auth.checkAddress(remoteAddress);
  }

  ApiResponse handle(ApiRequest req) {
    String[] seg = RequestParts.segments(req.rawPath());
    // seg[0] == "v1"
    Resource r = seg.length > 1 ? resources.get(seg[1]) : null;
    Optional<ApiResponse> answer = r == null ? Optional.empty() : r.handle(req, seg);
    return answer.orElseThrow(() -> notFound(req.rawPath()));
  }

  static ApiFailure notFound(String rawPath) {
    return new ApiFailure(
        ErrorStatus.NOT_FOUND,
        "no endpoint at " + rawPath + "; the endpoints are listed in docs/openapi.yaml");
  }
}
