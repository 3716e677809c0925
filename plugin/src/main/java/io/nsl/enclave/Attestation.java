package io.nsl.enclave;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One enclave instance's evidence that it holds two public keys, made for one gateway.
 *
 * <p>The compact constructor checks that {@link #reportData()} is exactly {@link
 * ReportData#compute} of the gateway and the two keys, so an inconsistent attestation cannot be
 * built. It does not verify the evidence itself: for {@link EnclaveMode#SGX} run the DCAP verifier
 * ({@code io.nsl.enclave.dcap.DcapQuoteVerifier}) over {@link #evidence()} and compare the quote's
 * report_data with {@link #reportData()}.
 *
 * @param mode SGX or SIMULATED; a SIMULATED attestation proves nothing about where the keys are
 * @param instanceId the enclave instance's id (stable across restarts)
 * @param signingPublicKey 33-byte compressed secp256r1 key that signs results
 * @param secretsPublicKey 33-byte compressed secp256r1 key dApp developers encrypt secrets to
 * @param gateway the network and gateway contract this attestation was made for
 * @param reportData the 64-byte report_data, see {@link ReportData}
 * @param evidence for SGX the raw DCAP quote (v3) bytes; for SIMULATED the UTF-8 JSON document
 *     described in docs/enclave.md, whose {@code "mode"} is {@code "SIMULATED"}
 * @param createdAt when the evidence was made
 */
public record Attestation(
    EnclaveMode mode,
    String instanceId,
    byte[] signingPublicKey,
    byte[] secretsPublicKey,
    GatewayIdentity gateway,
    byte[] reportData,
    byte[] evidence,
    Instant createdAt) {

  public Attestation {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(evidence, "evidence");
    signingPublicKey = signingPublicKey.clone();
    secretsPublicKey = secretsPublicKey.clone();
    reportData = reportData.clone();
    evidence = evidence.clone();
    if (!Arrays.equals(
        reportData, ReportData.compute(gateway, signingPublicKey, secretsPublicKey))) {
      throw new IllegalArgumentException(
          "reportData does not match the gateway and public keys (see ReportData)");
    }
    if (evidence.length == 0) {
      throw new IllegalArgumentException("evidence must not be empty");
    }
  }

  /** True for {@link EnclaveMode#SIMULATED}: this attestation proves nothing about hardware. */
  public boolean simulated() {
    return mode == EnclaveMode.SIMULATED;
  }

  @Override
  public byte[] signingPublicKey() {
    return signingPublicKey.clone();
  }

  @Override
  public byte[] secretsPublicKey() {
    return secretsPublicKey.clone();
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  @Override
  public byte[] evidence() {
    return evidence.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attestation a
        && a.mode == mode
        && a.instanceId.equals(instanceId)
        && Arrays.equals(a.signingPublicKey, signingPublicKey)
        && Arrays.equals(a.secretsPublicKey, secretsPublicKey)
        && a.gateway.equals(gateway)
        && Arrays.equals(a.reportData, reportData)
        && Arrays.equals(a.evidence, evidence)
        && a.createdAt.equals(createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, instanceId, gateway, createdAt, Arrays.hashCode(reportData));
  }

  @Override
  public String toString() {
    return "Attestation[mode="
        + mode
        + ", instanceId="
        + instanceId
        + ", gateway="
        + gateway
        + ", evidence="
        + evidence.length
        + " bytes, createdAt="
        + createdAt
        + "]";
  }
}
