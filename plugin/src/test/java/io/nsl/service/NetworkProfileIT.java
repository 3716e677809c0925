package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoRpcClient;
import io.nsl.devnet.DevnetWallets;
import io.nsl.testing.LocalChain;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network profiles against a real neo-go node: their native contract hashes are the ones a node
 * reports, and a service given a profile refuses a node of another network before it reads a block
 * or sends anything.
 */
class NetworkProfileIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  private final Path root = ProjectRoot.find();

  @Test
  void profilesNameTheNativeContractsANodeReports() {
    JsonNode natives = new NeoRpcClient(chain.node().rpcUrl()).call("getnativecontracts");
    Map<String, String> node = new TreeMap<>();
    for (JsonNode c : natives) {
      node.put(c.path("manifest").path("name").asText(), c.path("hash").asText());
    }
    for (String network : new String[] {"testnet", "mainnet"}) {
      NetworkProfile p = NetworkProfile.named(root, network);
      assertTrue(p.nativeContracts().size() >= 9, network);
      p.nativeContracts()
          .forEach(
              (name, hash) ->
                  assertEquals(node.get(name), hash, network + " profile: native " + name));
    }
  }

  @Test
  void theServiceRefusesANodeOfAnotherNetwork(@TempDir Path dir) {
    ServiceConfig.Chain testnet =
        NetworkProfile.named(root, "testnet")
            .applyTo(ServiceConfig.defaults().chain())
            .with(chain.node().rpcUrl(), "0x" + "ab".repeat(20), null, null);
    ServiceConfig cfg =
        new ServiceConfig(
            "simulation",
            dir.toString(),
            testnet,
            null,
            null,
            new ServiceConfig.Api("127.0.0.1", 0),
            null);
    var e =
        assertThrows(
            ServiceConfig.InvalidConfig.class,
            () ->
                NslService.start(cfg, root, Clock.systemUTC(), DevnetWallets.knownPasswords(root)));
    assertTrue(e.getMessage().contains("894710606"), e.getMessage());
    assertTrue(
        e.getMessage().contains(String.valueOf(chain.chain().networkMagic())), e.getMessage());
  }
}
