package io.nsl.devnet;

import io.neow3j.transaction.AccountSigner;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sets up the NSL contracts on a local chain: funds the devnet accounts, deploys the gateway (owned
 * by the validator's account, simulated enclaves allowed) and the example consumer (owned by the
 * developer), and prepays the consumer's requests. LOCAL DEVELOPMENT ONLY.
 *
 * @param gateway the gateway's script hash
 * @param consumer the example consumer's script hash
 * @param gatewayDeployBlock the block the gateway was deployed in (the service starts reading
 *     there)
 */
public record DevnetDeployment(Hash160 gateway, Hash160 consumer, long gatewayDeployBlock) {

  /** GAS (in fractions) given to each devnet account. */
  public static final long FUNDING = 10_000_00000000L;

  /** GAS prepaid at the gateway for the consumer's requests. */
  public static final long CONSUMER_DEPOSIT = 1_000_00000000L;

  public static DevnetDeployment deploy(LocalNeoNode node, Path contractsBuild) {
    DevnetWallets w = node.wallets();
    Account owner = w.validator();
    Account developer = w.developer();
    for (Account a : new Account[] {owner, developer, w.operator()}) {
      node.fundGas(a.getScriptHash(), FUNDING);
    }
    NeoChain chain = node.chain();
    long deployBlock = chain.blockCount() - 1;
    Hash160 gateway =
        chain.deploy(
            contractsBuild.resolve("gateway.nef"),
            contractsBuild.resolve("gateway.manifest.json"),
            ContractParameter.array(
                ContractParameter.hash160(owner.getScriptHash()), ContractParameter.bool(true)),
            owner);
    Hash160 consumer = deployConsumer(node, contractsBuild, gateway, "");
    return new DevnetDeployment(gateway, consumer, deployBlock);
  }

  /**
   * Deploys one more example consumer (owned by the developer) and prepays its requests. {@code
   * variant} makes its hash distinct (the manifest name gets the suffix), so several can coexist.
   */
  public static Hash160 deployConsumer(
      LocalNeoNode node, Path contractsBuild, Hash160 gateway, String variant) {
    Account developer = node.wallets().developer();
    NeoChain chain = node.chain();
    Path manifest = contractsBuild.resolve("consumer.manifest.json");
    if (!variant.isEmpty()) {
      try {
        Path renamed = java.nio.file.Files.createTempFile("consumer-" + variant, ".manifest.json");
        String json = java.nio.file.Files.readString(manifest);
        java.nio.file.Files.writeString(
            renamed, json.replaceFirst("\"name\":\"([^\"]*)\"", "\"name\":\"$1-" + variant + "\""));
        manifest = renamed;
      } catch (java.io.IOException e) {
        throw new DevnetException("cannot prepare consumer manifest: " + e.getMessage());
      }
    }
    Hash160 consumer =
        chain.deploy(
            contractsBuild.resolve("consumer.nef"),
            manifest,
            ContractParameter.array(
                ContractParameter.hash160(gateway),
                ContractParameter.hash160(developer.getScriptHash())),
            developer);
    GatewayClient client = new GatewayClient(chain, new NeoRpcClient(chain.rpcUrl()), gateway);
    client.deposit(developer, consumer, CONSUMER_DEPOSIT);
    return consumer;
  }

  /** One request for {@link #requestMany}. */
  public record Ask(Hash160 consumer, String functionId, String inputJson, long jsGasLimit) {}

  /**
   * GAS (fractions) paid per request over the test invocation's estimate in {@link #requestMany}:
   * 0.06 GAS, about 23 % of a request's 0.26 GAS. Under a backlog 1–3 of 75 transactions of 20
   * requests FAULTed with "GAS limit exceeded". Seen once (bench/workers, 2026-12-06): the faulted
   * transaction had been estimated at 0.213 GAS a request, where the same 20 requests were
   * estimated at 0.260 in the other transactions looked at, and it ran out of GAS executing its
   * 18th request (so executing cost the usual ~0.26). Why that one test invocation came out 18 %
   * low is not known. The system fee is spent whole, so this costs 1.2 GAS a transaction of 20.
   */
  public static final long SYSTEM_FEE_MARGIN_PER_REQUEST = 6_000_000L;

  /**
   * Sends many requests in one transaction (each a call to a consumer's {@code request}), so a load
   * test is not limited by one transaction per request. Its system fee carries {@link
   * #SYSTEM_FEE_MARGIN_PER_REQUEST} per request. Returns the transaction hash.
   */
  public static String requestMany(
      NeoChain chain, Account developer, java.util.List<Ask> asks, boolean wait) {
    io.neow3j.script.ScriptBuilder sb = new io.neow3j.script.ScriptBuilder();
    for (Ask a : asks) {
      sb.contractCall(
          a.consumer(),
          "request",
          java.util.List.of(
              ContractParameter.string(a.functionId()),
              ContractParameter.byteArray(
                  a.inputJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
              ContractParameter.integer(BigInteger.valueOf(a.jsGasLimit())),
              ContractParameter.integer(BigInteger.valueOf(GAS_FOR_RESPONSE))));
      sb.opCode(io.neow3j.script.OpCode.DROP);
    }
    var b =
        new io.neow3j.transaction.TransactionBuilder(chain.neow3j())
            .script(sb.toArray())
            .signers(AccountSigner.calledByEntry(developer));
    var tx =
        chain.build(
            sb.toArray(),
            b.getSigners(),
            chain.blockCount() + NeoChain.VALID_FOR_BLOCKS,
            hashData -> NeoChain.singleSigWitnesses(hashData, developer),
            "request x" + asks.size(),
            asks.size() * SYSTEM_FEE_MARGIN_PER_REQUEST);
    if (wait) {
      chain.sendAndWait(tx, "request x" + asks.size(), Duration.ofSeconds(60));
    } else {
      chain.send(tx, "request x" + asks.size());
    }
    return "0x" + tx.getTxId();
  }

  /** GAS (fractions) each request reserves for its fulfilment: the gateway's default minimum. */
  public static final long GAS_FOR_RESPONSE = ExampleConsumer.GAS_FOR_RESPONSE;

  /** The developer asks the example consumer to request {@code functionId} on {@code inputJson}. */
  public static long request(
      NeoChain chain,
      Hash160 consumer,
      Account developer,
      String functionId,
      String inputJson,
      long jsGasLimit) {
    return new ExampleConsumer(chain, consumer)
        .request(developer, functionId, inputJson, jsGasLimit)
        .requestId();
  }
}
