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
          "GET /v1/executions/{requestId}",
          "GET /v1/failures");

  /** Most hosts one function may declare for its fetch calls. */
  public static final int MAX_FETCH_HOSTS = 32;

  private final ApiLimits limits;
  private final CallerAuth auth;
  private final Map<String, Resource> resources;

  /**
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
    this.limits = limits;
    this.auth = new CallerAuth(limits, clock);
    ExecutionsResource records = new ExecutionsResource(auth, chain, executions, limits);
    this.resources =
        Map.of(
            "enclave", new EnclaveResource(attestation),
            "functions",
                new FunctionsResource(auth, chain, functions, fetchPolicy, maxMemoryLimitBytes),
            "secrets", new SecretsResource(auth, secrets),
            "executions", records.executions(),
            "failures", records.failures());
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
