package io.nsl.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ServiceStore} that hands every call to another (an {@link InMemoryServiceStore} unless
 * given one), for tests that fail, delay or watch some calls: override those only.
 */
class ForwardingServiceStore implements ServiceStore {
  final ServiceStore inner;

  ForwardingServiceStore(ServiceStore inner) {
    this.inner = inner;
  }

  ForwardingServiceStore() {
    this(new InMemoryServiceStore());
  }

  @Override
  public Optional<byte[]> get(String key) {
    return inner.get(key);
  }

  @Override
  public Map<String, byte[]> scan(String prefix) {
    return inner.scan(prefix);
  }

  @Override
  public void apply(Map<String, byte[]> puts, Set<String> deletes) {
    inner.apply(puts, deletes);
  }
}
