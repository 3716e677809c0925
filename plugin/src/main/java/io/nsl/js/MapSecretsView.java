package io.nsl.js;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SecretsView} over a name-to-value map (the simulator's {@code --secrets FILE.json}).
 * Holds the values as bytes and hands out copies. Thread-safe after construction. The JVM can't
 * promise the original strings are erased; this is for local simulation.
 */
public final class MapSecretsView implements SecretsView {
  private final Map<String, byte[]> values = new HashMap<>();

  public MapSecretsView(Map<String, String> secrets) {
    secrets.forEach((k, v) -> values.put(k, v.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public Optional<byte[]> secret(String name) {
    byte[] v = values.get(name);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  @Override
  public String toString() {
    return "MapSecretsView[" + values.size() + " secrets]";
  }
}
