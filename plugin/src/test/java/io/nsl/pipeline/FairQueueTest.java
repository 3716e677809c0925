package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  @Test
  void floodingOwnerDoesNotStarveOthers() {
    FairQueue<String, String> q = new FairQueue<>();
    for (int i = 0; i < 1000; i++) {
      q.add("flooder", "f" + i);
    }
    q.add("alice", "a0");
    q.add("bob", "b0");
    List<String> firstFour = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      firstFour.add(q.poll().orElseThrow());
    }
    assertEquals(List.of("f0", "a0", "b0", "f1"), firstFour);
    assertEquals(998, q.size());
    assertEquals(1, q.owners());
  }

  @Test
  void keepsEachOwnersOrder() {
    FairQueue<Integer, Integer> q = new FairQueue<>();
    for (int i = 0; i < 30; i++) {
      q.add(i % 3, i);
    }
    int[] last = {-1, -1, -1};
    while (q.size() > 0) {
      int v = q.poll().orElseThrow();
      assertTrue(v > last[v % 3]);
      last[v % 3] = v;
    }
    assertTrue(q.poll().isEmpty());
  }

  @Test
  void skipsWhatIsNotEligibleAndKeepsItsPlace() {
    FairQueue<String, String> q = new FairQueue<>();
    q.add("alice", "busy-1");
    q.add("alice", "free-1");
    q.add("alice", "busy-2");
    q.add("bob", "busy-3");
    q.add("carol", "free-2");
    java.util.function.Predicate<String> free = s -> s.startsWith("free");
    assertEquals("free-1", q.poll(free).orElseThrow(), "alice's first eligible item");
    assertEquals("free-2", q.poll(free).orElseThrow(), "bob has nothing eligible: carol's turn");
    assertTrue(q.poll(free).isEmpty());
    assertEquals(3, q.size());
    assertEquals("busy-3", q.poll().orElseThrow(), "bob kept his place in the turn");
    assertEquals("busy-1", q.poll().orElseThrow(), "alice's skipped items kept their order");
    q.addFirst("alice", "again");
    assertEquals("again", q.poll().orElseThrow(), "addFirst puts an item back at the head");
    assertEquals("busy-2", q.poll().orElseThrow());
  }
}
