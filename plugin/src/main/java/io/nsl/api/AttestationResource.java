package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.noQuery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/attestation/check}: {@code {"from":"gateway"}} checks the attestation this
 * service serves; {@code {"from":"quote","quote":HEX[,"mrEnclave":HEX][,"reportData":HEX]}} checks
 * a pasted SGX quote. Either may carry {@code "collateral"}: Intel's collateral as a PCCS JSON
 * object (or that object's text), without which the operator's configured collateral is used, if
 * any. Each check in plain words ({@link AttestationChecker}). Signed.
 */
final class AttestationResource implements Resource {
  /** Largest quote accepted, in bytes (real ones are 4-6 KiB with their PCK chain). */
  static final int MAX_QUOTE_BYTES = 64 * 1024;

  private final CallerAuth auth;
  private final AttestationChecker checker;

  AttestationResource(CallerAuth auth, AttestationChecker checker) {
    this.auth = auth;
    this.checker = checker;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length != 3 || !seg[2].equals("check")) {
      return Optional.empty();
    }
    allow(req, "POST");
    noQuery(req);
    auth.authenticate(req);
    JsonBody b =
        JsonBody.parse(
            req.body(), Set.of("from", "quote", "mrEnclave", "reportData", "collateral"));
    String from = b.requiredString("from");
    Optional<String> collateral = collateral(b);
    AttestationChecker.Report r =
        switch (from) {
          case "gateway" -> {
            if (b.optional("quote").isPresent()
                || b.optional("mrEnclave").isPresent()
                || b.optional("reportData").isPresent()) {
              throw new ApiFailure(
                  ErrorStatus.INVALID_VALUE,
                  "from 'gateway' checks this service's own attestation and takes only"
                      + " 'collateral'; send from 'quote' to check a quote");
            }
            yield checker.checkService(collateral);
          }
          case "quote" ->
              checker.checkQuote(
                  quote(b.requiredString("quote")),
                  optionalText(b, "mrEnclave"),
                  optionalText(b, "reportData"),
                  collateral);
          default ->
              throw new ApiFailure(
                  ErrorStatus.INVALID_VALUE,
                  "field 'from' must be 'gateway' or 'quote', got '" + from + "'");
        };
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("simulated", r.simulated());
    m.put("valid", r.valid());
    m.put("checks", r.checks());
    m.put("facts", r.facts());
    return Optional.of(ApiResponse.ok(m));
  }

  /**
   * The collateral's JSON text: an object is re-serialised, which keeps its string fields exact.
   */
  private static Optional<String> collateral(JsonBody b) {
    Optional<JsonNode> v = b.optional("collateral").filter(n -> !n.isNull());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get().isObject()) {
      return Optional.of(v.get().toString());
    }
    if (v.get().isTextual() && !v.get().asText().isBlank()) {
      return Optional.of(v.get().asText());
    }
    throw new ApiFailure(
        ErrorStatus.WRONG_TYPE,
        "field 'collateral' must be Intel's collateral as a PCCS JSON object (tcb_info,"
            + " qe_identity, their signatures and issuer chains, root_ca_crl, pck_crl), or its"
            + " text; got "
            + v.get().getNodeType().name().toLowerCase(java.util.Locale.ROOT));
  }

  private static Optional<String> optionalText(JsonBody b, String field) {
    Optional<JsonNode> v = b.optional(field).filter(n -> !n.isNull());
    if (v.isPresent() && !v.get().isTextual()) {
      throw new ApiFailure(ErrorStatus.WRONG_TYPE, "field '" + field + "' must be a hex string");
    }
    return v.map(JsonNode::asText);
  }

  private static byte[] quote(String hex) {
    String h = hex.startsWith("0x") ? hex.substring(2) : hex;
    if (h.length() > 2 * MAX_QUOTE_BYTES) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field 'quote' has more than " + MAX_QUOTE_BYTES + " bytes; an SGX quote is smaller");
    }
    try {
      return HexFormat.of().parseHex(h);
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field 'quote' must be the quote in hex (an even number of 0-9a-f): " + e.getMessage());
    }
  }
}
