package io.nsl.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.contract.SmartContract;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.ProjectRoot;
import io.nsl.testing.LocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HelloContractIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();

  @Test
  void deployedContractEmitsNotificationReadBackThroughNeow3j() {
    LocalNeoNode node = chain.node();
    Account developer = node.wallets().developer();
    node.fundGas(developer.getScriptHash(), 100_00000000L);

    Path build = ProjectRoot.find().resolve("contracts/build");
    Hash160 hello =
        node.chain()
            .deploy(
                build.resolve("hello.nef"), build.resolve("hello.manifest.json"), null, developer);

    var builder =
        new SmartContract(hello, node.chain().neow3j())
            .invokeFunction("sayHello", ContractParameter.string("neo"))
            .signers(AccountSigner.calledByEntry(developer));
    NeoApplicationLog log =
        node.chain().sendAndWait(builder, "sayHello", Duration.ofSeconds(30), developer);

    var notifications = log.getExecutions().get(0).getNotifications();
    assertEquals(1, notifications.size());
    var hello0 = notifications.get(0);
    assertEquals("Hello", hello0.getEventName());
    assertEquals(hello, hello0.getContract());
    var state = hello0.getState().getList();
    assertEquals("neo", state.get(0).getString());
    assertEquals("Hello, neo!", state.get(1).getString());
    assertTrue(node.chain().blockCount() > 1);

    // The same notification through neo-go's getblocknotifications extension.
    long height =
        node.chain()
            .check(
                "gettransactionheight",
                () -> node.chain().neow3j().getTransactionHeight(log.getTransactionId()).send())
            .getHeight()
            .longValue();
    var rpc = new io.nsl.chain.NeoRpcClient(node.rpcUrl());
    var fromBlock = rpc.blockNotifications(height, hello.toString(), "Hello");
    assertEquals(1, fromBlock.size());
    assertEquals(
        "Hello, neo!", ((io.nsl.chain.StackValue.Bytes) fromBlock.get(0).state().get(1)).utf8());
    assertEquals("0x" + log.getTransactionId(), fromBlock.get(0).containerHash());
    assertEquals(List.of(), rpc.blockNotifications(height, hello.toString(), "Other"));
  }
}
