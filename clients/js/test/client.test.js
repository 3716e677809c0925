import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { NslClient, HEADERS, readClusterKey } from '../src/index.js';

// A real server on loopback records what the client sends.
async function withServer(fn) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      res.end('{"functionId":"f","version":1}');
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

test('uploadFunction sends the declared fetch hosts with the code, signed', async () => {
  await withServer(async (baseUrl, seen) => {
    const c = new NslClient({ baseUrl, privateKey });
    await c.uploadFunction('f', 'function main(){}', undefined, ['api.example.com']);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'PUT');
    assert.equal(seen[0].url, '/v1/functions/f');
    assert.deepEqual(JSON.parse(seen[0].body), { code: 'function main(){}', fetchHosts: ['api.example.com'] });
    assert.ok(seen[0].headers[HEADERS.signature.toLowerCase()], 'signed');
  });
});

test('uploadFunction leaves out what was not given', async () => {
  await withServer(async (baseUrl, seen) => {
    const c = new NslClient({ baseUrl, privateKey });
    await c.uploadFunction('f', 'function main(){}');
    assert.deepEqual(JSON.parse(seen[0].body), { code: 'function main(){}' });
  });
});

test('readClusterKey reads [epoch, key] from the gateway, and null when none is set', async () => {
  const key = '02' + 'cd'.repeat(32);
  let answer = { state: 'HALT', stack: [{ type: 'Array', value: [{ type: 'Integer', value: '3' },
    { type: 'ByteString', value: Buffer.from(key, 'hex').toString('base64') }] }] };
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push(JSON.parse(body));
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: answer }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${server.address().port}`;
    assert.deepEqual(await readClusterKey(url, '0x' + 'ab'.repeat(20)), { epoch: 3, secretsPublicKey: key });
    assert.deepEqual(seen[0].params, ['0x' + 'ab'.repeat(20), 'clusterKey', []]);
    answer = { state: 'HALT', stack: [{ type: 'Any' }] };
    assert.equal(await readClusterKey(url, '0x' + 'ab'.repeat(20)), null);
    answer = { state: 'FAULT', exception: 'method not found', stack: [] };
    await assert.rejects(readClusterKey(url, '0x' + 'ab'.repeat(20)), /method not found/);
  } finally {
    server.close();
  }
});
