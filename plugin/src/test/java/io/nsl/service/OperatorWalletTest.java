package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.devnet.DevnetWallets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator wallet: its password from the environment or, for published wallets, known. */
class OperatorWalletTest {
  private static final String UNSET = "NSL_TEST_VARIABLE_THAT_IS_NEVER_SET";
  private final Path root = ProjectRoot.find();

  private static ServiceConfig.Chain chain(String wallet) {
    return new ServiceConfig.Chain(
        null, null, null, null, null, null, wallet, UNSET, null, (String) null);
  }

  @Test
  void refusesAWalletWithoutPasswordNamingTheVariable() {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () ->
                OperatorWallet.load(
                    root,
                    chain("config/devnet/operator.wallet.json"),
                    OperatorWallet.KnownPasswords.NONE));
    assertTrue(e.getMessage().contains(UNSET), e.getMessage());
  }

  @Test
  void devnetWalletOpensWithThePasswordOnlyCliAndDevnetKnow() {
    var account =
        OperatorWallet.load(
            root, chain("config/devnet/operator.wallet.json"), DevnetWallets.knownPasswords(root));
    assertEquals(
        new DevnetWallets(root.resolve("config/devnet")).operator().getAddress(),
        account.getAddress());
  }

  @Test
  void devnetPasswordIsNotOfferedForWalletsElsewhere() {
    assertEquals(
        Optional.empty(),
        DevnetWallets.knownPasswords(root).passwordOf(root.resolve("config/operator.json")));
  }

  @Test
  void wrongPasswordSaysWhichVariableToCheck() {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () ->
                OperatorWallet.load(
                    root,
                    chain("config/devnet/operator.wallet.json"),
                    wallet -> Optional.of("not-the-password")));
    assertTrue(e.getMessage().contains("wrong password in " + UNSET), e.getMessage());
  }
}
