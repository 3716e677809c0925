package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped network profiles, and how a profile and the chain options are read. */
class NetworkProfileTest {
  private final Path root = ProjectRoot.find();

  @Test
  void shipsTestnetAndMainnetWithTheirMagics() {
    NetworkProfile testnet = NetworkProfile.named(root, "testnet");
    assertEquals(894710606L, testnet.networkMagic());
    assertTrue(testnet.rpcUrls().size() >= 2, "fail-over needs more than one endpoint");
    NetworkProfile mainnet = NetworkProfile.named(root, "mainnet");
    assertEquals(860833102L, mainnet.networkMagic());
    assertTrue(mainnet.rpcUrls().size() >= 2);
    // Native contracts have the same hash on every network.
    assertEquals(testnet.nativeContracts(), mainnet.nativeContracts());
    assertEquals(
        "0xd2a4cff31913016155e38e474a2c06d08be276cf", testnet.nativeContracts().get("GasToken"));
  }

  @Test
  void aProfileGivesTheChainItsEndpointsAndMagicAndKeepsTheRest() {
    NetworkProfile testnet = NetworkProfile.named(root, "testnet");
    ServiceConfig.Chain before = ServiceConfig.defaults().chain();
    ServiceConfig.Chain chain = testnet.applyTo(before);
    assertEquals(testnet.rpcUrls(), chain.rpcEndpoints());
    assertEquals(testnet.rpcUrls().get(0), chain.rpcUrl());
    assertEquals(894710606L, chain.networkMagic());
    assertEquals(before.operatorWallet(), chain.operatorWallet());
    assertEquals(before.startBlock(), chain.startBlock());
  }

  @Test
  void anUnknownProfileIsRefusedNamingTheKnownOnes() {
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class, () -> NetworkProfile.named(root, "testnett"));
    assertTrue(e.getMessage().contains("known: mainnet, testnet"), e.getMessage());
    var bad =
        assertThrows(ServiceConfig.InvalidConfig.class, () -> NetworkProfile.named(root, "../nsl"));
    assertTrue(bad.getMessage().contains("--network must name a profile"), bad.getMessage());
  }

  @Test
  void refusesAProfileWithAnUnknownKeyOrABadValue(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("x.yml");
    Files.writeString(f, "name: x\nnetworkMagic: 1\nrpcUrls: [http://a:1]\nmagic: 2\n");
    var unknown = assertThrows(ServiceConfig.InvalidConfig.class, () -> NetworkProfile.load(f));
    assertTrue(unknown.getMessage().contains("unknown key 'magic'"), unknown.getMessage());

    Files.writeString(f, "name: x\nnetworkMagic: 1\nrpcUrls: [seed1.neo.org:10332]\n");
    var url = assertThrows(ServiceConfig.InvalidConfig.class, () -> NetworkProfile.load(f));
    assertTrue(url.getMessage().contains("rpcUrls[0]"), url.getMessage());

    Files.writeString(
        f, "name: x\nnetworkMagic: 1\nrpcUrls: [http://a:1]\nnativeContracts: {GasToken: d2a4}\n");
    var hash = assertThrows(ServiceConfig.InvalidConfig.class, () -> NetworkProfile.load(f));
    assertTrue(hash.getMessage().contains("nativeContracts.GasToken"), hash.getMessage());

    Files.writeString(f, "name: x\nrpcUrls: [http://a:1]\n");
    var magic = assertThrows(ServiceConfig.InvalidConfig.class, () -> NetworkProfile.load(f));
    assertTrue(magic.getMessage().contains("networkMagic"), magic.getMessage());
  }

  @Test
  void chainEndpointsAreRpcUrlAloneUntilAListIsGiven(@TempDir Path dir) throws IOException {
    assertEquals(
        List.of("http://127.0.0.1:20332"), ServiceConfig.defaults().chain().rpcEndpoints());
    Path f = dir.resolve("nsl.yml");
    Files.writeString(f, "chain:\n  rpcUrls: [http://a:1, https://b]\n  networkMagic: 894710606\n");
    ServiceConfig c = ServiceConfig.load(f);
    assertEquals(List.of("http://a:1", "https://b"), c.chain().rpcEndpoints());
    assertEquals(894710606L, c.chain().networkMagic());
  }

  @Test
  void refusesANodeOfAnotherNetworkSayingBothMagics() {
    ServiceConfig.Chain testnet =
        NetworkProfile.named(root, "testnet").applyTo(ServiceConfig.defaults().chain());
    testnet.checkNetworkMagic("http://x", 894710606L);
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () -> testnet.checkNetworkMagic("http://x", 860833102L));
    assertTrue(e.getMessage().contains("860833102"), e.getMessage());
    assertTrue(e.getMessage().contains("894710606"), e.getMessage());
    ServiceConfig.defaults().chain().checkNetworkMagic("http://x", 12345); // 0: any network
  }

  @Test
  void refusesAGatewayHashThatIsNotZeroXBigEndian(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("nsl.yml");
    Files.writeString(f, "chain:\n  gatewayHash: \"" + "ab".repeat(20) + "\"\n");
    var e = assertThrows(ServiceConfig.InvalidConfig.class, () -> ServiceConfig.load(f));
    assertTrue(e.getMessage().contains("chain.gatewayHash must be 0x"), e.getMessage());
    Files.writeString(f, "chain:\n  rpcUrl: localhost:20332\n");
    var url = assertThrows(ServiceConfig.InvalidConfig.class, () -> ServiceConfig.load(f));
    assertTrue(url.getMessage().contains("chain.rpcUrl"), url.getMessage());
  }
}
