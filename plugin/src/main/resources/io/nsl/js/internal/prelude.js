// NSL prelude: runs first in every fresh context, as an internal source (not charged as gas).
// It removes what a function has no use for, defines the function API on top of the host bridge,
// freezes the intrinsics, and returns run(inputJson). The bridge is only reachable from here.
(function (bridge, ctxJson) {
  'use strict';
  const G = globalThis;
  const ctx = JSON.parse(ctxJson);
  const ObjectFreeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getPrototypeOf = Object.getPrototypeOf;
  const ownKeys = Reflect.ownKeys;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const StringOf = String;
  const PromiseResolve = (v) => Promise.resolve(v);
  const PromiseReject = (v) => Promise.reject(v);

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
  const context = ObjectFreeze({
    functionId: ctx.functionId, owner: ctx.owner, requestId: ctx.requestId,
    blockTime: ctx.blockTime, gasLimit: ctx.gasLimit,
  });

  // The API globals can be shadowed by the function's own declarations (that only affects the
  // function itself) but not silently reassigned; the prelude keeps its own references.
  const api = { log, getSecret, storage, crypto, fetch, console: consoleObj, context };
  const apiNames = Object.keys(api);
  for (let i = 0; i < apiNames.length; i++) {
    defineProperty(G, apiNames[i], { value: api[apiNames[i]], writable: false, enumerable: false, configurable: true });
  }

  // Freeze every intrinsic reachable from the global object (and the API), so that
  // Object.prototype.x = 1 and friends change nothing. The global object itself stays extensible
  // so scripts can declare globals.
  const seen = new Set();
  const stack = [];
  const roots = ownKeys(G);
  for (let i = 0; i < roots.length; i++) {
    const d = getOwnPropertyDescriptor(G, roots[i]);
    if (d && 'value' in d) stack.push(d.value);
  }
  stack.push(getPrototypeOf(G), NslError, getPrototypeOf(function* () {}), getPrototypeOf(async function () {}),
    getPrototypeOf(async function* () {}), getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(new Map().entries()), getPrototypeOf(new Set().values()),
    getPrototypeOf(''[Symbol.iterator]()), getPrototypeOf(/x/[Symbol.matchAll](''))) ;
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || (typeof x !== 'object' && typeof x !== 'function') || x === G || seen.has(x)) continue;
    seen.add(x);
    ObjectFreeze(x);
    const keys = ownKeys(x);
    for (let i = 0; i < keys.length; i++) {
      const d = getOwnPropertyDescriptor(x, keys[i]);
      if (d === undefined) continue;
      if ('value' in d) stack.push(d.value); else { stack.push(d.get); stack.push(d.set); }
    }
    stack.push(getPrototypeOf(x));
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
