package io.nsl.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.StorageOpenException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Store URLs as operators write them, and the failures a user sees for them. */
class PgLocationTest {
  @Test
  void readsUserPasswordHostPortAndDatabase() {
    PgLocation l = PgLocation.parse("postgresql://nsl:s%40cret@db.example:6543/state");
    assertEquals("jdbc:postgresql://db.example:6543/state", l.jdbcUrl());
    assertEquals("nsl", l.user());
    assertEquals("s@cret", l.password());
    assertEquals("db.example:6543", l.server());
    assertEquals("state", l.database());
    assertEquals("postgresql://nsl@db.example:6543/state", l.toString(), "no password");
  }

  @Test
  void defaultsThePortAndLeavesThePasswordToPgpass() {
    PgLocation l = PgLocation.parse("postgres://nsl@10.0.0.5/nsl");
    assertEquals(5432, l.port());
    assertNull(l.password());
    assertEquals("jdbc:postgresql://10.0.0.5:5432/nsl", l.jdbcUrl());
  }

  @Test
  void takesJdbcUrlsAndKeepsDriverParameters() {
    PgLocation l =
        PgLocation.parse("jdbc:postgresql://db:5433/nsl?user=svc&password=pw&sslmode=verify-full");
    assertEquals("svc", l.user());
    assertEquals("pw", l.password());
    assertEquals("jdbc:postgresql://db:5433/nsl?sslmode=verify-full", l.jdbcUrl());
  }

  @Test
  void refusesWhatIsNotAPostgresqlUrlWithoutEchoingIt() {
    for (String bad :
        new String[] {
          "mysql://u:topsecret@h/db",
          "postgresql://u:topsecret@/db",
          "postgresql://u:topsecret@h",
          "postgresql://u:topsecret@h/a/b"
        }) {
      StorageOpenException e =
          assertThrows(StorageOpenException.class, () -> PgLocation.parse(bad));
      assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
      assertTrue(e.getMessage().contains("postgresql://user@host:port/database"), e.getMessage());
    }
  }

  @Test
  void mapsDriverFailuresToOneKindEach() {
    PgLocation at = PgLocation.parse("postgresql://nsl:pw@db:5432/nsl");
    assertEquals(
        "STORAGE_AUTH_FAILED",
        PgErrors.map(new SQLException("auth", "28P01"), "opening", at).code());
    assertEquals(
        "STORAGE_UNREACHABLE",
        PgErrors.map(
                new SQLException("x", "08001", new java.net.ConnectException("refused")),
                "opening",
                at)
            .code());
    assertEquals(
        "STORAGE_UNREACHABLE",
        PgErrors.map(new SQLException("shutdown", "57P01"), "writing", at).code());
    assertEquals(
        "STORAGE_OPEN_FAILED", PgErrors.map(new SQLException("db", "3D000"), "opening", at).code());
    assertEquals(
        "STORAGE_DISK_FULL", PgErrors.map(new SQLException("full", "53100"), "writing", at).code());
    assertEquals(
        "STORAGE_IO_ERROR", PgErrors.map(new SQLException("odd", "XX000"), "writing", at).code());
    assertTrue(PgErrors.retryable(new SQLException("ser", "40001")));
    assertFalse(PgErrors.retryable(new SQLException("dup", "23505")));
  }
}
