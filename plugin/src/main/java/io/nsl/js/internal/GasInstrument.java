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
 * Function entries also keep the execution's {@link CallDepthGuard}, which stops the run the same
 * way when calls nest too deep or the stack runs out.
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
    // One node per instrumented node, so a node with both tags is still charged once.
    env.getInstrumenter()
        .attachExecutionEventFactory(
            filter,
            ctx -> ctx.hasTag(StandardTags.RootTag.class) ? new CallNode() : new ChargeNode());
    env.registerService(
        (GasMeterService)
            (gas, depth) -> {
              Slot slot = slots.get();
              slot.gas = gas;
              slot.depth = depth;
            });
  }

  /** Per-context holder; the host fills in the execution's gas manager before running code. */
  static final class Slot {
    final TruffleContext context;
    GasAccountingManager gas;
    CallDepthGuard depth;

    Slot(TruffleContext context) {
      this.context = context;
    }
  }

  private final class ChargeNode extends ExecutionEventNode {
    @Override
    protected void onEnter(VirtualFrame frame) {
      Slot slot = slots.get();
      GasAccountingManager gas = slot.gas;
      if (gas != null && (!gas.chargeStatement() || slot.depth.stopped())) {
        stop(slot, this);
      }
    }

    // A stack overflow inside a built-in (a proxy chain, a bound-function chain, a toString of
    // nested arrays) unwinds through the statement that called it, perhaps into the function's
    // own try/catch without leaving a function: the run stops all the same.
    @Override
    protected void onReturnExceptional(VirtualFrame frame, Throwable exception) {
      CallDepthGuard depth = slots.get().depth;
      if (depth != null && isStackOverflow(exception)) {
        depth.overflowed();
      }
    }
  }

  /** A function entry: one gas, like a statement, and one level of call depth. */
  private final class CallNode extends ExecutionEventNode {
    @Override
    protected void onEnter(VirtualFrame frame) {
      Slot slot = slots.get();
      GasAccountingManager gas = slot.gas;
      if (gas == null) {
        return;
      }
      boolean charged = gas.chargeStatement();
      if (!slot.depth.enter() || !charged || slot.depth.stopped()) {
        stop(slot, this);
      }
    }

    @Override
    protected void onReturnValue(VirtualFrame frame, Object result) {
      CallDepthGuard depth = slots.get().depth;
      if (depth != null) {
        depth.exit();
      }
    }

    // A generator or async function that yields or awaits leaves its frame; it comes back on
    // resume.
    @Override
    protected void onYield(VirtualFrame frame, Object value) {
      onReturnValue(frame, value);
    }

    @Override
    protected void onResume(VirtualFrame frame) {
      Slot slot = slots.get();
      if (slot.depth != null && !slot.depth.enter()) {
        stop(slot, this);
      }
    }

    @Override
    protected void onReturnExceptional(VirtualFrame frame, Throwable exception) {
      CallDepthGuard depth = slots.get().depth;
      if (depth != null) {
        depth.exit();
        if (isStackOverflow(exception)) {
          depth.overflowed();
        }
      }
    }
  }

  // Gas ran out or the depth guard stopped the run: a resource-exhausted cancel, which guest code
  // can't catch.
  private static void stop(Slot slot, ExecutionEventNode at) {
    CompilerDirectives.transferToInterpreter();
    slot.context.closeResourceExhausted(at, "execution stopped");
  }

  // GraalJS turns the JVM's StackOverflowError into a RangeError whose cause it keeps; a guest's
  // own `throw new RangeError('Maximum call stack size exceeded')` has no such cause.
  @CompilerDirectives.TruffleBoundary
  private static boolean isStackOverflow(Throwable t) {
    return t instanceof StackOverflowError || t.getCause() instanceof StackOverflowError;
  }
}
