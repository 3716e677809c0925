package io.nsl.testing;

import io.nsl.devnet.LocalPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a real PostgreSQL server (the machine's installation, see
 * {@link LocalPostgres}) for its lifetime: {@code @RegisterExtension static final
 * LocalPostgresServer pg = new LocalPostgresServer();}. The server is stopped and its folder
 * deleted after the class, whether the tests passed or not. {@link #freshDatabase()} gives each
 * test its own empty database on the one server.
 */
public final class LocalPostgresServer implements BeforeAllCallback, AfterAllCallback {
  private final AtomicInteger databases = new AtomicInteger();
  private LocalPostgres server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = LocalPostgres.start("nsl");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  public LocalPostgres server() {
    return server;
  }

  /** The store location of the class's database {@code nsl}. */
  public String storeUrl() {
    return server.storeUrl();
  }

  /** Creates a new, empty database and returns its store location ({@code postgresql://…}). */
  public String freshDatabase() {
    return freshDatabase("db");
  }

  /**
   * {@link #freshDatabase()} whose name contains {@code hint} (lower-cased, other characters
   * dropped), so messages that name the database can be checked.
   */
  public String freshDatabase(String hint) {
    String clean = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "");
    String name = "t" + databases.incrementAndGet() + "_" + clean;
    name = name.length() > 60 ? name.substring(0, 60) : name;
    server.createDatabase(name);
    return server.storeUrl(name);
  }

  /** A plain JDBC connection to the database of a store location this server gave out. */
  public java.sql.Connection connect(String storeUrl) throws java.sql.SQLException {
    String database = storeUrl.substring(storeUrl.lastIndexOf('/') + 1);
    return java.sql.DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database,
        server.user(),
        server.password());
  }
}
