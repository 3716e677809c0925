package io.nsl.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.api.ApiFailure;
import io.nsl.api.AttestationChecker;
import io.nsl.api.ErrorStatus;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.ReportData;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.CollateralFormatException;
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
 * root) and {@link QuoteChecks}. A quote is checked with the collateral the caller pastes, else the
 * operator's configured collateral (the file given to {@code --cluster-collateral}, which the
 * service also checks its peers' joins with), else none: then TCB status and QE identity say "not
 * checked". The measurement is checked only against an MRENCLAVE the caller gives (the gateway's
 * on-chain measurement policy is not read here yet).
 */
public final class ServiceAttestationChecker implements AttestationChecker {
  /** The check this class adds to the verifier's: the document binds its keys and gateway. */
  static final String BINDING = "report_data binds the gateway and the enclave's keys";

  private final Supplier<JsonNode> attestation;
  private final DcapQuoteVerifier verifier;
  private final Clock clock;
  private final Optional<Collateral> operatorCollateral;

  /**
   * @param attestation the document {@code GET /v1/enclave} serves ({@link AttestationJson})
   * @param operatorCollateral the collateral the operator configured, used when a caller gives none
   */
  public ServiceAttestationChecker(
      Supplier<JsonNode> attestation,
      DcapQuoteVerifier verifier,
      Clock clock,
      Optional<Collateral> operatorCollateral) {
    this.attestation = attestation;
    this.verifier = verifier;
    this.clock = clock;
    this.operatorCollateral = operatorCollateral;
  }

  /**
   * The collateral to use and where it came from ({@code pasted}, {@code operator}, {@code none}).
   */
  private record Chosen(Collateral collateral, String source) {}

  private Chosen collateral(Optional<String> pastedJson) {
    if (pastedJson.isPresent()) {
      try {
        return new Chosen(Collateral.fromPccsJson(pastedJson.get()), "pasted");
      } catch (CollateralFormatException e) {
        throw new ApiFailure(
            ErrorStatus.INVALID_VALUE,
            "field 'collateral': "
                + e.getMessage()
                + " (give Intel's collateral as PCCS JSON, the format ./nsl attestation verify"
                + " --collateral reads)");
      }
    }
    return operatorCollateral.map(c -> new Chosen(c, "operator")).orElse(new Chosen(null, "none"));
  }

  @Override
  public Report checkService(Optional<String> collateralJson) {
    Chosen chosen = collateral(collateralJson);
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
    facts.put("collateral", chosen.source());
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
    QuoteVerification v =
        policy.apply(verifier.verify(quote, chosen.collateral(), clock.instant()));
    facts.put("mrEnclave", v.mrEnclave());
    facts.put("mrSigner", v.mrSigner());
    steps.addAll(steps(v, policy));
    steps.add(binding);
    return new Report(false, v.valid() && bound, steps, facts);
  }

  @Override
  public Report checkQuote(
      byte[] quote,
      Optional<String> expectedMrEnclaveHex,
      Optional<String> expectedReportDataHex,
      Optional<String> collateralJson) {
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
    Chosen chosen = collateral(collateralJson);
    QuoteVerification v =
        policy.apply(verifier.verify(quote, chosen.collateral(), clock.instant()));
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("mode", "SGX");
    facts.put("collateral", chosen.source());
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
