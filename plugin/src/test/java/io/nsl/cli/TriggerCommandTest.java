package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neow3j.types.ContractParameterType;
import org.junit.jupiter.api.Test;

/** The trigger commands' input rules, checked before anything reaches the chain. */
class TriggerCommandTest {
  static final String HASH = "0x0102030405060708090a0b0c0d0e0f1011121314";

  @Test
  void readsHashColonName() {
    var t = TriggerCommand.hashAndName("--target", HASH + ":onResult");
    assertEquals("0102030405060708090a0b0c0d0e0f1011121314", t.hash());
    assertEquals("onResult", t.name());
  }

  @Test
  void refusesATargetThatIsNotHashColonName() {
    for (String bad : new String[] {HASH, HASH + ":", "0x12:onResult", "zz:onResult"}) {
      CliInputException e =
          assertThrows(CliInputException.class, () -> TriggerCommand.hashAndName("--target", bad));
      assertTrue(e.getMessage().startsWith("--target"), e.getMessage());
    }
  }

  @Test
  void readsGasAsDatoshi() {
    assertEquals(150_000_000L, TriggerCommand.datoshi("--budget", "1.5"));
    assertEquals(1L, TriggerCommand.datoshi("--budget", "0.00000001"));
    for (String bad : new String[] {"0", "-1", "abc", "0.000000001"}) {
      assertThrows(CliInputException.class, () -> TriggerCommand.datoshi("--budget", bad));
    }
  }

  @Test
  void needsExactlyOneTrigger() {
    TriggerCommand.Create none = new TriggerCommand.Create();
    assertTrue(assertThrows(CliInputException.class, none::trigger).getMessage().contains("got 0"));
    TriggerCommand.Create two = new TriggerCommand.Create();
    two.everyBlocks = 2L;
    two.cron = "* * * * *";
    assertTrue(assertThrows(CliInputException.class, two::trigger).getMessage().contains("got 2"));
    TriggerCommand.Create filterAlone = new TriggerCommand.Create();
    filterAlone.everyBlocks = 2L;
    filterAlone.filter = "{}";
    assertThrows(CliInputException.class, filterAlone::trigger);
  }

  @Test
  void buildsEachKindsTriggerValue() {
    TriggerCommand.Create every = new TriggerCommand.Create();
    every.everyBlocks = 4L;
    assertEquals(ContractParameterType.INTEGER, every.trigger().getType());
    assertEquals(1, every.kind());
    TriggerCommand.Create event = new TriggerCommand.Create();
    event.onEvent = HASH + ":Transfer";
    event.filter = "{\"1\":\"0x01\"}";
    assertEquals(ContractParameterType.ARRAY, event.trigger().getType());
    assertEquals(3, event.kind());
    TriggerCommand.Create zero = new TriggerCommand.Create();
    zero.everyBlocks = 0L;
    assertThrows(CliInputException.class, zero::trigger);
  }
}
