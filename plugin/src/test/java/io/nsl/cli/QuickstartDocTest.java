package io.nsl.cli;

import static io.nsl.testing.DocText.assertSays;

import io.nsl.testing.DocText;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/quickstart.md's waits and expiry are the CLI's and the gateway's. */
class QuickstartDocTest {
  private static final String PAGE = "docs/quickstart.md";

  @Test
  void requestSendWaitAndExpiryAreTheCodes() {
    String s = RequestCommand.Send.WAIT_SECONDS;
    assertSays(
        PAGE,
        DocText.fold(DocText.read(PAGE)),
        List.of(
            "waiting up to " + s + " s for the answer on chain",
            "no answer within `--timeout` (" + s + " s)",
            "after expiry ("
                + DocText.goConst("contracts/gateway/owner.go", "defaultExpiryBlocks")
                + " blocks by default)"));
  }
}
