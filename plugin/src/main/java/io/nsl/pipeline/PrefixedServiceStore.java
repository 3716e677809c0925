package io.nsl.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@link ServiceStore} inside another under a key prefix: each of several workers sharing one
 * store keeps its own cursor and queue (every worker records every request) under {@code w/<id>/}.
 */
public final class PrefixedServiceStore implements ServiceStore {
  private final ServiceStore inner;
  private final String prefix;

  public PrefixedServiceStore(ServiceStore inner, String prefix) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("the prefix must not be empty");
    }
    this.inner = inner;
    this.prefix = prefix;
  }

  @Override
  public Optional<byte[]> get(String key) {
    return inner.get(prefix + key);
  }

  @Override
  public Map<String, byte[]> scan(String keyPrefix) {
    Map<String, byte[]> out = new TreeMap<>();
    inner.scan(prefix + keyPrefix).forEach((k, v) -> out.put(k.substring(prefix.length()), v));
    return out;
  }

  @Override
  public void apply(Map<String, byte[]> puts, Set<String> deletes) {
    Map<String, byte[]> p = new LinkedHashMap<>();
    puts.forEach((k, v) -> p.put(prefix + k, v));
    inner.apply(p, deletes.stream().map(k -> prefix + k).collect(Collectors.toSet()));
  }
}
