package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoRpcClient;
import io.nsl.chain.StackValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./nsl trigger}: subscriptions of your functions to schedules and chain events, on the
 * gateway (docs/triggers.md). Every command talks to the chain with the wallet's account, which
 * must own the function.
 */
@Command(
    name = "trigger",
    mixinStandardHelpOptions = true,
    description = "Run your functions on a schedule or on chain events (docs/triggers.md).",
    subcommands = {
      TriggerCommand.Create.class,
      TriggerCommand.ListCommand.class,
      TriggerCommand.Show.class,
      TriggerCommand.Pause.class,
      TriggerCommand.Resume.class,
      TriggerCommand.Cancel.class
    })
final class TriggerCommand implements Runnable {
  static final String[] KINDS = {"", "every-blocks", "cron", "event", "http"};

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** A contract and a name, written {@code HASH:name}. */
  record HashAndName(String hash, String name) {}

  /** Parses {@code HASH:name} (HASH 40 hex digits, 0x optional). */
  static HashAndName hashAndName(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0 || colon == value.length() - 1) {
      throw new CliInputException(
          option
              + " must be HASH:name (a contract's script hash, a colon, a name), got '"
              + value
              + "'");
    }
    String hash = value.substring(0, colon).replaceFirst("^0x", "");
    if (!hash.matches("[0-9a-fA-F]{40}")) {
      throw new CliInputException(
          option
              + " needs a 20-byte script hash (40 hex digits) before the colon, got '"
              + value.substring(0, colon)
              + "'");
    }
    return new HashAndName(hash.toLowerCase(java.util.Locale.ROOT), value.substring(colon + 1));
  }

  /** GAS as a decimal ("1.5") in datoshi (1e-8 GAS). */
  static long datoshi(String option, String gas) {
    BigDecimal v;
    try {
      v = new BigDecimal(gas);
    } catch (NumberFormatException e) {
      throw new CliInputException(option + " must be an amount of GAS like 1.5, got '" + gas + "'");
    }
    if (v.signum() <= 0 || v.scale() > 8) {
      throw new CliInputException(
          option + " must be a positive amount of GAS with at most 8 decimals, got '" + gas + "'");
    }
    return v.movePointRight(8).longValueExact();
  }

  static GatewayClient gateway(ClientOptions opts, Output out, Account account) {
    return GatewayCommand.gateway(opts, opts.client(account), out);
  }

  /** getSubscription(id) as JSON, or null for an unknown id. */
  static ObjectNode subscription(ClientOptions opts, GatewayClient gw, long id) {
    JsonNode r =
        new NeoRpcClient(opts.rpcUrl())
            .call(
                "invokefunction",
                "0x" + gw.hash(),
                "getSubscription",
                List.of(Map.of("type", "Integer", "value", Long.toString(id))));
    StackValue v = NeoRpcClient.parseStack(r.path("stack").path(0));
    if (!(v instanceof StackValue.Array a)) {
      return null;
    }
    List<StackValue> s = a.items();
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("id", id);
    n.put("owner", hash(s.get(0)));
    n.put("functionId", text(s.get(1)));
    int kind = s.get(2).asInt().intValueExact();
    n.put("kind", kind >= 1 && kind <= 4 ? KINDS[kind] : Integer.toString(kind));
    switch (kind) {
      case 1 -> n.put("everyBlocks", s.get(3).asInt().longValueExact());
      case 2 -> n.put("cron", text(s.get(3)));
      case 3 -> {
        List<StackValue> ev = s.get(3).asList();
        n.put("contract", hash(ev.get(0)));
        n.put("event", text(ev.get(1)));
        n.put("filter", text(ev.get(2)));
      }
      default -> {}
    }
    n.put("target", hash(s.get(4)) + ":" + text(s.get(5)));
    n.put("startBlock", s.get(6).asInt().longValueExact());
    n.put("runsPerPeriod", s.get(8).asInt().longValueExact());
    n.put("runFee", s.get(9).asInt().longValueExact());
    n.put("budget", s.get(10).asInt().longValueExact());
    n.put("status", text(s.get(11)));
    n.put("missedPolicy", s.get(12).asInt().intValueExact() == 0 ? "each-once" : "latest-only");
    return n;
  }

  static String text(StackValue v) {
    return new String(v.asBytes(), StandardCharsets.UTF_8);
  }

  static String hash(StackValue v) {
    byte[] le = v.asBytes();
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return "0x" + HexFormat.of().formatHex(be);
  }

  static String describe(JsonNode s) {
    String trigger =
        switch (s.path("kind").asText()) {
          case "every-blocks" -> "every " + s.path("everyBlocks").asLong() + " blocks";
          case "cron" -> "cron '" + s.path("cron").asText() + "'";
          case "event" ->
              "on "
                  + s.path("contract").asText()
                  + ":"
                  + s.path("event").asText()
                  + (s.path("filter").asText().isEmpty() ? "" : " " + s.path("filter").asText());
          default -> s.path("kind").asText();
        };
    return String.format(
        "%d  %-10s %-9s %s → %s  budget %s GAS%n",
        s.path("id").asLong(),
        s.path("functionId").asText(),
        s.path("status").asText(),
        trigger,
        s.path("target").asText(),
        BigDecimal.valueOf(s.path("budget").asLong(), 8).stripTrailingZeros().toPlainString());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Subscribe a function to a trigger: exactly one of --every-blocks, --cron, --on-event,"
            + " --http. Its answers call --target. The budget moves from your prepaid balance at"
            + " the gateway (deposit GAS first); each answered run costs requestFee +"
            + " --gas-for-response."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Option(names = "--function", required = true, paramLabel = "ID", description = "Function id.")
    String function;

    @Option(names = "--every-blocks", paramLabel = "N", description = "Run every N blocks.")
    Long everyBlocks;

    @Option(names = "--cron", paramLabel = "EXPR", description = "5-field cron, UTC, block time.")
    String cron;

    @Option(
        names = "--on-event",
        paramLabel = "HASH:EventName",
        description = "Run on each notification EventName of contract HASH.")
    String onEvent;

    @Option(
        names = "--filter",
        paramLabel = "JSON",
        description = "With --on-event: argument index → value, e.g. {\"1\":\"0x…\"}.")
    String filter;

    @Option(
        names = "--http",
        description =
            "Runs started by the owner's signed POST /v1/triggers/{id}/run (docs/triggers.md).")
    boolean http;

    @Option(
        names = "--target",
        required = true,
        paramLabel = "HASH:method",
        description = "Contract and method(runId, status, result, userData) the answers call.")
    String target;

    @Option(names = "--budget", required = true, paramLabel = "GAS", description = "Prepaid GAS.")
    String budget;

    @Option(
        names = "--gas-for-response",
        paramLabel = "GAS",
        defaultValue = "0.1",
        description =
            "GAS per run for the target's call (default ${DEFAULT-VALUE}, the gateway's minimum:"
                + " with the default requestFee of 0.05 a run pays 0.15, over the 0.136 the"
                + " costliest measured run costs the operator; contracts/README.md, \"Triggers\").")
    String gasForResponse;

    @Option(
        names = "--runs-per-period",
        paramLabel = "N",
        defaultValue = "240",
        description = "Cap on runs per operator period (default ${DEFAULT-VALUE}).")
    int runsPerPeriod;

    @Option(
        names = "--latest-only",
        description = "Run only the newest missed slot (default: each missed slot once).")
    boolean latestOnly;

    @Override
    public Integer call() {
      ContractParameter trigger = trigger();
      HashAndName t = hashAndName("--target", target);
      long budgetDatoshi = datoshi("--budget", budget);
      long responseDatoshi = datoshi("--gas-for-response", gasForResponse);
      Output out = new Output(spec, opts.json);
      Account account = opts.account();
      GatewayClient gw = gateway(opts, out, account);
      out.progress("creating the subscription (waiting for the block)");
      NeoApplicationLog log =
          gw.invoke(
              account,
              "create a subscription",
              "createSubscription",
              ContractParameter.string(function),
              ContractParameter.integer(kind()),
              trigger,
              ContractParameter.hash160(new Hash160(t.hash())),
              ContractParameter.string(t.name()),
              ContractParameter.integer(BigInteger.valueOf(budgetDatoshi)),
              ContractParameter.integer(BigInteger.valueOf(responseDatoshi)),
              ContractParameter.integer(runsPerPeriod),
              ContractParameter.integer(latestOnly ? 1 : 0));
      long id = log.getExecutions().get(0).getStack().get(0).getInteger().longValueExact();
      ObjectNode s = subscription(opts, gw, id);
      s.put("tx", "0x" + log.getTransactionId());
      out.result(s, describe(s).stripTrailing());
      return 0;
    }

    int kind() {
      return everyBlocks != null ? 1 : cron != null ? 2 : onEvent != null ? 3 : 4;
    }

    ContractParameter trigger() {
      int given =
          (everyBlocks != null ? 1 : 0)
              + (cron != null ? 1 : 0)
              + (onEvent != null ? 1 : 0)
              + (http ? 1 : 0);
      if (given != 1) {
        throw new CliInputException(
            "give exactly one trigger: --every-blocks N, --cron EXPR, --on-event HASH:EventName"
                + " or --http (got "
                + given
                + ")");
      }
      if (filter != null && onEvent == null) {
        throw new CliInputException("--filter goes with --on-event");
      }
      if (everyBlocks != null) {
        if (everyBlocks < 1) {
          throw new CliInputException("--every-blocks must be 1 or more, got " + everyBlocks);
        }
        return ContractParameter.integer(BigInteger.valueOf(everyBlocks));
      }
      if (cron != null) {
        return ContractParameter.string(cron);
      }
      if (onEvent != null) {
        HashAndName e = hashAndName("--on-event", onEvent);
        return ContractParameter.array(
            ContractParameter.hash160(new Hash160(e.hash())),
            ContractParameter.string(e.name()),
            ContractParameter.string(filter == null ? "" : filter));
      }
      return ContractParameter.any(null);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the subscriptions your account owns.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      Account account = opts.account();
      GatewayClient gw = gateway(opts, out, account);
      JsonNode count =
          new NeoRpcClient(opts.rpcUrl())
              .call("invokefunction", "0x" + gw.hash(), "getSubscriptionCount", List.of());
      long n = NeoRpcClient.parseStack(count.path("stack").path(0)).asInt().longValueExact();
      String me = "0x" + account.getScriptHash();
      ArrayNode list = Output.JSON.createArrayNode();
      StringBuilder text = new StringBuilder();
      for (long id = 1; id <= n; id++) {
        ObjectNode s = subscription(opts, gw, id);
        if (s != null && s.path("owner").asText().equals(me)) {
          list.add(s);
          text.append(describe(s));
        }
      }
      ObjectNode result = Output.JSON.createObjectNode();
      result.set("subscriptions", list);
      out.result(result, list.isEmpty() ? "no subscriptions" : text.toString().stripTrailing());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show subscription ID.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(index = "0", paramLabel = "ID", description = "The subscription id.")
    long id;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      GatewayClient gw = gateway(opts, out, opts.account());
      ObjectNode s = subscription(opts, gw, id);
      if (s == null) {
        throw new CliInputException("no subscription " + id + " on this gateway");
      }
      StringBuilder t = new StringBuilder(describe(s));
      s.fields()
          .forEachRemaining(
              e -> t.append(String.format("  %-14s %s%n", e.getKey(), e.getValue().asText())));
      out.result(s, t.toString().stripTrailing());
      return 0;
    }
  }

  /** pause, resume, cancel: one owner call each. */
  abstract static class Change implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(index = "0", paramLabel = "ID", description = "The subscription id.")
    long id;

    abstract String method();

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      Account account = opts.account();
      GatewayClient gw = gateway(opts, out, account);
      out.progress(method() + " " + id + " (waiting for the block)");
      NeoApplicationLog log =
          gw.invoke(
              account,
              method() + " subscription " + id,
              method(),
              ContractParameter.integer(BigInteger.valueOf(id)));
      ObjectNode s = subscription(opts, gw, id);
      s.put("tx", "0x" + log.getTransactionId());
      out.result(s, describe(s).stripTrailing());
      return 0;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop runs of subscription ID until resumed.")
  static final class Pause extends Change {
    @Override
    String method() {
      return "pauseSubscription";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Run subscription ID again; missed slots follow its policy.")
  static final class Resume extends Change {
    @Override
    String method() {
      return "resumeSubscription";
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "End subscription ID; its unspent budget returns to your prepaid balance.")
  static final class Cancel extends Change {
    @Override
    String method() {
      return "cancelSubscription";
    }
  }
}
