package io.nsl.js.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.NameRules;
import io.nsl.js.ErrorKind;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.GasAccountingManager;
import io.nsl.js.GasTable;
import io.nsl.js.HostServices;
import io.nsl.js.MemoryBudget;
import io.nsl.js.StateQuotaExceededException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.HostAccess;

/**
 * The host side of the function API for one execution. Only the prelude can reach it (it is
 * captured in the prelude's closure). Every method charges gas before doing work and throws {@link
 * GuestApiException} on a failure the function may see.
 *
 * <p>Threading: confined to the execution's guest thread.
 */
public final class GuestBridge {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_STATE_LIST = 1_000;

  private final GasAccountingManager gas;
  private final CallDepthGuard depth;
  private final MemoryBudget memory;
  private final HostServices host;
  private final ExecutionLimits limits;
  private final HttpFetcher fetcher;
  private final long deadlineNanos;

  private final List<String> logs = new ArrayList<>();
  private int droppedLogLines;
  private final List<String> secretValues = new ArrayList<>();
  private Scrubber scrubber = new Scrubber(List.of());
  private final Set<ErrorKind> raised = EnumSet.noneOf(ErrorKind.class);
  private ErrorKind lastErrorKind = ErrorKind.RUNTIME_ERROR;
  private String lastErrorMessage = "";
  private RuntimeException hostFault;
  private int fetchCalls;

  private boolean settled;
  private String resultJson;
  private ErrorKind rejectedKind;
  private String rejectedMessage;

  public GuestBridge(
      GasAccountingManager gas,
      CallDepthGuard depth,
      MemoryBudget memory,
      HostServices host,
      ExecutionLimits limits,
      HttpFetcher fetcher,
      long deadlineNanos) {
    this.gas = gas;
    this.depth = depth;
    this.memory = memory;
    this.host = host;
    this.limits = limits;
    this.fetcher = fetcher;
    this.deadlineNanos = deadlineNanos;
  }

  // ---- function API -------------------------------------------------------------------------

  @HostAccess.Export
  public void log(String line) {
    charge(GasTable.HOST_CALL + utf8Length(line));
    if (logs.size() >= limits.maxLogLines()) {
      droppedLogLines++;
      return;
    }
    // Scrub before the cut: a cut secret would no longer match what was read.
    String kept = scrubber.scrub(line);
    if (kept.length() > limits.maxLogLineChars()) {
      kept = kept.substring(0, limits.maxLogLineChars()) + "...[truncated]";
    }
    logs.add(kept);
  }

