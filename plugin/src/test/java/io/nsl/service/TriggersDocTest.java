package io.nsl.service;

import static io.nsl.testing.DocText.assertSays;
import static io.nsl.testing.DocText.n;

import io.nsl.chain.RunId;
import io.nsl.testing.DocText;
import io.nsl.trigger.TriggerCursor;
import io.nsl.trigger.TriggerScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/triggers.md's caps are the code's and the gateway's: the HTTP runs per block ({@link
 * RunId#EVENTS_PER_BLOCK}), the waiting calls and the save interval ({@link TriggerCursor}), the
 * wait for a block ({@link TriggerApiView}), the catch-up ({@link TriggerScheduler#MAX_MISSED}),
 * and the contract's filter size and exactly-once window. The per-owner rate is checked with the
 * API's limits (io.nsl.api.ApiDocLimitsTest).
 */
class TriggersDocTest {
  private static final String PAGE = "docs/triggers.md";

  private static String page() {
    return DocText.fold(DocText.read(PAGE));
  }

  @Test
  void httpRunCapsAreTheCursorsAndTheApis() {
    assertSays(
        PAGE + "'s \"HTTP runs\"",
        DocText.section(DocText.read(PAGE), "HTTP runs"),
        List.of(
            "at most " + RunId.EVENTS_PER_BLOCK + " per block; more wait for the next",
            n(TriggerCursor.MAX_WAITING_HTTP_CALLS) + " calls already waiting (`TRIGGER_BUSY`",
            "no block within " + TriggerApiView.RUN_WAIT_SECONDS + " s (`TRIGGER_RUN_TIMEOUT`",
            "up to " + RunId.EVENTS_PER_BLOCK + " HTTP runs per block"));
  }

  @Test
  void catchUpAndSavesAreTheSchedulersAndTheCursors() {
    assertSays(
        PAGE,
        page(),
        List.of(
            "at most " + n(TriggerScheduler.MAX_MISSED) + " per catch-up",
            "at least every " + TriggerCursor.SAVE_EVERY_BLOCKS + " blocks"));
  }

  @Test
  void gatewayBoundsAreTheContracts() {
    long window = DocText.goConst("contracts/gateway/runs.go", "windowSize");
    assertSays(
        PAGE,
        page(),
        List.of(
            "At most "
                + DocText.goConst("contracts/gateway/subscriptions.go", "MaxFilterSize")
                + " bytes.",
            "and so is one " + window + " or more runs behind the newest",
            "too old (" + window + " or more runs behind the newest",
            "up to " + window + " runs apart"));
  }
}
