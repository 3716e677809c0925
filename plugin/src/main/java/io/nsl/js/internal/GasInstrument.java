package io.nsl.js.internal;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.ContextLocal;
import com.oracle.truffle.api.TruffleContext;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.EventContext;
import com.oracle.truffle.api.instrumentation.ExecutionEventNode;
import com.oracle.truffle.api.instrumentation.SourceSectionFilter;
import com.oracle.truffle.api.instrumentation.StandardTags;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.nodes.LanguageInfo;
import com.oracle.truffle.api.strings.TruffleString;
import io.nsl.js.GasAccountingManager;
import io.nsl.js.GasTable;
import io.nsl.js.MemoryBudget;
import io.nsl.js.SyntaxWork;
import org.graalvm.polyglot.SandboxPolicy;

/**
 * Counts executed statements and function entries of the function's own (non-internal) source into
 * the {@link GasAccountingManager} of the context being run, and stops the context with a
 * resource-exhausted cancel (which guest code can't catch) once gas runs out. Community-edition
 * Truffle supports this; {@code ResourceLimits.statementLimit} only caps and can't report usage.
 * Function entries also keep the execution's {@link CallDepthGuard}, which stops the run the same
 * way when calls nest too deep or the stack runs out.
 *
 * <p>It also counts memory (decision 0710): every object, array or RegExp literal and every {@code
 * new} in the function's own code counts {@link MemoryBudget#OBJECT_BYTES} when it returns, a
 * function literal {@link MemoryBudget#FUNCTION_BYTES}, an array literal its length times {@link
 * MemoryBudget#ELEMENT_BYTES} more, an ArrayBuffer or a typed array its bytes. These are GraalJS's
 * own source tags (ObjectAllocation, Literal), so the count follows the program, not the JIT. Past
 * the execution's {@link MemoryBudget} the run is stopped the way gas stops it. (Truffle's
 * allocation listener was tried first: under a shared engine it is called once per allocation for
 * every context the engine has created so far.)
 *
 * <p>One file of ~900 lines: every event node here is attached by this one instrument when the
 * engine is built (attached later, GraalJS reports "Stable AST assumption violated"), and each node
 * kind charges through the same per-context state. Its node classes could move to files of their
 * own; that split is left for a session with time to run the determinism suites after it.
 */
@TruffleInstrument.Registration(
    id = GasInstrument.ID,
    name = "NSL gas meter",
    services = GasMeterService.class,
    sandbox = SandboxPolicy.CONSTRAINED)
public final class GasInstrument extends TruffleInstrument {
  public static final String ID = "nsl-gas";

  private final ContextLocal<Slot> slots = createContextLocal(Slot::new);

