package io.nsl.service;

import static io.nsl.testing.DocText.assertSays;
import static io.nsl.testing.DocText.n;
import static io.nsl.testing.DocText.size;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.chain.FulfilmentMessage;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.FetchPolicy;
import io.nsl.js.internal.InputValidator;
import io.nsl.pipeline.RequestExecutor;
import io.nsl.pipeline.Simulation;
import io.nsl.pipeline.SimulationTimeout;
import io.nsl.storage.StorageQuota;
import io.nsl.testing.DocText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/functions.md's limits table, and the prose that repeats its numbers, say what the code does:
 * {@link ExecutionLimits#defaults()}, {@link FetchPolicy}'s defaults, {@link
 * StorageQuota#defaults()}, the prelude's sort nesting, and the gateway contract's sizes.
 */
class FunctionsDocLimitsTest {
  private static final String PAGE = "docs/functions.md";
  private static final String GATEWAY = "contracts/gateway/gateway.go";
  private static final ExecutionLimits L = ExecutionLimits.defaults();

  private static String page() {
    return DocText.read(PAGE);
  }

  @Test
  void limitsTableIsTheEnginesDefaults() {
    String doc = page();
    StorageQuota quota = StorageQuota.defaults();
    assertSays(
        PAGE + "'s limits table",
        DocText.section(doc, "Limits"),
        List.of(
            "| gas limit per request | up to " + n(L.maxGasLimit()) + " (also the gateway's",
            "| wall-clock deadline | " + L.timeout().toSeconds() + " s |",
            "| input size | " + size(L.maxInputBytes()) + " in the engine and the simulator",
            "carries at most " + DocText.goConst(GATEWAY, "MaxInputSize") + " bytes",
            "| input nesting depth | " + L.maxInputDepth() + " |",
            "| result size (JSON) | " + size(L.maxResultBytes()) + " (the gateway's on-chain",
            "| log lines per run | " + L.maxLogLines() + " |",
            "| log line length | " + n(L.maxLogLineChars()) + " chars |",
            "| storage value | " + size(L.maxStateValueBytes()) + " |",
            "| storage quota | "
                + size(quota.maxBytes())
                + " and "
                + n(quota.maxKeys())
                + " keys per function",
            "the simulator: " + size(Simulation.STATE_QUOTA_BYTES) + " |",
            "| fetch calls per run | " + FetchPolicy.DEFAULT_MAX_CALLS + " |",
            "| fetch request body / response body | "
                + size(FetchPolicy.DEFAULT_MAX_REQUEST_BODY_BYTES)
                + " / "
                + size(FetchPolicy.DEFAULT_MAX_RESPONSE_BYTES)
                + " |",
            "| fetch timeout | " + FetchPolicy.DEFAULT_TIMEOUT.toSeconds() + " s per call",
            "| memory budget | " + size(L.defaultMemoryBytes()) + " of counted allocations",
            "(`executor.maxMemoryLimitBytes`, " + size(L.maxMemoryBytes()) + " by default)",
            "(" + Math.round(L.heapHighWaterFraction() * 100) + " % of -Xmx)",
            "| call depth | " + n(L.maxCallDepth()) + " nested calls",
            "| built-in nesting | " + n(ExecutionLimits.MAX_BUILTIN_NESTING) + " levels in",
            "; " + sortNesting() + " sorts re-entered from a comparator |",
            "| guest stack | " + size(L.guestStackBytes()) + " threads |"));
  }

  @Test
  void proseRepeatsTheTablesNumbers() {
    String doc = page();
    assertSays(
        PAGE + "'s \"Deterministic answers\"",
        DocText.section(doc, "Deterministic answers"),
        List.of(
            "nested deeper than " + n(ExecutionLimits.MAX_BUILTIN_NESTING) + " levels",
            "more than " + sortNesting() + " levels deep",
            "the " + size(L.guestStackBytes()) + " guest stack"));
    assertSays(
        PAGE + "'s simulator usage",
        DocText.fold(doc.substring(0, doc.indexOf("\n## "))),
        List.of("at most `" + SimulationTimeout.format(SimulationTimeout.MAX) + "`"));
    assertSays(
        PAGE + "'s \"Memory budget\"",
        DocText.section(doc, "Memory budget"),
        List.of("both " + size(ExecutionLimits.DEFAULT_MEMORY_BYTES) + " unless changed"));
  }

  @Test
  void inputSchemaBoundsAreTheValidators() {
    assertSays(
        PAGE + "'s \"Input schemas\"",
        DocText.section(page(), "Input schemas"),
        List.of(
            "at most " + InputValidator.MAX_SCHEMA_DEPTH + " levels of nesting in the schema",
            "at most " + n(InputValidator.MAX_SCHEMA_CHECKS) + " subschema checks",
            "more than " + n(InputValidator.MAX_SCHEMA_CHECKS) + " subschemas to one value",
            "bound is over " + n(InputValidator.MAX_SCHEMA_CHECKS) + " is refused"));
  }

  @Test
  void resultLimitIsOneNumberFromTheGatewayToThePage() {
    long gateway = DocText.goConst(GATEWAY, "MaxResultSize");
    assertEquals(gateway, FulfilmentMessage.MAX_RESULT_BYTES, "FulfilmentMessage.MAX_RESULT_BYTES");
    assertEquals(gateway, RequestExecutor.MAX_RESULT_BYTES, "RequestExecutor.MAX_RESULT_BYTES");
    assertEquals(gateway, L.maxResultBytes(), "ExecutionLimits.defaults().maxResultBytes()");
    assertSays(
        PAGE + "'s \"Results on chain\"",
        DocText.section(page(), "Results on chain"),
        List.of(
            "A result of up to " + n(gateway) + " bytes reaches",
            "a full " + n(gateway) + "-byte result",
            "a " + n(gateway) + "-byte result through"));
  }

  @Test
  void gasLimitIsTheGatewaysDefault() {
    assertEquals(
        DocText.goConst("contracts/gateway/owner.go", "defaultMaxJsGasLimit"),
        L.maxGasLimit(),
        "the engine's largest gas limit should be the gateway's default maxJsGasLimit");
  }

  /** The prelude counts sorts re-entered from a comparator; its bound is a script constant. */
  private static long sortNesting() {
    return DocText.jsConst(
        "plugin/src/main/resources/io/nsl/js/internal/prelude.js", "SORT_MAX_NESTING");
  }
}
