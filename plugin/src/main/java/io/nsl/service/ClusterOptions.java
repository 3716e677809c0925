package io.nsl.service;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code ./nsl run} takes part in its cluster (docs/cluster.md).
 *
 * @param joinUrl join through the instance at this URL before serving
 * @param port serve the join endpoint on this port (0 picks one); empty serves none
 * @param bind the address the join endpoint listens on (the operator's network)
 * @param policyFile the owner-signed measurement policy (default {@code
 *     <dataDir>/cluster-policy.json})
 * @param collateralFile PCCS collateral JSON for checking peers' TCB status, or empty
 * @param ownerKeyHex the gateway owner's public key (pinned; from {@code NSL_CLUSTER_OWNER_KEY})
 * @param rotationBatch records a rotation re-seals per step (docs/cluster.md, "Rotation"): writers
 *     wait for at most one step, so smaller is gentler on a busy service and slower to finish
 */
public record ClusterOptions(
    Optional<String> joinUrl,
    Optional<Integer> port,
    String bind,
    Optional<Path> policyFile,
    Optional<Path> collateralFile,
    Optional<String> ownerKeyHex,
    int rotationBatch) {

  /** The default {@link #rotationBatch}. */
  public static final int DEFAULT_ROTATION_BATCH = 256;

  public ClusterOptions {
    if (rotationBatch < 1 || rotationBatch > 100_000) {
      throw new ServiceConfig.InvalidConfig(
          "the rotation batch must be between 1 and 100000 records, got " + rotationBatch);
    }
  }

  /** Options with the default rotation batch. */
  public ClusterOptions(
      Optional<String> joinUrl,
      Optional<Integer> port,
      String bind,
      Optional<Path> policyFile,
      Optional<Path> collateralFile,
      Optional<String> ownerKeyHex) {
    this(joinUrl, port, bind, policyFile, collateralFile, ownerKeyHex, DEFAULT_ROTATION_BATCH);
  }

  /** The environment variable that pins the owner key; in SGX set in Occlum.json env.default. */
  public static final String OWNER_KEY_ENV = "NSL_CLUSTER_OWNER_KEY";

  public static ClusterOptions none() {
    return new ClusterOptions(
        Optional.empty(),
        Optional.empty(),
        "127.0.0.1",
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public boolean enabled() {
    return joinUrl.isPresent() || port.isPresent();
  }
}
