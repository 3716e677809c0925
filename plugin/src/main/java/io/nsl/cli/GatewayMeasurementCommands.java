package io.nsl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.ContractParameter;
import io.neow3j.wallet.Account;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.GatewayClient.MeasurementRule;
import io.nsl.cli.GatewayCommand.GatewayTarget;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The gateway's measurement policy (issue 16; contracts/gateway/measurements.go): which enclave
 * builds may hold a key of this gateway. {@code allow-measurement}, {@code revoke-measurement}
 * (owner only; revoking also revokes every attested key no rule allows any more) and {@code
 * measurements}.
 */
final class GatewayMeasurementCommands {
  private GatewayMeasurementCommands() {}

  static final int KIND_MRENCLAVE = 1;
  static final int KIND_MRSIGNER = 2;

  /** {@code --mrenclave HEX} or {@code --mrsigner HEX --prod-id N [--min-svn N]}. */
  static final class RuleArgs {
    @Option(
        names = "--mrenclave",
        paramLabel = "HEX",
        required = true,
        description = "Exactly this enclave build (32-byte MRENCLAVE).")
    String mrEnclave;

    @ArgGroup(exclusive = false)
    SignerArgs signer;
  }

  /** An MRSIGNER rule for allow-measurement. */
  static final class SignerArgs {
    @Option(
        names = "--mrsigner",
        paramLabel = "HEX",
        required = true,
        description = "Every build signed by this key (32-byte MRSIGNER) ...")
    String mrSigner;

    @Option(
        names = "--prod-id",
        paramLabel = "N",
        required = true,
        description = "... with this ISVPRODID (0..65535) ...")
    int prodId;

    @Option(
        names = "--min-svn",
        paramLabel = "N",
        required = true,
        description = "... and an ISVSVN of at least N (0..65535).")
    int minSvn;
  }

  /** The MRSIGNER part of a revoke-measurement (the minimum SVN is not part of a rule's key). */
  static final class RevokeRuleArgs {
    @Option(
        names = "--mrenclave",
        paramLabel = "HEX",
        required = true,
        description = "The MRENCLAVE rule to remove.")
    String mrEnclave;

    @ArgGroup(exclusive = false)
    RevokeSignerArgs signer;
  }

  static final class RevokeSignerArgs {
    @Option(
        names = "--mrsigner",
        paramLabel = "HEX",
        required = true,
        description = "The MRSIGNER rule to remove ...")
    String mrSigner;

    @Option(
        names = "--prod-id",
        paramLabel = "N",
        required = true,
        description = "... for this ISVPRODID.")
    int prodId;
  }

  /** A rule as the contract takes it: kind, 32-byte value, ISVPRODID, minimum ISVSVN. */
  record Rule(int kind, byte[] value, int prodId, int minSvn) {
    static Rule of(String mrEnclave, String mrSigner, int prodId, int minSvn) {
      if (mrEnclave != null) {
        return new Rule(
            KIND_MRENCLAVE, HexArgument.parse("--mrenclave", mrEnclave, 32, "an MRENCLAVE"), 0, 0);
      }
      range("--prod-id", prodId);
      range("--min-svn", minSvn);
      return new Rule(
          KIND_MRSIGNER,
          HexArgument.parse("--mrsigner", mrSigner, 32, "an MRSIGNER"),
          prodId,
          minSvn);
    }

    private static void range(String option, int v) {
      if (v < 0 || v > 65535) {
        throw new CliInputException(option + " must be 0..65535 (a 16-bit SGX field), got " + v);
      }
    }

    String describe() {
      return GatewayMeasurementCommands.describe(new MeasurementRule(kind, value, prodId, minSvn));
    }
  }

  static String describe(MeasurementRule r) {
    String hex = HexFormat.of().formatHex(r.value());
    return r.kind() == KIND_MRENCLAVE
        ? "MRENCLAVE " + hex
        : "MRSIGNER " + hex + " ISVPRODID " + r.isvProdId() + " ISVSVN >= " + r.minIsvSvn();
  }

  static ArrayNode toJson(List<MeasurementRule> rules) {
    ArrayNode a = Output.JSON.createArrayNode();
    for (MeasurementRule r : rules) {
      ObjectNode n = a.addObject();
      if (r.kind() == KIND_MRENCLAVE) {
        n.put("kind", "MRENCLAVE");
        n.put("mrEnclave", HexFormat.of().formatHex(r.value()));
      } else {
        n.put("kind", "MRSIGNER");
        n.put("mrSigner", HexFormat.of().formatHex(r.value()));
        n.put("isvProdId", r.isvProdId());
        n.put("minIsvSvn", r.minIsvSvn());
      }
    }
    return a;
  }

