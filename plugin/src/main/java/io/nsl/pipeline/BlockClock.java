package io.nsl.pipeline;

import java.time.Instant;

/** The timestamp of a block, so a function sees the same "now" on every run of a request. */
@FunctionalInterface
public interface BlockClock {
  Instant timeOf(long blockIndex);
}
