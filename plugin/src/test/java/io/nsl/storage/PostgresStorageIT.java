package io.nsl.storage;

import io.nsl.testing.LocalPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract on PostgreSQL (sealed and compressed, as in production): a real server from
 * the machine's installation, one fresh database per store the contract opens.
 */
class PostgresStorageIT extends PersistentStorageContract {
  @RegisterExtension static final LocalPostgresServer pg = new LocalPostgresServer();

  /** The contract names stores by folder; each folder gets its own database. */
  private final Map<Path, String> databases = new HashMap<>();

  @Override
  StorageOptions options(Path path) {
    return StorageOptions.postgres(url(path));
  }

  String url(Path path) {
    return databases.computeIfAbsent(path, p -> pg.freshDatabase(p.getFileName().toString()));
  }

  @Override
  boolean sharedByInstances() {
    return true;
  }

  @Override
  int chunkCount() {
    try (Connection c = pg.connect(url(dir.resolve("db")));
        ResultSet r = c.createStatement().executeQuery("select count(*) from nsl_chunks")) {
      r.next();
      return r.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