  @Command(
      name = "allow-measurement",
      mixinStandardHelpOptions = true,
      description = {
        "Allow an enclave build to hold keys of this gateway: exactly one MRENCLAVE, or every"
            + " build of an MRSIGNER and ISVPRODID at or above a minimum ISVSVN (allowing the same"
            + " MRSIGNER and ISVPRODID again replaces its minimum). Owner only."
      })
  static final class Allow implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @ArgGroup(exclusive = true, multiplicity = "1")
    RuleArgs rule;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      Rule r =
          rule.signer == null
              ? Rule.of(rule.mrEnclave, null, 0, 0)
              : Rule.of(null, rule.signer.mrSigner, rule.signer.prodId, rule.signer.minSvn);
      GatewayTarget t = GatewayCommand.target(opts, out);
      Account account = opts.account();
      t.requireOwner(account, "change the measurement policy");
      out.progress("allowing " + r.describe() + " (waiting for the block)");
      NeoApplicationLog log =
          t.client()
              .invoke(
                  account,
                  "allow measurement",
                  "allowMeasurement",
                  ContractParameter.integer(r.kind()),
                  ContractParameter.byteArray(r.value()),
                  ContractParameter.integer(r.prodId()),
                  ContractParameter.integer(r.minSvn()));
      return answer(out, t, log, "allowed " + r.describe());
    }
  }

  @Command(
      name = "revoke-measurement",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a rule of the measurement policy; every active attested enclave key that no"
            + " remaining rule allows is revoked in the same transaction. Owner only."
      })
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @ArgGroup(exclusive = true, multiplicity = "1")
    RevokeRuleArgs rule;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      Rule r =
          rule.signer == null
              ? Rule.of(rule.mrEnclave, null, 0, 0)
              : Rule.of(null, rule.signer.mrSigner, rule.signer.prodId, 0);
      GatewayTarget t = GatewayCommand.target(opts, out);
      boolean present =
          t.client().measurements().stream()
              .anyMatch(
                  m ->
                      m.kind() == r.kind()
                          && java.util.Arrays.equals(m.value(), r.value())
                          && m.isvProdId() == r.prodId());
      if (!present) {
        throw new CliInputException(
            "the gateway has no rule "
                + (r.kind() == KIND_MRENCLAVE
                    ? r.describe()
                    : "MRSIGNER "
                        + HexFormat.of().formatHex(r.value())
                        + " ISVPRODID "
                        + r.prodId())
                + "; 'nsl gateway measurements' lists the rules");
      }
      Account account = opts.account();
      t.requireOwner(account, "change the measurement policy");
      out.progress("revoking the rule (waiting for the block)");
      NeoApplicationLog log =
          t.client()
              .invoke(
                  account,
                  "revoke measurement",
                  "revokeMeasurement",
                  ContractParameter.integer(r.kind()),
                  ContractParameter.byteArray(r.value()),
                  ContractParameter.integer(r.prodId()));
      int revokedKeys = 0;
      for (var n : log.getExecutions().get(0).getNotifications()) {
        if ("EnclaveRevoked".equals(n.getEventName())) {
          revokedKeys++;
        }
      }
      ObjectNode extra = Output.JSON.createObjectNode().put("enclaveKeysRevoked", revokedKeys);
      return answer(
          out,
          t,
          log,
          "revoked the rule; " + revokedKeys + " attested enclave key(s) lost their admission",
          extra);
    }
  }

  private static int answer(Output out, GatewayTarget t, NeoApplicationLog log, String what) {
    return answer(out, t, log, what, Output.JSON.createObjectNode());
  }

  private static int answer(
      Output out, GatewayTarget t, NeoApplicationLog log, String what, ObjectNode extra) {
    ObjectNode result = GatewayCommand.sent(log);
    result.setAll(extra);
    List<MeasurementRule> rules = t.client().measurements();
    result.set("measurements", toJson(rules));
    out.result(result, what + ", " + GatewayCommand.sentText(result) + "\n" + describeAll(rules));
    return 0;
  }

  static String describeAll(List<MeasurementRule> rules) {
    if (rules.isEmpty()) {
      return "no measurement is allowed";
    }
    StringBuilder sb = new StringBuilder("allowed measurements:");
    for (MeasurementRule r : rules) {
      sb.append("\n  ").append(describe(r));
    }
    return sb.toString();
  }

  @Command(
      name = "measurements",
      mixinStandardHelpOptions = true,
      description = "The gateway's measurement policy, rule by rule. Read-only.")
  static final class ListRules implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      GatewayClient gw = GatewayCommand.target(opts, out).client();
      List<MeasurementRule> rules = gw.measurements();
      ObjectNode result = Output.JSON.createObjectNode();
      result.put("gateway", "0x" + gw.hash());
      result.set("measurements", toJson(rules));
      out.result(result, describeAll(rules));
      return 0;
    }
  }
}