  @HostAccess.Export
  public String getSecret(String name) {
    charge(GasTable.SECRET_GET + utf8Length(name));
    checkName(NameRules.secretNameProblem(name));
    Optional<byte[]> value = hostCall(() -> host.secrets().secret(name));
    if (value.isEmpty()) {
      throw raise(
          ErrorKind.SECRET_NOT_FOUND,
          "no secret named '"
              + name
              + "' is stored for this function's owner; store it first (nsl secret put)");
    }
    byte[] bytes = value.get();
    try {
      String s = new String(bytes, StandardCharsets.UTF_8);
      if (!secretValues.contains(s)) {
        secretValues.add(s);
        scrubber = new Scrubber(secretValues);
      }
      return s;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @HostAccess.Export
  public String storageGet(String key) {
    charge(GasTable.STATE_READ + utf8Length(key));
    checkName(NameRules.storageKeyProblem(key));
    Optional<byte[]> v = hostCall(() -> host.state().get(key));
    if (v.isEmpty()) {
      return null;
    }
    charge((long) v.get().length * GasTable.PER_BYTE);
    return new String(v.get(), StandardCharsets.UTF_8);
  }

  @HostAccess.Export
  public void storagePut(String key, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    charge(GasTable.STATE_WRITE + utf8Length(key) + bytes.length);
    checkName(NameRules.storageKeyProblem(key));
    if (bytes.length > limits.maxStateValueBytes()) {
      throw raise(
          ErrorKind.STORAGE_QUOTA_EXCEEDED,
          "a storage value is "
              + bytes.length
              + " bytes; the cap is "
              + limits.maxStateValueBytes()
              + " bytes per value");
    }
    try {
      hostCall(
          () -> {
            host.state().put(key, bytes);
            return null;
          });
    } catch (StateQuotaExceededException e) {
      throw raise(ErrorKind.STORAGE_QUOTA_EXCEEDED, e.getMessage());
    }
  }

  @HostAccess.Export
  public boolean storageDelete(String key) {
    charge(GasTable.STATE_READ + utf8Length(key));
    checkName(NameRules.storageKeyProblem(key));
    return hostCall(() -> host.state().delete(key));
  }

  @HostAccess.Export
  public String storageList(String prefix) {
    charge(GasTable.STATE_READ + utf8Length(prefix));
    if (!prefix.isEmpty()) {
      checkName(NameRules.storageKeyProblem(prefix));
    }
    List<String> keys = hostCall(() -> host.state().list(prefix, MAX_STATE_LIST));
    String json = toJson(keys);
    charge(utf8Length(json));
    return json;
  }

  @HostAccess.Export
  public String sha256(String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    charge(GasTable.HOST_CALL + bytes.length);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @HostAccess.Export
  public String hmacSha256(String key, String data) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] d = data.getBytes(StandardCharsets.UTF_8);
    charge(GasTable.HOST_CALL + k.length + d.length);
    if (k.length == 0) {
      throw raise(ErrorKind.RUNTIME_ERROR, "crypto.hmacSha256 needs a non-empty key");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(d));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK has no usable HmacSHA256", e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  @HostAccess.Export
  public String randomBytes(int n) {
    charge(GasTable.HOST_CALL + n);
    if (n < 1 || n > 1024) {
      throw raise(ErrorKind.RUNTIME_ERROR, "crypto.randomBytes(n) needs 1..1024, got " + n);
    }
    byte[] out = new byte[n];
    hostCall(
        () -> {
          host.random().nextBytes(out);
          return null;
        });
    return HexFormat.of().formatHex(out);
  }

  @HostAccess.Export
  public String fetch(String url, String method, String headersJson, String body) {
    byte[] bodyBytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    charge(
        GasTable.FETCH
            + utf8Length(url)
            + utf8Length(headersJson)
            + (bodyBytes == null ? 0 : bodyBytes.length));
    if (fetchCalls >= host.fetchPolicy().maxCalls()) {
      throw raise(
          ErrorKind.FORBIDDEN,
          "fetch was called more than the "
              + host.fetchPolicy().maxCalls()
              + " times this function may call it per run");
    }
    fetchCalls++;
    Map<String, String> headers;
    try {
      headers = JSON.readerForMapOf(String.class).readValue(headersJson);
    } catch (JsonProcessingException e) {
      throw raise(ErrorKind.RUNTIME_ERROR, "fetch headers must be an object of strings");
    }
    HttpFetcher.Response r;
    try {
      r = fetcher.fetch(host.fetchPolicy(), url, method, headers, bodyBytes, deadlineNanos);
    } catch (HttpFetcher.FetchDenied e) {
      throw raise(ErrorKind.FORBIDDEN, e.getMessage());
    } catch (HttpFetcher.FetchFailed e) {
      throw raise(ErrorKind.HTTP_ERROR, e.getMessage());
    }
    String json = toJson(Map.of("status", r.status(), "headers", r.headers(), "body", r.body()));
    charge(utf8Length(json));
    return json;
  }

  // ---- prelude plumbing -----------------------------------------------------------------------

  /** The built-in work rates (GasTable), read once by the prelude. */
  @HostAccess.Export
  public String workTable() {
    return GasTable.workTableJson();
  }

  /**
   * Built-in work the prelude counted: {@code gasAmount} gas and {@code bytes} into the memory
   * budget. Past the budget the run is marked stopped (the instrument ends it at the function's
   * next statement) and the prelude's wrapper throws before the built-in allocates anything.
   */
  @HostAccess.Export
  public void work(long gasAmount, long bytes) {
    if (gasAmount < 0 || bytes < 0) {
      throw new IllegalArgumentException("built-in work must be >= 0");
    }
    if (!memory.tryCount(bytes)) {
      throw raise(
          ErrorKind.MEMORY_LIMIT,
          "the function's counted allocations passed its memory budget of "
              + memory.limitBytes()
              + " bytes");
    }
    charge(gasAmount);
  }

  @HostAccess.Export
  public String lastErrorKind() {
    return lastErrorKind.name();
  }

  @HostAccess.Export
  public String lastErrorMessage() {
    return lastErrorMessage;
  }

  @HostAccess.Export
  public void resolve(String json) {
    if (!settled) {
      settled = true;
      resultJson = json;
    }
  }

  @HostAccess.Export
  public void reject(String kind, String message) {
    if (settled) {
      return;
    }
    settled = true;
    ErrorKind k;
    try {
      k = ErrorKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      k = ErrorKind.RUNTIME_ERROR;
    }
    // A function can't claim a kind the API did not raise in this run: a thrown {kind:
    // 'GAS_EXHAUSTED'} is just a runtime error. Result kinds come only through rejectResult.
    rejectedKind = raised.contains(k) ? k : ErrorKind.RUNTIME_ERROR;
    rejectedMessage = ErrorText.tidy(message);
  }

  /**
   * The prelude's verdict on the value {@code main} returned ({@code RESULT_INVALID} or {@code
   * RESULT_TOO_LARGE}); called only by the prelude's own result handling, never with a guest's
   * error.
   */
  @HostAccess.Export
  public void rejectResult(String kind, String message) {
    if (settled) {
      return;
    }
    ErrorKind k =
        "RESULT_TOO_LARGE".equals(kind) ? ErrorKind.RESULT_TOO_LARGE : ErrorKind.RESULT_INVALID;
    settled = true;
    rejectedKind = k;
    rejectedMessage = ErrorText.tidy(message);
  }

  /**
   * Whether JSON text nests arrays and objects deeper than {@code limit} (brackets inside strings
   * do not count). Only the prelude calls it, after {@code JSON.stringify}; not charged, as the
   * prelude's own statements are not.
   */
  @HostAccess.Export
  public boolean jsonNestedDeeperThan(String text, int limit) {
    return JsonTextScan.nestedDeeperThan(text, limit);
  }

  /**
   * Before {@code JSON.parse}, in one pass: what the parse counts into the memory budget, negated
   * minus one if the text nests deeper than {@code limit} ({@link JsonTextScan#parseCount}). Only
   * the prelude calls it; not charged.
   */
  @HostAccess.Export
  public long jsonParseCount(String text, int limit) {
    return JsonTextScan.parseCount(text, limit);
  }

  /**
   * {@code builtin} was given data nested deeper than {@link ExecutionLimits#MAX_BUILTIN_NESTING},
   * or ran out of stack: the run stops at the next statement of the function (it can't be caught).
   */
  @HostAccess.Export
  public void nestedTooDeep(String builtin) {
    depth.nestedTooDeep(builtin);
  }

  // ---- results for the engine -----------------------------------------------------------------

  public boolean settled() {
    return settled;
  }

  public String resultJson() {
    return resultJson;
  }

  public ErrorKind rejectedKind() {
    return rejectedKind;
  }

  public String rejectedMessage() {
    return rejectedMessage;
  }

  /** A failure of the service itself (storage down, ...), which the function can't mask. */
  public RuntimeException hostFault() {
    return hostFault;
  }

  /** Secret values read in this run, for scrubbing. */
  public List<String> secretValues() {
    return List.copyOf(secretValues);
  }

  /** Logs so far, with a final marker if lines were dropped (not yet scrubbed). */
  public List<String> logs() {
    List<String> out = new ArrayList<>(logs);
    if (droppedLogLines > 0) {
      out.add(
          "["
              + droppedLogLines
              + " more log lines dropped: the cap is "
              + limits.maxLogLines()
              + " lines per run]");
    }
    return out;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void charge(long amount) {
    if (!gas.tryUse(amount)) {
      throw raise(ErrorKind.GAS_EXHAUSTED, "out of gas");
    }
  }

  // A name the service's rule refuses is the function's mistake, the same in production and in
  // the simulator: a RUNTIME_ERROR it may catch, never a host fault (retried, then 255).
  private void checkName(Optional<String> problem) {
    if (problem.isPresent()) {
      throw raise(ErrorKind.RUNTIME_ERROR, problem.get());
    }
  }

  private GuestApiException raise(ErrorKind kind, String message) {
    raised.add(kind);
    lastErrorKind = kind;
    lastErrorMessage = message;
    return new GuestApiException(kind, message);
  }

  private <T> T hostCall(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (StateQuotaExceededException e) {
      throw e;
    } catch (RuntimeException e) {
      hostFault = e;
      throw raise(
          ErrorKind.INTERNAL_ERROR,
          "the service failed to complete a host call; the " + "request will be retried");
    }
  }

  private static long utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }

  private static String toJson(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a host value failed", e);
    }
  }
}
