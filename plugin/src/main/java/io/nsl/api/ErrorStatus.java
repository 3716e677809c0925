package io.nsl.api;

import io.nsl.NslException;
import java.util.HashMap;
import java.util.Map;

/**
 * The one table from stable error codes to HTTP statuses. It holds the API's own codes (thrown as
 * {@link ApiFailure}) and the codes of every {@link NslException} a developer request can meet in
 * the lower layers (secrets, storage, chain, enclave). Nothing else in the service knows HTTP
 * statuses. A code missing here answers 500 (the test {@code ErrorStatusTest} keeps the table
 * complete for the codes the API can reach).
 */
public enum ErrorStatus {
  // --- request shape (api) ---
  MALFORMED_REQUEST(400),
  HEADERS_TOO_LARGE(431),
  BAD_JSON(400),
  WRONG_TYPE(400),
  UNKNOWN_FIELD(400),
  MISSING_FIELD(400),
  INVALID_VALUE(400),
  BAD_PATH(400),
  BODY_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CROSS_ORIGIN_REFUSED(403),
  // --- authentication and abuse (api) ---
  AUTH_MISSING(401),
  AUTH_MALFORMED(401),
  AUTH_TIMESTAMP_SKEW(401),
  AUTH_NONCE_REUSED(401),
  AUTH_SIGNATURE_INVALID(401),
  RATE_LIMITED(429),
  NONCE_CACHE_FULL(503),
  // --- developer resources (api) ---
  FUNCTION_NOT_REGISTERED(409),
  FUNCTION_NOT_OWNER(403),
  NOT_OPERATOR(403),
  FUNCTION_CODE_HASH_MISMATCH(409),
  FUNCTION_NOT_FOUND(404),
  EXECUTION_NOT_FOUND(404),
  SECRET_NOT_CALLER(403),
  SECRET_NAME_MISMATCH(400),
  ENCLAVE_NOT_AVAILABLE(503),
  INTERNAL(500),
  // --- triggers (docs/triggers.md) ---
  TRIGGER_NOT_FOUND(404),
  TRIGGER_NOT_HTTP(409),
  TRIGGER_NOT_ACTIVE(409),
  TRIGGER_BUSY(503),
  TRIGGER_RUN_TIMEOUT(504),
  TRIGGER_BAD_CRON(400),
  TRIGGER_BAD_FILTER(400),
  // --- chain actions from the console (decision 1120) ---
  CHAIN_UNKNOWN_ACTION(400),
  CHAIN_BAD_ARGS(400),
  CHAIN_KEY_NOT_CALLER(403),
  CHAIN_SIGNATURE_INVALID(400),
  CHAIN_ACTION_FAULTS(422),
  CHAIN_ACTION_NOT_NEEDED(409),
  CHAIN_TX_REFUSED(422),
  CHAIN_TX_NOT_FOUND(404),
  // --- pipeline ---
  FUNCTION_TOO_LARGE(413),
  INVALID_SIMULATION(400),
  SIMULATION_BUSY(503),
  SIMULATION_TIMEOUT(504),
  // --- secrets (docs/secrets-envelope.md) ---
  SECRET_ENVELOPE_MALFORMED(400),
  SECRET_WRONG_ENCLAVE(409),
  SECRET_INVALID_NAME(400),
  SECRET_TOO_LARGE(413),
  SECRET_SIGNATURE_INVALID(400),
  SECRET_OWNER_MISMATCH(403),
  SECRET_STALE_SEQUENCE(409),
  SECRET_DECRYPTION_FAILED(400),
  SECRET_LIMIT_REACHED(409),
  SECRET_NOT_FOUND(404),
  SECRET_CONFLICT(409),
  // --- storage: the service's own disk; retry or call the operator ---
  STORAGE_CLOSED(503),
  STORAGE_DISK_FULL(507),
  STORAGE_IO_ERROR(503),
  STORAGE_READ_ONLY(503),
  STORAGE_TAMPERED(500),
  STORAGE_KEY_MISMATCH(500),
  STORAGE_OPEN_FAILED(503),
  STORAGE_UNREACHABLE(503),
  STORAGE_AUTH_FAILED(503),
  STORAGE_SCHEMA_TOO_NEW(503),
  STORAGE_INVALID_KEY(400),
  STORAGE_QUOTA_EXCEEDED(507),
  STORAGE_VALUE_TOO_LARGE(413),
  STORAGE_VERSION_CONFLICT(409),
  STORAGE_NAMESPACE_DELETED(409),
  STORAGE_FENCE_LOST(409),
  STORAGE_OUTCOME_UNKNOWN(503),
  // --- chain: the Neo node behind the service ---
  NODE_UNREACHABLE(503),
  RPC_ERROR(502),
  TX_FAULT(502),
  TX_TIMEOUT(504),
  NODE_BEHIND(503),
  WRONG_CHAIN(503),
  // --- enclave ---
  ENCLAVE_CLOSED(503),
  ENCLAVE_UNAVAILABLE(503),
  ENCLAVE_STORAGE(503),
  ATTESTATION_FAILED(503),
  INVALID_PEER_KEY(400),
  SEALED_STATE_INVALID(503),
  CLUSTER_STATE(503),
  JOIN_KEYS_TAMPERED(502),
  COLLATERAL_FORMAT(400),
  // --- start-up failures; listed so the table is complete, a request cannot meet them ---
  API_BIND_FAILED(500),
  INVALID_ARTIFACT(500),
  DEVNET(500);

  private static final Map<String, ErrorStatus> BY_CODE = new HashMap<>();

  static {
    for (ErrorStatus s : values()) {
      BY_CODE.put(s.name(), s);
    }
  }

  private final int httpStatus;

  ErrorStatus(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The stable code, as it appears in {@code error.code}. */
  public String code() {
    return name();
  }

  /** The HTTP status for a failure code; 500 for a code the table does not know. */
  public static int httpStatusOf(String code) {
    ErrorStatus s = BY_CODE.get(code);
    return s == null ? 500 : s.httpStatus;
  }

  /** Whether the table knows {@code code}. */
  public static boolean knows(String code) {
    return BY_CODE.containsKey(code);
  }
}
