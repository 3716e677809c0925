package io.nsl.chain.internal;

import com.fasterxml.jackson.annotation.JsonValue;
import io.neow3j.protocol.ObjectMapperFactory;
import io.neow3j.types.NeoVMStateType;

/**
 * Makes neow3j 3.17.0 (built against Jackson 2.9) work with the Jackson we pin (2.21).
 *
 * <p>neow3j annotates both {@code NeoVMStateType.jsonValue()} and {@code intValue()} with
 * {@code @JsonValue}; Jackson since 2.12 refuses such a type ("Multiple 'as-value' properties"), so
 * every application log with a VM state fails to parse. A mix-in switches off the second
 * annotation. neow3j keeps its mappers in static fields, so this patches them for the whole JVM; it
 * is idempotent and has no other effect.
 */
public final class Neow3jCompat {
  private Neow3jCompat() {}

  private abstract static class NeoVMStateTypeMixin {
    @JsonValue(false)
    public abstract Integer intValue();
  }

  private static final Object LOCK = new Object();
  private static volatile boolean applied;

  public static void apply() {
    if (applied) {
      return;
    }
    synchronized (LOCK) {
      if (!applied) {
        ObjectMapperFactory.getObjectMapper(false)
            .addMixIn(NeoVMStateType.class, NeoVMStateTypeMixin.class);
        ObjectMapperFactory.getObjectMapper(true)
            .addMixIn(NeoVMStateType.class, NeoVMStateTypeMixin.class);
        applied = true;
      }
    }
  }
}
