package io.nsl.storage;

import io.nsl.devnet.LocalPostgres;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * StorageModelIT's seeded random operations (close and reopen included) against a {@link
 * java.util.TreeMap}, on PostgreSQL. Each try starts from an empty database: the namespaces the
 * Each try gets a fresh database. Fewer tries than on RocksDB: every step is a few round trips to a
 * real server.
 */
class PostgresStorageModelIT {
  private static LocalPostgres server;
  private static int tries;
  private String url;

  @BeforeContainer
  static void startServer() {
    server = LocalPostgres.start("model");
  }

  @AfterContainer
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeTry
  void freshDatabase() {
    String name = "try" + (++tries);
    server.createDatabase(name);
    url = server.storeUrl(name);
  }

  @Provide
  Arbitrary<List<StorageModelIT.Op>> ops() {
    return new StorageModelIT().ops();
  }

  @Property(tries = 25, shrinking = ShrinkingMode.FULL)
  void encryptedStoreBehavesLikeSortedMap(@ForAll("ops") List<StorageModelIT.Op> ops) {
    StorageModelIT.runAgainst(ops, StorageOptions.postgres(url));
  }

  @Property(tries = 10, shrinking = ShrinkingMode.FULL)
  void plainStoreBehavesLikeSortedMap(@ForAll("ops") List<StorageModelIT.Op> ops) {
    StorageModelIT.runAgainst(ops, StorageOptions.postgres(url).withEncrypted(false));
  }
}
