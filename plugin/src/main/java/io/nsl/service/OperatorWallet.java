package io.nsl.service;

import io.neow3j.wallet.Account;
import io.neow3j.wallet.Wallet;
import java.nio.file.Path;
import java.util.Optional;

/** The operator's NEP-6 wallet, which pays for fulfilment transactions, loaded and unlocked. */
public final class OperatorWallet {
  private OperatorWallet() {}

  /**
   * Passwords that need not come from the environment because they are published on purpose (the
   * local development chain's wallets). Production passes {@link #NONE}; only {@code cli} and
   * {@code devnet} know the devnet's, so the service itself never holds a built-in password.
   */
  @FunctionalInterface
  public interface KnownPasswords {
    KnownPasswords NONE = wallet -> Optional.empty();

    /** The published password of {@code wallet} (an absolute, normalised path), if it has one. */
    Optional<String> passwordOf(Path wallet);
  }

  /**
   * The first account of {@code c.operatorWallet()} (relative to {@code root}), unlocked with the
   * password in the environment variable {@code c.operatorPasswordEnv()}, else a known one.
   *
   * @throws ServiceConfig.InvalidConfig when the wallet is missing, unreadable or locked
   */
  static Account load(Path root, ServiceConfig.Chain c, KnownPasswords known) {
    Path wallet = root.resolve(c.operatorWallet()).toAbsolutePath().normalize();
    String password = System.getenv(c.operatorPasswordEnv());
    if (password == null) {
      password =
          known
              .passwordOf(wallet)
              .orElseThrow(
                  () ->
                      new ServiceConfig.InvalidConfig(
                          "the operator wallet "
                              + wallet
                              + " needs its password in the environment variable "
                              + c.operatorPasswordEnv()));
    }
    try {
      Wallet w = Wallet.fromNEP6Wallet(wallet.toFile());
      w.decryptAllAccounts(password);
      return w.getAccounts().get(0);
    } catch (java.io.IOException e) {
      throw new ServiceConfig.InvalidConfig(
          "cannot read the operator wallet " + wallet + ": " + e.getMessage());
    } catch (Exception e) {
      throw new ServiceConfig.InvalidConfig(
          "cannot unlock the operator wallet "
              + wallet
              + " (wrong password in "
              + c.operatorPasswordEnv()
              + "?)");
    }
  }
}
