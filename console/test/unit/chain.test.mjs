// The page checks what it signs (console/src/chain.js): a prepared transaction is decoded and
// signed only when it is the call the user asked for. The API is a recording stand-in answering
// POST /v1/chain/prepare with transactions neow3j built (plugin/src/test/resources/vectors/
// neo-tx-v1.json, kept current by Java's JsTxDecoderVectorsTest), good and hostile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { chainAction, checkPrepared } from '../../src/chain.js';

const file = JSON.parse(fs.readFileSync(
  new URL('../../../plugin/src/test/resources/vectors/neo-tx-v1.json', import.meta.url), 'utf8'));
const MAGIC = 56753;
const CODE = 'function main(input) { return input; }';
const REGISTER = { functionId: 'echo', code: CODE };
const vector = (name) => file.vectors.find((v) => v.name === name);

/** A user who answers `answer` to "Sign and send?" and is asked at most once; records what was shown. */
function user(answer) {
  const shown = [];
  return {
    shown,
    confirm: async (decoded) => {
      shown.push(decoded);
      return answer;
    },
  };
}
/** A user who must never be asked: the page refuses before showing the button. */
const neverAsked = () => assert.fail('the user was asked to sign a refused transaction');

function stand({ tx, hash, networkMagic = MAGIC, doc = {} }) {
  const calls = [];
  return {
    calls,
    async post(path, body) {
      calls.push(['POST', path, body]);
      if (path === '/v1/chain/prepare') return { tx, hash, networkMagic, signData: '00'.repeat(36) };
      if (path === '/v1/chain/send') return { hash };
      throw new Error(`unexpected POST ${path}`);
    },
    async get(path) {
      calls.push(['GET', path]);
      if (path === '/v1/enclave') return { networkMagic: MAGIC, gatewayScriptHash: file.gateway.slice(2), ...doc };
      if (path.startsWith('/v1/chain/tx/')) return { state: 'IN_BLOCK', block: 7, blocksWaited: 1 };
      throw new Error(`unexpected GET ${path}`);
    },
  };
}

function session() {
  const signed = [];
  return {
    signed,
    account: () => ({ scriptHash: file.sender, publicKeyHex: file.senderPublicKey }),
    async signBytes(b) {
      signed.push(b);
      return new Uint8Array(64);
    },
  };
}

test('a register as asked is shown decoded, then the page signs magic ‖ sha256(tx) it computed itself', async () => {
  const v = vector('register');
  const api = stand(v);
  const s = session();
  const seen = [];
  const u = user(true);
  await chainAction(api, s, 'register', REGISTER, { confirm: u.confirm, onProgress: (p) => seen.push(p) });
  assert.deepEqual(seen.map((p) => p.stage).slice(0, 4), ['prepare', 'confirm', 'sign', 'sent']);
  assert.equal(u.shown.length, 1);
  assert.equal(u.shown[0].callText, seen.find((p) => p.stage === 'confirm').decoded.callText);
  const sign = seen.find((p) => p.stage === 'sign');
  assert.match(sign.text, /^Checked by this page: registerFunction\("echo", sha256 1091fe56.*, 0x8dd0117970ce889facbc922d433934796763141e\) on 0x5ab6b2f8c0d3e4a1b2c3d4e5f60718293a4b5c6d, signed by you .*CalledByEntry.*fees 0\.01358017 GAS \(cap 5 GAS\)/);
  const expected = Buffer.concat([Buffer.from([0xb1, 0xdd, 0, 0]), crypto.createHash('sha256').update(Buffer.from(v.tx, 'hex')).digest()]);
  assert.deepEqual(Buffer.from(s.signed[0]), expected, 'not the service\'s signData (zeros here)');
  assert.deepEqual(api.calls.find((c) => c[1] === '/v1/chain/send')[2].tx, v.tx);
});

test('request, update, enable and disable as asked pass the check', async () => {
  const cases = [
    ['request', 'request', { consumer: file.consumer, functionId: 'echo', input: '{"value":42}' }],
    ['update', 'register', REGISTER],
    ['enable', 'enable', { functionId: 'echo' }],
    ['disable', 'disable', { functionId: 'echo' }],
  ];
  for (const [name, action, args] of cases) {
    const checked = await checkPrepared(stand(vector(name)), session(), action, args, { ...vector(name), networkMagic: MAGIC });
    assert.equal(checked.hash, vector(name).hash, name);
  }
});

