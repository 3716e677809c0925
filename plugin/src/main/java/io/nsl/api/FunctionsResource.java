package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.functionId;
import static io.nsl.api.RequestParts.noQuery;
import static io.nsl.api.RequestParts.sha256Hex;

import io.nsl.js.FetchPolicy;
import io.nsl.pipeline.StoredFunctionCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code /v1/functions}: list the caller's functions, read one, upload the code of one registered
 * on the gateway. A function of another account answers as if it did not exist.
 */
final class FunctionsResource implements Resource {
  private final CallerAuth auth;
  private final ChainView chain;
  private final StoredFunctionCatalog functions;
  private final FetchPolicy fetchPolicy;
  private final long maxMemoryLimitBytes;

  FunctionsResource(
      CallerAuth auth,
      ChainView chain,
      StoredFunctionCatalog functions,
      FetchPolicy fetchPolicy,
      long maxMemoryLimitBytes) {
    this.auth = auth;
    this.chain = chain;
    this.functions = functions;
    this.fetchPolicy = fetchPolicy;
    this.maxMemoryLimitBytes = maxMemoryLimitBytes;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length == 2) {
      allow(req, "GET");
      noQuery(req);
      return Optional.of(list(auth.authenticate(req)));
    }
    if (seg.length == 3) {
      allow(req, "GET", "PUT");
      noQuery(req);
      String id = functionId(seg[2]);
      Caller c = auth.authenticate(req);
      return Optional.of(req.method().equals("GET") ? read(c, id) : upload(c, id, req.body()));
    }
    return Optional.empty();
  }

  private ApiResponse list(Caller c) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : functions.ids()) {
      if (c.owns(functions.owner(id))) {
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

  private ApiResponse read(Caller c, String id) {
    var stored = functions.get(id);
    if (stored.isEmpty() || !c.owns(functions.owner(id))) {
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
    m.put("inputSchema", f.inputSchema().map(RequestParts::tree).orElse(null));
    m.put("fetchHosts", f.fetchHosts().orElse(null));
    m.put("memoryLimitBytes", f.memoryLimitBytes() == 0 ? null : f.memoryLimitBytes());
    Optional<ChainView.Registration> reg = chain.function(id);
    m.put("registration", reg.map(r -> registration(r, sha256Hex(f.code()))).orElse(null));
    return ApiResponse.ok(m);
  }

  private ApiResponse upload(Caller c, String id, byte[] body) {
    JsonBody b =
        JsonBody.parse(body, Set.of("code", "inputSchema", "fetchHosts", "memoryLimitBytes"));
    String code = b.requiredString("code");
    Optional<String> schema = b.optionalObjectAsText("inputSchema");
    Optional<List<String>> fetchHosts =
        b.optionalStringList("fetchHosts", DeveloperApi.MAX_FETCH_HOSTS);
    fetchHosts
        .flatMap(FetchPolicy::hostListProblem)
        .ifPresent(
            problem -> {
              throw new ApiFailure(ErrorStatus.INVALID_VALUE, "fetchHosts: " + problem);
            });
    OptionalLong memory = b.optionalLong("memoryLimitBytes");
    if (memory.isPresent()
        && (memory.getAsLong() <= 0 || memory.getAsLong() > maxMemoryLimitBytes)) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "memoryLimitBytes: "
              + memory.getAsLong()
              + " is outside 1.."
              + maxMemoryLimitBytes
              + ", the most this service's operator allows a function"
              + " (executor.maxMemoryLimitBytes); declare a smaller budget, or none for the"
              + " operator's default");
    }
    String codeSha = sha256Hex(code);
    int size = code.getBytes(StandardCharsets.UTF_8).length;
    if (size > StoredFunctionCatalog.MAX_CODE_BYTES) {
      throw new StoredFunctionCatalog.FunctionTooLarge(id, size);
    }
    ChainView.Registration r = registered(c, id, codeSha);
    functions.put(id, code, schema, c.owner(), fetchHosts, memory);
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

  /** The gateway's registration of {@code id}, which must be the caller's and name this code. */
  private ChainView.Registration registered(Caller c, String id, String codeSha) {
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
    if (!c.owns(r.owner())) {
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
    return r;
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
}
