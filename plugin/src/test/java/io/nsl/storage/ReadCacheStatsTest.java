package io.nsl.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadCacheStatsTest {
  @Test
  void rendersTheFourStoreCacheMetricsWithTheirTypes() {
    String text = new ReadCacheStats(7, 3, 2048, 67_108_864).renderPrometheus();
    assertTrue(text.contains("# TYPE nsl_store_cache_hits_total counter\n"), text);
    assertTrue(text.contains("\nnsl_store_cache_hits_total 7\n"), text);
    assertTrue(text.contains("\nnsl_store_cache_misses_total 3\n"), text);
    assertTrue(text.contains("# TYPE nsl_store_cache_bytes gauge\n"), text);
    assertTrue(text.contains("\nnsl_store_cache_bytes 2048\n"), text);
    assertTrue(text.contains("\nnsl_store_cache_max_bytes 67108864\n"), text);
    assertEquals(12, text.lines().count(), "HELP, TYPE and value for each of four");
  }

  @Test
  void refusesNegativeFigures() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ReadCacheStats(-1, 0, 0, 0));
    assertTrue(e.getMessage().contains("hits -1"), e.getMessage());
  }
}
