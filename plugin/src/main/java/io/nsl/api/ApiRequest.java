package io.nsl.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the API handlers see it: the raw (still percent-encoded) path and query,
 * headers by lower-case name, and the whole body (already bounded by the server).
 */
record ApiRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body,
    String remoteAddress) {

  /** The request target as the client sent and signed it. */
  String pathAndQuery() {
    return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
  }

  /** The single value of a header; a repeated header counts as malformed (empty). */
  Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    if (v == null || v.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(v.get(0));
  }

  boolean hasHeader(String name) {
    return headers.containsKey(name.toLowerCase(java.util.Locale.ROOT));
  }
}
