package io.nsl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.js.FetchPolicy;
import io.nsl.pipeline.ExecutionRecords;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.SecretReceipt;
import io.nsl.secrets.UserSecretManager;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The developer endpoints under {@code /v1} (docs/openapi.yaml): function code, secrets, execution
 * records, and the enclave's attested keys. Every endpoint except {@code GET /v1/enclave} needs a
 * signed request ({@link ApiAuth}); the caller sees only what its own account owns, and anything
 * else answers exactly as if it did not exist. Thread-safe.
 */
public final class DeveloperApi {
  /** Every route, as "METHOD /template"; the OpenAPI test checks docs/openapi.yaml against it. */
  public static final List<String> ROUTES =
      List.of(
          "GET /v1/enclave",
          "GET /v1/functions",
          "GET /v1/functions/{functionId}",
          "PUT /v1/functions/{functionId}",
          "GET /v1/secrets",
          "POST /v1/secrets",
          "DELETE /v1/secrets/{name}",
          "GET /v1/executions/{requestId}",
          "GET /v1/failures");

  private static final Pattern HEX_KEY = Pattern.compile("0[23][0-9a-fA-F]{64}");
  private static final Pattern HEX_SIG = Pattern.compile("[0-9a-fA-F]{128}");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");
  private static final Pattern REQUEST_ID = Pattern.compile("[0-9]{1,18}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Most hosts one function may declare for its fetch calls. */
  public static final int MAX_FETCH_HOSTS = 32;

  private final ChainView chain;
  private final Supplier<JsonNode> attestation;
  private final StoredFunctionCatalog functions;
  private final UserSecretManager secrets;
  private final ExecutionRecords executions;
  private final ApiLimits limits;
  private final FetchPolicy fetchPolicy;
  private final ReplayGuard replay;
  private final RateLimiter callerLimiter;
  private final RateLimiter addressLimiter;
  private volatile JsonNode attestationDoc;

  /**
   * @param attestation the enclave's attestation document ({@code AttestationJson}); called once,
   *     on the first {@code GET /v1/enclave}, and kept (the keys do not change while running)
   */
  public DeveloperApi(
      ChainView chain,
      Supplier<JsonNode> attestation,
      StoredFunctionCatalog functions,
      UserSecretManager secrets,
      ExecutionRecords executions,
      ApiLimits limits,
      FetchPolicy fetchPolicy,
      Clock clock) {
    this.chain = chain;
    this.fetchPolicy = fetchPolicy;
    this.attestation = attestation;
    this.functions = functions;
    this.secrets = secrets;
    this.executions = executions;
    this.limits = limits;
    this.replay =
        new ReplayGuard(
            clock, limits.timestampWindow(), limits.nonceCacheEntries(), limits.noncesPerClient());
    this.callerLimiter =
        new RateLimiter(clock, limits.callerPerSecond(), limits.callerBurst(), 100_000);
    this.addressLimiter =
        new RateLimiter(clock, limits.addressPerSecond(), limits.addressBurst(), 100_000);
  }

  public ApiLimits limits() {
    return limits;
  }

  /** The authenticated caller: their account and public key. */
  record Caller(String owner, String publicKeyHex) {}

  /** Per-address limit, checked before anything else (and before signature work). */
  void checkAddress(String remoteAddress) {
    if (!addressLimiter.tryAcquire(ClientKey.of(remoteAddress))) {
      throw new ApiFailure(
          ErrorStatus.RATE_LIMITED,
          "too many requests from "
              + remoteAddress
              + "; slow down and retry after "
              + addressLimiter.retryAfterSeconds()
              + " s",
          Map.of("retryAfterSeconds", addressLimiter.retryAfterSeconds()));
    }
  }

  ApiResponse handle(ApiRequest req) {
    String[] seg = segments(req.rawPath());
    // seg[0] == "v1"
    String resource = seg.length > 1 ? seg[1] : "";
    switch (resource) {
      case "enclave" -> {
        if (seg.length == 2) {
          allow(req, "GET");
          noQuery(req);
          return ApiResponse.ok(attestationDocument());
        }
      }
      case "functions" -> {
        if (seg.length == 2) {
          allow(req, "GET");
          noQuery(req);
          return listFunctions(authenticate(req));
        }
        if (seg.length == 3) {
          allow(req, "GET", "PUT");
          noQuery(req);
          String id = functionId(seg[2]);
          Caller c = authenticate(req);
          return req.method().equals("GET")
              ? readFunction(c, id)
              : uploadFunction(c, id, req.body());
        }
      }
      case "secrets" -> {
        if (seg.length == 2) {
          allow(req, "GET", "POST");
          noQuery(req);
          Caller c = authenticate(req);
          return req.method().equals("GET") ? listSecrets(c) : putSecret(c, req.body());
        }
        if (seg.length == 3) {
          allow(req, "DELETE");
          noQuery(req);
          String name = seg[2];
          return deleteSecret(authenticate(req), name, req.body());
        }
      }
      case "executions" -> {
        if (seg.length == 3) {
          allow(req, "GET");
          noQuery(req);
          long id = requestId(seg[2]);
          return readExecution(authenticate(req), id);
        }
      }
      case "failures" -> {
        if (seg.length == 2) {
          allow(req, "GET");
          Map<String, String> q = query(req, Set.of("functionId", "limit"));
          Caller c = authenticate(req);
          return failures(c, q);
        }
      }
      default -> {}
    }
    throw notFound(req.rawPath());
  }

  static ApiFailure notFound(String rawPath) {
    return new ApiFailure(
        ErrorStatus.NOT_FOUND,
        "no endpoint at " + rawPath + "; the endpoints are listed in docs/openapi.yaml");
  }

  // ---------------------------------------------------------------- authentication

  Caller authenticate(ApiRequest req) {
    List<String> missing = new ArrayList<>();
    for (String h :
        List.of(
            ApiAuth.HEADER_PUBLIC_KEY,
            ApiAuth.HEADER_TIMESTAMP,
            ApiAuth.HEADER_NONCE,
            ApiAuth.HEADER_SIGNATURE)) {
      if (!req.hasHeader(h)) {
        missing.add(h);
      }
    }
    if (!missing.isEmpty()) {
      throw new ApiFailure(
          ErrorStatus.AUTH_MISSING,
          "this endpoint needs a request signed with your Neo key; missing header(s) "
              + missing
              + ". See docs/api.md, Authentication (the CLI and clients/js sign for you)");
    }
    String pub =
        header(
            req,
            ApiAuth.HEADER_PUBLIC_KEY,
            HEX_KEY,
            "a 33-byte compressed public key in hex (66 characters, 02/03 first)");
    String ts = header(req, ApiAuth.HEADER_TIMESTAMP, TIMESTAMP, "Unix time in milliseconds");
    String nonce = header(req, ApiAuth.HEADER_NONCE, NONCE, "16..64 characters of [A-Za-z0-9_-]");
    String sig =
        header(req, ApiAuth.HEADER_SIGNATURE, HEX_SIG, "64 bytes r||s in hex (128 characters)");
    byte[] publicKey = HexFormat.of().parseHex(pub);
    if (!ApiAuth.isCompressedPoint(publicKey)) {
      throw new ApiFailure(
          ErrorStatus.AUTH_MALFORMED,
          ApiAuth.HEADER_PUBLIC_KEY
              + " is not a point on secp256r1; send your account's public key");
    }
    long timestamp = Long.parseLong(ts);
    byte[] message =
        ApiAuth.message(req.method(), req.pathAndQuery(), timestamp, nonce, req.body());
    if (!ApiAuth.verify(publicKey, message, HexFormat.of().parseHex(sig))) {
      throw new ApiFailure(
          ErrorStatus.AUTH_SIGNATURE_INVALID,
          "the signature does not verify: sign SHA-256 of \""
              + ApiAuth.SCHEME
              + "\\n"
              + req.method()
              + "\\n"
              + req.pathAndQuery()
              + "\\n"
              + timestamp
              + "\\n"
              + nonce
              + "\\n<hex sha256 of the body>\" with the key in "
              + ApiAuth.HEADER_PUBLIC_KEY
              + " (secp256r1, r||s)");
    }
    String pubLower = pub.toLowerCase(java.util.Locale.ROOT);
    replay.check(req.remoteAddress(), pubLower, timestamp, nonce);
    String owner = ApiAuth.ownerOf(publicKey);
    if (!callerLimiter.tryAcquire(owner)) {
      throw new ApiFailure(
          ErrorStatus.RATE_LIMITED,
          "account "
              + owner
              + " sent too many requests; retry after "
              + callerLimiter.retryAfterSeconds()
              + " s",
          Map.of("retryAfterSeconds", callerLimiter.retryAfterSeconds()));
    }
    return new Caller(owner, pubLower);
  }

  private static String header(ApiRequest req, String name, Pattern format, String expected) {
    Optional<String> v = req.header(name);
    if (v.isEmpty() || !format.matcher(v.get()).matches()) {
      throw new ApiFailure(
          ErrorStatus.AUTH_MALFORMED,
          "header "
              + name
              + " must be "
              + expected
              + (v.isEmpty() ? " (sent more than once)" : ""));
    }
    return v.get();
  }

  // ---------------------------------------------------------------- enclave

  private JsonNode attestationDocument() {
    JsonNode doc = attestationDoc;
    if (doc == null) {
      doc = attestation.get();
      attestationDoc = doc;
    }
    return doc;
  }

  // ---------------------------------------------------------------- functions

  private ApiResponse listFunctions(Caller c) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : functions.ids()) {
      if (ownedBy(functions.owner(id), c)) {
        functions
            .get(id)
            .ifPresent(
                f -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("functionId", id);
                  m.put("codeSha256", sha256Hex(f.code()));
                  m.put("codeBytes", f.code().getBytes(StandardCharsets.UTF_8).length);
                  out.add(m);
                });
      }
    }
    return ApiResponse.ok(Map.of("owner", c.owner(), "functions", out));
  }

  private ApiResponse readFunction(Caller c, String id) {
    var stored = functions.get(id);
    if (stored.isEmpty() || !ownedBy(functions.owner(id), c)) {
      throw new ApiFailure(
          ErrorStatus.FUNCTION_NOT_FOUND,
          "account "
              + c.owner()
              + " has no function '"
              + id
              + "' stored in this service;"
              + " upload its code with PUT /v1/functions/{functionId} (./nsl function register)");
    }
    var f = stored.get();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("functionId", id);
    m.put("owner", c.owner());
    m.put("codeSha256", sha256Hex(f.code()));
    m.put("code", f.code());
    m.put("inputSchema", f.inputSchema().map(DeveloperApi::tree).orElse(null));
    m.put("fetchHosts", f.fetchHosts().orElse(null));
    Optional<ChainView.Registration> reg = chain.function(id);
    m.put("registration", reg.map(r -> registration(r, sha256Hex(f.code()))).orElse(null));
    return ApiResponse.ok(m);
  }

  private ApiResponse uploadFunction(Caller c, String id, byte[] body) {
    JsonBody b = JsonBody.parse(body, Set.of("code", "inputSchema", "fetchHosts"));
    String code = b.requiredString("code");
    Optional<String> schema = b.optionalObjectAsText("inputSchema");
    Optional<List<String>> fetchHosts = b.optionalStringList("fetchHosts", MAX_FETCH_HOSTS);
    fetchHosts
        .flatMap(FetchPolicy::hostListProblem)
        .ifPresent(
            problem -> {
              throw new ApiFailure(ErrorStatus.INVALID_VALUE, "fetchHosts: " + problem);
            });
    String codeSha = sha256Hex(code);
    int size = code.getBytes(StandardCharsets.UTF_8).length;
    if (size > StoredFunctionCatalog.MAX_CODE_BYTES) {
      throw new StoredFunctionCatalog.FunctionTooLarge(id, size);
    }
    Optional<ChainView.Registration> reg = chain.function(id);
    if (reg.isEmpty()) {
      Map<String, Object> register = new LinkedHashMap<>();
      register.put("functionId", id);
      register.put("codeSha256", codeSha);
      register.put("owner", c.owner());
      throw new ApiFailure(
          ErrorStatus.FUNCTION_NOT_REGISTERED,
          "function '"
              + id
              + "' is not registered on the gateway; register it first with"
              + " registerFunction(\""
              + id
              + "\", 0x"
              + codeSha
              + ", "
              + c.owner()
              + ")"
              + " (./nsl function register FILE --id "
              + id
              + " does both), then upload again",
          Map.of("register", register));
    }
    ChainView.Registration r = reg.get();
    if (!r.owner().equalsIgnoreCase(c.owner())) {
      throw new ApiFailure(
          ErrorStatus.FUNCTION_NOT_OWNER,
          "function '"
              + id
              + "' is registered to account "
              + r.owner()
              + ", not to "
              + c.owner()
              + "; function ids are first come, first served: choose another id");
    }
    String registered = HexFormat.of().formatHex(r.codeSha256());
    if (!registered.equals(codeSha)) {
      throw new ApiFailure(
          ErrorStatus.FUNCTION_CODE_HASH_MISMATCH,
          "the code's sha256 is "
              + codeSha
              + " but function '"
              + id
              + "' (version "
              + r.version()
              + ") is registered with "
              + registered
              + "; upload the registered code, or point the"
              + " function at this code with updateFunction(\""
              + id
              + "\", 0x"
              + codeSha
              + ")"
              + " (./nsl function register FILE --id "
              + id
              + " does it)",
          Map.of("registeredCodeSha256", registered, "uploadedCodeSha256", codeSha));
    }
    functions.put(id, code, schema, c.owner(), fetchHosts);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("functionId", id);
    m.put("owner", c.owner());
    m.put("codeSha256", codeSha);
    m.put("version", r.version());
    m.put("enabled", r.enabled());
    // Stored all the same (the operator's list may change), but said now rather than at runtime.
    m.put(
        "fetchHostsNotAllowed",
        fetchHosts.orElse(List.of()).stream().filter(h -> !fetchPolicy.allows(h)).toList());
    return ApiResponse.ok(m);
  }

  private static Map<String, Object> registration(ChainView.Registration r, String storedSha) {
    Map<String, Object> m = new LinkedHashMap<>();
    String registered = HexFormat.of().formatHex(r.codeSha256());
    m.put("codeSha256", registered);
    m.put("version", r.version());
    m.put("enabled", r.enabled());
    m.put("matchesStoredCode", registered.equals(storedSha));
    return m;
  }

  // ---------------------------------------------------------------- secrets

  private ApiResponse listSecrets(Caller c) {
    return ApiResponse.ok(
        Map.of(
            "owner",
            c.owner(),
            "names",
            secrets.listNames(SecretOwner.fromScriptHashHex(c.owner()))));
  }

  private ApiResponse putSecret(Caller c, byte[] body) {
    byte[] envelope = envelope(body);
    requireCallerOwns(c, envelope);
    SecretReceipt r = secrets.store(envelope);
    return ApiResponse.ok(receipt(r));
  }

  private ApiResponse deleteSecret(Caller c, String rawName, byte[] body) {
    String name = decode(rawName);
    byte[] envelope = envelope(body);
    requireCallerOwns(c, envelope);
    String inEnvelope = envelopeName(envelope);
    if (!name.equals(inEnvelope)) {
      throw new ApiFailure(
          ErrorStatus.SECRET_NAME_MISMATCH,
          "the path names secret '"
              + name
              + "' but the DELETE envelope names '"
              + inEnvelope
              + "'; send the envelope to DELETE /v1/secrets/"
              + inEnvelope);
    }
    return ApiResponse.ok(receipt(secrets.delete(envelope)));
  }

  private static Map<String, Object> receipt(SecretReceipt r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner", r.owner().toString());
    m.put("name", r.name());
    m.put("op", r.op().name());
    m.put("sequence", r.sequence());
    return m;
  }

  private static byte[] envelope(byte[] body) {
    JsonBody b = JsonBody.parse(body, Set.of("envelope"));
    String text = b.requiredString("envelope");
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field 'envelope' must be the envelope bytes in standard base64 (RFC 4648, with"
              + " padding): "
              + e.getMessage());
    }
  }

  /** The envelope's owner field (offset 6, 20 bytes LE) must be the caller's own account. */
  private static void requireCallerOwns(Caller c, byte[] env) {
    if (env.length < 26) {
      return; // too short to name anyone: the secrets layer answers SECRET_ENVELOPE_MALFORMED
    }
    String owner = new SecretOwner(Arrays.copyOfRange(env, 6, 26)).toString();
    if (!owner.equalsIgnoreCase(c.owner())) {
      throw new ApiFailure(
          ErrorStatus.SECRET_NOT_CALLER,
          "the envelope is for account "
              + owner
              + " but the request is signed by "
              + c.owner()
              + "; each account uploads only its own secrets");
    }
  }

  /** The name field of an envelope (length at offset 67, name from 68), or "" when too short. */
  private static String envelopeName(byte[] env) {
    if (env.length < 68) {
      return "";
    }
    int n = env[67] & 0xff;
    if (env.length < 68 + n) {
      return "";
    }
    return new String(env, 68, n, StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- executions

  private ApiResponse readExecution(Caller c, long requestId) {
    var rec = executions.get(requestId).filter(e -> e.owner().equalsIgnoreCase(c.owner()));
    if (rec.isEmpty()) {
      throw new ApiFailure(
          ErrorStatus.EXECUTION_NOT_FOUND,
          "no execution of request "
              + requestId
              + " for a function of account "
              + c.owner()
              + ": it has not run yet (is the service caught up? see GET /ready), or it ran a"
              + " function another account owns. Retry in a few seconds",
          Map.of("requestId", requestId));
    }
    var e = rec.get();
    Map<String, Object> m = execution(e);
    m.put("chainState", chain.requestState(requestId));
    return ApiResponse.ok(m);
  }

  private ApiResponse failures(Caller c, Map<String, String> q) {
    String fid = q.containsKey("functionId") ? functionId(q.get("functionId")) : null;
    int limit = limits.recentFailures();
    if (q.containsKey("limit")) {
      String l = q.get("limit");
      if (!l.matches("[0-9]{1,6}")
          || Integer.parseInt(l) < 1
          || Integer.parseInt(l) > limits.recentFailures()) {
        throw new ApiFailure(
            ErrorStatus.INVALID_VALUE,
            "query parameter 'limit' must be a number 1.."
                + limits.recentFailures()
                + ", got '"
                + l
                + "'");
      }
      limit = Integer.parseInt(l);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e :
        executions.recent(
            limit,
            e ->
                e.status() != 0
                    && e.owner().equalsIgnoreCase(c.owner())
                    && (fid == null || fid.equals(e.functionId())))) {
      out.add(execution(e));
    }
    return ApiResponse.ok(Map.of("owner", c.owner(), "failures", out));
  }

  private static Map<String, Object> execution(ExecutionRecords.Execution e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestId", e.requestId());
    m.put("functionId", e.functionId());
    m.put("requester", e.requester());
    m.put("blockIndex", e.blockIndex());
    m.put("status", e.status());
    m.put("kind", e.kind());
    m.put("result", e.resultJson() == null ? null : tree(e.resultJson()));
    m.put("gasUsed", e.gasUsed());
    m.put("logs", e.logs());
    m.put("error", e.errorMessage());
    m.put("executedAt", Instant.ofEpochMilli(e.executedAtMillis()).toString());
    return m;
  }

  // ---------------------------------------------------------------- helpers

  private static void allow(ApiRequest req, String... methods) {
    for (String m : methods) {
      if (m.equals(req.method())) {
        return;
      }
    }
    throw new MethodNotAllowed(req.method(), req.rawPath(), methods);
  }

  /** 405 with the Allow header. */
  static final class MethodNotAllowed extends ApiException {
    final String allow;

    MethodNotAllowed(String method, String path, String... allowed) {
      super(
          ErrorStatus.METHOD_NOT_ALLOWED.code(),
          method + " is not allowed on " + path + "; use " + String.join(" or ", allowed),
          null);
      this.allow = String.join(", ", allowed);
    }
  }

  private static void noQuery(ApiRequest req) {
    if (req.rawQuery() != null && !req.rawQuery().isEmpty()) {
      throw new ApiFailure(
          ErrorStatus.UNKNOWN_FIELD,
          "this endpoint takes no query parameters, got '" + req.rawQuery() + "'");
    }
  }

  private static Map<String, String> query(ApiRequest req, Set<String> allowed) {
    Map<String, String> out = new LinkedHashMap<>();
    if (req.rawQuery() == null || req.rawQuery().isEmpty()) {
      return out;
    }
    for (String pair : req.rawQuery().split("&", -1)) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!allowed.contains(k)) {
        throw new ApiFailure(
            ErrorStatus.UNKNOWN_FIELD,
            "unknown query parameter '"
                + k
                + "'; this endpoint accepts "
                + new java.util.TreeSet<>(allowed));
      }
      if (out.put(k, v) != null) {
        throw new ApiFailure(
            ErrorStatus.INVALID_VALUE, "query parameter '" + k + "' is given twice");
      }
    }
    return out;
  }

  private static String[] segments(String rawPath) {
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    return p.split("/", -1);
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(ErrorStatus.BAD_PATH, "'" + raw + "' is not valid percent-encoding");
    }
  }

  /** Function ids as the gateway takes them: 1..64 UTF-8 bytes; here also no control characters. */
  static String functionId(String raw) {
    String id = decode(raw);
    int bytes = id.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > 64 || id.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "a function id is 1..64 bytes of UTF-8 without control characters (the gateway's rule),"
              + " got "
              + bytes
              + " bytes");
    }
    return id;
  }

  private static long requestId(String raw) {
    if (!REQUEST_ID.matcher(raw).matches()) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "a request id is a non-negative integer (the gateway's requestId), got '" + raw + "'");
    }
    return Long.parseLong(raw);
  }

  private static boolean ownedBy(Optional<String> owner, Caller c) {
    return owner.isPresent() && owner.get().equalsIgnoreCase(c.owner());
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }

  static String sha256Hex(String code) {
    return HexFormat.of().formatHex(ApiAuth.sha256(code.getBytes(StandardCharsets.UTF_8)));
  }
}
