package io.nsl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.contract.SmartContract;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.TransactionBuilder;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.NslException;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.StackValue;
import io.nsl.cli.GatewayCommand.GatewayTarget;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The gateway owner's commands: {@code deploy}, {@code revoke-enclave}, {@code fees}, {@code
 * pause}, {@code unpause}. Each owner-only command checks the wallet against {@code getOwner}
 * before it sends anything ({@link GatewayTarget#requireOwner}).
 */
final class GatewayOwnerCommands {
  private GatewayOwnerCommands() {}

  /** Neo N3 MainNet's network magic: no gateway that admits SIMULATED keys is deployed there. */
  static final long MAINNET_MAGIC = 860833102L;

  /** A gateway with the same code and deployer already exists at the hash a deploy would make. */
  static final class GatewayExists extends NslException {
    GatewayExists(Hash160 hash, Hash160 sender) {
      super(
          "GATEWAY_EXISTS",
          "a gateway is already deployed at 0x"
              + hash
              + " by "
              + sender.toAddress()
              + " (a contract's hash is made of its deployer, NEF checksum and name); use it"
              + " with --gateway 0x"
              + hash
              + ", or deploy from another account");
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Deploy the gateway contract (contracts/build/gateway.nef), signed and paid by --wallet.",
        "Prints its hash (0x, big-endian) and startBlock: a block at or before the deployment,"
            + " for chain.startBlock of the service (earlier blocks hold no requests)."
      })
  static final class Deploy implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Option(
        names = "--owner",
        paramLabel = "ACCOUNT",
        description =
            "The gateway's owner: address or script hash (default: the wallet's account).")
    String owner;

    @Option(
        names = "--allow-simulated",
        description =
            "Admit SIMULATED enclave keys, for ever (devnets and test deployments only; refused"
                + " on MainNet). Without it the gateway refuses them, even after an update.")
    boolean allowSimulated;

    @Option(
        names = "--nef",
        paramLabel = "FILE",
        description = "The compiled gateway (default: contracts/build/gateway.nef).")
    Path nef;

    @Option(
        names = "--manifest",
        paramLabel = "FILE",
        description = "Its manifest (default: contracts/build/gateway.manifest.json).")
    Path manifest;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      Path build = ProjectRoot.find().resolve("contracts/build");
      Path nefFile = nef != null ? nef : build.resolve("gateway.nef");
      Path manifestFile = manifest != null ? manifest : build.resolve("gateway.manifest.json");
      Account account = opts.account();
      Hash160 ownerHash = HashArgument.accountOr("--owner", owner, account::getScriptHash, out);
      NeoChain chain = new NeoChain(opts.rpcUrl(), Duration.ofSeconds(1));
      long magic = chain.networkMagic();
      if (allowSimulated && magic == MAINNET_MAGIC) {
        throw new CliInputException(
            "--allow-simulated on MainNet (network magic "
                + magic
                + "): such a gateway would accept answers no enclave protects; deploy without it");
      }
      Hash160 expected = expectedHash(account.getScriptHash(), nefFile, manifestFile);
      GatewayReads reads = new GatewayReads(new NeoRpcClient(opts.rpcUrl()), expected);
      if (reads.contractExists(expected)) {
        throw new GatewayExists(expected, account.getScriptHash());
      }
      long startBlock = chain.blockCount() - 1;
      out.progress(
          "deploying the gateway from "
              + account.getAddress()
              + " (owner "
              + ownerHash.toAddress()
              + ", simulation "
              + (allowSimulated ? "allowed" : "refused")
              + "); waiting for the block");
      Hash160 gateway =
          chain.deploy(
              nefFile,
              manifestFile,
              ContractParameter.array(
                  ContractParameter.hash160(ownerHash), ContractParameter.bool(allowSimulated)),
              account);
      ObjectNode result = Output.JSON.createObjectNode();
      result.put("gateway", "0x" + gateway);
      result.put("owner", "0x" + ownerHash);
      result.put("ownerAddress", ownerHash.toAddress());
      result.put("allowsSimulated", allowSimulated);
      result.put("networkMagic", magic);
      result.put("startBlock", startBlock);
      out.result(
          result,
          "gateway deployed at 0x"
              + gateway
              + "\n  owner       "
              + ownerHash.toAddress()
              + "\n  simulation  "
              + (allowSimulated ? "allowed" : "refused")
              + "\n  startBlock  "
              + startBlock
              + " (chain.startBlock for the service)");
      return 0;
    }

    /** The hash Neo gives a contract: deployer, NEF checksum (its last 4 bytes) and name. */
    private static Hash160 expectedHash(Hash160 sender, Path nef, Path manifest) {
      try {
        byte[] nefBytes = Files.readAllBytes(nef);
        String name = Output.JSON.readTree(Files.readString(manifest)).path("name").asText();
        if (nefBytes.length < 4 || name.isEmpty()) {
          throw new CliInputException(nef + " or " + manifest + " is not a compiled contract");
        }
        long checksum =
            ByteBuffer.wrap(nefBytes, nefBytes.length - 4, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt()
                & 0xFFFF_FFFFL;
        return SmartContract.calcContractHash(sender, checksum, name);
      } catch (IOException e) {
        throw new CliInputException(
            "cannot read the gateway contract ("
                + e.getMessage()
                + "); run scripts/build-contracts.sh, or give --nef and --manifest");
      }
    }
  }

  @Command(
      name = "revoke-enclave",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke an enclave signing key: the gateway refuses its answers from the next block on."
            + " A revoked key cannot be registered again. Owner only."
      })
  static final class RevokeEnclave implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(
        paramLabel = "PUBLIC_KEY",
        description = "The key, 33-byte compressed secp256r1 in hex (as 'gateway info' shows).")
    String publicKey;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      byte[] key = HexArgument.parse("PUBLIC_KEY", publicKey, 33, "a compressed public key");
      GatewayTarget t = GatewayCommand.target(opts, out);
      Account account = opts.account();
      t.requireOwner(account, "revoke an enclave key");
      out.progress("revoking " + HexFormat.of().formatHex(key) + " (waiting for the block)");
      NeoApplicationLog log =
          t.client()
              .invoke(
                  account, "revoke enclave key", "revokeEnclave", ContractParameter.publicKey(key));
      List<StackValue> e = t.reads().enclave(key).orElseThrow();
      long revokedAt = e.get(2).asInt().longValueExact();
      ObjectNode result = GatewayCommand.sent(log);
      result.put("publicKey", HexFormat.of().formatHex(key));
      result.put("revokedAt", revokedAt);
      out.result(
          result,
          "revoked "
              + HexFormat.of().formatHex(key)
              + ": answers signed by it are refused from block "
              + revokedAt
              + ", "
              + GatewayCommand.sentText(result));
      return 0;
    }
  }

  @Command(
      name = "fees",
      mixinStandardHelpOptions = true,
      description = {
        "Show the gateway's fee parameters; with any option, set them (owner only). Options not"
            + " given keep their current value. Requests already made keep the fee they paid.",
        "GAS amounts are decimals (0.05); 1 datoshi = 1e-8 GAS."
      })
  static final class Fees implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Option(
        names = "--request-fee",
        paramLabel = "GAS",
        description = "Charged per request on top of its gas for the response.")
    String requestFee;

    @Option(
        names = "--js-gas-price",
        paramLabel = "DATOSHI",
        description = "Datoshi per unit of a request's JS gas limit (0: priced into the fee).")
    Long jsGasPrice;

    @Option(
        names = "--min-gas-for-response",
        paramLabel = "GAS",
        description = "Least GAS a request must reserve for its callback.")
    String minGasForResponse;

    @Option(
        names = "--max-js-gas-limit",
        paramLabel = "UNITS",
        description = "Largest JS gas limit a request may ask for.")
    Long maxJsGasLimit;

    @Option(
        names = "--expiry-blocks",
        paramLabel = "BLOCKS",
        description = "Blocks after which an unanswered request may be cancelled.")
    Long expiryBlocks;

    @Option(
        names = "--fee-recipient",
        paramLabel = "ACCOUNT",
        description = "Account credited with the fees of fulfilled requests (address or hash).")
    String feeRecipient;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      GatewayTarget t = GatewayCommand.target(opts, out);
      GatewayReads.Fees now = t.reads().fees();
      boolean setParameters =
          requestFee != null
              || jsGasPrice != null
              || minGasForResponse != null
              || maxJsGasLimit != null
              || expiryBlocks != null;
      HashArgument recipient =
          feeRecipient == null
              ? null
              : HashArgument.parse("--fee-recipient", feeRecipient, HashArgument.Kind.ACCOUNT);
      ObjectNode result = Output.JSON.createObjectNode();
      if (setParameters || recipient != null) {
        long rf =
            requestFee == null
                ? now.requestFee()
                : GasArgument.datoshi("--request-fee", requestFee, true);
        long mg =
            minGasForResponse == null
                ? now.minGasForResponse()
                : GasArgument.datoshi("--min-gas-for-response", minGasForResponse, true);
        long jp = jsGasPrice == null ? now.jsGasPrice() : nonNegative("--js-gas-price", jsGasPrice);
        long mj =
            maxJsGasLimit == null
                ? now.maxJsGasLimit()
                : positive("--max-js-gas-limit", maxJsGasLimit);
        long eb =
            expiryBlocks == null ? now.expiryBlocks() : positive("--expiry-blocks", expiryBlocks);
        Account account = opts.account();
        t.requireOwner(account, "set fees");
        if (setParameters) {
          out.progress("setting the fee parameters (waiting for the block)");
          NeoApplicationLog log =
              t.client()
                  .invoke(
                      account,
                      "set fee parameters",
                      "setFeeParameters",
                      integer(rf),
                      integer(jp),
                      integer(mg),
                      integer(mj),
                      integer(eb));
          result.set("setFeeParameters", GatewayCommand.sent(log));
        }
        if (recipient != null) {
          out.progress(recipient.note());
          out.progress("setting the fee recipient (waiting for the block)");
          NeoApplicationLog log =
              t.client()
                  .invoke(
                      account,
                      "set fee recipient",
                      "setFeeRecipient",
                      ContractParameter.hash160(recipient.hash()));
          result.set("setFeeRecipient", GatewayCommand.sent(log));
        }
        now = t.reads().fees();
      }
      result.put("gateway", "0x" + t.client().hash());
      result.setAll(toJson(now));
      out.result(result, describe(now));
      return 0;
    }

    private static ContractParameter integer(long v) {
      return ContractParameter.integer(BigInteger.valueOf(v));
    }

    private static long nonNegative(String option, long v) {
      if (v < 0) {
        throw new CliInputException(option + " must not be negative, got " + v);
      }
      return v;
    }

    private static long positive(String option, long v) {
      if (v <= 0) {
        throw new CliInputException(option + " must be more than 0, got " + v);
      }
      return v;
    }

    static ObjectNode toJson(GatewayReads.Fees f) {
      ObjectNode n = Output.JSON.createObjectNode();
      n.put("requestFee", f.requestFee());
      n.put("jsGasPrice", f.jsGasPrice());
      n.put("minGasForResponse", f.minGasForResponse());
      n.put("maxJsGasLimit", f.maxJsGasLimit());
      n.put("expiryBlocks", f.expiryBlocks());
      n.put("feeRecipient", "0x" + f.feeRecipient());
      n.put("feeRecipientAddress", f.feeRecipient().toAddress());
      n.put("maxInputSize", f.maxInputSize());
      n.put("paused", f.paused());
      return n;
    }

    static String describe(GatewayReads.Fees f) {
      return "request fee      "
          + GatewayReads.gas(f.requestFee())
          + " GAS per request, plus its gas for the response (at least "
          + GatewayReads.gas(f.minGasForResponse())
          + " GAS)"
          + "\njs gas           "
          + (f.jsGasPrice() == 0
              ? "priced into the request fee"
              : f.jsGasPrice() + " datoshi per unit")
          + ", at most "
          + f.maxJsGasLimit()
          + " units per request"
          + "\nexpiry           "
          + f.expiryBlocks()
          + " blocks"
          + "\nfee recipient    "
          + f.feeRecipient().toAddress()
          + "\nlargest input    "
          + f.maxInputSize()
          + " bytes";
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = {
        "Stop new requests and fulfilments. Cancel and withdraw keep working, so nobody's GAS is"
            + " locked by a pause. Owner only."
      })
  static final class Pause implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Override
    public Integer call() {
      return setPaused(spec, opts, true);
    }
  }

  @Command(
      name = "unpause",
      mixinStandardHelpOptions = true,
      description = "Resume requests and fulfilments after a pause. Owner only.")
  static final class Unpause implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Override
    public Integer call() {
      return setPaused(spec, opts, false);
    }
  }

  /**
   * {@code setPaused(paused)} with the flag pushed as a VM Boolean (PUSHT/PUSHF). neow3j 3.17
   * pushes a boolean parameter as the Integer 1 or 0, and the gateway passes it on to its {@code
   * Paused} event, whose manifest type is Boolean: neo-go then faults the notification ("parameter
   * 0 type mismatch: Boolean (manifest) vs Integer").
   */
  static byte[] setPausedScript(Hash160 gateway, boolean paused) {
    byte[] script =
        new ScriptBuilder()
            .contractCall(gateway, "setPaused", List.of(ContractParameter.bool(paused)))
            .toArray();
    // One parameter: the script starts with its push (then PUSH1 PACK, the call flags, ...).
    if (script[0] != (paused ? PUSH1 : PUSH0)) {
      throw new IllegalStateException("unexpected setPaused script from neow3j");
    }
    script[0] = paused ? PUSHT : PUSHF;
    return script;
  }

  private static final byte PUSHT = 0x08;
  private static final byte PUSHF = 0x09;
  private static final byte PUSH0 = 0x10;
  private static final byte PUSH1 = 0x11;

  private static int setPaused(CommandSpec spec, ClientOptions opts, boolean paused) {
    Output out = new Output(spec, opts.json);
    GatewayTarget t = GatewayCommand.target(opts, out);
    Account account = opts.account();
    t.requireOwner(account, paused ? "pause the gateway" : "unpause the gateway");
    out.progress((paused ? "pausing" : "unpausing") + " the gateway (waiting for the block)");
    NeoApplicationLog log =
        t.chain()
            .sendAndWait(
                new TransactionBuilder(t.chain().neow3j())
                    .script(setPausedScript(t.client().hash(), paused))
                    .signers(AccountSigner.calledByEntry(account)),
                paused ? "pause the gateway" : "unpause the gateway",
                Duration.ofSeconds(30),
                account);
    ObjectNode result = GatewayCommand.sent(log);
    result.put("gateway", "0x" + t.client().hash());
    result.put("paused", t.reads().paused());
    out.result(
        result,
        (result.path("paused").asBoolean()
                ? "paused: requests and fulfilments are refused until 'nsl gateway unpause', "
                : "running: requests and fulfilments are accepted, ")
            + GatewayCommand.sentText(result));
    return 0;
  }
}
