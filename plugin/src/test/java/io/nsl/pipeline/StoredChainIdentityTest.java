package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nsl.chain.ChainIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoredChainIdentityTest {
  @Test
  void survivesAReopenOfTheStoreBesideTheCursor() {
    var store = new InMemoryServiceStore();
    var identity = new ChainIdentity(56753, "0x" + "ab".repeat(20), 1, "0x" + "11".repeat(32));
    assertEquals(Optional.empty(), new StoredChainIdentity(store).load());
    new StoredChainIdentity(store).save(identity);
    assertEquals(Optional.of(identity), new StoredChainIdentity(store).load());
    assertEquals(Set.of("chain.identity"), store.scan("chain.").keySet());
  }

  @Test
  void aDamagedEntryIsReportedNotTakenForAnotherChain() {
    var store = new InMemoryServiceStore();
    store.apply(
        Map.of(StoredChainIdentity.KEY, "56753\n0xab".getBytes(StandardCharsets.UTF_8)), Set.of());
    var e = assertThrows(IllegalStateException.class, () -> new StoredChainIdentity(store).load());
    assertEquals(
        "the stored chain identity has 2 lines, expected 4: the store is damaged", e.getMessage());
  }
}
