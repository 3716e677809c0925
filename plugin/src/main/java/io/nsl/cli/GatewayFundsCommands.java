package io.nsl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.NslException;
import io.nsl.cli.GatewayCommand.GatewayTarget;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prepaid balances at the gateway (contracts/README.md, decision 0027): {@code deposit}, {@code
 * withdraw}, {@code balance}. Anyone may deposit for any account; only the account itself may
 * withdraw.
 */
final class GatewayFundsCommands {
  private GatewayFundsCommands() {}

  /** There is less GAS than the command would move; nothing was sent. */
  static final class InsufficientGas extends NslException {
    InsufficientGas(String where, Hash160 account, long have, long want) {
      super(
          "INSUFFICIENT_GAS",
          account.toAddress()
              + " holds "
              + GatewayReads.gas(have)
              + " GAS "
              + where
              + ", less than the "
              + GatewayReads.gas(want)
              + " GAS asked for; nothing was sent");
    }
  }

  @Command(
      name = "deposit",
      mixinStandardHelpOptions = true,
      description = {
        "Prepay GAS at the gateway (a NEP-17 transfer from the wallet): requests debit their fees"
            + " from the balance. --for credits another account, e.g. a consumer contract."
      })
  static final class Deposit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "GAS", description = "Amount, e.g. 10 or 0.5.")
    String amount;

    @Option(
        names = "--for",
        paramLabel = "ACCOUNT",
        description = "Credit this account or contract (default: the wallet's account).")
    String beneficiary;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      long datoshi = GasArgument.datoshi("GAS", amount, false);
      GatewayTarget t = GatewayCommand.target(opts, out);
      Account payer = opts.account();
      Hash160 to = HashArgument.accountOr("--for", beneficiary, payer::getScriptHash, out);
      long have = t.reads().gasBalanceOf(payer.getScriptHash());
      if (have < datoshi) {
        throw new InsufficientGas("in its wallet", payer.getScriptHash(), have, datoshi);
      }
      out.progress(
          "depositing " + GatewayReads.gas(datoshi) + " GAS for " + to.toAddress() + " (waiting)");
      NeoApplicationLog log = t.client().deposit(payer, to, datoshi);
      return answer(out, t, log, to, "deposited " + GatewayReads.gas(datoshi) + " GAS");
    }
  }

  @Command(
      name = "withdraw",
      mixinStandardHelpOptions = true,
      description = {
        "Take GAS back from the wallet account's prepaid balance (works while paused too)."
      })
  static final class Withdraw implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "GAS", description = "Amount, e.g. 10 or 0.5.")
    String amount;

    @Option(
        names = "--to",
        paramLabel = "ACCOUNT",
        description = "Send the GAS here (default: the wallet's account).")
    String to;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      long datoshi = GasArgument.datoshi("GAS", amount, false);
      GatewayTarget t = GatewayCommand.target(opts, out);
      Account account = opts.account();
      Hash160 receiver = HashArgument.accountOr("--to", to, account::getScriptHash, out);
      long balance = t.reads().balanceOf(account.getScriptHash());
      if (balance < datoshi) {
        throw new InsufficientGas("at the gateway", account.getScriptHash(), balance, datoshi);
      }
      out.progress("withdrawing " + GatewayReads.gas(datoshi) + " GAS to " + receiver.toAddress());
      NeoApplicationLog log =
          t.client()
              .invoke(
                  account,
                  "withdraw GAS",
                  "withdraw",
                  ContractParameter.hash160(account.getScriptHash()),
                  ContractParameter.hash160(receiver),
                  ContractParameter.integer(BigInteger.valueOf(datoshi)));
      return answer(
          out,
          t,
          log,
          account.getScriptHash(),
          "withdrew " + GatewayReads.gas(datoshi) + " GAS to " + receiver.toAddress());
    }
  }

  private static int answer(
      Output out, GatewayTarget t, NeoApplicationLog log, Hash160 account, String what) {
    ObjectNode result = GatewayCommand.sent(log);
    long balance = t.reads().balanceOf(account);
    result.put("account", "0x" + account);
    result.put("balance", balance);
    out.result(
        result,
        what
            + "; balance of "
            + account.toAddress()
            + " at the gateway: "
            + GatewayReads.gas(balance)
            + " GAS, "
            + GatewayCommand.sentText(result));
    return 0;
  }

  @Command(
      name = "balance",
      mixinStandardHelpOptions = true,
      description = "An account's prepaid balance at the gateway. Read-only.")
  static final class Balance implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(
        arity = "0..1",
        paramLabel = "ACCOUNT",
        description = "Address or script hash (default: the wallet's account).")
    String account;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      GatewayTarget t = GatewayCommand.target(opts, out);
      Hash160 who =
          HashArgument.accountOr("ACCOUNT", account, () -> opts.account().getScriptHash(), out);
      long balance = t.reads().balanceOf(who);
      ObjectNode result = Output.JSON.createObjectNode();
      result.put("account", "0x" + who);
      result.put("address", who.toAddress());
      result.put("balance", balance);
      out.result(
          result, who.toAddress() + " has " + GatewayReads.gas(balance) + " GAS at the gateway");
      return 0;
    }
  }
}
