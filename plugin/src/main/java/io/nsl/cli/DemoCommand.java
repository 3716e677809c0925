package io.nsl.cli;

import io.neow3j.contract.SmartContract;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.chain.devnet.LocalNeoNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code ./nsl demo}: the main job, end to end, on a throw-away local chain. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the end-to-end demo on a throw-away local chain (simulation mode).")
final class DemoCommand implements Runnable {
  private final PrintStream out = System.out;

  @Override
  public void run() {
    Path root = ProjectRoot.find();
    step("starting a local neo-go node (single validator, 500 ms blocks)");
    try (LocalNeoNode node = LocalNeoNode.start(root, LocalNeoNode.DEFAULT_BLOCK_TIME)) {
      out.println("    node RPC at " + node.rpcUrl());
      Account developer = node.wallets().developer();
      step("funding the developer account " + developer.getAddress() + " with 100 GAS");
      node.fundGas(developer.getScriptHash(), 100_00000000L);

      step("deploying the hello contract");
      Path build = root.resolve("contracts/build");
      Hash160 hello =
          node.chain()
              .deploy(
                  build.resolve("hello.nef"),
                  build.resolve("hello.manifest.json"),
                  null,
                  developer);
      out.println("    contract 0x" + hello);

      step("invoking sayHello(\"Neo Service Layer\") through neow3j");
      var builder =
          new SmartContract(hello, node.chain().neow3j())
              .invokeFunction("sayHello", ContractParameter.string("Neo Service Layer"))
              .signers(AccountSigner.calledByEntry(developer));
      var log = node.chain().sendAndWait(builder, "sayHello", Duration.ofSeconds(30), developer);
      for (var n : log.getExecutions().get(0).getNotifications()) {
        var state = n.getState().getList();
        out.println(
            "    notification "
                + n.getEventName()
                + " from 0x"
                + n.getContract()
                + ": name=\""
                + state.get(0).getString()
                + "\" greeting=\""
                + state.get(1).getString()
                + "\"");
      }
      step("stopping the node");
    }
    step("done");
  }

  private void step(String what) {
    out.println("==> " + what);
    out.flush();
  }
}
