package io.nsl.devnet;

import java.util.Collections;
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
    String dir) {

  public DevnetInfo {
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
        dir);
  }
}
