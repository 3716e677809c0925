import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, createApi, withQuery } from '../../src/api.js';

function fakeSession(signed) {
  return {
    signedIn: () => true,
    signedHeaders: async (method, path, body) => {
      signed.push({ method, path, body: new TextDecoder().decode(body) });
      return { 'X-NSL-Signature': 'sig' };
    },
  };
}

function answer(status, body) {
  return { ok: status < 300, status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
}

test('signsExactlyThePathAndBodyItSendsAndSendsNoCookie', async () => {
  const signed = [];
  const sent = [];
  const api = createApi({
    session: fakeSession(signed),
    fetchImpl: async (path, init) => (sent.push({ path, init }), answer(200, { ok: true })),
  });
  assert.deepEqual(await api.post('/v1/simulate', { code: 'x', input: { a: 'ü' } }), { ok: true });
  assert.equal(sent[0].path, signed[0].path);
  assert.equal(new TextDecoder().decode(sent[0].init.body), signed[0].body);
  assert.equal(sent[0].init.credentials, 'omit');
  assert.equal(sent[0].init.headers['X-NSL-Signature'], 'sig');
  assert.equal(sent[0].init.headers['Content-Type'], 'application/json');
});

test('anErrorAnswerBecomesApiErrorWithItsCode', async () => {
  const api = createApi({
    session: fakeSession([]),
    fetchImpl: async () => answer(404, { error: { code: 'FUNCTION_NOT_FOUND', message: "no function 'x'", details: { id: 'x' } } }),
  });
  await assert.rejects(api.get('/v1/functions/x'), (e) => e instanceof ApiError && e.status === 404 && e.code === 'FUNCTION_NOT_FOUND' && e.details.id === 'x');
});

test('aNonJsonErrorAnswerIsStillAnApiError', async () => {
  const api = createApi({ session: fakeSession([]), fetchImpl: async () => answer(502, '<html>bad gateway</html>') });
  await assert.rejects(api.get('/v1/functions'), (e) => e.code === 'HTTP_502' && /502/.test(e.message));
});

test('anUnreachableServiceSaysSo', async () => {
  const api = createApi({ session: fakeSession([]), fetchImpl: async () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(api.get('/v1/functions'), (e) => e.code === 'SERVICE_UNREACHABLE');
});

test('signedCallWithoutSessionIsRefusedBeforeAnyRequest', async () => {
  let called = false;
  const api = createApi({ session: { signedIn: () => false }, fetchImpl: async () => ((called = true), answer(200, {})) });
  await assert.rejects(api.get('/v1/functions'), (e) => e.code === 'NOT_SIGNED_IN');
  assert.equal(called, false);
});

test('withQueryEncodesValuesAndDropsEmptyOnes', () => {
  assert.equal(withQuery('/v1/executions', { function: 'a b&c', status: '', limit: 5 }), '/v1/executions?function=a%20b%26c&limit=5');
  assert.equal(withQuery('/v1/executions', {}), '/v1/executions');
});
