package io.nsl.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nsl.chain.StackValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFilterTest {
  static final byte[] HASH_LE = new byte[20];

  static {
    HASH_LE[0] = 0x01; // display form 0x00…01
  }

  static JsonNode transfer(long amount) {
    return EventArguments.render(
        List.of(
            new StackValue.Bytes(HASH_LE),
            new StackValue.Bytes("to".getBytes(StandardCharsets.UTF_8)),
            new StackValue.Int(BigInteger.valueOf(amount))));
  }

  @Test
  void rendersHashesTextAndNumbers() {
    assertEquals(
        "[\"0x0000000000000000000000000000000000000001\",\"to\",7]", transfer(7).toString());
    assertEquals(
        "[\"0x00ff\"]",
        EventArguments.render(List.of(new StackValue.Bytes(new byte[] {0, (byte) 0xff})))
            .toString());
  }

  @Test
  void matchesEveryListedArgumentAsText() {
    EventFilter f =
        EventFilter.parse("{\"0\":\"0x0000000000000000000000000000000000000001\",\"2\":7}");
    assertTrue(f.matches(transfer(7)));
    assertFalse(f.matches(transfer(8)));
    assertTrue(EventFilter.parse("{\"2\":\"7\"}").matches(transfer(7)));
    assertFalse(EventFilter.parse("{\"5\":\"7\"}").matches(transfer(7)), "a missing argument");
  }

  @Test
  void theEmptyFilterMatchesEverything() {
    assertTrue(EventFilter.parse("").matches(transfer(1)));
    assertTrue(EventFilter.parse("{}").matches(transfer(1)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{oops|not JSON",
        "[1]|not a JSON object",
        "{\"x\":1}|key \"x\" is not an argument index",
        "{\"300\":1}|argument index 300 is not in 0..255",
        "{\"0\":{\"a\":1}}|the value of argument 0 must be a string, number or boolean",
      })
  void refusesAFilterItCannotUse(String json, String why) {
    TriggerException e = assertThrows(TriggerException.class, () -> EventFilter.parse(json));
    assertEquals("TRIGGER_BAD_FILTER", e.code());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
