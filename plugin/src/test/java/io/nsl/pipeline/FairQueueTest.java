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
}
