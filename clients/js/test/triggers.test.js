import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { NslClient, HEADERS, triggers } from '../src/index.js';

// A real server on loopback records what the client sends and answers 202 to a run.
async function withServer(fn) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      if (req.url.endsWith('/run')) {
        res.statusCode = 202;
        res.end('{"subscriptionId":2,"runId":"4611688217450643456","block":77}');
      } else {
        res.end('{"owner":"0x00","triggers":[]}');
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${server.address().port}`, seen);
  } finally {
    server.close();
  }
}

const privateKey = crypto.randomBytes(32).toString('hex');

test('trigger methods send signed requests to the documented paths', async () => {
  await withServer(async (baseUrl, seen) => {
    const t = triggers(new NslClient({ baseUrl, privateKey }));
    assert.deepEqual(await t.list(), { owner: '0x00', triggers: [] });
    await t.get(2);
    const started = await t.run(2, { x: 1 });
    await t.run(2);
    assert.equal(started.runId, '4611688217450643456');
    assert.deepEqual(seen.map((s) => `${s.method} ${s.url}`), [
      'GET /v1/triggers', 'GET /v1/triggers/2', 'POST /v1/triggers/2/run', 'POST /v1/triggers/2/run']);
    assert.deepEqual(JSON.parse(seen[2].body), { input: { x: 1 } });
    assert.deepEqual(JSON.parse(seen[3].body), { input: null });
    for (const s of seen) assert.ok(s.headers[HEADERS.signature.toLowerCase()], 'signed');
  });
});

test('a subscription id that is not 1..4194303 is refused before any request', () => {
  const t = triggers(new NslClient({ privateKey }));
  for (const bad of [0, -1, 1.5, '2/../x', 4194304]) {
    assert.throws(() => t.get(bad), RangeError, String(bad));
  }
});
