package io.nsl.pipeline;

/**
 * Finds a function's owner (the Neo account whose secrets it may read) from its on-chain
 * registration. Implementations cache; a failure to reach the chain throws a retryable exception.
 */
@FunctionalInterface
public interface OwnerResolver {
  /**
   * The owner's script hash (0x, big-endian), or empty string if the gateway has no such function.
   */
  String ownerOf(String functionId);
}
