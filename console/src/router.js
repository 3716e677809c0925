// Hash routes: '#/view', '#/view/ID', '#/view?key=value'. Pure functions, no DOM, so the unit
// tests run them in node. The fragment never reaches a server, which is why the devnet sign-in
// link may carry the (public) devnet WIF in it.

export const VIEWS = Object.freeze([
  'signin',
  'playground',
  'functions',
  'executions',
  'secrets',
  'attestation',
  'operator',
]);

/** A route: { view, id (string or null), query (plain object of strings) }. */
export function parseHash(hash) {
  let s = String(hash ?? '');
  if (s.startsWith('#')) s = s.slice(1);
  if (s.startsWith('/')) s = s.slice(1);
  const q = s.indexOf('?');
  const path = q >= 0 ? s.slice(0, q) : s;
  const search = q >= 0 ? s.slice(q + 1) : '';
  const slash = path.indexOf('/');
  const viewPart = slash >= 0 ? path.slice(0, slash) : path;
  const idPart = slash >= 0 ? path.slice(slash + 1) : '';
  const view = VIEWS.includes(viewPart) ? viewPart : null;
  let id = null;
  if (idPart !== '') {
    try {
      id = decodeURIComponent(idPart);
    } catch {
      id = idPart; // a malformed escape is shown as typed, never interpreted
    }
  }
  const query = {};
  for (const [k, v] of new URLSearchParams(search)) query[k] = v;
  return { view, id, query };
}

/** The hash for a route; empty query values are left out. */
export function formatHash(view, id = null, query = {}) {
  let s = `#/${view}`;
  if (id !== null && id !== undefined && id !== '') s += `/${encodeURIComponent(id)}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${s}?${qs}` : s;
}

/** The hash with one query key removed (the sign-in link's WIF, once used). */
export function withoutQueryKey(hash, key) {
  const { view, id, query } = parseHash(hash);
  delete query[key];
  return formatHash(view ?? 'signin', id, query);
}
