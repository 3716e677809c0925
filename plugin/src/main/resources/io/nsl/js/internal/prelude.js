// NSL prelude: runs first in every fresh context, as an internal source (not charged as gas).
// It removes what a function has no use for, defines the function API on top of the host bridge,
// freezes the core intrinsics, and returns run(inputJson). The bridge is only reachable from here.
(function (bridge, functionId, owner, requestId, blockTime, gasLimit) {
  'use strict';
  const G = globalThis;
  const ObjectFreeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const StringOf = String;
  // Captured now: the global binding Promise stays writable (only the constructor is frozen).
  const PromiseCtor = Promise;
  const PromiseResolve = (v) => PromiseCtor.resolve(v);
  const PromiseReject = (v) => PromiseCtor.reject(v);

  // Nothing here can be justified for a function: shell, polyglot, Java, GC-observable and
  // shared-memory built-ins. Most are off by engine option already; delete is belt and braces.
  const remove = ['load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'exit', 'Graal',
    'Polyglot', 'Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'Debug',
    'read', 'readbuffer', 'readline', 'console', 'Atomics', 'SharedArrayBuffer', 'WeakRef',
    'FinalizationRegistry', 'arguments', 'setTimeout', 'setInterval', 'clearTimeout',
    'clearInterval', 'setImmediate', 'Realm', 'WebAssembly'];
  for (let i = 0; i < remove.length; i++) {
    try { delete G[remove[i]]; } catch (e) { /* non-configurable: leave it */ }
  }

  class NslError extends Error {
    constructor(kind, message) {
      super(message);
      defineProperty(this, 'kind', { value: kind, enumerable: true });
    }
  }
  defineProperty(NslError.prototype, 'name', { value: 'NslError' });

  const fail = () => new NslError(bridge.lastErrorKind(), bridge.lastErrorMessage());

  function fmt(v) {
    if (typeof v === 'string') return v;
    try {
      const s = JSONstringify(v);
      return s === undefined ? StringOf(v) : s;
    } catch (e) {
      try { return StringOf(v); } catch (e2) { return '[unprintable]'; }
    }
  }

  function log(...args) {
    let line = '';
    for (let i = 0; i < args.length; i++) {
      if (i > 0) line += ' ';
      line += fmt(args[i]);
    }
    try { bridge.log(line); } catch (e) { throw fail(); }
  }

  function getSecret(name) {
    try { return bridge.getSecret(StringOf(name)); } catch (e) { throw fail(); }
  }

  function needString(what, v) {
    if (typeof v !== 'string') throw new TypeError(what + ' must be a string, got ' + typeof v);
    return v;
  }

  const storage = ObjectFreeze({
    get(key) {
      needString('storage key', key);
      try { return bridge.storageGet(key); } catch (e) { throw fail(); }
    },
    put(key, value) {
      needString('storage key', key);
      needString('storage value (use JSON.stringify for objects)', value);
      try { bridge.storagePut(key, value); } catch (e) { throw fail(); }
    },
    delete(key) {
      needString('storage key', key);
      try { return bridge.storageDelete(key); } catch (e) { throw fail(); }
    },
    list(prefix) {
      const p = prefix === undefined ? '' : needString('storage prefix', prefix);
      let json;
      try { json = bridge.storageList(p); } catch (e) { throw fail(); }
      return JSONparse(json);
    },
  });

  const crypto = ObjectFreeze({
    sha256(data) {
      needString('crypto.sha256 data', data);
      try { return bridge.sha256(data); } catch (e) { throw fail(); }
    },
    hmacSha256(key, data) {
      needString('crypto.hmacSha256 key', key);
      needString('crypto.hmacSha256 data', data);
      try { return bridge.hmacSha256(key, data); } catch (e) { throw fail(); }
    },
    randomBytes(n) {
      if (typeof n !== 'number' || !(n >= 1 && n <= 1024) || n !== Math.floor(n)) {
        throw new RangeError('crypto.randomBytes(n) needs an integer 1..1024, got ' + fmt(n));
      }
      try { return bridge.randomBytes(n); } catch (e) { throw fail(); }
    },
  });

  function fetch(url, init) {
    let res;
    try {
      const o = init === undefined || init === null ? {} : init;
      const method = o.method === undefined ? 'GET' : needString('fetch method', o.method);
      const headers = o.headers === undefined ? {} : o.headers;
      const h = {};
      const names = Object.keys(headers);
      for (let i = 0; i < names.length; i++) h[names[i]] = StringOf(headers[names[i]]);
      const body = o.body === undefined || o.body === null ? null : StringOf(o.body);
      let json;
      try {
        json = bridge.fetch(StringOf(url), method, JSONstringify(h), body);
      } catch (e) {
        return PromiseReject(fail());
      }
      res = JSONparse(json);
    } catch (e) {
      return PromiseReject(e);
    }
    const text = res.body;
    return PromiseResolve(ObjectFreeze({
      status: res.status,
      ok: res.status >= 200 && res.status < 300,
      headers: ObjectFreeze(res.headers),
      text: () => PromiseResolve(text),
      json: () => { try { return PromiseResolve(JSONparse(text)); } catch (e) { return PromiseReject(e); } },
    }));
  }

  const consoleObj = ObjectFreeze({ log, info: log, warn: log, error: log, debug: log });
  const context = { functionId, owner, requestId, blockTime, gasLimit };

  // The API globals can be shadowed by the function's own declarations (that only affects the
  // function itself) but not silently reassigned; the prelude keeps its own references.
  const api = { log, getSecret, storage, crypto, fetch, console: consoleObj, context };
  const apiNames = Object.keys(api);
  for (let i = 0; i < apiNames.length; i++) {
    defineProperty(G, apiNames[i], { value: api[apiNames[i]], writable: false, enumerable: false, configurable: true });
  }

  // Freeze the core intrinsics, so that Object.prototype.x = 1, Array.prototype.map = f and friends
  // change nothing: every constructor and namespace object on the global, its prototype, and the
  // prototypes only reachable through syntax or iteration (generators, async functions, iterators).
  // A fixed list, not a walk of everything reachable: the walk cost milliseconds per context (this
  // runs once per execution). What is left out is listed in docs/functions.md ("Frozen intrinsics");
  // none of it changes a built-in's behaviour, and every run gets a fresh context anyway. The
  // global object itself stays extensible so scripts can declare globals.
  const TypedArray = getPrototypeOf(Int8Array);
  const GeneratorFunction = getPrototypeOf(function* () {}).constructor;
  const AsyncFunction = getPrototypeOf(async function () {}).constructor;
  const AsyncGeneratorFunction = getPrototypeOf(async function* () {}).constructor;
  const withPrototypes = [Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Date,
    RegExp, Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
    AggregateError, NslError, Promise, Map, Set, WeakMap, WeakSet, ArrayBuffer, DataView, TypedArray,
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array, G.Float16Array, G.Iterator,
    GeneratorFunction, GeneratorFunction.prototype, AsyncFunction, AsyncGeneratorFunction,
    AsyncGeneratorFunction.prototype];
  const intl = G.Intl;
  if (intl !== undefined) {
    const names = ['Collator', 'NumberFormat', 'DateTimeFormat', 'PluralRules', 'ListFormat',
      'RelativeTimeFormat', 'Segmenter', 'DisplayNames', 'Locale', 'DurationFormat'];
    for (let i = 0; i < names.length; i++) withPrototypes.push(intl[names[i]]);
  }
  for (let i = 0; i < withPrototypes.length; i++) {
    const c = withPrototypes[i];
    if (c === undefined) continue;
    ObjectFreeze(c);
    const p = c.prototype;
    if (p !== undefined && p !== null) ObjectFreeze(p);
  }
  const others = [Math, JSON, Reflect, Proxy, intl, getPrototypeOf(G), context, log, getSecret, fetch,
    getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map().entries()),
    getPrototypeOf(new Set().values()), getPrototypeOf(''[Symbol.iterator]()),
    getPrototypeOf(/x/[Symbol.matchAll]('')), getPrototypeOf(AsyncGeneratorFunction.prototype.prototype)];
  if (G.Iterator !== undefined) {
    others.push(getPrototypeOf(G.Iterator.from([]).map((x) => x)),
      getPrototypeOf(G.Iterator.from({ next() { return { done: true }; } })));
  }
  for (let i = 0; i < others.length; i++) {
    if (others[i] !== undefined) ObjectFreeze(others[i]);
  }

  function describe(e) {
    if (e instanceof Error) return StringOf(e.name) + ': ' + StringOf(e.message);
    return 'main threw ' + fmt(e);
  }

  function reportError(e) {
    let kind = 'RUNTIME_ERROR';
    let msg;
    try {
      if (e instanceof NslError) kind = StringOf(e.kind);
      msg = describe(e);
    } catch (x) {
      msg = 'main threw a value that cannot be described';
    }
    bridge.reject(kind, msg);
  }

  function finish(v) {
    let s;
    try {
      s = JSONstringify(v === undefined ? null : v);
    } catch (e) {
      let tooLarge = false;
      let msg;
      try {
        tooLarge = e instanceof RangeError && StringOf(e.message).indexOf('string length') >= 0;
        msg = describe(e);
      } catch (x) {
        msg = 'serialising the result failed';
      }
      bridge.reject(tooLarge ? 'RESULT_TOO_LARGE' : 'RESULT_INVALID', 'the result is not JSON-serialisable: ' + msg);
      return;
    }
    if (s === undefined) {
      bridge.reject('RESULT_INVALID', 'main returned ' + typeof v + ', which JSON cannot represent');
      return;
    }
    bridge.resolve(s);
  }

  return function run(inputJson) {
    const main = G.main;
    if (typeof main !== 'function') {
      bridge.reject('RUNTIME_ERROR', 'the script must define a function main(input); found ' + typeof main);
      return;
    }
    let r;
    try {
      r = main(JSONparse(inputJson));
    } catch (e) {
      reportError(e);
      return;
    }
    // Promises and thenables settle in the microtask queue, which GraalJS drains before this call
    // returns to the host; there are no timers, so anything still pending then never settles.
    PromiseResolve(r).then(finish, reportError);
  };
})
