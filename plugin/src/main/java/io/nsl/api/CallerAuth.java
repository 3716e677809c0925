package io.nsl.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may call: the per-address limit (before any signature work), then the signed headers of
 * {@link ApiAuth}, the replay guard and the per-account limit. Thread-safe.
 */
final class CallerAuth {
  private static final Pattern HEX_KEY = Pattern.compile("0[23][0-9a-fA-F]{64}");
  private static final Pattern HEX_SIG = Pattern.compile("[0-9a-fA-F]{128}");
  private static final Pattern NONCE =
      Pattern.compile(
          "[A-Za-z0-9_-]{" + ApiAuth.NONCE_MIN_CHARS + "," + ApiAuth.NONCE_MAX_CHARS + "}");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");

  private final ReplayGuard replay;
  private final RateLimiter callerLimiter;
  private final RateLimiter addressLimiter;
  private final Optional<SharedApiState> shared;
  private final ApiLimits limits;
  private final Clock clock;

  CallerAuth(ApiLimits limits, Clock clock) {
    this(limits, clock, Optional.empty());
  }

  /**
   * @param shared the nonces and limits several workers share (empty for a single worker)
   */
  CallerAuth(ApiLimits limits, Clock clock, Optional<SharedApiState> shared) {
    this.shared = shared;
    this.limits = limits;
    this.clock = clock;
    this.replay =
        new ReplayGuard(
            clock, limits.timestampWindow(), limits.nonceCacheEntries(), limits.noncesPerClient());
    this.callerLimiter =
        new RateLimiter(clock, limits.callerPerSecond(), limits.callerBurst(), 100_000);
    this.addressLimiter =
        new RateLimiter(clock, limits.addressPerSecond(), limits.addressBurst(), 100_000);
  }

  /** Per-address limit, checked before anything else (and before signature work). */
  void checkAddress(String remoteAddress) {
    String client = ClientKey.of(remoteAddress);
    if (!addressLimiter.tryAcquire(client)
        || (shared.isPresent()
            && !shared
                .get()
                .tryTake(
                    "address/" + client,
                    limits.addressPerSecond(),
                    limits.addressBurst(),
                    clock.millis()))) {
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

  /**
   * The caller who signed {@code req}.
   *
   * @throws ApiFailure AUTH_MISSING, AUTH_MALFORMED, AUTH_SIGNATURE_INVALID, a replay, or
   *     RATE_LIMITED
   */
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
    String nonce = header(req, ApiAuth.HEADER_NONCE, NONCE, ApiAuth.NONCE_RULE);
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
    String pubLower = pub.toLowerCase(Locale.ROOT);
    replay.check(req.remoteAddress(), pubLower, timestamp, nonce);
    if (shared.isPresent()
        && !shared
            .get()
            .firstUse(
                "nonce/" + pubLower + "/" + nonce,
                timestamp + limits.timestampWindow().toMillis(),
                clock.millis())) {
      throw new ApiFailure(
          ErrorStatus.AUTH_NONCE_REUSED,
          "nonce '"
              + nonce
              + "' was already used with this key (at another worker of this service); sign"
              + " every request with a fresh random nonce (a replayed request is refused)");
    }
    String owner = ApiAuth.ownerOf(publicKey);
    if (!callerLimiter.tryAcquire(owner)
        || (shared.isPresent()
            && !shared
                .get()
                .tryTake(
                    "caller/" + owner,
                    limits.callerPerSecond(),
                    limits.callerBurst(),
                    clock.millis()))) {
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
}
