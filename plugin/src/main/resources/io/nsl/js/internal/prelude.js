// NSL prelude: runs first in every fresh context, as an internal source (not charged as gas).
// It removes what a function has no use for, defines the function API on top of the host bridge,
// freezes the core intrinsics, and returns run(inputJson). The bridge is only reachable from here.
// One file over 500 lines on purpose: it is one internal Source, cached and evaluated once per
// context, and the sort and the freezing must run in this closure, before any function code.
(function (bridge, functionId, owner, requestId, blockTime, gasLimit, randomSeed, maxNesting) {
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

  // Errors the API raised; only these carry their kind to the answer. A function can reach
  // NslError through a caught error and build its own, but those stay runtime errors.
  const genuine = new WeakSet();
  const fail = () => {
    const e = new NslError(bridge.lastErrorKind(), bridge.lastErrorMessage());
    genuine.add(e);
    return e;
  };

  function fmt(v) {
    if (typeof v === 'string') return v;
    try {
      const s = jsonStringify(v);
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

  // The API globals have the attributes Node gives its own globals (console, fetch, crypto):
  // writable and configurable, not enumerable. So every declaration of the function's own shadows
  // one, var included (`var log = []` assigns the existing global property, which a non-writable
  // one would refuse); that only affects the function itself, since the prelude keeps its own
  // references.
  const api = { log, getSecret, storage, crypto, fetch, console: consoleObj, context };
  const apiNames = Object.keys(api);
  for (let i = 0; i < apiNames.length; i++) {
    defineProperty(G, apiNames[i], { value: api[apiNames[i]], writable: true, enumerable: false, configurable: true });
  }

  // ---- deterministic answers (issue 17): time, Math.random, nesting ------------------------------
  // The same request gives the same answer and gas on every node (docs/functions.md,
  // "Deterministic answers"). Locale (en-US) and time zone (UTC) are context options.

  // "Now" is the request block's time: Date.now(), new Date(), Date() and Intl's format() without a
  // date. Date.prototype is the real one, so instanceof, subclasses and every method work as before.
  const DateNative = Date;
  const DateToString = DateNative.prototype.toString;
  const ReflectConstruct = Reflect.construct;
  const DateShim = function Date(...args) {
    if (new.target === undefined) return ReflectApply(DateToString, new DateNative(blockTime), []);
    return ReflectConstruct(DateNative, args.length === 0 ? [blockTime] : args, new.target);
  };
  const dateStatics = { now() { return blockTime; }, parse: DateNative.parse, UTC: DateNative.UTC };
  defineProperty(DateShim, 'length', { value: 7 });
  defineProperty(DateShim, 'prototype', { value: DateNative.prototype, writable: false });
  for (const k of ['now', 'parse', 'UTC']) {
    defineProperty(DateShim, k, { value: dateStatics[k], writable: true, enumerable: false, configurable: true });
  }
  defineProperty(DateNative.prototype, 'constructor', { value: DateShim });
  defineProperty(G, 'Date', { value: DateShim, writable: true, enumerable: false, configurable: true });
  if (G.Intl !== undefined) {
    const dtfProto = G.Intl.DateTimeFormat.prototype;
    const formatGet = Object.getOwnPropertyDescriptor(dtfProto, 'format').get;
    const formatToParts = dtfProto.formatToParts;
    const bound = new WeakMap();
    const dtfMethods = {
      get format() {
        const f = ReflectApply(formatGet, this, []);
        let g = bound.get(this);
        if (g === undefined) {
          g = (date) => f(date === undefined ? blockTime : date);
          bound.set(this, g);
        }
        return g;
      },
      formatToParts(date) {
        return ReflectApply(formatToParts, this, [date === undefined ? blockTime : date]);
      },
    };
    defineProperty(dtfProto, 'format', { get: Object.getOwnPropertyDescriptor(dtfMethods, 'format').get });
    defineProperty(dtfProto, 'formatToParts', { value: dtfMethods.formatToParts });
  }

  // Math.random: xoshiro128** (Blackman and Vigna, 2018) seeded with 128 bits from SHA-256 of the
  // request id and block time (GuestExecution.mathRandomSeed); 53 bits from two outputs. Anyone who
  // knows the request can compute it: not for secrets (crypto.randomBytes is).
  let rs0 = parseInt(randomSeed.slice(0, 8), 16) | 0;
  let rs1 = parseInt(randomSeed.slice(8, 16), 16) | 0;
  let rs2 = parseInt(randomSeed.slice(16, 24), 16) | 0;
  let rs3 = parseInt(randomSeed.slice(24, 32), 16) | 0;
  if ((rs0 | rs1 | rs2 | rs3) === 0) rs3 = 1;
  const imul = Math.imul;
  function randomNext() {
    const x = imul(rs1, 5);
    const result = imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = rs1 << 9;
    rs2 ^= rs0; rs3 ^= rs1; rs1 ^= rs2; rs0 ^= rs3;
    rs2 ^= t;
    rs3 = (rs3 << 11) | (rs3 >>> 21);
    return result;
  }
  const mathMethods = {
    random() {
      const hi = randomNext() >>> 5;
      const lo = randomNext() >>> 6;
      return (hi * 67108864 + lo) / 9007199254740992;
    },
  };
  defineProperty(Math, 'random', { value: mathMethods.random, writable: true, enumerable: false, configurable: true });

  // Built-ins that recurse in Java (JSON.parse, JSON.stringify, Array.prototype.flat) would run out
  // of stack at a depth that depends on the JIT and the thread; instead nesting deeper than
  // maxNesting stops the run at a count, as a stack overflow anywhere does (GasInstrument).
  const ArrayIsArray = Array.isArray;
  const flatNative = Array.prototype.flat;
  function tooDeep(builtin, what) {
    const m = builtin + (what === undefined ? ' was given data nested deeper than ' + maxNesting + ' levels' : what);
    bridge.nestedTooDeep(m);
    return new RangeError(m);
  }
  function overflowed(e) {
    try {
      // The JVM's stack ran out, or GraalJS's own depth cap for JSON.stringify was hit.
      if (!(e instanceof RangeError)) return false;
      const m = StringOf(e.message);
      return m.indexOf('Maximum call stack size exceeded') >= 0 || m.indexOf('nested that deep') >= 0;
    } catch (x) {
      return false;
    }
  }
  function jsonStringify(value, replacer, space) {
    let s;
    try {
      s = JSONstringify(value, replacer, space);
    } catch (e) {
      if (overflowed(e)) throw tooDeep('JSON.stringify');
      throw e;
    }
    if (typeof s === 'string' && s.length > 2 * maxNesting && bridge.jsonNestedDeeperThan(s, maxNesting)) {
      throw tooDeep('JSON.stringify');
    }
    return s;
  }
  // JSON.parse's nesting limit is checked in its one wrapper, "memory budget: JSON.parse" below.
  const nestingMethods = {
    stringify(value, replacer, space) {
      return jsonStringify(value, replacer, space);
    },
    flat() {
      // No named parameter: flat.length is 0, as the built-in's.
      const depth = arguments[0];
      let d = depth === undefined ? 1 : +depth;
      d = d !== d ? 0 : d === Infinity || d === -Infinity ? d : d - (d % 1);
      if (d <= maxNesting) return ReflectApply(flatNative, this, [d]);
      let r;
      try {
        r = ReflectApply(flatNative, this, [maxNesting]);
      } catch (e) {
        if (overflowed(e)) throw tooDeep('Array.prototype.flat');
        throw e;
      }
      for (let i = 0; i < r.length; i++) if (ArrayIsArray(r[i])) throw tooDeep('Array.prototype.flat');
      return r;
    },
  };
  const builtinAttrs = (value) => ({ value, writable: true, enumerable: false, configurable: true });
  defineProperty(JSON, 'stringify', builtinAttrs(nestingMethods.stringify));
  defineProperty(Array.prototype, 'flat', builtinAttrs(nestingMethods.flat));
  // ---- end of deterministic answers --------------------------------------------------------------

  // ---- sort (issue 5): Array.prototype.sort / toSorted and %TypedArray%.prototype.sort in JS ---
  // GraalJS's own sort is Java behind a Truffle boundary, so every comparator call is a
  // host-to-guest call that Graal can't inline (sort_100k ran at ~0.45x Node). These are guest
  // code: Truffle compiles them together with the comparator. They follow ECMAScript's
  // SortIndexedProperties: read each index in order (HasProperty then Get for sort, Get for
  // toSorted), sort the copy (stable; undefined after everything else, holes after undefined),
  // then Set the values back in order and delete the tail. The comparator only sees the copy, so
  // one that mutates the array can't break the sort; its exceptions propagate before anything is
  // written. The prelude's statements are not charged gas; the comparator's are. Defined as
  // methods in the internal prelude source: name/length as built-ins, not constructors, and
  // Function.prototype.toString prints "[native code]" for them.
  const ArrayProto = Array.prototype;
  const TypedArrayProto = getPrototypeOf(Int8Array).prototype;
  const typedSortNative = TypedArrayProto.sort;
  const typedLength = Object.getOwnPropertyDescriptor(TypedArrayProto, 'length').get;
  const typedTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
  const ObjectOf = Object;
  const ReflectApply = Reflect.apply;
  const ReflectOwnKeys = Reflect.ownKeys;
  // The originals: the built-in work wrappers below replace push and slice, and the sort's own
  // bookkeeping is not the function's work.
  const ArrayPush = ReflectApply(Function.prototype.bind, Function.prototype.call, [ArrayProto.push]);
  const ArraySlice = ReflectApply(Function.prototype.bind, Function.prototype.call, [ArrayProto.slice]);
  // Above this length sort visits only the index keys that exist (own and inherited), as
  // GraalJS's native sort does for a sparse array: reading every index of length 2^32-1 with
  // three elements would take minutes. Not the native sort itself: on a proxy or a plain object
  // of such a length it runs a Java loop over every index that ignores the deadline's cancel.
  const SORT_MAX_SCAN = 1 << 24;
  const SORT_MIN_RUN = 16;

  function sortToLength(v) {
    const n = +v;
    if (!(n > 0)) return 0;
    return n >= 9007199254740991 ? 9007199254740991 : n - (n % 1);
  }

  function sortCheck(comparefn, self, what) {
    if (comparefn !== undefined && typeof comparefn !== 'function') {
      throw new TypeError('The comparison function must be either a function or undefined');
    }
    if (self === undefined || self === null) {
      throw new TypeError('Array.prototype.' + what + ' called on null or undefined');
    }
  }

  // Sorts a[0..n) (no undefined in it) by gt(x, y) = "y must come before x"; returns the sorted
  // array, a or a copy. Stable natural merge sort: runs found as in TimSort (a strictly
  // descending run is reversed), short ones extended to SORT_MIN_RUN by binary insertion, then
  // adjacent runs merged pairwise, round by round. At most about n*log2(n) calls of gt.
  function sortCore(a, n, gt) {
    const bounds = [0];
    let lo = 0;
    while (lo < n) {
      let hi = lo + 1;
      if (hi < n) {
        if (gt(a[lo], a[hi])) {
          hi++;
          while (hi < n && gt(a[hi - 1], a[hi])) hi++;
          for (let i = lo, j = hi - 1; i < j; i++, j--) { const t = a[i]; a[i] = a[j]; a[j] = t; }
        } else {
          hi++;
          while (hi < n && !gt(a[hi - 1], a[hi])) hi++;
        }
      }
      const end = lo + SORT_MIN_RUN < n ? lo + SORT_MIN_RUN : n;
      for (; hi < end; hi++) {
        const v = a[hi];
        let l = lo;
        let r = hi;
        while (l < r) {
          const m = (l + r) >>> 1;
          if (gt(a[m], v)) r = m; else l = m + 1;
        }
        for (let j = hi; j > l; j--) a[j] = a[j - 1];
        a[l] = v;
      }
      ArrayPush(bounds, hi);
      lo = hi;
    }
    if (bounds.length <= 2) return a;
    let src = a;
    let dst = ArraySlice(a);
    let b = bounds;
    while (b.length > 2) {
      const next = [0];
      let r = 0;
      for (; r + 2 < b.length; r += 2) {
        sortMerge(src, dst, b[r], b[r + 1], b[r + 2], gt);
        ArrayPush(next, b[r + 2]);
      }
      if (r + 1 < b.length) {
        for (let i = b[r]; i < b[r + 1]; i++) dst[i] = src[i];
        ArrayPush(next, b[r + 1]);
      }
      const t = src; src = dst; dst = t;
      b = next;
    }
    return src;
  }

  function sortMerge(src, dst, lo, mid, hi, gt) {
    let i = lo;
    let j = mid;
    let k = lo;
    if (gt(src[mid - 1], src[mid])) {
      while (i < mid && j < hi) {
        if (gt(src[i], src[j])) dst[k++] = src[j++]; else dst[k++] = src[i++];
      }
    }
    while (i < mid) dst[k++] = src[i++];
    while (j < hi) dst[k++] = src[j++];
  }

  // The values (no undefined) in order: by the comparator's result, ToNumber'd (NaN counts as
  // 0), or with none by ToString of each value, compared as UTF-16 code units (the strings are
  // computed once per value, in index order; an index array is sorted by them).
  // A comparator that sorts again nests the prelude's sort frames inside its own; past
  // SORT_MAX_NESTING the run stops at that count rather than where the stack runs out.
  const SORT_MAX_NESTING = 100;
  let sortNesting = 0;
  function sortCompared(vs, n, comparefn) {
    if (sortNesting >= SORT_MAX_NESTING) {
      throw tooDeep('Array.prototype.sort', ' was called from its own comparator more than ' + SORT_MAX_NESTING + ' levels deep');
    }
    sortNesting++;
    try {
      return sortCore(vs, n, (x, y) => +comparefn(x, y) > 0);
    } finally {
      sortNesting--;
    }
  }

  function sortValues(vs, comparefn) {
    const n = vs.length;
    if (n < 2) return vs;
    if (comparefn !== undefined) return sortCompared(vs, n, comparefn);
    // Without a comparator no statement of the function's runs: charge the comparisons.
    let log2 = 1;
    for (let m = n; m > 1; m = (m - (m % 2)) / 2) log2++;
    work(0, n * log2, n * ELEMENT_BYTES * 3);
    const ks = [];
    const idx = [];
    for (let i = 0; i < n; i++) { ArrayPush(ks, `${vs[i]}`); ArrayPush(idx, i); }
    const order = sortCore(idx, n, (i, j) => ks[i] > ks[j]);
    const out = [];
    for (let i = 0; i < n; i++) ArrayPush(out, vs[order[i]]);
    return out;
  }

  // The canonical array indices below len that obj or its prototypes have, ascending, once each.
  function sortIndexKeys(obj, len) {
    const found = [];
    for (let o = obj; o !== null; o = getPrototypeOf(o)) {
      const keys = ReflectOwnKeys(o);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (typeof k !== 'string') continue;
        const x = +k;
        if (x >= 0 && x < len && x % 1 === 0 && `${x}` === k) ArrayPush(found, x);
      }
    }
    const sorted = sortCore(found, found.length, (x, y) => x > y);
    const out = [];
    for (let i = 0; i < sorted.length; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) ArrayPush(out, sorted[i]);
    }
    return out;
  }

  const sortMethods = {
    sort(comparefn) {
      sortCheck(comparefn, this, 'sort');
      const obj = ObjectOf(this);
      const len = sortToLength(obj.length);
      // As V8 and GraalJS's native sort (not the letter of the spec, which would Get and Set
      // index 0): nothing to reorder, nothing read or written.
      if (len < 2) return obj;
      const keys = len > SORT_MAX_SCAN ? sortIndexKeys(obj, len) : null;
      const count = keys === null ? len : keys.length;
      const vs = [];
      let undef = 0;
      for (let i = 0; i < count; i++) {
        const k = keys === null ? i : keys[i];
        if (k in obj) {
          const v = obj[k];
          if (v === undefined) undef++; else ArrayPush(vs, v);
        }
      }
      const sorted = sortValues(vs, comparefn);
      const n = sorted.length;
      let j = 0;
      for (; j < n; j++) obj[j] = sorted[j];
      for (const end = n + undef; j < end; j++) obj[j] = undefined;
      if (keys === null) {
        for (; j < len; j++) delete obj[j];
      } else {
        for (let i = 0; i < count; i++) if (keys[i] >= j) delete obj[keys[i]];
      }
      return obj;
    },
    toSorted(comparefn) {
      sortCheck(comparefn, this, 'toSorted');
      const obj = ObjectOf(this);
      const len = sortToLength(obj.length);
      if (len > 4294967295) throw new RangeError('Invalid array length');
      const vs = [];
      let undef = 0;
      for (let k = 0; k < len; k++) {
        const v = obj[k];
        if (v === undefined) undef++; else ArrayPush(vs, v);
      }
      const out = sortValues(vs, comparefn);
      for (let j = out.length; j < len; j++) out[j] = undefined;
      return out;
    },
  };
  const typedSortMethods = {
    sort(comparefn) {
      // Everything but a live typed array of 2+ elements with a comparator goes to the native
      // sort: its default numeric order is Java's and fast; it throws the right errors.
      const len = comparefn === undefined || typeof comparefn !== 'function' || ReflectApply(typedTag, this, []) === undefined
        ? 0 : ReflectApply(typedLength, this, []);
      if (len < 2) return ReflectApply(typedSortNative, this, [comparefn]);
      const vs = [];
      for (let k = 0; k < len; k++) ArrayPush(vs, this[k]);
      const sorted = sortCompared(vs, len, comparefn);
      // A comparator that detached or shrank the buffer makes these writes no-ops, as the spec says.
      for (let j = 0; j < len; j++) this[j] = sorted[j];
      return this;
    },
  };
  const sortAttrs = (value) => ({ value, writable: true, enumerable: false, configurable: true });
  defineProperty(ArrayProto, 'sort', sortAttrs(sortMethods.sort));
  defineProperty(ArrayProto, 'toSorted', sortAttrs(sortMethods.toSorted));
  defineProperty(TypedArrayProto, 'sort', sortAttrs(typedSortMethods.sort));
  // ---- end of sort ------------------------------------------------------------------------------

  // ---- built-in work (issue 17, decision 0710) ---------------------------------------------------
  // A built-in runs many instructions per statement, so the statement count alone doesn't bound a
  // function's CPU or memory: `s.repeat(n)`, `a.join()`, `JSON.stringify(big)` are one statement
  // each. The wrappers below count the characters and elements such a built-in touches (gas, at
  // the rates of io.nsl.js.GasTable) and the bytes it builds (the memory budget, io.nsl.js
  // .MemoryBudget). Counts add up here and go to the host in chunks, at points fixed by the counts
  // alone, so the stop point is the same on every node; a call that will build more than a chunk
  // is checked before it builds anything. The wrappers are internal code: no statement gas, and
  // they keep each built-in's name, length and "[native code]".
  const W = JSONparse(bridge.workTable());
  const CHARS_PER_GAS = W.charsPerGas;
  const ELEMENTS_PER_GAS = W.elementsPerGas;
  const FLUSH_UNITS = W.flushUnits;
  const FLUSH_BYTES = W.flushBytes;
  const OBJECT_BYTES = W.objectBytes;
  const ENTRY_BYTES = W.entryBytes;
  const ELEMENT_BYTES = W.elementBytes;
  const CHAR_BYTES = W.charBytes;
  let workChars = 0;
  let workElements = 0;
  let workBytes = 0;

  function flushWork() {
    const gas = (workChars - (workChars % CHARS_PER_GAS)) / CHARS_PER_GAS
      + (workElements - (workElements % ELEMENTS_PER_GAS)) / ELEMENTS_PER_GAS;
    workChars %= CHARS_PER_GAS;
    workElements %= ELEMENTS_PER_GAS;
    const bytes = workBytes;
    workBytes = 0;
    if (gas > 0 || bytes > 0) {
      try { bridge.work(gas, bytes); } catch (e) { throw fail(); }
    }
  }

  function work(chars, elements, bytes) {
    workChars += chars;
    workElements += elements;
    workBytes += bytes;
    if (workChars >= FLUSH_UNITS || workElements >= FLUSH_UNITS || workBytes >= FLUSH_BYTES) {
      flushWork();
    }
  }

  const FunctionCall = Function.prototype.call;
  const uncurry = (f) => ReflectApply(Function.prototype.bind, FunctionCall, [f]);
  const MathMax = Math.max;
  const MathMin = Math.min;
  const StringProto = String.prototype;
  // The originals, captured before the wrappers replace them (S, A, T: uncurried; N*: as is).
  const NS = {};
  const NA = {};
  const NT = {};
  const S = {};
  const strNames = ['repeat', 'padStart', 'padEnd', 'concat', 'split', 'replace', 'replaceAll',
    'indexOf', 'lastIndexOf', 'includes', 'match', 'matchAll', 'search', 'toUpperCase',
    'toLowerCase', 'normalize', 'trim', 'slice', 'substring'];
  for (let i = 0; i < strNames.length; i++) {
    NS[strNames[i]] = StringProto[strNames[i]];
    S[strNames[i]] = uncurry(NS[strNames[i]]);
  }
  const A = {};
  const arrNames = ['join', 'concat', 'slice', 'splice', 'indexOf', 'lastIndexOf', 'includes',
    'reverse', 'fill', 'flat', 'copyWithin', 'unshift', 'shift', 'push', 'toReversed', 'toSpliced'];
  for (let i = 0; i < arrNames.length; i++) {
    NA[arrNames[i]] = ArrayProto[arrNames[i]];
    A[arrNames[i]] = uncurry(NA[arrNames[i]]);
  }
  const T = {};
  const typedNames = ['set', 'slice', 'fill', 'indexOf', 'lastIndexOf', 'includes', 'join',
    'reverse', 'copyWithin', 'toReversed'];
  for (let i = 0; i < typedNames.length; i++) {
    NT[typedNames[i]] = TypedArrayProto[typedNames[i]];
    T[typedNames[i]] = uncurry(NT[typedNames[i]]);
  }
  // RegExp.prototype.exec is not wrapped: GraalJS's replace, split and match call it once per match
  // (by the standard's steps: their shortcut also needs RegExp.prototype in its first shape, which
  // the wrapped test and the freezing change), so a wrapper would add a call to every match; a
  // function's own exec calls are its statements. Regex work per match: in part 2.
  // The hot wrappers (push, Map.set, Set.add) call the originals with .call at their own call site
  // rather than through an uncurried function: every uncurried function goes through the one
  // Function.prototype.call built-in, whose single call site sees every target (megamorphic) and
  // costs microseconds a call until the JIT has compiled the caller. Function.prototype is frozen
  // and these three originals are reachable only from here (the wrappers replace them), so no one
  // can give them an own `call`. The size getters stay uncurried: a function can reach those
  // (getOwnPropertyDescriptor) and could give them an own `call` that lies (hostile 193).
  const ArrayPushFn = ArrayProto.push;
  const MapSetFn = Map.prototype.set;
  const SetAddFn = Set.prototype.add;
  const MapSize = uncurry(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get);
  const SetSize = uncurry(Object.getOwnPropertyDescriptor(Set.prototype, 'size').get);
  const TypedLen = uncurry(typedLength);
  // A result's length: only a real array's is read (an own data property).
  const isTyped = (v) => v !== null && typeof v === 'object' && ReflectApply(typedTag, v, []) !== undefined;
  const arrayLength = (a) => (ArrayIsArray(a) ? a.length : 0);
  // A receiver's length, as the generic Array.prototype methods read it (ToLength of its "length"),
  // so an array-like's indexes are charged (decision 0712, eighth session: array-likes). A real
  // array's is its own data property, read as before; any other object's is read once more than
  // the original reads it: a getter or a Proxy's get trap runs twice (and a length object's valueOf),
  // the one known difference from plain GraalJS (test262 expectations). Read before the original
  // runs, so what throws throws first as the original's own read would; null and undefined are
  // left to the original's TypeError.
  const MAX_LENGTH = 9007199254740991;
  function receiverLength(o) {
    if (ArrayIsArray(o)) return o.length;
    if (o === undefined || o === null) return 0;
    const n = +o.length;
    if (!(n > 0)) return 0;
    return n < MAX_LENGTH ? n - (n % 1) : MAX_LENGTH;
  }
  // The receiver goes to the original as it came (a String object, a custom splitter's target);
  // only a primitive string's length is counted, so nothing is converted twice.
  const strLen = (v) => (typeof v === 'string' ? v.length : 0);

  const stringWork = {
    repeat(count) {
      if (this === undefined || this === null) return S.repeat(this, count);
      const s = `${this}`;
      const n = +count;
      const out = strLen(s) * (n > 0 && n !== Infinity ? n - (n % 1) : 0);
      work(out, 0, out * CHAR_BYTES);
      // n, not count: a count with valueOf is converted once, as by the original.
      return S.repeat(s, n);
    },
    padStart(maxLength, fillString) {
      if (this === undefined || this === null) return S.padStart(this, maxLength, fillString);
      const s = `${this}`;
      const n = +maxLength;
      const out = n > strLen(s) && n !== Infinity && fillString !== '' ? n - (n % 1) : 0;
      work(out, 0, out * CHAR_BYTES);
      return S.padStart(s, n, fillString);
    },
    padEnd(maxLength, fillString) {
      if (this === undefined || this === null) return S.padEnd(this, maxLength, fillString);
      const s = `${this}`;
      const n = +maxLength;
      const out = n > strLen(s) && n !== Infinity && fillString !== '' ? n - (n % 1) : 0;
      work(out, 0, out * CHAR_BYTES);
      return S.padEnd(s, n, fillString);
    },
    concat(...parts) {
      const r = ReflectApply(NS.concat, this, parts);
      work(r.length, parts.length, r.length * CHAR_BYTES);
      return r;
    },
    split(separator, limit) {
      const s = this;
      const r = S.split(s, separator, limit);
      work(strLen(s), r.length, r.length * (OBJECT_BYTES + ELEMENT_BYTES));
      return r;
    },
    replace(searchValue, replaceValue) {
      const s = this;
      const r = S.replace(s, searchValue, replaceValue);
      work(strLen(s) + strLen(r), 0, strLen(r) * CHAR_BYTES);
      return r;
    },
    replaceAll(searchValue, replaceValue) {
      const s = this;
      const r = S.replaceAll(s, searchValue, replaceValue);
      work(strLen(s) + strLen(r), 0, strLen(r) * CHAR_BYTES);
      return r;
    },
    indexOf(searchString, position) {
      const s = this;
      work(strLen(s), 0, 0);
      return S.indexOf(s, searchString, position);
    },
    lastIndexOf(searchString, position) {
      const s = this;
      work(strLen(s), 0, 0);
      return S.lastIndexOf(s, searchString, position);
    },
    includes(searchString, position) {
      const s = this;
      work(strLen(s), 0, 0);
      return S.includes(s, searchString, position);
    },
    match(regexp) {
      const s = this;
      work(strLen(s), 0, 0);
      return S.match(s, regexp);
    },
    matchAll(regexp) {
      const s = this;
      work(strLen(s), 0, 0);
      return S.matchAll(s, regexp);
    },
    search(regexp) {
      const s = this;
      work(strLen(s), 0, 0);
      return S.search(s, regexp);
    },
    toUpperCase() {
      const s = this;
      work(strLen(s), 0, strLen(s) * CHAR_BYTES);
      return S.toUpperCase(s);
    },
    toLowerCase() {
      const s = this;
      work(strLen(s), 0, strLen(s) * CHAR_BYTES);
      return S.toLowerCase(s);
    },
    normalize(form) {
      const s = this;
      work(strLen(s), 0, strLen(s) * CHAR_BYTES);
      return S.normalize(s, form);
    },
    trim() {
      const s = this;
      work(strLen(s), 0, 0);
      return S.trim(s);
    },
    slice(start, end) {
      const s = this;
      const r = S.slice(s, start, end);
      work(r.length, 0, r.length * CHAR_BYTES);
      return r;
    },
    substring(start, end) {
      const s = this;
      const r = S.substring(s, start, end);
      work(r.length, 0, r.length * CHAR_BYTES);
      return r;
    },
  };

  const arrayWork = {
    join(separator) {
      const len = receiverLength(this);
      const r = A.join(this, separator);
      work(r.length, len, r.length * CHAR_BYTES);
      return r;
    },
    concat(...items) {
      const r = ReflectApply(NA.concat, this, items);
      const n = arrayLength(r);
      work(0, n, n * ELEMENT_BYTES);
      return r;
    },
    slice(start, end) {
      const r = A.slice(this, start, end);
      const n = arrayLength(r);
      work(0, n, n * ELEMENT_BYTES);
      return r;
    },
    splice(...args) {
      work(0, receiverLength(this), args.length > 2 ? (args.length - 2) * ELEMENT_BYTES : 0);
      return ReflectApply(NA.splice, this, args);
    },
    indexOf(searchElement) {
      work(0, receiverLength(this), 0);
      return ReflectApply(NA.indexOf, this, arguments);
    },
    lastIndexOf(searchElement) {
      work(0, receiverLength(this), 0);
      return ReflectApply(NA.lastIndexOf, this, arguments);
    },
    includes(searchElement) {
      work(0, receiverLength(this), 0);
      return ReflectApply(NA.includes, this, arguments);
    },
    reverse() {
      work(0, receiverLength(this), 0);
      return A.reverse(this);
    },
    fill(value) {
      // Holes become elements: new Array(n).fill(x) is where a big array is really made. On an
      // array-like each index becomes a property, at the property price (GasTable.PROPERTY_DEFINED),
      // as Object.assign's are: ~190 ns of CPU each against ~50 for an array's element.
      const n = receiverLength(this);
      work(0, ArrayIsArray(this) ? n : n * W.propertyGas * ELEMENTS_PER_GAS, n * ELEMENT_BYTES);
      return ReflectApply(NA.fill, this, arguments);
    },
    flat(...depth) {
      const len = receiverLength(this);
      const r = ReflectApply(NA.flat, this, depth);
      const n = arrayLength(r);
      work(0, n + len, n * ELEMENT_BYTES);
      return r;
    },
    copyWithin(target, start) {
      work(0, receiverLength(this), 0);
      return ReflectApply(NA.copyWithin, this, arguments);
    },
    unshift(...items) {
      work(0, receiverLength(this) + items.length, items.length * ELEMENT_BYTES);
      return ReflectApply(NA.unshift, this, items);
    },
    shift() {
      work(0, receiverLength(this), 0);
      return A.shift(this);
    },
    // push is the hot one (a bomb calls it once per element, and until the JIT has compiled the
    // loop every call here is interpreted): one argument counts inline, as work() would, and goes
    // straight to the original, with no array made.
    push(item) {
      if (arguments.length === 1) {
        workBytes += ELEMENT_BYTES;
        if (workBytes >= FLUSH_BYTES) flushWork();
        return ArrayPushFn.call(this, item);
      }
      work(0, 0, arguments.length * ELEMENT_BYTES);
      return ReflectApply(NA.push, this, arguments);
    },
    toReversed() {
      const n = receiverLength(this);
      work(0, n, n * ELEMENT_BYTES);
      return A.toReversed(this);
    },
    toSpliced(...args) {
      const r = ReflectApply(NA.toSpliced, this, args);
      const n = arrayLength(r);
      work(0, n, n * ELEMENT_BYTES);
      return r;
    },
  };

  // The callback methods that skip holes loop over an array-like's whole length and call the
  // callback only for its elements: a large length with none runs no statement of the function.
  // Charged its length (a real array's is not: its elements pay with their callbacks, and everyday
  // gas stays as it was). find and its kin call the callback at every index, so they are not here.
  const NC = {};
  const callbackNames = ['forEach', 'map', 'filter', 'every', 'some', 'reduce', 'reduceRight', 'flatMap'];
  for (let i = 0; i < callbackNames.length; i++) NC[callbackNames[i]] = ArrayProto[callbackNames[i]];
  const likeWork = (o) => {
    if (!ArrayIsArray(o)) work(0, receiverLength(o), 0);
  };
  // One method each, so that each original has its own call site.
  const callbackWork = {
    forEach(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.forEach, this, arguments);
    },
    map(callbackfn) {
      // An array-like's map makes its result by ArrayCreate(length) first, which throws a
      // RangeError over 2^32 - 1 before any index is visited: nothing to charge then.
      if (!ArrayIsArray(this)) {
        const n = receiverLength(this);
        work(0, n > 4294967295 ? 0 : n, 0);
      }
      return ReflectApply(NC.map, this, arguments);
    },
    filter(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.filter, this, arguments);
    },
    every(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.every, this, arguments);
    },
    some(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.some, this, arguments);
    },
    reduce(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.reduce, this, arguments);
    },
    reduceRight(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.reduceRight, this, arguments);
    },
    flatMap(callbackfn) {
      likeWork(this);
      return ReflectApply(NC.flatMap, this, arguments);
    },
  };

  const typedWork = {
    set(source) {
      work(0, isTyped(source) ? TypedLen(source) : ArrayIsArray(source) ? source.length : 0, 0);
      return ReflectApply(NT.set, this, arguments);
    },
    slice(start, end) {
      const r = T.slice(this, start, end);
      const n = TypedLen(r);
      work(0, n, 0);
      return r;
    },
    fill(value) {
      work(0, TypedLen(this), 0);
      return ReflectApply(NT.fill, this, arguments);
    },
    indexOf(searchElement) {
      work(0, TypedLen(this), 0);
      return ReflectApply(NT.indexOf, this, arguments);
    },
    lastIndexOf(searchElement) {
      work(0, TypedLen(this), 0);
      return ReflectApply(NT.lastIndexOf, this, arguments);
    },
    includes(searchElement) {
      work(0, TypedLen(this), 0);
      return ReflectApply(NT.includes, this, arguments);
    },
    join(separator) {
      const r = T.join(this, separator);
      work(r.length, TypedLen(this), r.length * CHAR_BYTES);
      return r;
    },
    reverse() {
      work(0, TypedLen(this), 0);
      return T.reverse(this);
    },
    copyWithin(target, start) {
      work(0, TypedLen(this), 0);
      return ReflectApply(NT.copyWithin, this, arguments);
    },
    toReversed() {
      work(0, TypedLen(this), 0);
      return T.toReversed(this);
    },
  };

  // Each call is an element touched (new Map(entries) and new Set(a) call these once per element in
  // one statement); each new entry counts its bytes.
  const collectionWork = {
    // Counted inline, as work() would (hot in a loop, like push).
    set(key, value) {
      const before = MapSize(this);
      const r = MapSetFn.call(this, key, value);
      workElements++;
      if (MapSize(this) > before) workBytes += ENTRY_BYTES;
      if (workElements >= FLUSH_UNITS || workBytes >= FLUSH_BYTES) flushWork();
      return r;
    },
    add(value) {
      const before = SetSize(this);
      const r = SetAddFn.call(this, value);
      workElements++;
      if (SetSize(this) > before) workBytes += ENTRY_BYTES;
      if (workElements >= FLUSH_UNITS || workBytes >= FLUSH_BYTES) flushWork();
      return r;
    },
  };

  const jsonWork = {
    // On top of the nesting limits of "deterministic answers" above.
    stringify(value, replacer, space) {
      const r = jsonStringify(value, replacer, space);
      if (typeof r === 'string') work(r.length, 0, r.length * CHAR_BYTES);
      return r;
    },
    // parse: in "memory budget: JSON.parse" below.
  };

  // Rest parameters make a length of 0 where the standard says otherwise.
  const specLengths = [[stringWork.concat, 1], [arrayWork.concat, 1], [arrayWork.splice, 2],
    [arrayWork.unshift, 1], [arrayWork.toSpliced, 2]];
  for (let i = 0; i < specLengths.length; i++) {
    defineProperty(specLengths[i][0], 'length', { value: specLengths[i][1] });
  }
  const workAttrs = (value) => ({ value, writable: true, enumerable: false, configurable: true });
  // Every own key of a table, symbols too (the RegExp Symbol methods), by the original ownKeys.
  function install(home, methods) {
    const names = ReflectOwnKeys(methods);
    for (let i = 0; i < names.length; i++) defineProperty(home, names[i], workAttrs(methods[names[i]]));
  }
  install(StringProto, stringWork);
  install(ArrayProto, arrayWork);
  install(ArrayProto, callbackWork);
  install(TypedArrayProto, typedWork);
  install(Map.prototype, { set: collectionWork.set });
  install(Set.prototype, { add: collectionWork.add });
  install(JSON, jsonWork);
  // ---- end of built-in work ----------------------------------------------------------------------

  // ---- memory budget: JSON.parse (issue 17 item 2, decision 0710) -------------------------------
  // What the parse will make is counted from the text before it runs (io.nsl.js.MemoryBudget
  // .parsedJsonBytes), so a parse past the budget is refused before it builds anything; then the
  // characters are charged (built-in work) and the nesting limit checked (deterministic answers),
  // in that order. One wrapper and one pass over the text in the host for all three
  // (JsonTextScan.parseCount: the count, negative when the text nests deeper than maxNesting); the
  // text is converted once, here (docs/performance.md, "JSON").
  install(JSON, {
    parse(text, reviver) {
      const s = `${text}`;
      const count = bridge.jsonParseCount(s, maxNesting);
      work(0, 0, count < 0 ? -1 - count : count);
      work(s.length, 0, 0);
      if (count < 0) throw tooDeep('JSON.parse');
      return JSONparse(s, reviver);
    },
  });
  // ---- end of memory budget: JSON.parse ----------------------------------------------------------
  // ---- built-in work, part 2 (issue 17 item 3, CPU per gas) --------------------------------------
  // Built-ins that touch many elements or characters in one call and were charged only their
  // statement: the CPU-per-gas bench (bench/jmh/cpu-per-gas.sh) found them 100-10,000x cheaper
  // per unit of CPU than the average. Counted as the wrappers above count (elements or characters
  // touched, at GasTable's rates); apart from those above so that memory counting and gas pricing
  // can change separately. Arguments are counted only where reading them is invisible to the
  // function (a real array's or typed array's length, a primitive string's length, arguments.length):
  // an array-like or a proxy is not read once more than the original reads it.
  // A property a built-in defines costs what an assignment statement costs (GasTable.PROPERTY_DEFINED).
  const PROPERTY_ELEMENTS = W.propertyGas * ELEMENTS_PER_GAS;
  const argCount = (v) => (ArrayIsArray(v) ? v.length : isTyped(v) ? TypedLen(v) : 0);
  const NO = {};
  const objNames = ['keys', 'values', 'entries', 'getOwnPropertyNames', 'fromEntries', 'assign'];
  for (let i = 0; i < objNames.length; i++) NO[objNames[i]] = Object[objNames[i]];
  const NR = { apply: Reflect.apply, construct: Reflect.construct, ownKeys: Reflect.ownKeys };
  const FunctionApply = Function.prototype.apply;
  const ArrayFrom = Array.from;
  const ArrayOf = Array.of;
  const StringFromCharCode = String.fromCharCode;
  const StringFromCodePoint = String.fromCodePoint;
  const MathHypot = Math.hypot;
  const RegExpProto = RegExp.prototype;
  const RegExpTest = RegExpProto.test;
  const regexpGlobal = Object.getOwnPropertyDescriptor(RegExpProto, 'global').get;
  const regexpSticky = Object.getOwnPropertyDescriptor(RegExpProto, 'sticky').get;
  const StringLocaleCompare = StringProto.localeCompare;
  const uriNames = ['encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape'];
  const NU = {};
  for (let i = 0; i < uriNames.length; i++) NU[uriNames[i]] = G[uriNames[i]];
  // An object result's own enumerable keys (fromEntries: a fresh object; assign: the target).
  const resultKeys = (r) => (r !== null && typeof r === 'object' ? NO.keys(r).length : 0);

  const objectWork = {
    keys(o) {
      const r = NO.keys(o);
      work(0, r.length, r.length * ELEMENT_BYTES);
      return r;
    },
    values(o) {
      const r = NO.values(o);
      work(0, r.length, r.length * ELEMENT_BYTES);
      return r;
    },
    entries(o) {
      const r = NO.entries(o);
      work(0, 2 * r.length, r.length * (OBJECT_BYTES + 3 * ELEMENT_BYTES));
      return r;
    },
    getOwnPropertyNames(o) {
      const r = NO.getOwnPropertyNames(o);
      work(0, r.length, r.length * ELEMENT_BYTES);
      return r;
    },
    fromEntries(iterable) {
      const r = NO.fromEntries(iterable);
      const n = resultKeys(r);
      work(0, n * PROPERTY_ELEMENTS, n * ELEMENT_BYTES);
      return r;
    },
    // Counted by the keys the target has after the copy: the sources may be proxies, whose
    // ownKeys trap must run once, as the original runs it. A target with many keys of its own
    // is counted in full; a Proxy target's ownKeys trap runs once more (docs/functions.md).
    assign(target, source) {
      const r = ReflectApply(NO.assign, this, arguments);
      work(0, arguments.length > 1 ? resultKeys(r) * PROPERTY_ELEMENTS : 0, 0);
      return r;
    },
  };
  // assign(target, ...sources) by arguments: the standard's length is 2.
  const reflectWork = {
    apply(target, thisArgument, argumentsList) {
      work(0, argCount(argumentsList), 0);
      return ReflectApply(NR.apply, this, arguments);
    },
    construct(target, argumentsList) {
      work(0, argCount(argumentsList), 0);
      return ReflectApply(NR.construct, this, arguments);
    },
    ownKeys(target) {
      const r = NR.ownKeys(target);
      work(0, r.length, r.length * ELEMENT_BYTES);
      return r;
    },
  };
  const callWork = {
    apply(thisArg, argArray) {
      work(0, argCount(argArray), 0);
      return ReflectApply(FunctionApply, this, arguments);
    },
  };
  const arrayStaticWork = {
    from(items) {
      const r = ReflectApply(ArrayFrom, this, arguments);
      const n = arrayLength(r);
      work(0, n, n * ELEMENT_BYTES);
      return r;
    },
    of() {
      work(0, arguments.length, 0);
      return ReflectApply(ArrayOf, this, arguments);
    },
  };
  // Spread calls (f(...a)) pass up to 65,535 arguments in one statement: the built-ins that take
  // any number of them count them.
  const manyArgsWork = {
    fromCharCode(codeUnits) {
      work(arguments.length, 0, arguments.length * CHAR_BYTES);
      return ReflectApply(StringFromCharCode, this, arguments);
    },
    fromCodePoint(codePoints) {
      work(arguments.length, 0, arguments.length * 2 * CHAR_BYTES);
      return ReflectApply(StringFromCodePoint, this, arguments);
    },
    max(value1, value2) {
      work(0, arguments.length, 0);
      return ReflectApply(MathMax, this, arguments);
    },
    min(value1, value2) {
      work(0, arguments.length, 0);
      return ReflectApply(MathMin, this, arguments);
    },
    hypot(value1, value2) {
      work(0, arguments.length, 0);
      return ReflectApply(MathHypot, this, arguments);
    },
  };
  // test, not exec: GraalJS's replace, split and match call exec, and leave their fast path when
  // it is replaced; test is called only by the function. A global or sticky regex scans from its
  // lastIndex (a loop of test calls over a string is charged the string once).
  const regexpWork = {
    test(S) {
      let n = strLen(S);
      if (n > 0) {
        try {
          if (ReflectApply(regexpGlobal, this, []) || ReflectApply(regexpSticky, this, [])) {
            const li = this.lastIndex;
            n = typeof li === 'number' && li > 0 ? (li < n ? n - li : 0) : n;
          }
        } catch (e) {
          n = 0; // not a RegExp: the original throws or calls its exec, which is the function's code
        }
      }
      work(n, 0, 0);
      return ReflectApply(RegExpTest, this, arguments);
    },
  };
  // Regex work per match (decision 0712, seventh session). GraalJS runs a RegExp's replace, match
  // and split by the standard's steps here (its shortcut needs RegExp.prototype in its first shape,
  // and the prelude wraps test and freezes it): an exec call and a match object per match, ~0.5-7
  // us each, and split tries its separator at every position of the string. So these are charged
  // per match (GasTable.REGEX_REPLACE_MATCH for replace, REGEX_MATCH for match, a matchAll step and
  // each character split) on top of their characters. The wrappers sit on the Symbol methods,
  // which String.prototype.replace, replaceAll, match and split call for a RegExp, and which a
  // subclass inherits and a function may call directly (split is charged its whole string even
  // when a limit stops it early). The count
  // comes from the RegExp's own slots and the original exec, never from a property the function
  // can define: the same on every node whatever path GraalJS takes.
  const REGEX_MATCH_ELEMENTS = W.regexMatchGas * ELEMENTS_PER_GAS;
  const REGEX_REPLACE_ELEMENTS = W.regexReplaceMatchGas * ELEMENTS_PER_GAS;
  const RegExpExec = RegExpProto.exec;
  const regexpUnicode = Object.getOwnPropertyDescriptor(RegExpProto, 'unicode').get;
  const unicodeSets = Object.getOwnPropertyDescriptor(RegExpProto, 'unicodeSets');
  const regexpUnicodeSets = unicodeSets === undefined ? undefined : unicodeSets.get;
  const NRX = { replace: RegExpProto[Symbol.replace], match: RegExpProto[Symbol.match],
    split: RegExpProto[Symbol.split] };
  const RegExpStringIteratorProto = getPrototypeOf(/x/[Symbol.matchAll](''));
  const RegExpStringIteratorNext = RegExpStringIteratorProto.next;
  // A RegExp's g flag from its slot; undefined for anything else (the getter throws for a Proxy or
  // a look-alike, which are never read further).
  function globalSlot(rx) {
    try {
      return ReflectApply(regexpGlobal, rx, []);
    } catch (e) {
      return undefined;
    }
  }
  // Matches of a global RegExp in s, found as replace and match find them: exec from 0 on, an empty
  // match stepping one code unit (a code point with the u or v flag). lastIndex is put back, so the
  // count is invisible to the function.
  function globalMatches(rx, s) {
    const saved = rx.lastIndex;
    try {
      rx.lastIndex = 0;
    } catch (e) {
      return 0; // read-only lastIndex: the original has thrown before any match
    }
    const unicode = ReflectApply(regexpUnicode, rx, [])
      || (regexpUnicodeSets !== undefined && ReflectApply(regexpUnicodeSets, rx, []));
    const args = [s];
    let n = 0;
    for (let m = ReflectApply(RegExpExec, rx, args); m !== null; m = ReflectApply(RegExpExec, rx, args)) {
      n++;
      const end = rx.lastIndex;
      if (end === m.index) {
        const c = s.charCodeAt(end);
        const pair = unicode && c >= 0xd800 && c <= 0xdbff && end + 1 < s.length
          && s.charCodeAt(end + 1) >= 0xdc00 && s.charCodeAt(end + 1) <= 0xdfff;
        rx.lastIndex = end + (pair ? 2 : 1);
      }
    }
    rx.lastIndex = saved;
    return n;
  }
  // A RegExp whose match result can be read without running the function's code: its prototype is
  // RegExp.prototype (frozen) and lastIndex is its only own property, so flags and exec are the
  // originals and a global match returns a fresh array (or null).
  const plainRegExp = (rx) => getPrototypeOf(rx) === RegExpProto && NR.ownKeys(rx).length === 1;
  // The string is converted first, as the original does first of all (after its receiver check).
  const regexpSymbolWork = {
    [Symbol.replace](string, replaceValue) {
      if (this === null || typeof this !== 'object') return ReflectApply(NRX.replace, this, arguments);
      const s = `${string}`;
      const r = ReflectApply(NRX.replace, this, [s, replaceValue]);
      if (globalSlot(this) === true) work(0, globalMatches(this, s) * REGEX_REPLACE_ELEMENTS, 0);
      return r;
    },
    [Symbol.match](string) {
      if (this === null || typeof this !== 'object') return ReflectApply(NRX.match, this, arguments);
      const s = `${string}`;
      const r = ReflectApply(NRX.match, this, [s]);
      if (globalSlot(this) === true) {
        const n = plainRegExp(this) ? (r === null ? 0 : r.length) : globalMatches(this, s);
        work(0, n * REGEX_MATCH_ELEMENTS, 0);
      }
      return r;
    },
    [Symbol.split](string, limit) {
      if (this === null || typeof this !== 'object') return ReflectApply(NRX.split, this, arguments);
      const s = `${string}`;
      const r = ReflectApply(NRX.split, this, [s, limit]);
      if (globalSlot(this) !== undefined) work(0, s.length * REGEX_MATCH_ELEMENTS, 0);
      return r;
    },
  };
  // A matchAll iterator's step: one exec and one match object (the last step finds none).
  const regexpIteratorWork = {
    next() {
      work(0, REGEX_MATCH_ELEMENTS, 0);
      return ReflectApply(RegExpStringIteratorNext, this, arguments);
    },
  };
  const textWork = {
    localeCompare(that) {
      work(strLen(this) + strLen(that), 0, 0);
      return ReflectApply(StringLocaleCompare, this, arguments);
    },
  };
  const uriWork = {};
  for (let i = 0; i < uriNames.length; i++) {
    const native = NU[uriNames[i]];
    if (typeof native !== 'function') continue;
    // A method per name, so that each keeps its name, length 1 and "[native code]".
    uriWork[uriNames[i]] = {
      [uriNames[i]](s) {
        const n = strLen(s);
        work(n, 0, n * 3 * CHAR_BYTES);
        return native(s);
      },
    }[uriNames[i]];
  }
  defineProperty(objectWork.assign, 'length', { value: 2 });
  defineProperty(manyArgsWork.fromCharCode, 'length', { value: 1 });
  defineProperty(manyArgsWork.fromCodePoint, 'length', { value: 1 });
  install(Reflect, reflectWork);
  install(Function.prototype, callWork);
  install(Array, arrayStaticWork);
  install(String, { fromCharCode: manyArgsWork.fromCharCode, fromCodePoint: manyArgsWork.fromCodePoint });
  install(Math, { max: manyArgsWork.max, min: manyArgsWork.min, hypot: manyArgsWork.hypot });
  install(RegExpProto, regexpWork);
  install(RegExpProto, regexpSymbolWork);
  install(RegExpStringIteratorProto, regexpIteratorWork);
  install(StringProto, textWork);
  install(G, uriWork);
  install(Object, objectWork);
  // ---- end of built-in work, part 2 ---------------------------------------------------------------

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
    for (let i = 0; i < names.length; i++) ArrayPush(withPrototypes, intl[names[i]]);
  }
  const toFreeze = [];
  for (let i = 0; i < withPrototypes.length; i++) {
    const c = withPrototypes[i];
    if (c === undefined) continue;
    ArrayPush(toFreeze, c);
    const p = c.prototype;
    if (p !== undefined && p !== null) ArrayPush(toFreeze, p);
  }
  const others = [Math, JSON, Reflect, Proxy, intl, getPrototypeOf(G), context, log, getSecret, fetch,
    getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map().entries()),
    getPrototypeOf(new Set().values()), getPrototypeOf(''[Symbol.iterator]()),
    getPrototypeOf(/x/[Symbol.matchAll]('')), getPrototypeOf(AsyncGeneratorFunction.prototype.prototype)];
  if (G.Iterator !== undefined) {
    ArrayPush(others, getPrototypeOf(G.Iterator.from([]).map((x) => x)),
      getPrototypeOf(G.Iterator.from({ next() { return { done: true }; } })));
  }
  for (let i = 0; i < others.length; i++) {
    if (others[i] !== undefined) ArrayPush(toFreeze, others[i]);
  }

  // Override taming (docs/decisions/0301-override-taming.md). Freezing makes every inherited data
  // property read-only for assignment, so `this.name = 'MyError'` in an Error subclass, `o.toString
  // = f` or `p.then = f` would throw (strict) or do nothing (sloppy): the "override mistake". For
  // the names code commonly assigns on the objects it makes, the property of the frozen prototype
  // becomes an accessor: the getter returns the original value, the setter gives the receiver its
  // own data property, as assigning an unfrozen inherited property would, and refuses when the
  // receiver is the frozen prototype itself. The accessors are frozen with the rest.
  // Which names on which prototypes is a fixed list, not a scan of every frozen object: each
  // tamed property costs a getter, a redefinition and a freeze in every context, and a scan for
  // them costs a lookup of every name on every frozen object (0301, "Cost"). Listed: the frozen
  // prototypes with the names of the list they have as writable data properties, except those of
  // typed arrays, ArrayBuffer, DataView and Intl: taming those cost about a third of a fresh
  // context (0301), and code rarely assigns their names on its own objects; there the override
  // mistake stays. So it does for Object.prototype's legacy __defineGetter__, __defineSetter__,
  // __lookupGetter__ and __lookupSetter__: with them tamed, engines settled at about a quarter of
  // a fresh context's cost in 4 of 7 measurements (0301).
  const tamedKeys = ['constructor', 'name', 'message', 'toString', 'toLocaleString', 'valueOf',
    'then', 'toJSON', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable'];
  const tamed = [
    [Object.prototype, 'constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty',
      'isPrototypeOf', 'propertyIsEnumerable'],
    [Function.prototype, 'constructor', 'toString'],
    [Array.prototype, 'constructor', 'toString', 'toLocaleString'],
    [Error.prototype, 'constructor', 'name', 'message', 'toString'],
    [Promise.prototype, 'constructor', 'then'],
    [Date.prototype, 'constructor', 'toString', 'toLocaleString', 'valueOf', 'toJSON'],
    [Number.prototype, 'constructor', 'toString', 'toLocaleString', 'valueOf'],
    [Map.prototype, 'constructor'],
    [Set.prototype, 'constructor'],
    [String.prototype, 'constructor', 'toString', 'valueOf'],
    [Boolean.prototype, 'constructor', 'toString', 'valueOf'],
    [Symbol.prototype, 'constructor', 'toString', 'valueOf'],
    [BigInt.prototype, 'constructor', 'toString', 'toLocaleString', 'valueOf'],
    [RegExp.prototype, 'constructor', 'toString'],
    [WeakMap.prototype, 'constructor'],
    [WeakSet.prototype, 'constructor'],
    [NslError.prototype, 'constructor'],
  ];
  const nativeErrors = [EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
    AggregateError];
  for (let i = 0; i < nativeErrors.length; i++) {
    ArrayPush(tamed, [nativeErrors[i].prototype, 'constructor', 'name', 'message']);
  }
  const hasOwn = Object.hasOwn;

  function builtinName(home) {
    if (hasOwn(home, 'constructor') && typeof home.constructor === 'function') {
      return StringOf(home.constructor.name) + '.prototype';
    }
    return 'a built-in object';
  }

  // One setter per name, shared by every prototype that name is tamed on: it refuses when its
  // receiver is one of them. Only the getter, which returns one prototype's original value, is
  // made per property.
  const tamedHomes = new Set();
  const HomesHas = uncurry(Set.prototype.has);
  const HomesAdd = uncurry(Set.prototype.add);
  const setterFor = { __proto__: null };
  for (let k = 0; k < tamedKeys.length; k++) {
    const key = tamedKeys[k];
    const setter = {
      set(v) {
        if (HomesHas(tamedHomes, this)) {
          throw new TypeError('Cannot assign to read only property \'' + StringOf(key) + '\' of '
            + builtinName(this) + ': built-ins are frozen; set it on your own object or prototype');
        }
        if (hasOwn(this, key)) {
          this[key] = v;
        } else {
          defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        }
      },
    }.set;
    setterFor[key] = setter;
    ArrayPush(toFreeze, setter);
  }
  // The accessor is defined non-configurable at once, so freezing its prototype has nothing left
  // to change on it; it stays non-enumerable, as the data property was. Every listed property is a
  // writable, non-enumerable data property of its prototype (OverrideTamingTest checks it on a
  // plain GraalJS context), so the original is read, not described (a descriptor object per
  // property, 0301 "Cost"). The descriptor has no prototype, so Object.defineProperty's six
  // field checks stop at it instead of searching Object.prototype each (1.2-3.5 points of a
  // fresh context, 0301's second addendum). No setter for a name (the bench's untamed copy
  // empties tamedKeys) means the name stays as it is.
  for (let i = 0; i < tamed.length; i++) {
    const home = tamed[i][0];
    HomesAdd(tamedHomes, home);
    for (let j = 1; j < tamed[i].length; j++) {
      const key = tamed[i][j];
      const set = setterFor[key];
      if (set === undefined) continue;
      const original = home[key];
      const get = () => original;
      ArrayPush(toFreeze, get);
      defineProperty(home, key, { __proto__: null, get, set, configurable: false });
    }
  }
  for (let i = 0; i < toFreeze.length; i++) ObjectFreeze(toFreeze[i]);

  function describe(e) {
    if (e instanceof Error) return StringOf(e.name) + ': ' + StringOf(e.message);
    return 'main threw ' + fmt(e);
  }

  function reportError(e) {
    try { flushWork(); } catch (x) { /* the host marked the run stopped; it reports that */ }
    let kind = 'RUNTIME_ERROR';
    let msg;
    try {
      if (genuine.has(e)) kind = StringOf(e.kind);
      msg = describe(e);
    } catch (x) {
      msg = 'main threw a value that cannot be described';
    }
    bridge.reject(kind, msg);
  }

  function finish(v) {
    try {
      flushWork();
    } catch (e) {
      reportError(e);
      return;
    }
    let s;
    try {
      s = jsonStringify(v === undefined ? null : v);
    } catch (e) {
      let tooLarge = false;
      let msg;
      try {
        tooLarge = e instanceof RangeError && StringOf(e.message).indexOf('string length') >= 0;
        msg = describe(e);
      } catch (x) {
        msg = 'serialising the result failed';
      }
      bridge.rejectResult(tooLarge ? 'RESULT_TOO_LARGE' : 'RESULT_INVALID', 'the result is not JSON-serialisable: ' + msg);
      return;
    }
    if (s === undefined) {
      bridge.rejectResult('RESULT_INVALID', 'main returned ' + typeof v + ', which JSON cannot represent');
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
