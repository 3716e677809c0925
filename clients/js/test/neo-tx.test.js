// The page's decoder of prepared transactions (src/neo-tx.js) against transactions neow3j built
// (plugin/src/test/resources/vectors/neo-tx-v1.json, made and kept current by Java's
// JsTxDecoderVectorsTest): the service's calls are accepted and decoded field by field, the
// hostile variants are refused for the reason named. Then malformed bytes, built here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { GAS, TxDecodeError, TxNotAsAskedError, arg, checkPreparedCall, decodeContractCall, decodeTransaction, describeArg,
  formatGas } from '../src/neo-tx.js';
import { accountOf } from '../src/webcrypto.js';
import { toBytes, toHex } from '../src/bytes.js';

const file = JSON.parse(fs.readFileSync(
  new URL('../../../plugin/src/test/resources/vectors/neo-tx-v1.json', import.meta.url), 'utf8'));

function expectation(e) {
  return {
    sender: file.sender,
    contract: e.contract,
    maxFee: BigInt(file.maxFee),
    calls: [{
      method: e.method,
      args: e.args.map((a) => ('string' in a ? arg.string(a.string)
        : 'hex' in a ? arg.bytes(toBytes(a.hex)) : 'hash160' in a ? arg.hash160(a.hash160)
          : 'integer' in a ? arg.integer(BigInt(a.integer)) : arg.boolean(a.boolean))),
    }],
  };
}

test('the vectors\' sender is the account of their public key, as the page computes it', async () => {
  assert.equal((await accountOf(toBytes(file.senderPublicKey))).scriptHash, file.sender);
});

for (const v of file.vectors.filter((x) => x.accept)) {
  test(`accepts and decodes neow3j's '${v.name}' transaction`, () => {
    const bytes = toBytes(v.tx);
    const { tx, call, fee } = checkPreparedCall(bytes, expectation(v.expect));
    assert.equal(tx.version, 0);
    assert.equal(tx.nonce, v.nonce);
    assert.equal(tx.systemFee, BigInt(v.systemFee));
    assert.equal(tx.networkFee, BigInt(v.networkFee));
    assert.equal(fee, BigInt(v.systemFee) + BigInt(v.networkFee));
    assert.equal(tx.validUntilBlock, v.validUntilBlock);
    assert.deepEqual(tx.signers.map((s) => [s.account, s.scopeNames]), [[file.sender, ['CALLED_BY_ENTRY']]]);
    assert.equal(call.contract, v.expect.contract);
    assert.equal(call.method, v.expect.method);
    assert.equal(call.callFlags, 0x0f);
    assert.equal(call.args.length, v.expect.args.length);
    const hash = '0x' + toHex(crypto.createHash('sha256').update(bytes).digest().reverse());
    assert.equal(hash, v.hash, 'the page\'s hash of the bytes is neow3j\'s transaction id');
  });
}

for (const v of file.vectors.filter((x) => !x.accept)) {
  test(`refuses '${v.name}'`, () => {
    assert.throws(() => checkPreparedCall(toBytes(v.tx), expectation(v.expect)),
      (e) => {
        assert.ok(e instanceof TxNotAsAskedError || e instanceof TxDecodeError, e.stack);
        assert.ok(e.message.includes(v.refusal), `'${e.message}' should say '${v.refusal}'`);
        return true;
      });
  });
}

test('the request\'s arguments read back as the user typed them', () => {
  const v = file.vectors.find((x) => x.name === 'request');
  const { call } = checkPreparedCall(toBytes(v.tx), expectation(v.expect));
  assert.deepEqual(call.args.map(describeArg), ['"echo"', '"{\\"value\\":42}"', '1000000', '10000000']);
});

test('CalledByEntry is required: the same call with scope None is refused too', () => {
  const v = file.vectors.find((x) => x.name === 'register');
  const bytes = toBytes(v.tx);
  const scopeAt = 1 + 4 + 8 + 8 + 4 + 1 + 20;
  assert.equal(bytes[scopeAt], 0x01);
  bytes[scopeAt] = 0x00;
  assert.throws(() => checkPreparedCall(bytes, expectation(v.expect)), /scope NONE/);
});

test('a cap below the fees refuses, and says both amounts in GAS', () => {
  const v = file.vectors.find((x) => x.name === 'enable');
  assert.throws(() => checkPreparedCall(toBytes(v.tx), { ...expectation(v.expect), maxFee: 1_000_000n }),
    /0\.01358017 GAS .*cap of 0\.01 GAS/);
  assert.equal(formatGas(5n * GAS), '5 GAS');
});

test('malformed bytes are refused with where', () => {
  const v = file.vectors.find((x) => x.name === 'register');
  const good = toBytes(v.tx);
  for (let cut = 1; cut < good.length; cut += 7) {
    assert.throws(() => decodeTransaction(good.slice(0, cut)), TxDecodeError, `cut at ${cut}`);
  }
  const v1 = good.slice();
  v1[0] = 1;
  assert.throws(() => decodeTransaction(v1), /version 1/);
  const noSigners = good.slice();
  noSigners[25] = 0;
  assert.throws(() => decodeTransaction(noSigners), TxDecodeError);
  assert.throws(() => decodeTransaction('00'), /must be bytes/);
});

test('a script that does more than one plain call is refused, opcode by opcode', () => {
  const v = file.vectors.find((x) => x.name === 'enable');
  const script = decodeTransaction(toBytes(v.tx)).script;
  assert.equal(decodeContractCall(script).method, 'setFunctionEnabled');
  // RET (0x40), DROP (0x45), a JMP (0x22 xx), a SYSCALL to another interop (CheckWitness), nothing.
  assert.throws(() => decodeContractCall(Uint8Array.from([...script, 0x40])), /goes on after its contract call/);
  assert.throws(() => decodeContractCall(Uint8Array.from([0x45, ...script])), /opcode 0x45/);
  assert.throws(() => decodeContractCall(Uint8Array.from([0x22, 0x02, ...script])), /opcode 0x22/);
  assert.throws(() => decodeContractCall(Uint8Array.from([0x41, 0xf8, 0x27, 0xec, 0x8c])), /not System.Contract.Call/);
  assert.throws(() => decodeContractCall(Uint8Array.from([0x11])), /ends without/);
  assert.throws(() => decodeContractCall(Uint8Array.from([0x10, ...script])), /left on the stack/);
});