  // GraalJS's frame arguments start with the receiver and the function object.
  private static final int JS_RUNTIME_ARGUMENTS = 2;

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
    attachMemoryCount(env);
    env.registerService(
        (GasMeterService)
            (gas, depth, memory) -> {
              Slot slot = slots.get();
              slot.gas = gas;
              slot.depth = depth;
              slot.memory = memory;
              slot.spans = new StoreSpans();
            });
  }

  /** Per-context holder; the host fills in the execution's gas manager before running code. */
  static final class Slot {
    final TruffleContext context;
    GasAccountingManager gas;
    CallDepthGuard depth;
    MemoryBudget memory;
    StoreSpans spans = new StoreSpans();

    // Per `+` site (its source section): the longest string it produced in this execution.
    private final java.util.Map<Object, Long> longestConcat = new java.util.HashMap<>();

    Slot(TruffleContext context) {
      this.context = context;
    }

    /** Syntax work (decision 0712): false once gas has run out. */
    boolean chargeWork(long amount) {
      return amount == 0 || gas.tryUse(amount);
    }

    /** How many characters {@code length} is past the longest {@code site} made before. */
    @CompilerDirectives.TruffleBoundary
    long grownChars(Object site, long length) {
      Long before = longestConcat.get(site);
      long was = before == null ? 0 : before;
      if (length <= was) {
        return 0;
      }
      longestConcat.put(site, length);
      return length - was;
    }
  }

  private final class ChargeNode extends ExecutionEventNode {
    @Override
    protected void onEnter(VirtualFrame frame) {
      Slot slot = slots.get();
      GasAccountingManager gas = slot.gas;
      if (gas != null
          && (!gas.chargeStatement() || slot.depth.stopped() || slot.memory.exceeded())) {
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
      // f(...a) and rest parameters: the arguments the function is entered with, past the free
      // ones (GraalJS passes this and the function object first).
      int args = frame.getArguments().length - JS_RUNTIME_ARGUMENTS;
      if (args > GasTable.SYNTAX_FREE_ELEMENTS && !slot.chargeWork(SyntaxWork.elementsGas(args))) {
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

  private void attachMemoryCount(Env env) {
    LanguageInfo js = env.getLanguages().get("js");
    Class<? extends Tag> allocation =
        js == null ? null : Tag.findProvidedTag(js, "ObjectAllocation");
    Class<? extends Tag> literal = js == null ? null : Tag.findProvidedTag(js, "Literal");
    if (allocation == null || literal == null) {
      // Without them the memory budget would silently count nothing.
      throw new IllegalStateException(
          "GraalJS provides no ObjectAllocation/Literal source tags; the NSL memory count needs"
              + " them (decision 0710)");
    }
    SourceSectionFilter filter =
        SourceSectionFilter.newBuilder().tagIs(allocation, literal).includeInternal(false).build();
    env.getInstrumenter()
        .attachExecutionEventFactory(
            filter,
            ctx -> {
              if (ctx.hasTag(allocation)) {
                return new AllocationNode(Site.NEW);
              }
              String type = literalType(ctx.getNodeObject());
              return switch (type) {
                case "ArrayLiteral" -> new AllocationNode(Site.ARRAY_LITERAL);
                // Only a literal with a spread copies an unbounded number of properties.
                case "ObjectLiteral" ->
                    new AllocationNode(
                        hasSpread(ctx.getInstrumentedSourceSection())
                            ? Site.OBJECT_SPREAD
                            : Site.OBJECT_LITERAL);
                case "FunctionLiteral" -> new AllocationNode(Site.FUNCTION_LITERAL);
                case "RegExpLiteral" -> new AllocationNode(Site.OBJECT_LITERAL);
                default -> null;
              };
            });
    attachConcatCount(env, js);
  }

  // String building with `+` (and `+=`, template literals): each site counts by how much its
  // result outgrows what the site produced before (decision 0710). Its operands would now be
  // available (see below), but counting by them would change the memory count of every function.
  private void attachConcatCount(Env env, LanguageInfo js) {
    Class<? extends Tag> binary = Tag.findProvidedTag(js, "BinaryOperation");
    Class<? extends Tag> input = Tag.findProvidedTag(js, "InputNode");
    if (binary == null || input == null) {
      throw new IllegalStateException(
          "GraalJS provides no BinaryOperation or InputNode source tag; the NSL memory and gas"
              + " counts need them (decisions 0710, 0712)");
    }
    SourceSectionFilter sites =
        SourceSectionFilter.newBuilder().tagIs(binary).includeInternal(false).build();
    // String comparisons (decision 0712): only their operands tell what they scan, so binary
    // operators take Truffle's input events (the values of their operand expressions). Every
    // binary operator gets an event node, even one that ignores its inputs: an operator with none
    // would pass its own operands' events up to an enclosing comparison (`a + b === c`), where
    // Truffle finds no such input ("Stable AST assumption violated" with assertions on, a lost
    // input without). The instrument is attached when the engine is built, before any source is
    // parsed (EngineHandle.create).
    SourceSectionFilter operands =
        SourceSectionFilter.newBuilder().tagIs(StandardTags.ExpressionTag.class, input).build();
    env.getInstrumenter()
        .attachExecutionEventFactory(
            sites,
            operands,
            ctx -> {
              String op = operator(ctx.getNodeObject());
              return switch (op) {
                case "+" -> new ConcatNode(ctx.getInstrumentedSourceSection());
                case "*", "/", "%", "**" -> new BigIntNode(true);
                case "-", "&", "|", "^", "<<", ">>" -> new BigIntNode(false);
                // GraalJS reports `!==` as "===" and `!=` as "==".
                case "===", "==", "!==", "!=" -> new CompareNode(true);
                case "<", "<=", ">", ">=" -> new CompareNode(false);
                default -> new OperandsIgnored();
              };
            });
    attachRestCount(env, js);
    attachStoreCount(env, js, operands);
  }

  // Indexed stores (decision 0712): `a[i] = x` past an array's end makes GraalJS fill the holes
  // up to i (up to 5,000, then it keeps the array as a map), so such a store is charged by the
  // holes it leaves. Only the store's operands tell which array and index, so every WriteElement
  // site takes input events, and every one gets a node (see above).
  private void attachStoreCount(Env env, LanguageInfo js, SourceSectionFilter operands) {
    Class<? extends Tag> write = Tag.findProvidedTag(js, "WriteElement");
    if (write == null) {
      throw new IllegalStateException(
          "GraalJS provides no WriteElement source tag; the NSL gas count of indexed stores needs"
              + " it (decision 0712)");
    }
    SourceSectionFilter stores =
        SourceSectionFilter.newBuilder().tagIs(write).includeInternal(false).build();
    env.getInstrumenter().attachExecutionEventFactory(stores, operands, ctx -> new StoreNode());
    // `a.length = n` sets a length with no elements past the old one (sixth session). Only the
    // write's operands tell which array, so every property write takes input events and gets a
    // node (see attachConcatCount); those of another key ignore them.
    Class<? extends Tag> property = Tag.findProvidedTag(js, "WriteProperty");
    if (property == null) {
      throw new IllegalStateException(
          "GraalJS provides no WriteProperty source tag; the NSL gas count of indexed stores"
              + " needs it (decision 0712)");
    }
    SourceSectionFilter properties =
        SourceSectionFilter.newBuilder().tagIs(property).includeInternal(false).build();
    env.getInstrumenter()
        .attachExecutionEventFactory(
            properties,
            operands,
            ctx ->
                "length".equals(propertyKey(ctx.getNodeObject()))
                    ? new LengthNode()
                    : new OperandsIgnored());
  }

  private static String propertyKey(Object nodeObject) {
    if (nodeObject == null) {
      return "";
    }
    try {
      InteropLibrary lib = InteropLibrary.getUncached();
      Object key = lib.readMember(nodeObject, "key");
      return lib.isString(key) ? lib.asString(key) : "";
    } catch (InteropException e) {
      return "";
    }
  }

  /**
   * {@code a.length = n} of the function's code, {@code a} an array: a length grown past the old
   * one has no elements there, so the array gets a span ({@link StoreSpans}) if it had none (its
   * elements below the old length taken as dense); a length cut short cuts the span. Read just
   * before the write, once the new length has been computed.
   */
  private final class LengthNode extends ArrayOperandsNode {

    @Override
    protected void onInputValue(
        VirtualFrame frame, EventContext inputContext, int inputIndex, Object inputValue) {
      if (inputIndex == 0) {
        saveInputValue(frame, inputIndex, inputValue);
        return;
      }
      if (inputIndex != 1) {
        return;
      }
      Object[] operands = getSavedInputValues(frame);
      if (operands.length < 1 || operands[0] == null || !isArray(operands[0])) {
        return;
      }
      long length = arrayIndex(inputValue);
      if (length < 0) {
        return;
      }
      Slot slot = slots.get();
      if (slot.gas == null) {
        return;
      }
      try {
        slot.spans.lengthSet(
            operands[0], arrays.getArraySize(operands[0]), length, GasInstrument::holdsElement);
      } catch (UnsupportedMessageException e) {
        // Not an array after all: nothing to record.
      }
    }
  }

  /** An event node whose first operand may be an array, whose length it reads. */
  private abstract static class ArrayOperandsNode extends ExecutionEventNode {
    @Child InteropLibrary arrays = InteropLibrary.getFactory().createDispatched(2);
    @CompilerDirectives.CompilationFinal private Class<?> arrayClass;

    final boolean isArray(Object target) {
      Class<?> type = target.getClass();
      if (type == arrayClass) {
        return true;
      }
      if (arrayClass == null && shapeOf(type) == Shape.ARRAY) {
        CompilerDirectives.transferToInterpreterAndInvalidate();
        arrayClass = type;
        return true;
      }
      return false;
    }
  }

  /**
   * An indexed store of the function's code ({@code a[i] = x}, {@code a['7'] = x}): when the target
   * is an array and the key an array index past its length, charged {@link SyntaxWork#storeGas} for
   * the holes it leaves ({@link SyntaxWork#storeHoles}), with the length read just before the
   * store, once the value has been computed (the value's own code could change the array).
   */
  private final class StoreNode extends ArrayOperandsNode {

    @Override
    protected void onInputValue(
        VirtualFrame frame, EventContext inputContext, int inputIndex, Object inputValue) {
      if (inputIndex < 2) {
        saveInputValue(frame, inputIndex, inputValue);
        return;
      }
      if (inputIndex != 2) {
        return;
      }
      Object[] operands = getSavedInputValues(frame);
      if (operands.length < 2 || operands[0] == null || !isArray(operands[0])) {
        return;
      }
      long index = arrayIndex(operands[1]);
      if (index < 0) {
        return;
      }
      long length;
      try {
        // An ordinary array's length is an own data property: no code of the function runs.
        length = arrays.getArraySize(operands[0]);
      } catch (UnsupportedMessageException e) {
        return;
      }
      Slot slot = slots.get();
      if (slot.gas == null) {
        return;
      }
      // Most arrays have no span, and a loop over one array finds it without a look-up; one under
      // STORE_PROBED_LENGTH with none is taken as dense, so a store inside it or an append costs
      // its statement (sixth session). Any other gets a span when first seen (seventh session).
      StoreSpans.Span span = slot.spans.find(operands[0]);
      if (span == null) {
        if (index <= length && length < GasTable.STORE_PROBED_LENGTH) {
          return;
        }
        span = slot.spans.firstSeen(operands[0], length, GasInstrument::holdsElement);
      }
      long gas;
      long allocated = span.empty() ? SyntaxWork.emptyStoreElements(length, index) : 0;
      if (allocated > 0) {
        // No element yet: GraalJS allocates the length (or up to the index) at once, holes and
        // all; that covers the holes a store past the end leaves.
        if (!slot.memory.tryCount(allocated * MemoryBudget.ELEMENT_BYTES)) {
          stop(slot, this);
        }
        gas = SyntaxWork.elementsGas(allocated);
        span.add(index);
      } else if (index > length) {
        gas = SyntaxWork.storeGas(SyntaxWork.storeHoles(index, length));
        span.add(index);
      } else {
        gas = SyntaxWork.spanGas(span.add(index));
      }
      if (!slot.chargeWork(gas)) {
        stop(slot, this);
      }
    }
  }

  /**
   * Whether {@code array} (a JS array) holds an element at {@code index}, asked as GraalJS answers
   * {@code isMemberReadable}: an own element is readable; for a hole it looks along the prototype
   * chain by property descriptors (no getter runs) and, past Array.prototype and Object.prototype
   * (frozen, with no elements), finds none. An array whose prototype was replaced by one holding
   * elements answers as if it held them (taken as dense, as before this session); one whose
   * prototype chain holds a Proxy has the Proxy's getOwnPropertyDescriptor trap run (hostile 236),
   * the same on every node (decision 0712, seventh session). {@code isArrayElementReadable} and
   * {@code isArrayElementModifiable} answer by the length alone, so they cannot tell a hole.
   */
  @CompilerDirectives.TruffleBoundary
  private static boolean holdsElement(Object array, long index) {
    return InteropLibrary.getUncached().isMemberReadable(array, Long.toString(index));
  }

  @CompilerDirectives.TruffleBoundary
  private static Shape shapeOf(Class<?> type) {
    return SHAPES.get(type);
  }

  private static final long MAX_ARRAY_INDEX = 0xFFFF_FFFEL;

  // An array index (0 to 2^32 - 2) from a number or its canonical string; -1 for any other key.
  private static long arrayIndex(Object key) {
    if (key instanceof Integer i) {
      return i >= 0 ? i : -1;
    }
    if (key instanceof Long l) {
      return l >= 0 && l <= MAX_ARRAY_INDEX ? l : -1;
    }
    if (key instanceof Double d) {
      long l = (long) d.doubleValue();
      // -0 is index 0, as its key is "0".
      return l == d && l >= 0 && l <= MAX_ARRAY_INDEX ? l : -1;
    }
    if (key instanceof TruffleString t) {
      return stringIndex(t);
    }
    return -1;
  }

  // A canonical array index string ("0", "7", not "07" or "1e3"), as JS reads property keys.
  @CompilerDirectives.TruffleBoundary
  private static long stringIndex(TruffleString t) {
    long chars = chars(t);
    if (chars == 0 || chars > 10) {
      return -1;
    }
    String s = t.toJavaStringUncached();
    if (s.charAt(0) == '0' && s.length() > 1) {
      return -1;
    }
    long v = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= MAX_ARRAY_INDEX ? v : -1;
  }

  /** A binary operator that charges nothing (see attachConcatCount). */
  private static final class OperandsIgnored extends ExecutionEventNode {}

  /**
   * A comparison of the function's own code: two strings are charged by the characters the
   * comparison may scan ({@link SyntaxWork#comparisonGas}); anything else returns at once.
   */
  private final class CompareNode extends ExecutionEventNode {
    private final boolean equality;

    CompareNode(boolean equality) {
      this.equality = equality;
    }

    @Override
    protected void onInputValue(
        VirtualFrame frame, EventContext inputContext, int inputIndex, Object inputValue) {
      // Saved in the frame, not in a field: the second operand can call back into this site.
      saveInputValue(frame, inputIndex, inputValue);
    }

    @Override
    protected void onReturnValue(VirtualFrame frame, Object result) {
      Object[] operands = getSavedInputValues(frame);
      if (operands.length == 2
          && operands[0] instanceof TruffleString a
          && operands[1] instanceof TruffleString b) {
        Slot slot = slots.get();
        if (slot.gas != null
            && !slot.chargeWork(SyntaxWork.comparisonGas(chars(a), chars(b), equality))) {
          stop(slot, this);
        }
      }
    }
  }

  // Destructuring with a rest element (decision 0712): `[x, ...r] = a` and `{k, ...r} = o` make r
  // in GraalJS nodes that carry no tag; the variable write that receives it does, with the
  // binding's name as its source section, just after the `...`. (Matching sections that *start*
  // with `...` never fired.) A rest target that is a property (`[x, ...o.r] = a`) or a nested
  // pattern (`[x, ...[y, z]] = a`) is not a variable write and stays uncharged.
  private void attachRestCount(Env env, LanguageInfo js) {
    Class<? extends Tag> write = Tag.findProvidedTag(js, "WriteVariable");
    if (write == null) {
      throw new IllegalStateException(
          "GraalJS provides no WriteVariable source tag; the NSL gas count of rest elements"
              + " needs it (decision 0712)");
    }
    SourceSectionFilter writes =
        SourceSectionFilter.newBuilder().tagIs(write).includeInternal(false).build();
    env.getInstrumenter()
        .attachExecutionEventFactory(
            writes,
            ctx -> afterSpreadDots(ctx.getInstrumentedSourceSection()) ? new RestNode() : null);
  }

  // Whether the section is preceded, spaces apart, by `...` in its source.
  private static boolean afterSpreadDots(com.oracle.truffle.api.source.SourceSection section) {
    if (section == null || !section.isAvailable()) {
      return false;
    }
    CharSequence text = section.getSource().getCharacters();
    int i = section.getCharIndex() - 1;
    while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
      i--;
    }
    return i >= 2
        && text.charAt(i) == '.'
        && text.charAt(i - 1) == '.'
        && text.charAt(i - 2) == '.';
  }

  /**
   * The variable a rest element writes: a fresh array is charged and counted like an array literal
   * of its length, a fresh object like an object spread of its properties.
   */
  private final class RestNode extends ExecutionEventNode {
    @Override
    protected void onReturnValue(VirtualFrame frame, Object result) {
      Slot slot = slots.get();
      MemoryBudget memory = slot.memory;
      if (memory == null || result == null) {
        return;
      }
      Shape shape = SHAPES.get(result.getClass());
      boolean ok;
      if (shape == Shape.ARRAY) {
        ok =
            memory.tryCount(countedBytes(result, true))
                && slot.chargeWork(SyntaxWork.elementsGas(arrayLength(result)));
      } else if (shape == Shape.ORDINARY) {
        ok =
            memory.tryCount(MemoryBudget.OBJECT_BYTES)
                && slot.chargeWork(SyntaxWork.propertiesGas(memberCount(result)));
      } else {
        return;
      }
      if (!ok) {
        stop(slot, this);
      }
    }
  }

  private static String operator(Object nodeObject) {
    if (nodeObject == null) {
      return "";
    }
    try {
      InteropLibrary lib = InteropLibrary.getUncached();
      return lib.asString(lib.readMember(nodeObject, "operator"));
    } catch (InteropException e) {
      return "";
    }
  }

  /**
   * An arithmetic or bitwise operator of the function's code: a BigInt result is charged by its
   * size (decision 0712, {@link SyntaxWork#bigIntGas}); numbers return at once.
   */
  private final class BigIntNode extends ExecutionEventNode {
    private final boolean multiplicative;

    BigIntNode(boolean multiplicative) {
      this.multiplicative = multiplicative;
    }

    @Override
    protected void onReturnValue(VirtualFrame frame, Object result) {
      if (result instanceof Integer || result instanceof Double || result instanceof Long) {
        return;
      }
      chargeBigInt(slots.get(), result, multiplicative, this);
    }
  }

  private static void chargeBigInt(
      Slot slot, Object result, boolean multiplicative, ExecutionEventNode at) {
    long bits = bigIntBits(result);
    if (bits > 64
        && slot.gas != null
        && !slot.chargeWork(SyntaxWork.bigIntGas(bits, multiplicative))) {
      stop(slot, at);
    }
  }

  // A BigInt's size in bits (0 for anything else); only a value that does not fit in a long is
  // converted.
  @CompilerDirectives.TruffleBoundary
  private static long bigIntBits(Object value) {
    if (value == null || SHAPES.get(value.getClass()) != Shape.BIGINT) {
      return 0;
    }
    InteropLibrary lib = InteropLibrary.getUncached();
    try {
      return lib.fitsInLong(value) ? 0 : lib.asBigInteger(value).bitLength();
    } catch (UnsupportedMessageException e) {
      return 0;
    }
  }

  /**
   * A {@code +} of the function's own code whose result is a string counts {@link
   * MemoryBudget#CHAR_BYTES} for each character by which the result is longer than the longest
   * string this site produced before in this execution: {@code s += 'x'} in a loop counts 1 a time,
   * {@code s += s} doubles its count, and a site that keeps making strings no longer than before
   * counts nothing more.
   */
  private final class ConcatNode extends ExecutionEventNode {
    // The site, by its place in the source: a split or re-instrumented copy of the AST is the
    // same site.
    private final Object site;

    ConcatNode(Object site) {
      this.site = site;
    }

    @Override
    protected void onReturnValue(VirtualFrame frame, Object result) {
      if (!(result instanceof TruffleString r)) {
        if (!(result instanceof Integer || result instanceof Double || result instanceof Long)) {
          chargeBigInt(slots.get(), result, false, this);
        }
        return;
      }
      Slot slot = slots.get();
      MemoryBudget memory = slot.memory;
      if (memory != null
          && !memory.tryCount(slot.grownChars(site, chars(r)) * MemoryBudget.CHAR_BYTES)) {
        stop(slot, this);
      }
    }
  }

  private static long chars(TruffleString s) {
    return s.byteLength(TruffleString.Encoding.UTF_16) >> 1;
  }

  // Object, array, function and RegExp literals make a new object each time they run; number,
  // string, boolean, null and BigInt literals don't ("" for those and for what is not a literal).
  private static String literalType(Object nodeObject) {
    if (nodeObject == null) {
      return "";
    }
    try {
      InteropLibrary lib = InteropLibrary.getUncached();
      return lib.asString(lib.readMember(nodeObject, "literalType"));
    } catch (InteropException e) {
      return "";
    }
  }

  private static boolean hasSpread(com.oracle.truffle.api.source.SourceSection section) {
    return section != null
        && section.isAvailable()
        && section.getCharacters().toString().contains("...");
  }

  /** What an allocation site is, for what it counts. */
  private enum Site {
    /** {@code new}: the object, a buffer's bytes; {@code new Array(n)} is holes, not counted. */
    NEW,
    /** An array literal: its elements too, into memory and (past the free ones) gas. */
    ARRAY_LITERAL,
    /** An object or RegExp literal: the object. */
    OBJECT_LITERAL,
    /** A function literal: the closure and the scope it keeps. */
    FUNCTION_LITERAL,
    /** An object literal with a spread: the object, and its properties into gas. */
    OBJECT_SPREAD
  }

  /** An allocation site of the function's own code: counts what it made into the budget. */
  private final class AllocationNode extends ExecutionEventNode {
    private final Site site;

    AllocationNode(Site site) {
      this.site = site;
    }

    @Override
    protected void onReturnValue(VirtualFrame frame, Object result) {
      Slot slot = slots.get();
      MemoryBudget memory = slot.memory;
      if (memory == null) {
        return;
      }
      // An object, function or RegExp literal is one object whatever it holds: counted without
      // looking at it (no interop call, nothing the compiler has to leave out of the loop).
      boolean ok =
          memory.tryCount(
              switch (site) {
                case OBJECT_LITERAL -> MemoryBudget.OBJECT_BYTES;
                case FUNCTION_LITERAL -> MemoryBudget.FUNCTION_BYTES;
                default -> countedBytes(result, site == Site.ARRAY_LITERAL);
              });
      if (ok && site == Site.ARRAY_LITERAL) {
        ok = slot.chargeWork(SyntaxWork.elementsGas(arrayLength(result)));
      } else if (ok && site == Site.OBJECT_SPREAD) {
        ok = slot.chargeWork(SyntaxWork.propertiesGas(memberCount(result)));
      } else if (ok && site == Site.NEW) {
        // new Float64Array(a) copies a, new Float64Array(n) zeroes n: both touch its elements.
        ok = slot.chargeWork(SyntaxWork.elementsGas(typedArrayLength(result)));
        // new Array(n): a length with no elements, whose stores are charged by how far apart
        // they land (decision 0712, sixth session).
        long length = arrayLength(result);
        if (ok && slot.gas != null && length > 0) {
          slot.spans.madeEmpty(result, length);
        }
      }
      if (!ok) {
        stop(slot, this);
      }
    }
  }

  @CompilerDirectives.TruffleBoundary
  private static long arrayLength(Object value) {
    if (value == null) {
      return 0;
    }
    try {
      return SHAPES.get(value.getClass()) == Shape.ARRAY
          ? InteropLibrary.getUncached().getArraySize(value)
          : 0;
    } catch (UnsupportedMessageException e) {
      return 0;
    }
  }

  @CompilerDirectives.TruffleBoundary
  private static long typedArrayLength(Object value) {
    if (value == null || SHAPES.get(value.getClass()) != Shape.TYPED_ARRAY) {
      return 0;
    }
    try {
      InteropLibrary lib = InteropLibrary.getUncached();
      return lib.hasArrayElements(value) ? lib.getArraySize(value) : 0;
    } catch (UnsupportedMessageException e) {
      return 0;
    }
  }

  // An object literal's result is an ordinary object: listing its keys runs no guest code.
  @CompilerDirectives.TruffleBoundary
  private static long memberCount(Object value) {
    try {
      InteropLibrary lib = InteropLibrary.getUncached();
      return lib.hasMembers(value) ? lib.getArraySize(lib.getMembers(value)) : 0;
    } catch (UnsupportedMessageException e) {
      return 0;
    }
  }

  /** What a new object counts: the fixed object size, plus its elements or buffer. */
  @CompilerDirectives.TruffleBoundary
  static long countedBytes(Object value, boolean countElements) {
    if (value == null) {
      return MemoryBudget.OBJECT_BYTES;
    }
    Shape shape = SHAPES.get(value.getClass());
    long bytes = MemoryBudget.OBJECT_BYTES;
    try {
      InteropLibrary lib = InteropLibrary.getUncached();
      if (shape == Shape.ARRAY && countElements) {
        // An ordinary array: its length is an own data property, so no guest code runs here.
        bytes += lib.getArraySize(value) * MemoryBudget.ELEMENT_BYTES;
      } else if (shape == Shape.BUFFER) {
        bytes += lib.getBufferSize(value);
      } else if (shape == Shape.TYPED_ARRAY) {
        bytes +=
            lib.hasBufferElements(value)
                ? lib.getBufferSize(value)
                : lib.getArraySize(value) * MemoryBudget.ELEMENT_BYTES;
      }
    } catch (UnsupportedMessageException e) {
      // Not sized after all: the object alone is counted.
    }
    return bytes;
  }

  private enum Shape {
    ARRAY,
    BUFFER,
    TYPED_ARRAY,
    BIGINT,
    /** An ordinary object (not a proxy, whose keys would run its traps). */
    ORDINARY,
    OTHER
  }

  // By class name, once per class: the GraalJS classes are not exported to instruments, and a proxy
  // must never be asked its size (that would run its traps inside the allocation).
  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          String name = type.getName();
          if (name.equals("com.oracle.truffle.js.runtime.builtins.JSArrayObject")) {
            return Shape.ARRAY;
          }
          if (name.startsWith("com.oracle.truffle.js.runtime.builtins.JSArrayBufferObject")) {
            return Shape.BUFFER;
          }
          if (name.equals("com.oracle.truffle.js.runtime.builtins.JSTypedArrayObject")) {
            return Shape.TYPED_ARRAY;
          }
          if (name.equals("com.oracle.truffle.js.runtime.BigInt")) {
            return Shape.BIGINT;
          }
          if (name.startsWith("com.oracle.truffle.js.runtime.objects.JSOrdinaryObject")) {
            return Shape.ORDINARY;
          }
          return Shape.OTHER;
        }
      };

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
