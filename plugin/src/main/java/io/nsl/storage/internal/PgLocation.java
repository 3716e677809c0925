package io.nsl.storage.internal;

import io.nsl.storage.StorageOpenException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a PostgreSQL store is: parsed from {@code postgresql://user[:password]@host[:port]/database
 * [?param=value&…]} (also {@code postgres://}) or {@code jdbc:postgresql://host[:port]/database
 * [?user=…&password=…]}. Pure logic. {@link #toString()} never shows the password.
 *
 * @param jdbcUrl what the driver is given (without user and password when they were in the
 *     authority part)
 * @param user {@code null} when the URL names none (the driver then uses its own default)
 * @param password {@code null} when the URL holds none: then {@code PGPASSWORD}, else the driver
 *     reads {@code ~/.pgpass}
 */
record PgLocation(
    String jdbcUrl, String host, int port, String database, String user, String password) {
  PgLocation {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
  }

  static PgLocation parse(String url) {
    String rest;
    boolean jdbc = url.startsWith("jdbc:postgresql://");
    if (jdbc) {
      rest = url.substring("jdbc:".length());
    } else if (url.startsWith("postgresql://")) {
      rest = url;
    } else if (url.startsWith("postgres://")) {
      rest = "postgresql://" + url.substring("postgres://".length());
    } else {
      throw bad(url, "it must start with postgresql:// or jdbc:postgresql://");
    }
    URI u;
    try {
      u = new URI(rest);
    } catch (URISyntaxException e) {
      throw bad(url, e.getReason() + " at position " + e.getIndex());
    }
    String host = u.getHost();
    if (host == null || host.isEmpty()) {
      throw bad(url, "it names no host");
    }
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw bad(url, "it must name one database, as in postgresql://nsl@db.example:5432/nsl");
    }
    String database = decode(path.substring(1));
    String user = null;
    String password = null;
    String query = u.getRawQuery();
    if (u.getRawUserInfo() != null) {
      String info = u.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    if (query != null) {
      for (String kv : query.split("&")) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
        if (k.equals("user")) {
          user = v;
        } else if (k.equals("password")) {
          password = v;
        }
      }
    }
    StringBuilder j =
        new StringBuilder("jdbc:postgresql://")
            .append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
            .append(':')
            .append(port)
            .append(path);
    if (query != null) {
      StringBuilder kept = new StringBuilder();
      for (String kv : query.split("&")) {
        if (kv.startsWith("user=") || kv.startsWith("password=")) {
          continue;
        }
        kept.append(kept.isEmpty() ? "" : "&").append(kv);
      }
      if (!kept.isEmpty()) {
        j.append('?').append(kept);
      }
    }
    return new PgLocation(j.toString(), host, port, database, user, password);
  }

  /** {@code host:port}, as messages name the server. */
  String server() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "postgresql://" + (user == null ? "" : user + "@") + server() + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static StorageOpenException bad(String url, String why) {
    // The URL may hold a password: name only its scheme and shape.
    return new StorageOpenException(
        "the store location is not a PostgreSQL URL I can read ("
            + why
            + "); write it as postgresql://user@host:port/database (password in ~/.pgpass or"
            + " PGPASSWORD)");
  }
}
