package io.nsl.devnet;

import io.neow3j.wallet.Account;
import io.neow3j.wallet.Wallet;
import io.nsl.chain.ChainException;
import io.nsl.service.OperatorWallet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The local development chain's wallets, kept in {@code config/devnet/}. LOCAL DEVELOPMENT ONLY:
 * their keys are published in the repository.
 *
 * <ul>
 *   <li>{@code consensus.wallet.json}: the single validator (signs blocks; genesis NEO and GAS go
 *       to its 1-of-1 multisig committee address)
 *   <li>{@code developer.wallet.json}: a dApp developer, funded with GAS at chain start
 *   <li>{@code operator.wallet.json}: the node operator, who pays for fulfilment transactions
 * </ul>
 *
 * <p>{@link #main} generated them (with fresh random keys) and can generate a new set.
 */
public final class DevnetWallets {
  /** The password of every devnet wallet. Published on purpose: these keys guard nothing. */
  public static final String PASSWORD = "nsl-devnet-only";

  public static final String CONSENSUS = "consensus.wallet.json";
  public static final String DEVELOPER = "developer.wallet.json";
  public static final String OPERATOR = "operator.wallet.json";

  private final Path dir;

  /**
   * The devnet password for every wallet under {@code root/config/devnet}, for the service's
   * operator wallet when its password is not in the environment. LOCAL DEVELOPMENT ONLY.
   */
  public static OperatorWallet.KnownPasswords knownPasswords(Path root) {
    Path devnet = root.resolve("config/devnet").toAbsolutePath().normalize();
    return wallet ->
        wallet.toAbsolutePath().normalize().startsWith(devnet)
            ? Optional.of(PASSWORD)
            : Optional.empty();
  }

  public DevnetWallets(Path devnetConfigDir) {
    this.dir = devnetConfigDir;
  }

  public Path consensusWalletPath() {
    return dir.resolve(CONSENSUS);
  }

  public Account validator() {
    return load(CONSENSUS);
  }

  public Account developer() {
    return load(DEVELOPER);
  }

  public Account operator() {
    return load(OPERATOR);
  }

  /** Loads the first account of a devnet wallet, decrypted. */
  public Account load(String fileName) {
    Path file = dir.resolve(fileName);
    try {
      Wallet wallet = Wallet.fromNEP6Wallet(file.toFile());
      wallet.decryptAllAccounts(PASSWORD);
      return wallet.getAccounts().get(0);
    } catch (IOException | RuntimeException e) {
      throw new ChainException.InvalidArtifact(
          "cannot read devnet wallet " + file + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new ChainException.InvalidArtifact(
          "cannot decrypt devnet wallet " + file + " with the devnet password: " + e.getMessage(),
          e);
    }
  }

  /** Writes a fresh set of devnet wallets into the folder given as the first argument. */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "config/devnet");
    Files.createDirectories(out);
    for (String name : new String[] {CONSENSUS, DEVELOPER, OPERATOR}) {
      Account account = Account.create().label(name.replace(".wallet.json", "") + " (devnet only)");
      String publicKey = account.getECKeyPair().getPublicKey().getEncodedCompressedHex();
      Wallet wallet = Wallet.withAccounts(account).name("NSL devnet - LOCAL DEVELOPMENT ONLY");
      wallet.encryptAllAccounts(PASSWORD);
      wallet.saveNEP6Wallet(out.resolve(name).toFile());
      System.out.println(name + ": " + account.getAddress() + " " + publicKey);
    }
  }
}
