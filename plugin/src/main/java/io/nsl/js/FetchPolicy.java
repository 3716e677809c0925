package io.nsl.js;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code fetch} may do in one execution. Hosts are matched exactly (case-insensitive, no
 * wildcards); redirects are never followed (a 3xx is returned to the function), so a redirect can't
 * leave the allowlist. Unless {@code allowPrivateAddresses}, a call goes only to public internet
 * addresses: an allowlisted name is resolved first and refused if any of its addresses is loopback,
 * private, link-local (cloud metadata), multicast or reserved, and the connection uses exactly the
 * addresses checked, so DNS can't point an allowlisted name at the operator's own network.
 *
 * @param allowedHosts host names (or IP literals) the function may call; empty = no fetch at all
 * @param allowHttp plain http allowed; otherwise https only
 * @param allowPrivateAddresses loopback, private and other non-public addresses allowed (dev mode,
 *     or an operator whose functions call services on its own network)
 * @param maxCalls fetch calls per execution
 * @param maxRequestBodyBytes cap on one request body
 * @param maxResponseBytes cap on one response body (larger = HTTP_ERROR)
 * @param timeout per call (also bounded by the execution's deadline)
 */
public record FetchPolicy(
    Set<String> allowedHosts,
    boolean allowHttp,
    boolean allowPrivateAddresses,
    int maxCalls,
    int maxRequestBodyBytes,
    int maxResponseBytes,
    Duration timeout) {

  public FetchPolicy {
    allowedHosts =
        allowedHosts.stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    if (maxCalls < 0 || maxRequestBodyBytes < 0 || maxResponseBytes < 0) {
      throw new IllegalArgumentException("fetch caps must be >= 0");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("fetch timeout must be positive, was " + timeout);
    }
  }

  /** The caps {@link #allowing} gives, and the service's defaults for {@code fetch.*}. */
  public static final int DEFAULT_MAX_CALLS = 5;

  public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** No fetch at all. */
  public static FetchPolicy denyAll() {
    return new FetchPolicy(Set.of(), false, false, 0, 0, 0, Duration.ofSeconds(1));
  }

  /**
   * These hosts with the default caps: 5 calls, 64 KiB up, 1 MiB down, 5 s each. Dev mode allows
   * plain http and non-public addresses (a local mock server); otherwise https to public addresses
   * only.
   */
  public static FetchPolicy allowing(Set<String> hosts, boolean devMode) {
    return new FetchPolicy(
        hosts,
        devMode,
        devMode,
        DEFAULT_MAX_CALLS,
        DEFAULT_MAX_REQUEST_BODY_BYTES,
        DEFAULT_MAX_RESPONSE_BYTES,
        DEFAULT_TIMEOUT);
  }

  public boolean allows(String host) {
    return allowedHosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /**
   * This policy narrowed to the hosts a function declared it calls: those the operator allows too.
   * A function that declares its hosts can't be made to send its secrets anywhere else.
   */
  public FetchPolicy restrictedTo(Set<String> declared) {
    Set<String> both =
        declared.stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .filter(allowedHosts::contains)
            .collect(Collectors.toUnmodifiableSet());
    return new FetchPolicy(
        both,
        allowHttp,
        allowPrivateAddresses,
        maxCalls,
        maxRequestBodyBytes,
        maxResponseBytes,
        timeout);
  }

  /**
   * Why {@code host} can't be an allowlist entry, if it can't: entries are bare host names or IP
   * literals (IPv6 without brackets), matched exactly, so a scheme, port, path or wildcard would
   * never match anything.
   */
  public static Optional<String> hostNameProblem(String host) {
    boolean ok =
        host != null
            && host.length() <= 253
            && (host.contains(":") ? isIpv6Literal(host) : HOST_NAME.matcher(host).matches())
            && !io.nsl.js.internal.PublicAddresses.isOddIpv4Spelling(host);
    if (!ok) {
      return Optional.of(
          "'"
              + host
              + "' is not a host name or IP address (list bare names such as api.example.com,"
              + " without scheme, port, path or wildcard)");
    }
    return Optional.empty();
  }

  /** The first entry of {@code hosts} that can't be an allowlist entry, and why. */
  public static Optional<String> hostListProblem(java.util.Collection<String> hosts) {
    return hosts.stream().map(FetchPolicy::hostNameProblem).flatMap(Optional::stream).findFirst();
  }

  // Dot-separated labels of letters, digits and inner hyphens (an IPv4 literal is one of these).
  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  // Called only for text with a colon, so any literal that parses is an IPv6 one (ofLiteral never
  // looks a name up; "::ffff:1.2.3.4" parses, to its IPv4 address).
  private static boolean isIpv6Literal(String host) {
    // Brackets and zone ids parse too, but URLs' hosts never carry them here, so they'd never
    // match.
    if (!host.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      java.net.InetAddress.ofLiteral(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
