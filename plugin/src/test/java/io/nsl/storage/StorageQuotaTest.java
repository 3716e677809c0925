package io.nsl.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StorageQuotaTest {
  private final StorageQuota quota = new StorageQuota(100, 3);
  private final Namespace n = Namespace.functionState("counter");

  @Test
  void aWriteThatGrowsBytesOrKeysPastTheQuotaIsRefusedNamingBoth() {
    var e =
        assertThrows(StorageQuotaExceededException.class, () -> quota.checkWrite(n, 90, 1, 101, 1));
    assertTrue(e.getMessage().contains("101 bytes in 1 keys, over its quota of 100 bytes and 3"));
    assertThrows(StorageQuotaExceededException.class, () -> quota.checkWrite(n, 10, 3, 20, 4));
  }

  @Test
  void aWriteThatDoesNotGrowWhatIsOverIsAllowed() {
    assertDoesNotThrow(() -> quota.checkWrite(n, 150, 2, 120, 2), "a smaller value when over");
    assertDoesNotThrow(() -> quota.checkWrite(n, 150, 5, 140, 4), "a delete when over");
    assertDoesNotThrow(() -> quota.checkWrite(n, 50, 2, 100, 3), "up to the quota exactly");
  }
}
