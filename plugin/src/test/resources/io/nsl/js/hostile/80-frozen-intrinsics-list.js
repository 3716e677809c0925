// expect: OK
// result: []
// Every object docs/functions.md ("Frozen intrinsics") says is frozen, is: returns the ones that are not.
function main() {
  const gp = Object.getPrototypeOf;
  const GF = gp(function* () {}).constructor, AF = gp(async function () {}).constructor;
  const AGF = gp(async function* () {}).constructor, TA = gp(Int8Array);
  const ctors = { Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Date, RegExp,
    Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError,
    Promise, Map, Set, WeakMap, WeakSet, ArrayBuffer, DataView, TypedArray: TA, Int8Array,
    Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array,
    Float64Array, BigInt64Array, BigUint64Array, Iterator, GeneratorFunction: GF,
    AsyncFunction: AF, AsyncGeneratorFunction: AGF, Collator: Intl.Collator,
    NumberFormat: Intl.NumberFormat, DateTimeFormat: Intl.DateTimeFormat, Locale: Intl.Locale };
  const objects = { Math, JSON, Reflect, Proxy, Intl, globalProto: gp(globalThis),
    GeneratorPrototype: GF.prototype.prototype, AsyncGeneratorPrototype: AGF.prototype.prototype,
    AsyncIteratorPrototype: gp(AGF.prototype.prototype),
    ArrayIteratorPrototype: gp([][Symbol.iterator]()), MapIteratorPrototype: gp(new Map().entries()),
    SetIteratorPrototype: gp(new Set().values()), StringIteratorPrototype: gp(''[Symbol.iterator]()),
    RegExpStringIteratorPrototype: gp(/x/[Symbol.matchAll]('')),
    IteratorHelperPrototype: gp(Iterator.from([]).map((x) => x)),
    log, getSecret, fetch, storage, crypto, console, context };
  const notFrozen = [];
  for (const k of Object.keys(ctors)) {
    if (!Object.isFrozen(ctors[k])) notFrozen.push(k);
    if (!Object.isFrozen(ctors[k].prototype)) notFrozen.push(k + '.prototype');
  }
  for (const k of Object.keys(objects)) if (!Object.isFrozen(objects[k])) notFrozen.push(k);
  return notFrozen;
}
