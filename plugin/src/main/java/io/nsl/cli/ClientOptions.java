package io.nsl.cli;

import io.neow3j.crypto.ECKeyPair;
import io.neow3j.wallet.Account;
import io.neow3j.wallet.Wallet;
import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetWallets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Options every client command shares: where the API and the Neo node are, which gateway, which
 * wallet signs, and JSON output. Defaults suit the local devnet; environment variables override
 * them, options override both.
 */
final class ClientOptions {
  static final String DEFAULT_API = "http://127.0.0.1:8787";
  static final String DEFAULT_RPC = "http://127.0.0.1:20332";

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "NSL API address (default: $NSL_API_URL, else " + DEFAULT_API + ").")
  String api;

  @Option(
      names = "--rpc",
      paramLabel = "URL",
      description = "Neo node JSON-RPC address (default: $NSL_RPC_URL, else " + DEFAULT_RPC + ").")
  String rpc;

  @Option(
      names = "--gateway",
      paramLabel = "HASH",
      description =
          "Gateway contract script hash: 0x + 40 hex (big-endian) or 40 hex (little-endian)"
              + " (default: $NSL_GATEWAY_HASH, else the gateway the service's attestation names).")
  String gateway;

  @Option(
      names = "--wallet",
      paramLabel = "FILE",
      description =
          "NEP-6 wallet whose first account signs (default: $NSL_WALLET, else"
              + " config/devnet/developer.wallet.json).")
  Path wallet;

  @Option(
      names = "--wallet-password-env",
      paramLabel = "VAR",
      defaultValue = "NSL_WALLET_PASSWORD",
      description =
          "Environment variable holding the wallet password (default: ${DEFAULT-VALUE}; devnet"
              + " wallets fall back to their published password).")
  String walletPasswordEnv;

  @Option(names = "--json", description = "Print the answer as one JSON object.")
  boolean json;

  String apiUrl() {
    return first(api, System.getenv("NSL_API_URL"), DEFAULT_API);
  }

  String rpcUrl() {
    return first(rpc, System.getenv("NSL_RPC_URL"), DEFAULT_RPC);
  }

  /**
   * The gateway hash given by option or environment as 0x + big-endian hex, or null. Any form
   * {@link HashArgument} reads is accepted.
   */
  String gatewayOrNull() {
    HashArgument h = gatewayArgument();
    return h == null ? null : h.bigEndian0x();
  }

  /** The gateway given by option or environment, with the form it was read in, or null. */
  HashArgument gatewayArgument() {
    if (gateway != null && !gateway.isBlank()) {
      return HashArgument.parse("--gateway", gateway, HashArgument.Kind.CONTRACT);
    }
    String env = System.getenv("NSL_GATEWAY_HASH");
    if (env != null && !env.isBlank()) {
      return HashArgument.parse("$NSL_GATEWAY_HASH", env, HashArgument.Kind.CONTRACT);
    }
    return null;
  }

  ApiClient client(Account account) {
    return new ApiClient(
        apiUrl(), account == null ? null : account.getECKeyPair(), Clock.systemUTC());
  }

  /** The signing account from the wallet, unlocked. */
  Account account() {
    Path file = wallet;
    if (file == null) {
      String env = System.getenv("NSL_WALLET");
      file =
          env != null && !env.isBlank()
              ? Path.of(env)
              : ProjectRoot.find().resolve("config/devnet").resolve(DevnetWallets.DEVELOPER);
    }
    if (!Files.isRegularFile(file)) {
      throw new CliInputException(
          "the wallet " + file + " does not exist; give a NEP-6 wallet with --wallet FILE");
    }
    String password = System.getenv(walletPasswordEnv);
    if (password == null) {
      if (isDevnetWallet(file)) {
        password = DevnetWallets.PASSWORD;
      } else {
        throw new CliInputException(
            "the wallet "
                + file
                + " needs its password in the environment variable "
                + walletPasswordEnv
                + " (export "
                + walletPasswordEnv
                + "=...; or name another"
                + " variable with --wallet-password-env)");
      }
    }
    try {
      Wallet w = Wallet.fromNEP6Wallet(file.toFile());
      w.decryptAllAccounts(password);
      return w.getAccounts().get(0);
    } catch (java.io.IOException e) {
      throw new CliInputException("cannot read the wallet " + file + ": " + e.getMessage());
    } catch (Exception e) {
      throw new CliInputException(
          "cannot unlock the wallet "
              + file
              + "; is the password in "
              + walletPasswordEnv
              + " right?");
    }
  }

  private static boolean isDevnetWallet(Path file) {
    try {
      Path devnet = ProjectRoot.find().resolve("config/devnet").toAbsolutePath().normalize();
      return file.toAbsolutePath().normalize().startsWith(devnet);
    } catch (IllegalStateException e) {
      return false;
    }
  }

  static ECKeyPair keyOf(Account a) {
    return a.getECKeyPair();
  }

  private static String first(String a, String b, String dflt) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    if (b != null && !b.isBlank()) {
      return b;
    }
    return dflt;
  }
}
