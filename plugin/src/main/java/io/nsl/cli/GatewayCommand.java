package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.NslException;
import io.nsl.chain.ChainException;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.StackValue;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.enclave.dcap.QuoteVerification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nsl gateway}: the gateway contract from the command line. This file holds the shared
 * parts, {@code info} and {@code register-enclave} ({@code --attested} sends the service's SGX
 * quote for the gateway to verify itself; anyone may); the owner's commands are in {@link
 * GatewayOwnerCommands}, deposits in {@link GatewayFundsCommands}, the measurement policy in {@link
 * GatewayMeasurementCommands} (contracts/README.md, docs/operator.md).
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "The gateway contract: deploy it, read its settings, register and revoke enclave keys,"
          + " set fees, pause, deposit and withdraw prepaid GAS, and keep the measurement policy.",
      "Hashes: 0x + 40 hex is big-endian (as explorers print it), 40 hex without 0x is"
          + " little-endian; accounts may also be given as Neo N3 addresses. Each command says on"
          + " stderr which form it read.",
      "Exit codes: 0 done, 1 refused or failed (the message says why, and 'nothing was sent'"
          + " when a check here stopped it), 2 usage, 3 internal error."
    },
    subcommands = {
      GatewayOwnerCommands.Deploy.class,
      GatewayCommand.Info.class,
      GatewayCommand.RegisterEnclave.class,
      GatewayOwnerCommands.RevokeEnclave.class,
      GatewayOwnerCommands.Fees.class,
      GatewayOwnerCommands.Pause.class,
      GatewayOwnerCommands.Unpause.class,
      GatewayFundsCommands.Deposit.class,
      GatewayFundsCommands.Withdraw.class,
      GatewayFundsCommands.Balance.class,
      GatewayMeasurementCommands.Allow.class,
      GatewayMeasurementCommands.Revoke.class,
      GatewayMeasurementCommands.ListRules.class
    })
