package io.nsl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.NameRules;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Pure parsing of what a developer request carries besides its body: path segments, method, query
 * parameters, ids. Every rejection is an {@link ApiFailure} that names the bad value.
 */
final class RequestParts {
  private static final Pattern REQUEST_ID = Pattern.compile("[0-9]{1,18}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestParts() {}

  static String[] segments(String rawPath) {
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    return p.split("/", -1);
  }

  /**
   * @throws MethodNotAllowed the request's method is none of {@code methods}
   */
  static void allow(ApiRequest req, String... methods) {
    for (String m : methods) {
      if (m.equals(req.method())) {
        return;
      }
    }
    throw new MethodNotAllowed(req.method(), req.rawPath(), methods);
  }

  static void noQuery(ApiRequest req) {
    if (req.rawQuery() != null && !req.rawQuery().isEmpty()) {
      throw new ApiFailure(
          ErrorStatus.UNKNOWN_FIELD,
          "this endpoint takes no query parameters, got '" + req.rawQuery() + "'");
    }
  }

  /** The query parameters, each at most once and each one of {@code allowed}. */
  static Map<String, String> query(ApiRequest req, Set<String> allowed) {
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
            "unknown query parameter '" + k + "'; this endpoint accepts " + new TreeSet<>(allowed));
      }
      if (out.put(k, v) != null) {
        throw new ApiFailure(
            ErrorStatus.INVALID_VALUE, "query parameter '" + k + "' is given twice");
      }
    }
    return out;
  }

  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(ErrorStatus.BAD_PATH, "'" + raw + "' is not valid percent-encoding");
    }
  }

  /** Function ids by the gateway's rule ({@link NameRules#functionIdProblem}). */
  static String functionId(String raw) {
    String id = decode(raw);
    // The gateway contract's rule (RegisterFunction): an id refused here could not be registered
    // on chain, and one accepted here can name its storage namespace.
    NameRules.functionIdProblem(id)
        .ifPresent(
            problem -> {
              throw new ApiFailure(ErrorStatus.INVALID_VALUE, problem);
            });
    return id;
  }

  static long requestId(String raw) {
    if (!REQUEST_ID.matcher(raw).matches()) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "a request id is a non-negative integer (the gateway's requestId), got '" + raw + "'");
    }
    return Long.parseLong(raw);
  }

  /** Stored JSON as a tree for the answer; text that does not parse is sent as a string. */
  static JsonNode tree(String json) {
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
