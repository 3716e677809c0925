package io.nsl.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The rule that keeps pages of other origins away from the API (decision 0920): the service sends
 * no CORS header, ever, and refuses any request a browser marks as coming from another origin.
 *
 * <p>A request without an {@code Origin} header (the CLI, curl, {@code clients/js} in Node) passes.
 * One with an {@code Origin} passes only when its host and port are the {@code Host} the request
 * was sent to (the default port of the origin's scheme may be left out on either side); {@code
 * Origin: null} (sandboxed frames, files) never passes. A {@code Sec-Fetch-Site} of {@code
 * cross-site} or {@code same-site} is refused too, for browsers that send it without an Origin.
 * Pure.
 */
final class SameOrigin {
  private SameOrigin() {}

  /**
   * Why the request is refused, or empty when it may go on.
   *
   * @param origin the Origin header, or null
   * @param host the Host header, or null
   * @param fetchSite the Sec-Fetch-Site header, or null
   * @param fetchMode the Sec-Fetch-Mode header, or null
   */
  static Optional<String> refusal(String origin, String host, String fetchSite, String fetchMode) {
    boolean navigation = fetchMode != null && fetchMode.strip().equalsIgnoreCase("navigate");
    if (fetchSite != null && !navigation) {
      String site = fetchSite.strip().toLowerCase(Locale.ROOT);
      if (site.equals("cross-site") || site.equals("same-site")) {
        return Optional.of(
            "the browser says this request comes from another site (Sec-Fetch-Site: "
                + site
                + "); the API serves only its own console and clients outside browsers");
      }
    }
    if (origin == null) {
      return Optional.empty();
    }
    String o = origin.strip().toLowerCase(Locale.ROOT);
    int sep = o.indexOf("://");
    if (sep <= 0 || o.equals("null")) {
      return Optional.of(
          "Origin '"
              + shorten(origin)
              + "' is not this service's; the API answers no other origin (no CORS)");
    }
    String scheme = o.substring(0, sep);
    String originAuthority = withoutDefaultPort(scheme, o.substring(sep + 3));
    String h =
        host == null ? "" : withoutDefaultPort(scheme, host.strip().toLowerCase(Locale.ROOT));
    if (h.isEmpty() || !h.equals(originAuthority)) {
      return Optional.of(
          "Origin '"
              + shorten(origin)
              + "' is not this service's ("
              + (host == null ? "no Host header" : "Host '" + shorten(host) + "'")
              + "); the API answers no other origin (no CORS): open the console the service"
              + " serves at /console/");
    }
    return Optional.empty();
  }

  private static String withoutDefaultPort(String scheme, String authority) {
    String suffix = scheme.equals("https") ? ":443" : scheme.equals("http") ? ":80" : null;
    if (suffix != null && authority.endsWith(suffix)) {
      return authority.substring(0, authority.length() - suffix.length());
    }
    return authority;
  }

  private static String shorten(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 80 ? p.substring(0, 80) + "..." : p;
  }
}
