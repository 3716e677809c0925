package io.nsl.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.api.ApiFailure;
import io.nsl.api.AttestationChecker;
import io.nsl.api.ErrorStatus;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.ReportData;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.enclave.dcap.QuoteChecks;
import io.nsl.enclave.dcap.QuoteVerification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link AttestationChecker} over the project's DCAP verifier ({@link DcapQuoteVerifier}, Intel's
 * root) and {@link QuoteChecks}. Quotes are checked without collateral, so TCB status and QE
 * identity say "not checked"; the measurement is checked only against an MRENCLAVE the caller gives
 * (the gateway's on-chain measurement policy is not read here yet).
 */
public final class ServiceAttestationChecker implements AttestationChecker {
  /** The check this class adds to the verifier's: the document binds its keys and gateway. */
  static final String BINDING = "report_data binds the gateway and the enclave's keys";

  private final Supplier<JsonNode> attestation;
  private final DcapQuoteVerifier verifier;
  private final Clock clock;

  /**
   * @param attestation the document {@code GET /v1/enclave} serves ({@link AttestationJson})
   */
  public ServiceAttestationChecker(
      Supplier<JsonNode> attestation, DcapQuoteVerifier verifier, Clock clock) {
    this.attestation = attestation;
    this.verifier = verifier;
    this.clock = clock;
  }

  @Override
  public Report checkService() {
    JsonNode doc = attestation.get();
    HexFormat hex = HexFormat.of();
    byte[] signing = hex.parseHex(doc.path("signingPublicKey").asText());
    byte[] secrets = hex.parseHex(doc.path("secretsPublicKey").asText());
    String reportData = doc.path("reportData").asText();
    GatewayIdentity gw =
        GatewayIdentity.ofBigEndianHex(
            doc.path("networkMagic").asLong(), doc.path("gatewayScriptHash").asText());
    boolean bound =
        Arrays.equals(ReportData.compute(gw, signing, secrets), hex.parseHex(reportData));
    Step binding =
        new Step(
            BINDING,
            bound ? "PASSED" : "FAILED",
            bound
                ? "report_data is SHA-256 of the tag, network magic "
                    + gw.networkMagic()
                    + ", gateway "
                    + gw.gatewayScriptHashBEHex()
                    + " and both public keys (docs/enclave.md)"
                : "report_data does not bind these keys and this gateway: do not trust this"
                    + " service's keys, and tell its operator");
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("mode", doc.path("mode").asText());
    facts.put("gateway", gw.gatewayScriptHashBEHex());
    facts.put("networkMagic", gw.networkMagic());
    facts.put("signingPublicKey", hex.formatHex(signing));
    facts.put("secretsPublicKey", hex.formatHex(secrets));
    facts.put("reportData", reportData);
    List<Step> steps = new ArrayList<>();
    if (AttestationJson.saysSimulated(doc)) {
      for (QuoteChecks.Name n : QuoteChecks.Name.values()) {
        if (n != QuoteChecks.Name.REPORT_DATA) {
          steps.add(
              new Step(
                  n.words(),
                  "NOT_CHECKED",
                  "SIMULATED: there is no SGX quote, nothing proves the code runs in an enclave;"
                      + " the operator can read every secret"));
        }
      }
      steps.add(binding);
      return new Report(true, false, steps, facts);
    }
    byte[] quote;
    try {
      quote = hex.parseHex(doc.path("evidence").asText());
    } catch (IllegalArgumentException e) {
      steps.add(new Step("quote format", "FAILED", "the evidence is not a hex SGX quote"));
      steps.add(binding);
      return new Report(false, false, steps, facts);
    }
    AttestationPolicy policy =
        new AttestationPolicy(
            false, Set.of(), AttestationPolicy.DEFAULT_TCB_STATUSES, false, reportData);
    QuoteVerification v = policy.apply(verifier.verify(quote, null, clock.instant()));
    facts.put("mrEnclave", v.mrEnclave());
    facts.put("mrSigner", v.mrSigner());
    steps.addAll(steps(v, policy));
    steps.add(binding);
    return new Report(false, v.valid() && bound, steps, facts);
  }

  @Override
  public Report checkQuote(
      byte[] quote, Optional<String> expectedMrEnclaveHex, Optional<String> expectedReportDataHex) {
    AttestationPolicy policy;
    try {
      policy =
          new AttestationPolicy(
              false,
              expectedMrEnclaveHex.map(Set::of).orElse(Set.of()),
              AttestationPolicy.DEFAULT_TCB_STATUSES,
              false,
              expectedReportDataHex.orElse(null));
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "mrEnclave must be 32 bytes and reportData 64 bytes, in hex: " + e.getMessage());
    }
    QuoteVerification v = policy.apply(verifier.verify(quote, null, clock.instant()));
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("mode", "SGX");
    if (v.mrEnclave() != null) {
      facts.put("mrEnclave", v.mrEnclave());
      facts.put("mrSigner", v.mrSigner());
      facts.put("isvProdId", v.isvProdId());
      facts.put("isvSvn", v.isvSvn());
      facts.put("debug", v.debug());
      facts.put("reportData", v.reportData());
    }
    return new Report(false, v.valid(), steps(v, policy), facts);
  }

  private static List<Step> steps(QuoteVerification v, AttestationPolicy policy) {
    return QuoteChecks.explain(v, policy).stream()
        .map(c -> new Step(c.name(), c.outcome().name(), c.words()))
        .toList();
  }
}
