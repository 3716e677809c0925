// The one API client of the console. Every /v1 call is signed in the page by the session's key
// (the same canonical message as clients/js, see ./crypto); no cookie is ever sent
// (credentials: 'omit'), so another origin's page has nothing to ride on.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? null;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * session: { signedHeaders(method, pathAndQuery, bodyBytes) → Promise<object> } or null for the
 * unsigned calls. Paths must be built with encodeURIComponent for their variable parts, so the
 * browser sends them exactly as signed.
 */
export function createApi({ session, fetchImpl = globalThis.fetch.bind(globalThis) }) {
  async function call(method, path, body, { signed = true } = {}) {
    const bytes = body === undefined ? EMPTY : new TextEncoder().encode(JSON.stringify(body));
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (signed) {
      if (!session.signedIn()) throw new ApiError(0, 'NOT_SIGNED_IN', 'Sign in first: this call is signed with your key.');
      Object.assign(headers, await session.signedHeaders(method, path, bytes));
    }
    let res;
    try {
      res = await fetchImpl(path, {
        method,
        headers,
        body: body === undefined ? undefined : bytes,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
    } catch (e) {
      throw new ApiError(0, 'SERVICE_UNREACHABLE', `The service did not answer ${method} ${path} (${e.message}). Is it running?`);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const err = json?.error;
      throw new ApiError(
        res.status,
        err?.code ?? `HTTP_${res.status}`,
        err?.message ?? `${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`,
        err?.details,
      );
    }
    return json;
  }
  return {
    get: (path, opts) => call('GET', path, undefined, opts),
    post: (path, body, opts) => call('POST', path, body ?? {}, opts),
    put: (path, body, opts) => call('PUT', path, body ?? {}, opts),
    /** DELETE; a body (the secrets view's signed DELETE envelope) is sent when given. */
    del: (path, body, opts) => call('DELETE', path, body, opts),
  };
}

/** '/v1/executions' + '?function=…&limit=…' with only the set values, each percent-encoded. */
export function withQuery(path, query) {
  const parts = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}
