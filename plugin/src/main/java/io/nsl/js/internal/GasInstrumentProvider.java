package io.nsl.js.internal;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider;
import java.util.Collection;
import java.util.List;
import org.graalvm.polyglot.SandboxPolicy;

/**
 * Service-loader entry that makes Truffle find {@link GasInstrument}. Written by hand (Truffle's
 * annotation processor would generate it) to keep the DSL processor out of the build.
 */
@TruffleInstrument.Registration(
    id = GasInstrument.ID,
    name = "NSL gas meter",
    services = GasMeterService.class,
    sandbox = SandboxPolicy.CONSTRAINED)
public final class GasInstrumentProvider extends TruffleInstrumentProvider {
  @Override
  protected String getInstrumentClassName() {
    return GasInstrument.class.getName();
  }

  @Override
  protected Object create() {
    return new GasInstrument();
  }

  @Override
  protected Collection<String> getServicesClassNames() {
    return List.of(GasMeterService.class.getName());
  }
}
