package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.NslException;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.ReportData;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.enclave.dcap.QuoteVerification;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Client-side check of the service's attestation document (GET /v1/enclave) before a secret is
 * encrypted to its secrets key: the report_data must bind the two public keys and the gateway; an
 * SGX quote must verify against Intel's root with that report_data; a SIMULATED document is
 * accepted only when the user said so.
 */
final class AttestationCheck {
  /** The attestation cannot be trusted for this use. */
  static final class Refused extends NslException {
    Refused(String message) {
      super("ATTESTATION_REFUSED", message);
    }
  }

  /**
   * The attested signing key is not among the gateway's active enclave keys: either the operator
   * never registered it, or the gateway's owner revoked it. Answers from such an enclave are
   * refused on chain, so a secret sent to it would serve nothing (and may be held by an enclave
   * someone no longer vouches for).
   */
  static final class NotRegistered extends NslException {
    NotRegistered(String message) {
      super("ENCLAVE_NOT_REGISTERED", message);
    }
  }

  /** What was checked. */
  record Checked(
      byte[] signingPublicKey,
      byte[] secretsPublicKey,
      String mode,
      String gateway,
      String detail) {}

  /**
   * Refuses unless {@code checked}'s signing key is one of {@code activeKeys} (the gateway's {@code
   * getActiveEnclaves} answer for {@code checked.gateway()}).
   */
  static void requireActive(Checked checked, List<byte[]> activeKeys) {
    for (byte[] k : activeKeys) {
      if (java.util.Arrays.equals(k, checked.signingPublicKey())) {
        return;
      }
    }
    throw new NotRegistered(
        "the service's enclave signing key "
            + HexFormat.of().formatHex(checked.signingPublicKey())
            + " is not an active enclave key of gateway "
            + checked.gateway()
            + " ("
            + activeKeys.size()
            + " active): it was never registered or has been revoked, so the"
            + " gateway refuses its answers. Do not send secrets to it; ask the operator to"
            + " register it (registerEnclave), or check --api, --rpc and --gateway");
  }

  private AttestationCheck() {}

  static Checked check(JsonNode doc, boolean allowSimulated, String expectedGateway, Instant now) {
    HexFormat hex = HexFormat.of();
    byte[] signing;
    byte[] secrets;
    byte[] reportData;
    GatewayIdentity gw;
    try {
      signing = hex.parseHex(doc.path("signingPublicKey").asText());
      secrets = hex.parseHex(doc.path("secretsPublicKey").asText());
      reportData = hex.parseHex(doc.path("reportData").asText());
      gw =
          GatewayIdentity.ofBigEndianHex(
              doc.path("networkMagic").asLong(), doc.path("gatewayScriptHash").asText());
    } catch (IllegalArgumentException e) {
      throw new Refused(
          "the service's attestation document is incomplete or malformed ("
              + e.getMessage()
              + "); is --api pointing at an NSL service?");
    }
    if (expectedGateway != null
        && !gw.gatewayScriptHashBEHex()
            .equalsIgnoreCase(
                expectedGateway.startsWith("0x") ? expectedGateway : "0x" + expectedGateway)) {
      throw new Refused(
          "the service is attested for gateway "
              + gw.gatewayScriptHashBEHex()
              + ", not "
              + expectedGateway
              + "; check --api and --gateway");
    }
    byte[] expected;
    try {
      expected = ReportData.compute(gw, signing, secrets);
    } catch (IllegalArgumentException e) {
      throw new Refused("the attested public keys are malformed: " + e.getMessage());
    }
    if (!java.util.Arrays.equals(expected, reportData)) {
      throw new Refused(
          "the attestation's report_data does not bind its public keys and gateway; do not send"
              + " secrets to this service, and tell its operator");
    }
    if (AttestationJson.saysSimulated(doc)) {
      if (!allowSimulated) {
        throw new Refused(
            "the service runs in SIMULATION mode: no SGX enclave protects your secret, the operator"
                + " can read it. Use --allow-simulated only on a local devnet with test values");
      }
      return new Checked(
          signing,
          secrets,
          "SIMULATED",
          gw.gatewayScriptHashBEHex(),
          "SIMULATED (accepted because of --allow-simulated)");
    }
    byte[] quote;
    try {
      quote = hex.parseHex(doc.path("evidence").asText());
    } catch (IllegalArgumentException e) {
      throw new Refused("the attestation's evidence is not a hex SGX quote");
    }
    AttestationPolicy policy =
        new AttestationPolicy(
            false,
            new LinkedHashSet<>(List.of()),
            AttestationPolicy.DEFAULT_TCB_STATUSES,
            false,
            hex.formatHex(reportData));
    QuoteVerification v = policy.apply(DcapQuoteVerifier.withIntelRoot().verify(quote, null, now));
    if (!v.valid()) {
      throw new Refused(
          "the service's SGX quote does not verify: "
              + v.reason()
              + " ("
              + v.detail()
              + "); do not send secrets to it");
    }
    return new Checked(
        signing,
        secrets,
        "SGX",
        gw.gatewayScriptHashBEHex(),
        "SGX quote verified, MRENCLAVE " + v.mrEnclave());
  }
}