final class GatewayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The service's quote does not verify here, so the gateway would refuse it too. */
  static final class QuoteRefused extends NslException {
    QuoteRefused(QuoteVerification v) {
      super(
          "QUOTE_REFUSED",
          "the service's quote does not verify ("
              + v.reason()
              + ": "
              + v.detail()
              + "); the gateway would refuse it, so nothing was sent");
    }
  }

  /**
   * The gateway named by --gateway or $NSL_GATEWAY_HASH (any form {@link HashArgument} reads, the
   * form noted on stderr), else the one the service's attestation names.
   */
  static GatewayClient gateway(ClientOptions opts, ApiClient api, Output out) {
    HashArgument given = opts.gatewayArgument();
    Hash160 hash;
    if (given != null) {
      out.progress(given.note());
      hash = given.hash();
    } else {
      String named = api.getPublic("/v1/enclave").path("gatewayScriptHash").asText();
      hash =
          HashArgument.parse("the service's gatewayScriptHash", named, HashArgument.Kind.CONTRACT)
              .hash();
      out.progress(
          "gateway 0x" + hash + " (from the service's attestation at " + api.baseUrl() + ")");
    }
    return new GatewayClient(
        new NeoChain(opts.rpcUrl(), Duration.ofSeconds(1)), new NeoRpcClient(opts.rpcUrl()), hash);
  }

  /** The gateway of an owner or funds command: --gateway, $NSL_GATEWAY_HASH, else the service's. */
  static GatewayTarget target(ClientOptions opts, Output out) {
    if (opts.gatewayArgument() == null) {
      return GatewayTarget.of(opts, gateway(opts, opts.client(null), out));
    }
    return GatewayTarget.of(opts, gateway(opts, null, out));
  }

  /** What a gateway subcommand works with: the node, the gateway, and reads of its settings. */
  record GatewayTarget(NeoChain chain, NeoRpcClient rpc, GatewayClient client, GatewayReads reads) {
    static GatewayTarget of(ClientOptions opts, GatewayClient client) {
      NeoRpcClient rpc = new NeoRpcClient(opts.rpcUrl());
      return new GatewayTarget(
          new NeoChain(opts.rpcUrl(), Duration.ofSeconds(1)),
          rpc,
          client,
          new GatewayReads(rpc, client.hash()));
    }

    /**
     * Refuses, before anything is sent, when {@code account} is not the gateway's owner: the
     * gateway would refuse the transaction anyway, after the node charged for the test run.
     */
    void requireOwner(Account account, String what) {
      Hash160 owner = reads.owner();
      if (!owner.equals(account.getScriptHash())) {
        throw new NotOwner(account.getScriptHash(), owner, what);
      }
    }
  }

  /** The signing wallet is not the gateway owner's; nothing was sent. */
  static final class NotOwner extends NslException {
    NotOwner(Hash160 wallet, Hash160 owner, String what) {
      super(
          "NOT_GATEWAY_OWNER",
          "only the gateway's owner ("
              + owner.toAddress()
              + ") may "
              + what
              + ", and the wallet's account is "
              + wallet.toAddress()
              + "; nothing was sent. Sign with the owner's wallet (--wallet FILE)");
    }
  }

  /** The transaction's id and system fee, the part every sending command reports. */
  static ObjectNode sent(NeoApplicationLog log) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("transaction", "0x" + log.getTransactionId());
    n.put("gasConsumed", log.getExecutions().get(0).getGasConsumed());
    return n;
  }

  /** "in 0x…, system fee N datoshi", for the text answer of a sending command. */
  static String sentText(ObjectNode n) {
    return "in "
        + n.path("transaction").asText()
        + ", system fee "
        + n.path("gasConsumed").asText()
        + " datoshi";
  }

  @Command(
      name = "register-enclave",
      mixinStandardHelpOptions = true,
      description = {
        "Register the service's enclave signing key on the gateway.",
        "With --attested (SGX): sends the service's quote to registerEnclaveAttested; the gateway"
            + " verifies it itself, so any wallet may send it. With --collateral FILE (PCCS JSON"
            + " of Intel's TCB info, QE identity and CRLs), the quote and collateral are verified"
            + " here first and the collateral is put on chain (setTcbInfo, setQeIdentity: the"
            + " wallet must be the gateway owner's).",
        "Without --attested: the owner-only registerEnclave (SIMULATED devnets, or an SGX key"
            + " the owner vouches for)."
      })
  static final class RegisterEnclave implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Option(names = "--attested", description = "Register with the SGX quote (anyone may).")
    boolean attested;

    @Option(
        names = "--collateral",
        paramLabel = "FILE",
        description = "Intel collateral as PCCS JSON, verified here and set on chain (owner).")
    Path collateral;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      Account account = opts.account();
      ApiClient api = opts.client(account);
      JsonNode doc = api.getPublic("/v1/enclave");
      GatewayClient gw = gateway(opts, api, out);
      HexFormat hex = HexFormat.of();
      byte[] signing = hex.parseHex(doc.path("signingPublicKey").asText());
      byte[] secrets = hex.parseHex(doc.path("secretsPublicKey").asText());
      ObjectNode result = Output.JSON.createObjectNode();
      result.put("signingPublicKey", hex.formatHex(signing));
      NeoApplicationLog log;
      if (!attested) {
        boolean simulated = AttestationJson.saysSimulated(doc);
        byte[] evidence =
            simulated
                ? doc.path("evidence").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : hex.parseHex(doc.path("evidence").asText());
        GatewayTarget.of(opts, gw).requireOwner(account, "register a key without --attested");
        out.progress("registering the key as the gateway owner (waiting for the block)");
        log =
            gw.registerEnclave(
                signing,
                evidence,
                simulated ? GatewayClient.MODE_SIMULATED : GatewayClient.MODE_SGX,
                account);
        result.put("admission", "owner");
      } else {
        if (AttestationJson.saysSimulated(doc)) {
          throw new CliInputException(
              "the service runs in SIMULATION mode: there is no quote to attest; on a devnet use"
                  + " 'nsl gateway register-enclave' without --attested (owner only)");
        }
        byte[] quote = hex.parseHex(doc.path("evidence").asText());
        Collateral c = collateral == null ? null : readCollateral(collateral);
        QuoteVerification v =
            AttestationPolicy.defaults()
                .apply(DcapQuoteVerifier.withIntelRoot().verify(quote, c, Instant.now()));
        if (!v.valid()) {
          throw new QuoteRefused(v);
        }
        if (c != null) {
          out.progress("setting Intel's TCB info and QE identity on chain (owner)");
          gw.invoke(
              account,
              "set TCB info",
              "setTcbInfo",
              DcapCollateralTranscript.tcbInfo(c).toArray(ContractParameter[]::new));
          gw.invoke(
              account,
              "set QE identity",
              "setQeIdentity",
              DcapCollateralTranscript.qeIdentity(c).toArray(ContractParameter[]::new));
        }
        out.progress("sending the quote to registerEnclaveAttested (waiting for the block)");
        log =
            gw.invoke(
                account,
                "register attested enclave",
                "registerEnclaveAttested",
                ContractParameter.publicKey(signing),
                ContractParameter.publicKey(secrets),
                ContractParameter.byteArray(quote));
        result.put("admission", "attested");
        result.put("mrEnclave", v.mrEnclave());
      }
      result.put("transaction", "0x" + log.getTransactionId());
      result.put("gasConsumed", log.getExecutions().get(0).getGasConsumed());
      out.result(
          result,
          "registered "
              + result.path("signingPublicKey").asText()
              + " ("
              + result.path("admission").asText()
              + ") in "
              + result.path("transaction").asText()
              + ", system fee "
              + result.path("gasConsumed").asText()
              + " datoshi");
      return 0;
    }

    private static Collateral readCollateral(Path file) {
      try {
        return Collateral.fromPccsJson(Files.readString(file));
      } catch (IOException e) {
        throw new CliInputException("cannot read --collateral " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = {
        "The gateway's settings: owner, whether it is paused, whether it admits SIMULATED enclaves,"
            + " fees, the cluster key, the measurement policy, and each active enclave key with"
            + " how it was admitted (by the owner, or attested: measurement, TCB status, FMSPC,"
            + " registering transaction). Read-only: nothing is sent."
      })
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      GatewayTarget t = target(opts, out);
      GatewayClient gw = t.client();
      HexFormat hex = HexFormat.of();
      ObjectNode result = Output.JSON.createObjectNode();
      StringBuilder text = new StringBuilder();
      result.put("gateway", "0x" + gw.hash());
      text.append("gateway          0x").append(gw.hash());

      Hash160 owner = t.reads().owner();
      result.put("owner", "0x" + owner);
      result.put("ownerAddress", owner.toAddress());
      text.append("\nowner            ")
          .append(owner.toAddress())
          .append(" (0x")
          .append(owner)
          .append(')');
      boolean simulation = t.reads().allowsSimulated();
      result.put("allowsSimulated", simulation);
      text.append("\nsimulation       ")
          .append(simulation ? "allowed (a devnet or test gateway)" : "refused (production)");
      GatewayReads.Fees fees = t.reads().fees();
      result.put("paused", fees.paused());
      text.append("\npaused           ")
          .append(fees.paused() ? "YES: no requests or fulfilments" : "no");
      result.set("fees", GatewayOwnerCommands.Fees.toJson(fees));
      text.append('\n').append(GatewayOwnerCommands.Fees.describe(fees));

      Optional<GatewayClient.ClusterKey> ck = gw.clusterKey();
      if (ck.isPresent()) {
        result
            .putObject("clusterKey")
            .put("epoch", ck.get().epoch())
            .put("secretsPublicKey", hex.formatHex(ck.get().secretsPublicKey()));
        text.append("\ncluster key      epoch ")
            .append(ck.get().epoch())
            .append(' ')
            .append(hex.formatHex(ck.get().secretsPublicKey()));
      } else {
        result.putNull("clusterKey");
        text.append("\ncluster key      none set");
      }
      List<GatewayClient.MeasurementRule> rules = gw.measurements();
      result.set("measurements", GatewayMeasurementCommands.toJson(rules));
      text.append("\nmeasurements     ")
          .append(rules.isEmpty() ? "none allowed" : rules.size() + " rule(s)");
      for (GatewayClient.MeasurementRule r : rules) {
        text.append("\n  ").append(GatewayMeasurementCommands.describe(r));
      }

      ArrayNode keys = Output.JSON.createArrayNode();
      List<byte[]> active = gw.activeEnclaves();
      text.append("\nenclave keys     ")
          .append(active.isEmpty() ? "none active" : active.size() + " active");
      for (byte[] key : active) {
        EnclaveAdmission a = EnclaveAdmission.of(key, enclaveInfo(t.rpc(), gw.hash(), key));
        keys.add(a.toJson());
        text.append("\n").append(a.describe().indent(2).stripTrailing());
      }
      result.set("activeEnclaves", keys);
      out.result(result, text.toString());
      return 0;
    }

    private static StackValue enclaveInfo(NeoRpcClient rpc, Hash160 gateway, byte[] key) {
      ScriptBuilder sb = new ScriptBuilder();
      sb.contractCall(gateway, "enclaveInfo", List.of(ContractParameter.publicKey(key)));
      JsonNode r = rpc.call("invokescript", Base64.getEncoder().encodeToString(sb.toArray()));
      if (!"HALT".equals(r.path("state").asText())) {
        throw new ChainException.RpcError(
            "invokescript enclaveInfo",
            0,
            "faulted: "
                + r.path("exception").asText()
                + " (is this gateway older than enclaveInfo?)");
      }
      return NeoRpcClient.parseStack(r.path("stack").path(0));
    }
  }

  /** One key's enclaveInfo answer, as the CLI shows it. */
  record EnclaveAdmission(
      String publicKey,
      int mode,
      long registeredAt,
      long revokedAt,
      boolean attested,
      String mrEnclave,
      String mrSigner,
      Integer isvProdId,
      Integer isvSvn,
      String tcbStatus,
      String qeTcbStatus,
      String fmspc,
      String transaction) {

    /** Reads the 13-item array enclaveInfo returns (contracts/README.md). */
    static EnclaveAdmission of(byte[] key, StackValue info) {
      HexFormat hex = HexFormat.of();
      if (!(info instanceof StackValue.Array a) || a.items().size() != 13) {
        throw new ChainException.RpcError(
            "enclaveInfo", 0, "unexpected answer for key " + hex.formatHex(key) + ": " + info);
      }
      List<StackValue> f = new ArrayList<>(a.items());
      boolean attested = f.get(3).asInt().signum() != 0;
      return new EnclaveAdmission(
          hex.formatHex(key),
          f.get(0).asInt().intValue(),
          f.get(1).asInt().longValue(),
          f.get(2).asInt().longValue(),
          attested,
          attested ? hex.formatHex(f.get(4).asBytes()) : null,
          attested ? hex.formatHex(f.get(5).asBytes()) : null,
          attested ? f.get(6).asInt().intValue() : null,
          attested ? f.get(7).asInt().intValue() : null,
          attested ? utf8(f.get(8)) : null,
          attested ? utf8(f.get(9)) : null,
          attested ? hex.formatHex(f.get(10).asBytes()) : null,
          attested ? "0x" + hex.formatHex(reverse(f.get(12).asBytes())) : null);
    }

    private static String utf8(StackValue v) {
      return new String(v.asBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] reverse(byte[] b) {
      byte[] r = new byte[b.length];
      for (int i = 0; i < b.length; i++) {
        r[i] = b[b.length - 1 - i];
      }
      return r;
    }

    String modeName() {
      return mode == GatewayClient.MODE_SGX ? "SGX" : "SIMULATED";
    }

    ObjectNode toJson() {
      ObjectNode n = Output.JSON.createObjectNode();
      n.put("publicKey", publicKey);
      n.put("mode", modeName());
      n.put("registeredAt", registeredAt);
      n.put("admission", attested ? "attested" : "owner");
      if (attested) {
        n.put("mrEnclave", mrEnclave);
        n.put("mrSigner", mrSigner);
        n.put("isvProdId", isvProdId);
        n.put("isvSvn", isvSvn);
        n.put("tcbStatus", tcbStatus);
        n.put("qeTcbStatus", qeTcbStatus);
        n.put("fmspc", fmspc);
        n.put("transaction", transaction);
      }
      return n;
    }

    String describe() {
      String head = publicKey + "  " + modeName() + "  registered at block " + registeredAt;
      if (!attested) {
        return head
            + "\n  admitted by the gateway owner (registerEnclave): no on-chain attestation";
      }
      return head
          + "\n  attested on chain: MRENCLAVE "
          + mrEnclave
          + "\n    MRSIGNER "
          + mrSigner
          + " ISVPRODID "
          + isvProdId
          + " ISVSVN "
          + isvSvn
          + "\n    TCB "
          + tcbStatus
          + " (QE "
          + qeTcbStatus
          + "), FMSPC "
          + fmspc
          + ", transaction "
          + transaction;
    }
  }
}
