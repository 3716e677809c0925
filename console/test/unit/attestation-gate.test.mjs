// The decision the Secrets view makes before it encrypts anything (console/src/views/attestation-gate.js).
// The API is a recording stand-in: what is tested is the page's own reasoning over the answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { checkService, parseCollateral, secretRows, secretsKeyDecision } from '../../src/views/attestation-gate.js';

const SIGNING = '0215215ca7076e6307ab1c6bf0cfd709bba2e43898116797462f45312099521e8d';
const SECRETS = '03d44026babe10e81e06c18b880ce080af9d0c3eb61e694f53d15a972cbb72e244';
const GATEWAY = '0xad6cafe9a1ed07648c9763a29b2e50d0d245a3a8';

function enclaveDoc({ mode = 'SGX', secretsPublicKey = SECRETS } = {}) {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(56753);
  const reportData = Buffer.concat([crypto.createHash('sha256').update(Buffer.concat([Buffer.from('NSL-ATTEST-v1'), magic,
    Buffer.from(GATEWAY.slice(2), 'hex').reverse(), Buffer.from(SIGNING, 'hex'), Buffer.from(SECRETS, 'hex')])).digest(),
  Buffer.alloc(32)]).toString('hex');
  return { mode, simulated: mode === 'SIMULATED', networkMagic: 56753, gatewayScriptHash: GATEWAY,
    signingPublicKey: SIGNING, secretsPublicKey, reportData };
}

const passing = [
  { id: 'quoteSignature', ok: true, detail: 'ECDSA P-256 over the quote body verifies' },
  { id: 'measurement', ok: true, detail: 'MRENCLAVE 11…22 is in the gateway policy' },
];

function api(answer, doc) {
  const calls = [];
  return {
    calls,
    post: async (path, body) => { calls.push(['POST', path, body]); return answer; },
    get: async (path, opts) => { calls.push(['GET', path, opts]); return doc; },
  };
}

test('an SGX service whose checks pass and whose report_data the page recomputes gets the secret, to its attested key', async () => {
  const a = api({ simulated: false, checks: passing, secretsPublicKey: SECRETS }, enclaveDoc());
  const result = await checkService(a);
  assert.deepEqual(a.calls[0], ['POST', '/v1/attestation/check', { from: 'gateway' }]);
  assert.deepEqual(a.calls[1], ['GET', '/v1/enclave', { signed: false }]);
  assert.equal(result.checks.at(-1).by, 'page');
  assert.equal(result.checks.at(-1).ok, true);
  assert.deepEqual(secretsKeyDecision(result), { allowed: true, secretsPublicKey: SECRETS, reasons: [] });
});

test('a SIMULATED service gets nothing unless the user accepts it, and the reason says why', async () => {
  const result = await checkService(api({ simulated: true, mode: 'SIMULATED', checks: [] }, enclaveDoc({ mode: 'SIMULATED' })));
  assert.equal(result.simulated, true);
  const refused = secretsKeyDecision(result);
  assert.equal(refused.allowed, false);
  assert.match(refused.reasons.join(), /SIMULATED.*operator can read it/);
  assert.equal(secretsKeyDecision(result, { allowSimulated: true }).allowed, true);
});

test('a service that says "all passed" but shows a key its report_data does not bind is refused by the page', async () => {
  const lying = enclaveDoc({ secretsPublicKey: SIGNING }); // report_data was made for SECRETS
  const result = await checkService(api({ simulated: false, checks: passing }, lying));
  const d = secretsKeyDecision(result);
  assert.equal(d.allowed, false);
  assert.equal(result.checks.at(-1).ok, false);
  assert.match(d.reasons.join(), /could not confirm/);
});

