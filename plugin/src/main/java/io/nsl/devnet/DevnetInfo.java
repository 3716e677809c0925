package io.nsl.devnet;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ./nsl devnet up} prints and keeps in {@code devnet.json}: where the chain and the
 * service answer, the contracts, the registered example functions and the devnet wallets. LOCAL
 * DEVELOPMENT ONLY: the wallets' keys (WIF) and password are published in the repository.
 *
 * @param gateway the gateway's script hash, 0x + big-endian hex (as neon-js and NeoLine show it)
 * @param consumer the example consumer's script hash, 0x + big-endian hex
 * @param validatorPublicKey the single validator's compressed public key, hex
 * @param functions file name in examples/functions → function id
 * @param wallets wallet role (consensus, developer, operator) → its file, address and WIF
 * @param password the password of every devnet wallet
 * @param dir the devnet's folder
 * @param store {@code rocksdb} (the default: one service, its embedded store) or {@code postgresql}
 *     (one local PostgreSQL server shared by the workers)
 * @param storeUrl the PostgreSQL store as the workers reach it ({@code postgresql://nsl:<password>@
 *     127.0.0.1:<port>/nsl}, password included: LOCAL DEVELOPMENT ONLY), {@code null} for rocksdb
 * @param workers the service processes, {@code apiUrl} being the first one's; a devnet recorded
 *     before workers existed reads as one worker at {@code apiUrl}
 */
public record DevnetInfo(
    String rpcUrl,
    long networkMagic,
    String gateway,
    String consumer,
    String apiUrl,
    String validatorPublicKey,
    Map<String, String> functions,
    Map<String, Wallet> wallets,
    String password,
    String dir,
    String store,
    String storeUrl,
    List<Worker> workers) {

  /** The default store: one service with its embedded RocksDB store. */
  public static final String ROCKSDB = "rocksdb";

  /** The shared store: a local PostgreSQL server, any number of workers. */
  public static final String POSTGRESQL = "postgresql";

  public DevnetInfo {
    store = store == null ? ROCKSDB : store;
    if (!store.equals(ROCKSDB) && !store.equals(POSTGRESQL)) {
      throw new IllegalArgumentException("store must be rocksdb or postgresql, got " + store);
    }
    if (store.equals(POSTGRESQL) != (storeUrl != null)) {
      throw new IllegalArgumentException("storeUrl is given exactly when store is postgresql");
    }
    workers =
        workers == null || workers.isEmpty()
            ? List.of(new Worker(1, apiUrl))
            : List.copyOf(workers);
    if (!workers.getFirst().apiUrl().equals(apiUrl)) {
      throw new IllegalArgumentException(
          "apiUrl must be the first worker's, got " + apiUrl + " and " + workers.getFirst());
    }
    if (!gateway.matches("0x[0-9a-f]{40}") || !consumer.matches("0x[0-9a-f]{40}")) {
      throw new IllegalArgumentException(
          "gateway and consumer must be 0x + 40 lower-case hex: " + gateway + ", " + consumer);
    }
    // sorted, so the same devnet always prints the same
    functions = Collections.unmodifiableMap(new TreeMap<>(functions));
    wallets = Collections.unmodifiableMap(new TreeMap<>(wallets));
  }

  /** One devnet wallet: its NEP-6 file, its first account's address and private key (WIF). */
  public record Wallet(String path, String address, String wif) {}

  /**
   * One service process of the devnet.
   *
   * @param id {@code w1}, {@code w2}, …: its {@code workers.id} on a PostgreSQL devnet; its folder
   *     is {@code service/} for w1 and {@code service-<n>/} for the others
   * @param apiUrl where its API answers
   */
  public record Worker(String id, String apiUrl) {
    public Worker {
      if (!id.matches("w[1-9][0-9]*")) {
        throw new IllegalArgumentException("a worker id is w1, w2, …, got '" + id + "'");
      }
    }

    Worker(int number, String apiUrl) {
      this("w" + number, apiUrl);
    }

    /** 1 for w1, and so on. */
    public int number() {
      return Integer.parseInt(id.substring(1));
    }
  }

  /** The same devnet with {@code functions} registered. */
  public DevnetInfo withFunctions(Map<String, String> registered) {
    return new DevnetInfo(
        rpcUrl,
        networkMagic,
        gateway,
        consumer,
        apiUrl,
        validatorPublicKey,
        registered,
        wallets,
        password,
        dir,
        store,
        storeUrl,
        workers);
  }
}
