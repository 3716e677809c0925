package io.nsl.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server: one request per connection (every answer says {@code Connection:
 * close}), a virtual thread per connection. It exists so that every request the service refuses is
 * refused in its own words: the JDK's server answers the requests it cannot parse itself, with an
 * HTML page. Here a request that is not well-formed HTTP ({@link Malformed}: a bad request line or
 * percent escape, a header name with a space, a Content-Length that is not one number, a
 * Transfer-Encoding other than chunked, too many headers) is handed to the handler's {@link
 * Handler#refuse} instead, before any of its body is read.
 *
 * <p>Bounds: the request head at most {@link #MAX_HEAD_BYTES} bytes and {@code maxHeaders} headers;
 * {@code timeout} to receive the head, and a connection open longer than three times {@code
 * timeout} plus the handler's own time is closed.
 *
 * <p>Threading: {@link Handler} is called on the connection's virtual thread, concurrently for
 * different connections.
 *
 * <p>Why one file of over 500 lines: the parser and the connection loop share the bounds and the
 * {@link Malformed} reasons, and are tested together by {@code MalformedHttpIT} (decision 0701).
 */
final class HttpFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFront.class);

  /** Largest request head (request line and headers). */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /**
   * Connections served at once; one more is closed at accept, so slow clients cannot hold an
   * unbounded number of sockets and threads (each is also closed after three timeouts).
   */
  static final int MAX_OPEN_CONNECTIONS = 1024;

  /**
   * A connection open this many request timeouts is closed, whatever it is doing, so a client that
   * trickles bytes just inside the timeout cannot hold a connection for ever.
   */
  static final int CONNECTION_LIFETIME_TIMEOUTS = 3;

  /** What the server calls for each connection. */
  interface Handler {
    /** Answers a well-formed request (its body not yet read). */
    void handle(Exchange ex) throws IOException;

    /** Answers a request that is not well-formed HTTP; nothing of its body was read. */
    void refuse(Exchange ex, Malformed why) throws IOException;
  }

  /** Why a request is not well-formed; {@code status} is 400 or 431. */
  static final class Malformed extends Exception {
    final int status;

    Malformed(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** One request and its answer. */
  static final class Exchange {
    final String method;
    final String rawPath;
    final String rawQuery;

    /** Header names in lower case, values in order. */
    final Map<String, List<String>> headers;

    final InetSocketAddress remote;
    final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final InputStream body;
    private final OutputStream out;
    private boolean sent;

    Exchange(
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> headers,
        InputStream body,
        OutputStream out,
        InetSocketAddress remote) {
      this.method = method;
      this.rawPath = rawPath;
      this.rawQuery = rawQuery;
      this.headers = headers;
      this.body = body;
      this.out = out;
      this.remote = remote;
    }

    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** The request body, decoded if chunked; empty when there is none. */
    InputStream body() {
      return body;
    }

    boolean sent() {
      return sent;
    }

    /** Sends the whole answer; once per exchange. */
    void send(int status, byte[] content) throws IOException {
      if (sent) {
        throw new IllegalStateException("the answer was already sent");
      }
      sent = true;
      StringBuilder head = new StringBuilder(256);
      head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
      responseHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(content.length).append("\r\n");
      head.append("Connection: close\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (!"HEAD".equals(method)) {
        out.write(content);
      }
      out.flush();
    }
  }

  private final ServerSocket socket;
  private final Handler handler;
  private final Duration timeout;
  private final int maxHeaders;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final java.util.concurrent.Semaphore open =
      new java.util.concurrent.Semaphore(MAX_OPEN_CONNECTIONS);
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("nsl-http-watchdog").unstarted(r));
  private final Thread acceptor;
  private volatile boolean closed;

  /**
   * Binds now; {@link #start()} begins accepting.
   *
   * @throws IOException if the address cannot be bound
   */
  HttpFront(InetSocketAddress bind, int backlog, Duration timeout, int maxHeaders, Handler handler)
      throws IOException {
    this.socket = new ServerSocket();
    this.socket.setReuseAddress(true);
    this.socket.bind(bind, backlog);
    this.handler = handler;
    this.timeout = timeout;
    this.maxHeaders = maxHeaders;
    this.acceptor =
        Thread.ofPlatform().daemon().name("nsl-http-accept").unstarted(this::acceptLoop);
  }

  void start() {
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("accepting an HTTP connection failed: {}", e.toString());
        }
        continue;
      }
      if (!open.tryAcquire()) {
        log.debug("{} HTTP connections open; one more closed at accept", MAX_OPEN_CONNECTIONS);
        closeQuietly(s);
        continue;
      }
      try {
        connections.execute(
            () -> {
              try {
                serve(s);
              } finally {
                open.release();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        open.release();
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    ScheduledFuture<?> kill =
        watchdog.schedule(
            () -> closeQuietly(s),
            timeout.toMillis() * CONNECTION_LIFETIME_TIMEOUTS,
            TimeUnit.MILLISECONDS);
    try (s) {
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      InetSocketAddress remote = (InetSocketAddress) s.getRemoteSocketAddress();
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] head;
      try {
        head = readHead(in, deadline);
      } catch (Malformed m) {
        handler.refuse(
            new Exchange("GET", "", null, Map.of(), InputStream.nullInputStream(), out, remote), m);
        return;
      }
      if (head == null) {
        return; // closed before a request
      }
      Exchange ex;
      try {
        ex = parse(head, in, out, remote);
      } catch (Malformed m) {
        handler.refuse(
            new Exchange("GET", "", null, Map.of(), InputStream.nullInputStream(), out, remote), m);
        return;
      }
      if ("100-continue".equalsIgnoreCase(ex.header("expect"))) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      handler.handle(ex);
    } catch (SocketTimeoutException e) {
      log.debug("an HTTP client was too slow; connection closed");
    } catch (IOException e) {
      log.debug("HTTP connection broke off: {}", e.toString());
    } finally {
      kill.cancel(false);
    }
  }

  /** The bytes up to the blank line (excluded), or null if the client closed first. */
  private static byte[] readHead(InputStream in, long deadline) throws IOException, Malformed {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int lineLength = 0; // bytes of the current line, not counting CR
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new Malformed(400, "the request ended before its headers did (no blank line)");
      }
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("request head not received in time");
      }
      if (b == '\n') {
        if (lineLength == 0 && head.size() > 0) {
          return head.toByteArray(); // the blank line: the head is complete
        }
        if (head.size() > 0) {
          head.write('\n');
        } // else: an empty line before the request line, which RFC 9112 says to ignore
        lineLength = 0;
      } else if (b != '\r') {
        head.write(b);
        lineLength++;
      }
      if (head.size() > MAX_HEAD_BYTES) {
        throw new Malformed(
            431, "the request line and headers exceed " + MAX_HEAD_BYTES + " bytes");
      }
    }
  }

  private Exchange parse(byte[] head, InputStream in, OutputStream out, InetSocketAddress remote)
      throws Malformed {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    String[] lines = text.split("\n", -1);
    String[] parts = lines[0].split(" ", -1);
    if (parts.length != 3) {
      throw new Malformed(
          400,
          "the request line must be 'METHOD TARGET HTTP/1.1', got '" + shorten(lines[0]) + "'");
    }
    String method = parts[0];
    if (method.isEmpty() || !isToken(method)) {
      throw new Malformed(400, "the method '" + shorten(method) + "' is not an HTTP token");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new Malformed(
          400, "the HTTP version must be HTTP/1.1 or HTTP/1.0, got '" + shorten(parts[2]) + "'");
    }
    String target = parts[1];
    checkTarget(target);
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int count = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new Malformed(400, "header line " + i + " is folded (starts with white space)");
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      if (colon <= 0 || !isToken(name)) {
        throw new Malformed(
            400,
            "header line "
                + i
                + " must be 'Name: value' with a name of letters, digits and !#$%&'*+-.^_`|~;"
                + " got '"
                + shorten(line)
                + "'");
      }
      if (++count > maxHeaders) {
        throw new Malformed(431, "the request has more than " + maxHeaders + " headers");
      }
      headers
          .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
    InputStream body = body(headers, in);
    return new Exchange(method, rawPath, rawQuery, headers, body, out, remote);
  }

  private static InputStream body(Map<String, List<String>> headers, InputStream in)
      throws Malformed {
    List<String> lengths = headers.get("content-length");
    List<String> encodings = headers.get("transfer-encoding");
    if (encodings != null) {
      if (lengths != null) {
        throw new Malformed(400, "the request has both Content-Length and Transfer-Encoding");
      }
      if (encodings.size() != 1 || !encodings.getFirst().equalsIgnoreCase("chunked")) {
        throw new Malformed(
            400,
            "Transfer-Encoding "
                + shorten(String.join(", ", encodings))
                + " is not supported; send chunked, or a Content-Length");
      }
      return new ChunkedInputStream(in);
    }
    if (lengths == null) {
      return InputStream.nullInputStream();
    }
    if (lengths.size() != 1) {
      throw new Malformed(400, "the request has " + lengths.size() + " Content-Length headers");
    }
    String v = lengths.getFirst();
    if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Malformed(
          400, "Content-Length '" + shorten(v) + "' is not a number of bytes (digits only)");
    }
    return new BoundedInputStream(in, Long.parseLong(v));
  }

  /** Refuses a request target that is not a valid URI reference (RFC 3986 characters only). */
  private static void checkTarget(String target) throws Malformed {
    if (target.isEmpty()) {
      throw new Malformed(400, "the request target is empty");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= target.length()
            || Character.digit(target.charAt(i + 1), 16) < 0
            || Character.digit(target.charAt(i + 2), 16) < 0) {
          throw new Malformed(
              400,
              "the request target has '"
                  + shorten(target.substring(i, Math.min(target.length(), i + 3)))
                  + "' at position "
                  + i
                  + "; a % must be followed by two hex digits (percent-encode as %XX)");
        }
      } else if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "-._~:/?[]@!$&'()*+,;=".indexOf(c) >= 0)) {
        throw new Malformed(
            400,
            "the request target has character 0x"
                + Integer.toHexString(c)
                + " at position "
                + i
                + "; percent-encode it");
      }
    }
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static String shorten(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 507 -> "Insufficient Storage";
      default -> "Status " + status;
    };
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is all that was wanted
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the HTTP socket: {}", e.toString());
    }
    connections.shutdownNow();
    watchdog.shutdownNow();
  }

  /** At most {@code remaining} bytes of the stream, then end of stream. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
      this.in = in;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }

  /** Decodes a chunked body (chunk extensions and trailers are read and ignored). */
  private static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = line();
        int semi = size.indexOf(';');
        String hex = (semi < 0 ? size : size.substring(0, semi)).strip();
        try {
          left = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size '" + shorten(hex) + "'");
        }
        if (left < 0) {
          throw new IOException("bad chunk size '" + shorten(hex) + "'");
        }
        if (left == 0) {
          while (!line().isEmpty()) {
            // trailers: ignored
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("the chunked body ended early");
      }
      left -= n;
      if (left == 0) {
        line(); // the CRLF after the chunk
      }
      return n;
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("the chunked body ended early");
        }
        if (c == '\n') {
          int end = b.length();
          if (end > 0 && b.charAt(end - 1) == '\r') {
            b.setLength(end - 1);
          }
          return b.toString();
        }
        if (b.length() > 4096) {
          throw new IOException("a chunk header is too long");
        }
        b.append((char) c);
      }
    }
  }
}
