package io.nsl.storage;

import io.nsl.testing.LocalPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KillDuringWriteIT on PostgreSQL: the child JVM writes to a database of a real server and is
 * SIGKILLed at random moments; every acknowledged batch must be there (the commit returned only
 * after PostgreSQL committed it durably), nothing half-written, and the chunks of the streams it
 * was writing are collected at the next open once its sessions (and their stream locks) are gone.
 */
class PostgresKillDuringWriteIT extends KillDuringWriteIT {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  private final Map<String, String> databases = new HashMap<>();

  @Override
  String location(String name) {
    return databases.computeIfAbsent(name, pg::freshDatabase);
  }

  @Override
  int chunkCount(String location) {
    try (Connection c = pg.connect(location);
        ResultSet r = c.createStatement().executeQuery("select count(*) from nsl_chunks")) {
      r.next();
      return r.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The server notices a killed client when its socket closes; until then the dead child's stream
   * locks still stand. Waits (up to 10 s) until no other session is connected to the database.
   */
  @Override
  void awaitChildGone(String location) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    try (Connection c = pg.connect(location)) {
      while (System.nanoTime() < deadline) {
        try (ResultSet r =
            c.createStatement()
                .executeQuery(
                    "select count(*) from pg_stat_activity where datname = current_database()"
                        + " and pid <> pg_backend_pid()")) {
          r.next();
          if (r.getInt(1) == 0) {
            return;
          }
        }
        Thread.sleep(50);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the killed child's sessions are still connected after 10 s");
  }
}
