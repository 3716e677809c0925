// The /v1/triggers routes (docs/triggers.md, docs/openapi.yaml), over an NslClient's signed
// requests. Kept apart from index.js: the methods only shape paths and bodies.

function subscriptionPath(id) {
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1 || n > 4194303) {
    throw new RangeError(`a subscription id is an integer 1..4194303, got ${id}`);
  }
  return `/v1/triggers/${n}`;
}

/**
 * The trigger methods of `client` (an NslClient):
 * - `list()`: the subscriptions the client's account owns, `{owner, triggers: [...]}`;
 * - `get(id)`: one of them (NslApiError TRIGGER_NOT_FOUND for another account's);
 * - `run(id, input)`: starts a run of an HTTP trigger with `input` (any JSON) and resolves once
 *   the service queued it: `{subscriptionId, runId, block}`; the answer follows on chain.
 */
export function triggers(client) {
  return {
    list: () => client.request('GET', '/v1/triggers'),
    get: (id) => client.request('GET', subscriptionPath(id)),
    run: (id, input = null) => client.request('POST', `${subscriptionPath(id)}/run`, { input }),
  };
}
