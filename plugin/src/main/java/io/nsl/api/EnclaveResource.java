package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.noQuery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /v1/enclave}: the enclave's attested keys; the one route that needs no signature. */
final class EnclaveResource implements Resource {
  private final Supplier<JsonNode> attestation;
  private volatile JsonNode document;

  /**
   * @param attestation called once, on the first request, and kept (keys do not change)
   */
  EnclaveResource(Supplier<JsonNode> attestation) {
    this.attestation = attestation;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length != 2) {
      return Optional.empty();
    }
    allow(req, "GET");
    noQuery(req);
    return Optional.of(ApiResponse.ok(document()));
  }

  private JsonNode document() {
    JsonNode doc = document;
    if (doc == null) {
      doc = attestation.get();
      document = doc;
    }
    return doc;
  }
}
