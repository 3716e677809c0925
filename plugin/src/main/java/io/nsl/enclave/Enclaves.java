package io.nsl.enclave;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * Opens the {@link Enclave} a deployment asks for. The composition root calls {@link
 * #modeFrom(Map)} with {@code System.getenv()}: inside the Occlum image NSL_ENCLAVE_MODE=sgx is set
 * by Occlum.json's trusted environment (the host cannot change it); everywhere else the default is
 * SIMULATED.
 */
public final class Enclaves {
  /** Environment variable naming the mode: {@code sgx} or {@code simulated}. */
  public static final String MODE_ENV = "NSL_ENCLAVE_MODE";

  private Enclaves() {}

  /**
   * The mode named by {@value #MODE_ENV} in {@code env}, SIMULATED when unset.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static EnclaveMode modeFrom(Map<String, String> env) {
    String v = env.get(MODE_ENV);
    if (v == null || v.isBlank()) {
      return EnclaveMode.SIMULATED;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "sgx" -> EnclaveMode.SGX;
      case "simulated", "sim" -> EnclaveMode.SIMULATED;
      default ->
          throw new IllegalArgumentException(
              MODE_ENV + " must be 'sgx' or 'simulated', got '" + v + "'");
    };
  }

  /**
   * Opens the enclave for {@code mode} in {@code dataDir}.
   *
   * @throws EnclaveUnavailableException when SGX is asked for and not available
   */
  public static Enclave open(EnclaveMode mode, Path dataDir, Clock clock) {
    return switch (mode) {
      case SGX -> OcclumEnclave.open(dataDir, clock);
      case SIMULATED -> SimulatedEnclave.open(dataDir, clock);
    };
  }
}
