package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.js.FunctionStateStore;
import io.nsl.js.InMemoryFunctionStateStore;
import io.nsl.storage.StorageLimits;
import io.nsl.storage.StorageQuota;
import org.junit.jupiter.api.Test;

/** The FunctionStateStore contract on the simulator's in-memory store. */
class InMemoryFunctionStateStoreTest extends FunctionStateStoreContract {
  @Override
  Fixture open(long quotaBytes, long maxKeys) {
    InMemoryFunctionStateStore s = new InMemoryFunctionStateStore(quotaBytes, maxKeys);
    return new Fixture() {
      @Override
      public FunctionStateStore store() {
        return s;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void usesTheServiceStoresDefaultLimits() {
    assertEquals(StorageLimits.defaults().maxKeyBytes(), InMemoryFunctionStateStore.MAX_KEY_BYTES);
    assertEquals(
        StorageLimits.defaults().maxValueBytes(), InMemoryFunctionStateStore.MAX_VALUE_BYTES);
    assertEquals(StorageQuota.defaults().maxKeys(), InMemoryFunctionStateStore.DEFAULT_MAX_KEYS);
  }

  @Test
  void countsUsedBytesInUtf8() {
    InMemoryFunctionStateStore s = new InMemoryFunctionStateStore(100);
    s.put("ü", new byte[3]);
    s.put("a", new byte[1]);
    s.put("ü", new byte[5]);
    s.delete("a");
    assertEquals(7, s.usedBytes());
  }
}
