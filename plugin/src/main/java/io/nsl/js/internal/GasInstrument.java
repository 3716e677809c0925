package io.nsl.js.internal;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.ContextLocal;
import com.oracle.truffle.api.TruffleContext;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.ExecutionEventNode;
import com.oracle.truffle.api.instrumentation.SourceSectionFilter;
import com.oracle.truffle.api.instrumentation.StandardTags;
import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import io.nsl.js.GasAccountingManager;
import org.graalvm.polyglot.SandboxPolicy;

/**
 * Counts executed statements and function entries of the function's own (non-internal) source into
 * the {@link GasAccountingManager} of the context being run, and stops the context with a
 * resource-exhausted cancel (which guest code can't catch) once gas runs out. Community-edition
 * Truffle supports this; {@code ResourceLimits.statementLimit} only caps and can't report usage.
 */
@TruffleInstrument.Registration(
    id = GasInstrument.ID,
    name = "NSL gas meter",
    services = GasMeterService.class,
    sandbox = SandboxPolicy.CONSTRAINED)
public final class GasInstrument extends TruffleInstrument {
  public static final String ID = "nsl-gas";

  private final ContextLocal<Slot> slots = createContextLocal(Slot::new);

  @Override
  protected void onCreate(Env env) {
    SourceSectionFilter filter =
        SourceSectionFilter.newBuilder()
            .tagIs(StandardTags.StatementTag.class, StandardTags.RootTag.class)
            .includeInternal(false)
            .build();
    env.getInstrumenter().attachExecutionEventFactory(filter, ctx -> new ChargeNode());
    env.registerService((GasMeterService) gas -> slots.get().gas = gas);
  }

  /** Per-context holder; the host fills in the execution's gas manager before running code. */
  static final class Slot {
    final TruffleContext context;
    GasAccountingManager gas;

    Slot(TruffleContext context) {
      this.context = context;
    }
  }

  private final class ChargeNode extends ExecutionEventNode {
    @Override
    protected void onEnter(VirtualFrame frame) {
      Slot slot = slots.get();
      GasAccountingManager gas = slot.gas;
      if (gas != null && !gas.chargeStatement()) {
        CompilerDirectives.transferToInterpreter();
        slot.context.closeResourceExhausted(this, "gas exhausted");
      }
    }
  }
}
