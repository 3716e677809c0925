package io.nsl.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's PostgreSQL, started for a test: initdb, loopback, password, stop, restart. */
class LocalPostgresIT {
  @TempDir Path dir;

  private static Connection connect(LocalPostgres pg) throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
  }

  @Test
  void throwAwayServerAnswersOnLoopbackAndIsGoneAfterClose() throws Exception {
    Path folder;
    try (LocalPostgres pg = LocalPostgres.start("app")) {
      folder = pg.folder();
      try (Connection c = connect(pg);
          ResultSet r =
              c.createStatement()
                  .executeQuery(
                      "select current_database(), current_setting('synchronous_commit')")) {
        assertTrue(r.next());
        assertEquals("app", r.getString(1));
        assertEquals("on", r.getString(2));
      }
      assertTrue(pg.storeUrl().startsWith("postgresql://nsl:"));
      assertTrue(pg.storeUrl().endsWith("@127.0.0.1:" + pg.port() + "/app"));
    }
    assertFalse(Files.exists(folder), "folder deleted on close");
  }

  @Test
  void refusesAWrongPassword() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start("app")) {
      SQLException e =
          assertThrows(
              SQLException.class, () -> DriverManager.getConnection(pg.jdbcUrl(), "nsl", "wrong"));
      assertEquals("28P01", e.getSQLState(), e.getMessage());
    }
  }

  @Test
  void stopAndRestartKeepTheDataAndThePort() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start("app")) {
      try (Connection c = connect(pg)) {
        c.createStatement().execute("create table t (v int); insert into t values (42)");
      }
      pg.stop();
      assertThrows(SQLException.class, () -> connect(pg).close());
      pg.restart();
      try (Connection c = connect(pg);
          ResultSet r = c.createStatement().executeQuery("select v from t")) {
        assertTrue(r.next());
        assertEquals(42, r.getInt(1));
      }
    }
  }

  @Test
  void keptFolderStartsTheSameServerAgain() throws Exception {
    Path folder = dir.resolve("pg");
    int port;
    try (LocalPostgres pg = LocalPostgres.startIn(folder, "app")) {
      port = pg.port();
      try (Connection c = connect(pg)) {
        c.createStatement().execute("create table kept (v int); insert into kept values (7)");
      }
    }
    try (LocalPostgres pg = LocalPostgres.startIn(folder, "app")) {
      assertEquals(port, pg.port());
      try (Connection c = connect(pg);
          ResultSet r = c.createStatement().executeQuery("select v from kept")) {
        assertTrue(r.next());
        assertEquals(7, r.getInt(1));
      }
      pg.createDatabase("other");
      pg.createDatabase("other"); // exists already: kept, no error
    }
    assertTrue(Files.exists(folder.resolve("postgres.port")), "kept folder stays");
    Path link = folder.resolve("pgdata");
    if (Files.isSymbolicLink(link)) { // as root: the cluster lives in the temporary directory
      Path target = Files.readSymbolicLink(link);
      try (var paths = Files.walk(target)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
