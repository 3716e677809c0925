package io.nsl.js;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution of a function.
 *
 * @param functionId the function's id (for logs and the JS {@code context})
 * @param owner the owner's address (secrets belong to it)
 * @param requestId the request being answered
 * @param code the script; it must define {@code main(input)}
 * @param inputJson the request's input, UTF-8 JSON
 * @param inputSchema a JSON Schema the input must satisfy, or empty
 * @param gasLimit gas this run may use (1 .. {@link ExecutionLimits#maxGasLimit()})
 * @param blockTime time of the block that carried the request (the JS {@code context.blockTime})
 * @param host the storage, secrets, randomness and fetch policy this run may use
 * @param memoryLimitBytes the function's counted-memory budget (decision 0710), at most {@link
 *     ExecutionLimits#maxMemoryBytes()}; {@link #DEFAULT_MEMORY} for the engine's default
 */
public record ExecutionRequest(
    String functionId,
    String owner,
    String requestId,
    String code,
    byte[] inputJson,
    Optional<String> inputSchema,
    long gasLimit,
    Instant blockTime,
    HostServices host,
    long memoryLimitBytes) {

  /** {@link #memoryLimitBytes()} of a function that sets none: the engine's default applies. */
  public static final long DEFAULT_MEMORY = 0;

  /** A request with the engine's default memory budget. */
  public ExecutionRequest(
      String functionId,
      String owner,
      String requestId,
      String code,
      byte[] inputJson,
      Optional<String> inputSchema,
      long gasLimit,
      Instant blockTime,
      HostServices host) {
    this(
        functionId,
        owner,
        requestId,
        code,
        inputJson,
        inputSchema,
        gasLimit,
        blockTime,
        host,
        DEFAULT_MEMORY);
  }

  public ExecutionRequest {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(code, "code");
    inputJson = Objects.requireNonNull(inputJson, "inputJson").clone();
    Objects.requireNonNull(inputSchema, "inputSchema");
    Objects.requireNonNull(blockTime, "blockTime");
    Objects.requireNonNull(host, "host");
    if (gasLimit <= 0) {
      throw new IllegalArgumentException("gasLimit must be > 0, was " + gasLimit);
    }
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException(
          "memoryLimitBytes must be >= 0 (0 = the default), was " + memoryLimitBytes);
    }
  }

  @Override
  public byte[] inputJson() {
    return inputJson.clone();
  }

  String inputJsonString() {
    return new String(inputJson, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutionRequest r
        && functionId.equals(r.functionId)
        && owner.equals(r.owner)
        && requestId.equals(r.requestId)
        && code.equals(r.code)
        && Arrays.equals(inputJson, r.inputJson)
        && inputSchema.equals(r.inputSchema)
        && gasLimit == r.gasLimit
        && blockTime.equals(r.blockTime)
        && host.equals(r.host)
        && memoryLimitBytes == r.memoryLimitBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(functionId, requestId, Arrays.hashCode(inputJson), gasLimit);
  }

  @Override
  public String toString() {
    return "ExecutionRequest[functionId="
        + functionId
        + ", requestId="
        + requestId
        + ", codeChars="
        + code.length()
        + ", inputBytes="
        + inputJson.length
        + ", gasLimit="
        + gasLimit
        + "]";
  }
}