for (const v of file.vectors.filter((x) => !x.accept)) {
  test(`refuses to sign a prepared transaction with ${v.name}`, async () => {
    const api = stand(v);
    const s = session();
    await assert.rejects(chainAction(api, s, 'register', REGISTER, { confirm: neverAsked }), (e) => e.message.includes(v.refusal));
    assert.equal(s.signed.length, 0, 'nothing signed');
    assert.ok(!api.calls.some((c) => c[1] === '/v1/chain/send'), 'nothing sent');
  });
}

test('refuses what the user did not ask: other code, another consumer, another input, the opposite switch', async () => {
  const refuse = async (name, action, args) => {
    const s = session();
    await assert.rejects(chainAction(stand(vector(name)), s, action, args, { confirm: neverAsked }), /not (registerFunction|updateFunction|request|setFunctionEnabled)\(|calls contract/);
    assert.equal(s.signed.length, 0);
  };
  await refuse('register', 'register', { ...REGISTER, code: CODE + ' ' });
  await refuse('request', 'request', { consumer: '0x' + '22'.repeat(20), functionId: 'echo', input: '{"value":42}' });
  await refuse('request', 'request', { consumer: file.consumer, functionId: 'echo', input: '{"value":43}' });
  await refuse('request', 'request', { consumer: file.consumer, functionId: 'echo', input: '{"value":42}', jsGasLimit: 5 });
  await refuse('enable', 'disable', { functionId: 'echo' });
});

test('refuses another network, a hash that is not the bytes\', and a gateway that is not the attested one', async () => {
  const v = vector('register');
  await assert.rejects(chainAction(stand({ ...v, networkMagic: 860833102 }), session(), 'register', REGISTER, { confirm: neverAsked }), /network 860833102/);
  await assert.rejects(chainAction(stand({ ...v, hash: '0x' + '00'.repeat(32) }), session(), 'register', REGISTER, { confirm: neverAsked }), /hash to 0x591d2b44/);
  await assert.rejects(chainAction(stand({ ...v, doc: { gatewayScriptHash: '11'.repeat(20) } }), session(), 'register', REGISTER, { confirm: neverAsked }),
    /calls contract 0x5ab6b2f8.*not 0x1111/);
});

test('nothing is signed or sent until the user says so, and nothing at all when they cancel', async () => {
  for (const action of ['register', 'request', 'enable', 'disable']) {
    const v = vector(action);
    const args = action === 'register' ? REGISTER
      : action === 'request' ? { consumer: file.consumer, functionId: 'echo', input: '{"value":42}' } : { functionId: 'echo' };
    const api = stand(v);
    const s = session();
    let signedWhenAsked = null;
    let sentWhenAsked = null;
    const confirm = async () => {
      signedWhenAsked = s.signed.length;
      sentWhenAsked = api.calls.filter((c) => c[1] === '/v1/chain/send').length;
      return false;
    };
    await assert.rejects(chainAction(api, s, action, args, { confirm }), (e) => e.code === 'NOT_CONFIRMED' && /Not signed: you cancelled the .* nothing was sent/.test(e.message));
    assert.equal(signedWhenAsked, 0, `${action}: signed before the user was asked`);
    assert.equal(sentWhenAsked, 0, `${action}: sent before the user was asked`);
    assert.equal(s.signed.length, 0, `${action}: signed after a cancel`);
    assert.ok(!api.calls.some((c) => c[1] === '/v1/chain/send'), `${action}: sent after a cancel`);
  }
});

test('only a plain true signs: an answer that is not true counts as no', async () => {
  for (const answer of [undefined, 'yes', 1]) {
    const s = session();
    const api = stand(vector('register'));
    await assert.rejects(chainAction(api, s, 'register', REGISTER, { confirm: async () => answer }), (e) => e.code === 'NOT_CONFIRMED');
    assert.equal(s.signed.length, 0, `signed on ${JSON.stringify(answer)}`);
  }
});

test('a chain action without a confirm step is refused before anything is prepared', async () => {
  const api = stand(vector('register'));
  const s = session();
  await assert.rejects(chainAction(api, s, 'register', REGISTER), (e) => e instanceof TypeError && /needs confirm/.test(e.message));
  assert.equal(api.calls.length, 0, 'nothing prepared');
  assert.equal(s.signed.length, 0);
});

test('leaving the view while the question is open signs nothing', async () => {
  const api = stand(vector('register'));
  const s = session();
  let current = true;
  const confirm = async () => {
    current = false;
    return true;
  };
  await assert.rejects(chainAction(api, s, 'register', REGISTER, { confirm, isCurrent: () => current }), /Left the view before signing/);
  assert.equal(s.signed.length, 0);
  assert.ok(!api.calls.some((c) => c[1] === '/v1/chain/send'));
});
