package io.nsl.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void parsesTheTwoWorkloadsAndARange() {
    assertEquals(Workload.DOUBLE, Workload.parse("double"));
    assertEquals(new Workload("latency", 200, 500), Workload.parse(" Latency "));
    assertEquals(new Workload("latency", 50, 50), Workload.parse("latency:50-50"));
    assertEquals("latency:200-500", Workload.parse("latency").toString());
    assertEquals("double", Workload.DOUBLE.toString());
  }

  @Test
  void rejectsAnUnknownWorkloadNamingWhatIsAccepted() {
    var e = assertThrows(IllegalArgumentException.class, () -> Workload.parse("sleep"));
    assertTrue(e.getMessage().contains("'sleep'"), e.getMessage());
    assertTrue(e.getMessage().contains("latency:MIN-MAX"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Workload.parse("latency:200"));
    assertThrows(IllegalArgumentException.class, () -> Workload.parse("latency:-5-20"));
  }

  @Test
  void rejectsAnInvertedOrEmptyRange() {
    var e = assertThrows(IllegalArgumentException.class, () -> Workload.parse("latency:500-200"));
    assertTrue(e.getMessage().contains("at most MAX"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Workload.parse("latency:0-100"));
  }

  @Test
  void rejectsADelayTheFetchTimeoutWouldCutShort() {
    var e = assertThrows(IllegalArgumentException.class, () -> Workload.parse("latency:100-6000"));
    assertTrue(e.getMessage().contains("fetch.timeoutMs"), e.getMessage());
  }

  @Test
  void delaysStayInTheRangeAreFixedPerValueAndSpreadEvenly() {
    Workload w = Workload.parse("latency:200-500");
    long sum = 0;
    int below300 = 0;
    for (long v = 0; v < 30_000; v++) {
      int d = w.delayMillis(v);
      assertTrue(d >= 200 && d <= 500, "delay " + d + " of value " + v);
      assertEquals(d, w.delayMillis(v));
      sum += d;
      below300 += d < 300 ? 1 : 0;
    }
    // Evenly spread: the mean near 350 and a third of the range holding near a third of values.
    assertEquals(350.0, sum / 30_000.0, 3.0);
    assertEquals(10_000, below300, 500);
    assertEquals(350.0, w.meanDelayMillis());
  }

  @Test
  void neighbouringValuesDoNotWaitAlike() {
    Workload w = Workload.LATENCY;
    int same = 0;
    for (long v = 0; v < 1_000; v++) {
      same += Math.abs(w.delayMillis(v) - w.delayMillis(v + 1)) < 10 ? 1 : 0;
    }
    assertTrue(same < 100, same + " of 1000 neighbours waited within 10 ms of each other");
  }

  @Test
  void ceilingIsRunsInFlightOverTheMeanDelay() {
    Workload w = Workload.parse("latency:200-500");
    assertEquals(2 * 1000.0 / 350, w.ceilingPerSecond(2), 1e-9);
    assertEquals(6 * 1000.0 / 350, w.ceilingPerSecond(6), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> w.ceilingPerSecond(0));
    assertThrows(IllegalStateException.class, () -> Workload.DOUBLE.ceilingPerSecond(2));
  }

  @Test
  void namesFunctionsAsTheReportRegistersThem() {
    assertEquals("double", Workload.DOUBLE.functionId(1, 1));
    assertEquals("double-3", Workload.DOUBLE.functionId(3, 6));
    assertEquals("quote-30", Workload.LATENCY.functionId(30, 30));
    assertThrows(IllegalArgumentException.class, () -> Workload.LATENCY.functionId(31, 30));
    assertEquals(6, Workload.DOUBLE.defaultFunctions());
    assertEquals(30, Workload.LATENCY.defaultFunctions());
    assertFalse(Workload.DOUBLE.fetches());
    assertEquals(0, Workload.DOUBLE.delayMillis(7));
  }
}
