package io.nsl.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The web console's files (docs/console.md), served at {@code /console/} from classpath resources
 * under one root ({@code io/nsl/console/} in production, where the console's build puts its
 * bundle). Same origin as {@code /v1}, so the page needs no CORS (decision 0920).
 *
 * <p>A name is plain: segments of letters, digits, {@code .}, {@code -} and {@code _} that do not
 * start with a dot, joined by {@code /}. Anything else (a {@code ..} segment, a percent escape such
 * as {@code %2e%2e}, a backslash, an empty segment) is refused as {@link ErrorStatus#BAD_PATH}
 * before the class path is asked, so no name can leave the root. Only files whose extension has a
 * known content type are served; a directory never is.
 *
 * <p>Found files are kept in memory with their gzip form (a {@code NAME.gz} beside the file if the
 * build made one, else compressed once here); names that are not found are not kept, so probing
 * cannot grow the cache. Thread-safe.
 */
final class ConsoleAssets {
  /** The production root on the class path. */
  static final String ROOT = "io/nsl/console/";

  /** Sent with every console answer, errors included; no inline script or style can run. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none';"
          + " form-action 'none'";

  /** A year, the longest cache lifetime browsers honour; hashed names never change content. */
  static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";

  /** Unhashed names (index.html) are revalidated on every load. */
  static final String CACHE_REVALIDATE = "no-cache";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  /**
   * A content hash the bundler puts in a name: {@code app-3F9K2QXA.js}, {@code app.3f9k2qxa.js}.
   */
  private static final Pattern HASHED = Pattern.compile(".*[.-][A-Za-z0-9]{8,}\\.[a-z0-9]+");

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("wasm", "application/wasm"));

  /** Below this size gzip saves less than its header costs. */
  private static final int GZIP_FROM_BYTES = 512;

  /** One file: its name under the root, its bytes, and their gzip form if worth sending. */
  record Asset(String name, String contentType, byte[] bytes, byte[] gzip, boolean immutable) {
    Asset {
      bytes = bytes.clone();
      gzip = gzip == null ? null : gzip.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The gzip bytes, or null when the file is sent as it is. */
    @Override
    public byte[] gzip() {
      return gzip == null ? null : gzip.clone();
    }

    String cacheControl() {
      return immutable ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
    }
  }

  private final ClassLoader loader;
  private final String root;
  private final Map<String, Asset> found = new ConcurrentHashMap<>();

  /**
   * @param loader where the files are
   * @param root their folder on the class path, ending in {@code /}
   */
  ConsoleAssets(ClassLoader loader, String root) {
    if (!root.endsWith("/")) {
      throw new IllegalArgumentException("the console root must end in '/', got '" + root + "'");
    }
    this.loader = loader;
    this.root = root;
  }

  /** The bundle the console's build put in this jar. */
  static ConsoleAssets fromClassPath() {
    return new ConsoleAssets(ConsoleAssets.class.getClassLoader(), ROOT);
  }

  /**
   * The file that {@code rawPath} names.
   *
   * @param rawPath the request path as sent, starting with {@code /console/}
   * @return the file, or empty when there is none by that name (a 404)
   * @throws ApiFailure BAD_PATH when the name is not a plain one (see the class comment)
   */
  Optional<Asset> find(String rawPath) {
    String name = assetName(rawPath);
    Asset a = found.get(name);
    if (a != null) {
      return Optional.of(a);
    }
    Optional<Asset> loaded = load(name);
    loaded.ifPresent(x -> found.put(name, x));
    return loaded;
  }

  /**
   * The file name under the root for a request path: {@code index.html} for {@code /console/}.
   *
   * @throws ApiFailure BAD_PATH when the name is not plain
   */
  static String assetName(String rawPath) {
    if (!rawPath.startsWith("/console/")) {
      throw new IllegalArgumentException("not a console path: " + rawPath);
    }
    String rest = rawPath.substring("/console/".length());
    if (rest.isEmpty()) {
      return "index.html";
    }
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '%' || c == '\\') {
        throw badPath(
            rawPath,
            "it has '"
                + c
                + "' at position "
                + ("/console/".length() + i)
                + " (console file names are never escaped)");
      }
    }
    String[] segments = rest.split("/", -1);
    for (String s : segments) {
      if (s.isEmpty()) {
        throw badPath(rawPath, "it has an empty segment ('//' or a trailing '/')");
      }
      if (!SEGMENT.matcher(s).matches()) {
        throw badPath(
            rawPath,
            "segment '"
                + printable(s)
                + "' is not a plain name (letters, digits, '.', '-', '_', not starting with"
                + " '.')");
      }
    }
    return rest;
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 80 ? p.substring(0, 80) + "..." : p;
  }

  private static ApiFailure badPath(String rawPath, String why) {
    return new ApiFailure(
        ErrorStatus.BAD_PATH,
        "the console path "
            + printable(rawPath)
            + " is refused: "
            + why
            + "; ask for /console/ and the files it links to");
  }

  private Optional<Asset> load(String name) {
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null) {
      return Optional.empty();
    }
    Optional<byte[]> bytes = read(root + name);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    byte[] gzip = read(root + name + ".gz").orElse(null);
    if (gzip == null && compressible(type) && bytes.get().length >= GZIP_FROM_BYTES) {
      gzip = gzip(bytes.get());
    }
    String last = name.substring(name.lastIndexOf('/') + 1);
    boolean immutable = !last.equals("index.html") && HASHED.matcher(last).matches();
    return Optional.of(new Asset(name, type, bytes.get(), gzip, immutable));
  }

  private static boolean compressible(String type) {
    return type.startsWith("text/")
        || type.startsWith("application/json")
        || type.startsWith("image/svg");
  }

  /** A regular file's bytes; empty for a missing name or a directory. */
  private Optional<byte[]> read(String resource) {
    URL url = loader.getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    try {
      if ("file".equals(url.getProtocol()) && !Files.isRegularFile(Path.of(url.toURI()))) {
        return Optional.empty();
      }
      if ("jar".equals(url.getProtocol()) && resource.endsWith("/")) {
        return Optional.empty();
      }
      try (InputStream in = url.openStream()) {
        return Optional.of(in.readAllBytes());
      }
    } catch (URISyntaxException e) {
      return Optional.empty();
    } catch (IOException e) {
      // A jar's directory entry opens but cannot be read as a file; anything else is a broken jar.
      if (e instanceof java.io.FileNotFoundException) {
        return Optional.empty();
      }
      throw new UncheckedIOException("reading console file " + resource, e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip in memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** The security headers every console answer carries, errors included. */
  static Map<String, String> securityHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
    h.put("Cross-Origin-Resource-Policy", "same-origin");
    return h;
  }
}