test('a failed check, a key other than the one checked, or another key named by the gateway each block', async () => {
  const failed = await checkService(api({ simulated: false, checks: [...passing, { id: 'tcbStatus', ok: false, detail: 'OutOfDate' }] }, enclaveDoc()));
  assert.match(secretsKeyDecision(failed).reasons.join(), /up to date \(TCB status\): failed \(OutOfDate\)/);
  const otherKey = await checkService(api({ simulated: false, checks: passing, secretsPublicKey: SIGNING }, enclaveDoc()));
  assert.match(secretsKeyDecision(otherKey).reasons.join(), /checked key 0215/);
  const cluster = await checkService(api({ simulated: false, checks: passing, clusterKey: { epoch: 2, secretsPublicKey: SIGNING } }, enclaveDoc()));
  assert.match(secretsKeyDecision(cluster).reasons.join(), /gateway names secrets key 0215.*epoch 2/);
});

test('a pasted quote is checked by the service only and never unlocks encryption', async () => {
  const a = api({ simulated: false, checks: passing }, null);
  const result = await checkService(a, { from: 'quote', quote: '  0300abcd \n' });
  assert.deepEqual(a.calls, [['POST', '/v1/attestation/check', { from: 'quote', quote: '0300abcd' }]]);
  assert.equal(secretsKeyDecision(result).allowed, false);
});

test('what the service says is kept as text: unknown checks keep their own title, hostile strings stay strings', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const result = await checkService(api({ simulated: false, checks: [{ id: 'x', title: hostile, ok: 'yes', detail: { toString: () => hostile } }] }, enclaveDoc()));
  assert.equal(result.checks[0].title, hostile);
  assert.equal(result.checks[0].detail, hostile);
  assert.equal(result.checks[0].ok, null, 'only true or false count as a verdict');
});

test('secret rows: the names the API lists, with a version when it gives one', () => {
  assert.deepEqual(secretRows({ owner: '0x', names: ['A', '<script>x</script>'] }),
    [{ name: 'A', sequence: null }, { name: '<script>x</script>', sequence: null }]);
  assert.deepEqual(secretRows({ secrets: [{ name: 'A', sequence: 5 }] }), [{ name: 'A', sequence: 5 }]);
  assert.deepEqual(secretRows(null), []);
});

// The service's own answer shape (docs/openapi.yaml AttestationCheck): {name, outcome, words}, facts.
const served = (outcome) => ({
  simulated: false,
  valid: outcome === 'PASSED',
  checks: [
    { name: 'quote signature', outcome: 'PASSED', words: 'ECDSA P-256 over the quote body verifies' },
    { name: 'TCB status', outcome, words: outcome === 'FAILED' ? 'TCB_INFO_SIGNATURE_INVALID: the TCB info is not signed by Intel' : 'UpToDate' },
  ],
  facts: { mode: 'SGX', secretsPublicKey: SECRETS, collateral: 'pasted' },
});

test('the service\'s checks are read in plain words from name, outcome and words', async () => {
  const result = await checkService(api(served('NOT_CHECKED'), enclaveDoc()));
  assert.deepEqual(result.checks.slice(0, 2).map((c) => [c.id, c.title, c.ok, c.detail]), [
    ['quoteSignature', 'The quote is signed by the CPU\'s attestation key', true, 'ECDSA P-256 over the quote body verifies'],
    ['tcbStatus', 'The platform is up to date (TCB status)', null, 'UpToDate'],
  ]);
  assert.equal(secretsKeyDecision(result).allowed, true);
});

test('a FAILED check in the service\'s shape blocks secrets, with its reason', async () => {
  const result = await checkService(api(served('FAILED'), enclaveDoc()));
  const d = secretsKeyDecision(result);
  assert.equal(d.allowed, false);
  assert.match(d.reasons.join(), /TCB status\): failed \(TCB_INFO_SIGNATURE_INVALID/);
});

test('pasted collateral is parsed in the page and sent as an object; a typo is named before sending', async () => {
  const a = api(served('PASSED'), enclaveDoc());
  await checkService(a, { from: 'quote', quote: 'ab', collateral: parseCollateral(' {"tcb_info":"{}"} ') });
  assert.deepEqual(a.calls[0][2], { from: 'quote', quote: 'ab', collateral: { tcb_info: '{}' } });
  assert.equal(parseCollateral('  '), undefined);
  assert.throws(() => parseCollateral('{tcb_info'), /not JSON/);
  assert.throws(() => parseCollateral('[1]'), /JSON object/);
});
