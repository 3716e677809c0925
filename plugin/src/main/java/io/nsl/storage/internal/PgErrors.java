package io.nsl.storage.internal;

import io.nsl.NslException;
import io.nsl.storage.StorageAuthenticationFailedException;
import io.nsl.storage.StorageDiskFullException;
import io.nsl.storage.StorageIoException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageReadOnlyException;
import io.nsl.storage.StorageUnreachableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns a driver failure into the storage failure kind a user can act on, naming the server ({@code
 * host:port}) and never the password. Pure logic over the exception chain.
 */
final class PgErrors {
  private PgErrors() {}

  /** SQLSTATEs the store retries itself (the whole transaction, a few times). */
  static boolean retryable(SQLException e) {
    String s = state(e);
    return "40001".equals(s) || "40P01".equals(s);
  }

  static NslException map(Throwable e, String doing, PgLocation at) {
    if (e instanceof NslException n) {
      return n;
    }
    String state = state(e);
    Throwable network = networkCause(e);
    String server = at.server();
    if (state != null && (state.equals("28P01") || state.equals("28000"))) {
      return new StorageAuthenticationFailedException(
          "PostgreSQL at "
              + server
              + " refused user '"
              + at.user()
              + "' while "
              + doing
              + " (wrong password, or its pg_hba.conf does not let this user in from here);"
              + " check the user and password of the store URL, PGPASSWORD or ~/.pgpass",
          e);
    }
    if (state != null && state.equals("3D000")) {
      return new StorageOpenException(
          "PostgreSQL at "
              + server
              + " has no database '"
              + at.database()
              + "'; create it (createdb -h "
              + at.host()
              + " -p "
              + at.port()
              + " "
              + at.database()
              + ") or fix the store URL",
          e);
    }
    if (network != null
        || (state != null
            && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")))) {
      String why = network != null ? network.toString() : "SQLSTATE " + state;
      return new StorageUnreachableException(
          "PostgreSQL at "
              + server
              + " cannot be reached while "
              + doing
              + " ("
              + why
              + "); check that the server runs, listens on "
              + server
              + " (listen_addresses, port), and that nothing between blocks it. Retry once it"
              + " is back",
          e);
    }
    if (state != null && state.equals("53100")) {
      return new StorageDiskFullException(
          "PostgreSQL at " + server + " is out of disk space while " + doing + "; free space", e);
    }
    if (state != null && state.equals("25006")) {
      return new StorageReadOnlyException(
          "PostgreSQL at " + server + " refused a write while " + doing + " (read-only)");
    }
    return new StorageIoException(
        "PostgreSQL at "
            + server
            + " failed while "
            + doing
            + ": "
            + (state == null ? "" : "SQLSTATE " + state + ", ")
            + firstLine(e.getMessage()),
        e);
  }

  /** The first SQLSTATE in the cause chain (Hikari wraps the driver's exception). */
  static String state(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static Throwable networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
