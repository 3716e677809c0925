package io.nsl.enclave.dcap;

/**
 * Why a quote was refused: one value per check, so a caller (and a test) can tell exactly which
 * check failed. The names are stable: they appear as {@code reason} in the CLI's JSON answer.
 */
public enum FailureReason {
  // The bytes.
  /** A SIMULATED attestation document: it proves nothing about hardware and is never valid. */
  SIMULATED_ATTESTATION,
  /** Too short, a length field points past the end, or a structure is inconsistent. */
  MALFORMED_QUOTE,
  /** Quote version other than 3 or 4 (version 5 included: not yet supported). */
  UNSUPPORTED_QUOTE_VERSION,
  /** A TDX quote (TEE type 0x81): this verifier checks SGX enclaves only. */
  TDX_QUOTE_NOT_SUPPORTED,
  /** Attestation key type other than 2 (ECDSA-256 with P-256). */
  UNSUPPORTED_ATTESTATION_KEY_TYPE,
  /** QE vendor id is not Intel's. */
  UNSUPPORTED_QE_VENDOR,
  /** Certification data type other than 5 (PCK certificate chain, PEM). */
  UNSUPPORTED_CERTIFICATION_DATA,

  // Certificates and CRLs.
  /** The PCK chain in the quote cannot be parsed, or the PCK leaf lacks the SGX extension. */
  PCK_CHAIN_MALFORMED,
  /** A certificate signature fails, or the chain does not end in the trusted Intel SGX Root CA. */
  CHAIN_UNTRUSTED,
  /** A certificate is not valid at the verification time. */
  CERTIFICATE_EXPIRED,
  /** A certificate in a chain is listed in a CRL. */
  CERTIFICATE_REVOKED,
  /** A CRL cannot be parsed, was not issued by the expected CA, or its signature fails. */
  CRL_INVALID,
  /** A CRL is not current at the verification time. */
  CRL_EXPIRED,

  // The quote's own signatures.
  /** The QE report's signature does not verify with the PCK leaf's key. */
  QE_REPORT_SIGNATURE_INVALID,
  /** QE report_data is not SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes. */
  QE_REPORT_DATA_MISMATCH,
  /** The quote signature over header and report body does not verify with the attestation key. */
  QUOTE_SIGNATURE_INVALID,

  // Collateral.
  /** The TCB info JSON is malformed or missing fields. */
  TCB_INFO_INVALID,
  /** The TCB info signature does not verify with the TCB signing certificate. */
  TCB_INFO_SIGNATURE_INVALID,
  /** The TCB info is not current at the verification time (issueDate..nextUpdate). */
  TCB_INFO_EXPIRED,
  /** The TCB info is for another FMSPC or PCE id than the PCK certificate. */
  TCB_INFO_MISMATCH,
  /** No TCB level in the TCB info is at or below the platform's TCB. */
  TCB_LEVEL_NOT_FOUND,
  /** The platform's TCB level is Revoked. */
  TCB_REVOKED,
  /** The QE identity JSON is malformed or missing fields. */
  QE_IDENTITY_INVALID,
  /** The QE identity signature does not verify with the TCB signing certificate. */
  QE_IDENTITY_SIGNATURE_INVALID,
  /** The QE identity is not current at the verification time. */
  QE_IDENTITY_EXPIRED,
  /** The quoting enclave's MRSIGNER, ISVPRODID, MISCSELECT or attributes do not match. */
  QE_IDENTITY_MISMATCH,
  /** The quoting enclave's ISVSVN is below every QE TCB level, or its level is Revoked. */
  QE_REVOKED,

  // Policy (AttestationPolicy), after every check above passed.
  /** The enclave was built debuggable: its memory is readable by the host. */
  DEBUG_ENCLAVE,
  /** MRENCLAVE is not one the policy expects. */
  UNEXPECTED_MRENCLAVE,
  /** The TCB status is one the policy does not accept (e.g. OutOfDate). */
  TCB_STATUS_NOT_ACCEPTED,
  /** The policy requires collateral and none was given. */
  COLLATERAL_REQUIRED,
  /** report_data is not what the caller expected (e.g. another key or gateway). */
  UNEXPECTED_REPORT_DATA
}
