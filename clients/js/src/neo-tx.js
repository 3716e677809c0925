// Neo N3 transactions and contract-call scripts, decoded so that a page can check what it is about
// to sign before it signs it (issue 23; decision 1120). The service prepares the transaction
// (POST /v1/chain/prepare); its word about what the transaction does is not trusted: the page
// decodes the bytes itself and refuses to sign unless they are exactly the call the user asked
// for. Pure: no I/O, no crypto (the caller hashes with WebCrypto), the same in a browser and Node.
//
// Formats (Neo N3): a transaction without witnesses is version u8, nonce u32, systemFee i64,
// networkFee i64, validUntilBlock u32 (all little-endian), signers, attributes, script (var
// bytes). The script of one contract call, as neow3j's ScriptBuilder.contractCall writes it: the
// arguments pushed last-first then PUSH<n> PACK (or NEWARRAY0), PUSH<callFlags>, PUSHDATA method,
// PUSHDATA contract hash (little-endian), SYSCALL System.Contract.Call. Anything else is refused.
import { NslInputError, toHex } from './bytes.js';

/** The bytes are not a transaction (or a script) of the expected form; `offset` says where. */
export class TxDecodeError extends NslInputError {
  constructor(message, offset) {
    super('TX_MALFORMED', offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'TxDecodeError';
    this.offset = offset;
  }
}

/** A well-formed transaction that is not the one the user asked for: the page must not sign it. */
export class TxNotAsAskedError extends NslInputError {
  constructor(message) {
    super('TX_NOT_AS_ASKED', message);
    this.name = 'TxNotAsAskedError';
  }
}

/** Witness scopes (Neo N3 WitnessScope); a signer's scopes byte is a combination of them. */
export const WITNESS_SCOPES = Object.freeze({
  NONE: 0x00, CALLED_BY_ENTRY: 0x01, CUSTOM_CONTRACTS: 0x10, CUSTOM_GROUPS: 0x20, WITNESS_RULES: 0x40, GLOBAL: 0x80,
});

/** CallFlags.All: what neow3j's contractCall and the service use. */
export const CALL_FLAGS_ALL = 0x0f;

/** The interop id of System.Contract.Call: the first 4 bytes of SHA-256("System.Contract.Call"), as stored. */
const SYSCALL_CONTRACT_CALL = 0x525b7d62;

/** One GAS in fractions (GAS has 8 decimals). */
export const GAS = 100_000_000n;

const ATTRIBUTE_NAMES = { 0x01: 'HighPriority', 0x11: 'OracleResponse', 0x20: 'NotValidBefore', 0x21: 'Conflicts', 0x22: 'NotaryAssisted' };
const MAX_SIGNERS = 16;
const MAX_SUBITEMS = 16;

class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.pos = 0;
  }

  need(n, what) {
    if (this.pos + n > this.b.length) {
      throw new TxDecodeError(`${what} needs ${n} bytes but only ${this.b.length - this.pos} are left`, this.pos);
    }
  }

  u8(what) {
    this.need(1, what);
    return this.b[this.pos++];
  }

  uint(n, what) {
    this.need(n, what);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.b[this.pos + i]);
    this.pos += n;
    return v;
  }

  bytes(n, what) {
    this.need(n, what);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  varInt(what, max) {
    const at = this.pos;
    const first = this.u8(what);
    const v = first < 0xfd ? BigInt(first) : this.uint(first === 0xfd ? 2 : first === 0xfe ? 4 : 8, what);
    if (v > BigInt(max)) throw new TxDecodeError(`${what} is ${v}, more than ${max}`, at);
    return Number(v);
  }

  varBytes(what, max) {
    return this.bytes(this.varInt(`the length of ${what}`, max), what);
  }
}

/** A 20-byte little-endian script hash as Neo shows it: 0x + big-endian hex. */
function hash160(le) {
  return '0x' + toHex(le.slice().reverse());
}

function signedLE(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes.length && bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

/** Names of the scopes in a scopes byte, e.g. ['CALLED_BY_ENTRY']; 'NONE' for 0. */
export function scopeNames(scopes) {
  if (scopes === 0) return ['NONE'];
  return Object.entries(WITNESS_SCOPES).filter(([, bit]) => bit && (scopes & bit) === bit).map(([name]) => name);
}

function readCondition(r, depth) {
  const at = r.pos;
  const type = r.u8('a witness condition');
  if (depth > 2 && (type === 0x01 || type === 0x02 || type === 0x03)) throw new TxDecodeError('witness conditions nest deeper than 2', at);
  switch (type) {
    case 0x00: return { type: 'Boolean', value: r.u8('a Boolean condition') !== 0 };
    case 0x01: return { type: 'Not', condition: readCondition(r, depth + 1) };
    case 0x02:
    case 0x03: {
      const n = r.varInt('the number of sub-conditions', MAX_SUBITEMS);
      const conditions = [];
      for (let i = 0; i < n; i++) conditions.push(readCondition(r, depth + 1));
      return { type: type === 0x02 ? 'And' : 'Or', conditions };
    }
    case 0x18: return { type: 'ScriptHash', hash: hash160(r.bytes(20, 'a ScriptHash condition')) };
    case 0x19: return { type: 'Group', group: toHex(r.bytes(33, 'a Group condition')) };
    case 0x20: return { type: 'CalledByEntry' };
    case 0x28: return { type: 'CalledByContract', hash: hash160(r.bytes(20, 'a CalledByContract condition')) };
    case 0x29: return { type: 'CalledByGroup', group: toHex(r.bytes(33, 'a CalledByGroup condition')) };
    default: throw new TxDecodeError(`unknown witness condition type 0x${type.toString(16)}`, at);
  }
}

function readSigner(r) {
  const account = hash160(r.bytes(20, 'a signer\'s account'));
  const at = r.pos;
  const scopes = r.u8('a signer\'s scopes');
  const known = Object.values(WITNESS_SCOPES).reduce((a, b) => a | b, 0);
  if (scopes & ~known) throw new TxDecodeError(`signer ${account} has unknown scope bits 0x${scopes.toString(16)}`, at);
  if (scopes & WITNESS_SCOPES.GLOBAL && scopes !== WITNESS_SCOPES.GLOBAL) {
    throw new TxDecodeError(`signer ${account} combines Global with other scopes (0x${scopes.toString(16)})`, at);
  }
  const signer = { account, scopes, scopeNames: scopeNames(scopes), allowedContracts: [], allowedGroups: [], rules: [] };
  if (scopes & WITNESS_SCOPES.CUSTOM_CONTRACTS) {
    const n = r.varInt('the number of allowed contracts', MAX_SUBITEMS);
    for (let i = 0; i < n; i++) signer.allowedContracts.push(hash160(r.bytes(20, 'an allowed contract')));
  }
  if (scopes & WITNESS_SCOPES.CUSTOM_GROUPS) {
    const n = r.varInt('the number of allowed groups', MAX_SUBITEMS);
    for (let i = 0; i < n; i++) signer.allowedGroups.push(toHex(r.bytes(33, 'an allowed group')));
  }
  if (scopes & WITNESS_SCOPES.WITNESS_RULES) {
    const n = r.varInt('the number of witness rules', MAX_SUBITEMS);
    for (let i = 0; i < n; i++) {
      const a = r.pos;
      const action = r.u8('a witness rule\'s action');
      if (action > 1) throw new TxDecodeError(`witness rule action ${action} is neither Deny (0) nor Allow (1)`, a);
      signer.rules.push({ action: action ? 'Allow' : 'Deny', condition: readCondition(r, 0) });
    }
  }
  return signer;
}

function readAttribute(r) {
  const at = r.pos;
  const type = r.u8('an attribute type');
  const name = ATTRIBUTE_NAMES[type];
  switch (type) {
    case 0x01: return { type: name };
    case 0x11: return { type: name, id: r.uint(8, 'an oracle response id'), code: r.u8('an oracle response code'),
      result: r.varBytes('an oracle response result', 0xffff) };
    case 0x20: return { type: name, height: Number(r.uint(4, 'a NotValidBefore height')) };
    case 0x21: return { type: name, hash: '0x' + toHex(r.bytes(32, 'a Conflicts hash').reverse()) };
    case 0x22: return { type: name, nKeys: r.u8('a NotaryAssisted key count') };
    default: throw new TxDecodeError(`unknown transaction attribute type 0x${type.toString(16)}`, at);
  }
}

/**
 * Decodes a Neo N3 transaction without its witnesses (what POST /v1/chain/prepare returns): every
 * byte must be used. Fees are BigInt GAS fractions; hashes are 0x + big-endian hex.
 * @throws TxDecodeError naming what is malformed and where
 */
export function decodeTransaction(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TxDecodeError('a transaction must be bytes');
  const r = new Reader(bytes);
  const version = r.u8('the version');
  if (version !== 0) throw new TxDecodeError(`version ${version} is not Neo N3's transaction version 0`, 0);
  const nonce = Number(r.uint(4, 'the nonce'));
  const feeAt = r.pos;
  const systemFee = BigInt.asIntN(64, r.uint(8, 'the system fee'));
  const networkFee = BigInt.asIntN(64, r.uint(8, 'the network fee'));
  if (systemFee < 0n || networkFee < 0n) throw new TxDecodeError(`a fee is negative (system ${systemFee}, network ${networkFee})`, feeAt);
  const validUntilBlock = Number(r.uint(4, 'validUntilBlock'));
  const nSigners = r.varInt('the number of signers', MAX_SIGNERS);
  if (nSigners === 0) throw new TxDecodeError('a transaction needs at least one signer', r.pos - 1);
  const signers = [];
  for (let i = 0; i < nSigners; i++) signers.push(readSigner(r));
  const seen = new Set(signers.map((s) => s.account));
  if (seen.size !== signers.length) throw new TxDecodeError('a signer is listed twice');
  const nAttributes = r.varInt('the number of attributes', MAX_SIGNERS - nSigners);
  const attributes = [];
  for (let i = 0; i < nAttributes; i++) attributes.push(readAttribute(r));
  const scriptAt = r.pos;
  const script = r.varBytes('the script', 0xffff);
  if (script.length === 0) throw new TxDecodeError('the script is empty', scriptAt);
  if (r.pos !== bytes.length) {
    throw new TxDecodeError(`${bytes.length - r.pos} bytes follow the script; a prepared transaction ends with its script`, r.pos);
  }
  return { version, nonce, systemFee, networkFee, validUntilBlock, signers, attributes, script };
}

/**
 * Decodes a script that is exactly one System.Contract.Call with literal arguments:
 * {contract (0x big-endian), method, callFlags, args}. Each argument is {type: 'ByteString', bytes},
 * {type: 'Integer', value: BigInt}, {type: 'Boolean', value}, {type: 'Null'} or {type: 'Array', items}.
 * @throws TxDecodeError when the script does anything else (another opcode, two calls, leftovers)
 */
export function decodeContractCall(script) {
  const r = new Reader(script);
  const stack = [];
  const pop = (what, at) => {
    if (!stack.length) throw new TxDecodeError(`${what} is missing from the stack`, at);
    return stack.pop();
  };
  while (r.pos < script.length) {
    const at = r.pos;
    const op = r.u8('an opcode');
    if (op <= 0x05) stack.push({ type: 'Integer', value: signedLE(r.bytes(1 << op, 'a PUSHINT operand')) });
    else if (op === 0x08 || op === 0x09) stack.push({ type: 'Boolean', value: op === 0x08 });
    else if (op === 0x0b) stack.push({ type: 'Null' });
    else if (op >= 0x0c && op <= 0x0e) {
      const n = Number(r.uint(op === 0x0c ? 1 : op === 0x0d ? 2 : 4, 'a PUSHDATA length'));
      stack.push({ type: 'ByteString', bytes: r.bytes(n, 'PUSHDATA bytes') });
    } else if (op >= 0x0f && op <= 0x20) stack.push({ type: 'Integer', value: BigInt(op - 0x10) });
    else if (op === 0xc2) stack.push({ type: 'Array', items: [] });
    else if (op === 0xc0) {
      const n = pop('PACK\'s count', at);
      if (n.type !== 'Integer' || n.value < 0n || n.value > BigInt(stack.length)) {
        throw new TxDecodeError('PACK without a count of the items below it', at);
      }
      const items = [];
      for (let i = 0n; i < n.value; i++) items.push(stack.pop());
      stack.push({ type: 'Array', items });
    } else if (op === 0x41) {
      const id = Number(r.uint(4, 'a SYSCALL id'));
      if (id !== SYSCALL_CONTRACT_CALL) throw new TxDecodeError(`SYSCALL 0x${id.toString(16)} is not System.Contract.Call`, at);
      const contract = pop('the contract hash', at);
      const method = pop('the method', at);
      const flags = pop('the call flags', at);
      const args = pop('the argument array', at);
      if (contract.type !== 'ByteString' || contract.bytes.length !== 20) throw new TxDecodeError('the called contract is not a 20-byte hash', at);
      if (method.type !== 'ByteString') throw new TxDecodeError('the method name is not a string', at);
      if (flags.type !== 'Integer' || flags.value < 0n || flags.value > 0x0fn) throw new TxDecodeError('the call flags are not 0..15', at);
      if (args.type !== 'Array') throw new TxDecodeError('the arguments are not an array', at);
      if (stack.length) throw new TxDecodeError(`${stack.length} values are left on the stack under the call`, at);
      if (r.pos !== script.length) {
        throw new TxDecodeError(`the script goes on after its contract call (${script.length - r.pos} more bytes): it does more than one call`, r.pos);
      }
      let name;
      try {
        name = new TextDecoder('utf-8', { fatal: true }).decode(method.bytes);
      } catch {
        throw new TxDecodeError('the method name is not UTF-8', at);
      }
      return { contract: hash160(contract.bytes), method: name, callFlags: Number(flags.value), args: args.items };
    } else {
      throw new TxDecodeError(`opcode 0x${op.toString(16).padStart(2, '0')} is not part of a plain contract call`, at);
    }
  }
  throw new TxDecodeError('the script ends without a System.Contract.Call', script.length);
}

/** Expected argument builders for checkPreparedCall. */
export const arg = Object.freeze({
  string: (s) => ({ type: 'ByteString', bytes: new TextEncoder().encode(s), shown: JSON.stringify(s) }),
  bytes: (b, shown) => ({ type: 'ByteString', bytes: b, shown: shown ?? `0x${toHex(b)}` }),
  hash160: (hex0x) => {
    const be = hex0x.replace(/^0x/, '').toLowerCase();
    const le = new Uint8Array(be.match(/../g).map((x) => parseInt(x, 16)).reverse());
    return { type: 'ByteString', bytes: le, shown: `0x${be}` };
  },
  integer: (n) => ({ type: 'Integer', value: BigInt(n), shown: String(n) }),
  boolean: (v) => ({ type: 'Boolean', value: v, shown: String(v) }),
});

/** An argument in words, for the page to show (strings as JSON strings when they are UTF-8 text). */
export function describeArg(a) {
  switch (a.type) {
    case 'ByteString': {
      try {
        const s = new TextDecoder('utf-8', { fatal: true }).decode(a.bytes);
        if (/^[\x20-\x7e\u00a0-\uffff\n\t]*$/.test(s)) return JSON.stringify(s);
      } catch { /* not text: hex below */ }
      return `0x${toHex(a.bytes)}`;
    }
    case 'Integer':
    case 'Boolean': return String(a.value);
    case 'Null': return 'null';
    case 'Array': return `[${a.items.map(describeArg).join(', ')}]`;
    default: return a.type;
  }
}

function sameArg(got, want) {
  // neow3j (3.17) pushes a Boolean parameter as PUSH1/PUSH0; the VM converts it for a Boolean parameter.
  if (want.type === 'Boolean' && got.type === 'Integer') return got.value === (want.value ? 1n : 0n);
  if (got.type !== want.type) return false;
  if (want.type === 'ByteString') return got.bytes.length === want.bytes.length && got.bytes.every((x, i) => x === want.bytes[i]);
  return got.value === want.value;
}

/** GAS fractions in words: 123450000n → "1.2345 GAS". */
export function formatGas(fractions) {
  const whole = fractions / GAS;
  const frac = (fractions % GAS).toString().padStart(8, '0').replace(/0+$/, '');
  return `${whole}${frac ? '.' + frac : ''} GAS`;
}

/**
 * Checks a prepared transaction against what the user asked for, and refuses it otherwise:
 * one signer, `sender` (0x big-endian script hash), with exactly the CalledByEntry scope; no
 * attributes; a script that is one contract call to `contract` with CallFlags.All, one of `calls`
 * ({method, args: [arg.*]}) with exactly those arguments; system + network fee at most `maxFee`
 * (BigInt GAS fractions). Returns {tx, call (with shownArgs, the arguments in words), fee} for
 * the page to show.
 * @throws TxDecodeError when the bytes are malformed, TxNotAsAskedError when they are another call
 */
export function checkPreparedCall(txBytes, { sender, contract, calls, maxFee }) {
  const tx = decodeTransaction(txBytes);
  const want = (s) => s.toLowerCase();
  if (tx.signers.length !== 1) {
    throw new TxNotAsAskedError(`the transaction has ${tx.signers.length} signers (${tx.signers.map((s) => s.account).join(', ')}); it must have one, your account ${sender}`);
  }
  const [signer] = tx.signers;
  if (signer.account !== want(sender)) {
    throw new TxNotAsAskedError(`the transaction's signer is ${signer.account}, not your account ${sender}`);
  }
  if (signer.scopes !== WITNESS_SCOPES.CALLED_BY_ENTRY) {
    throw new TxNotAsAskedError(`your signature would hold with scope ${signer.scopeNames.join('+')}; the page signs only CalledByEntry (valid for the called contract, not for any contract it passes your witness on to)`);
  }
  if (tx.attributes.length) {
    throw new TxNotAsAskedError(`the transaction carries attributes (${tx.attributes.map((a) => a.type).join(', ')}); a prepared call has none`);
  }
  const call = decodeContractCall(tx.script);
  if (call.contract !== want(contract)) {
    throw new TxNotAsAskedError(`the script calls contract ${call.contract}, not ${contract}`);
  }
  if (call.callFlags !== CALL_FLAGS_ALL) {
    throw new TxNotAsAskedError(`the script calls with flags 0x${call.callFlags.toString(16)}, not All (0xf) as the service builds calls`);
  }
  const candidates = calls.filter((c) => c.method === call.method);
  if (!candidates.length) {
    throw new TxNotAsAskedError(`the script calls method '${call.method}', not ${calls.map((c) => `'${c.method}'`).join(' or ')}`);
  }
  const match = candidates.find((c) => c.args.length === call.args.length && c.args.every((a, i) => sameArg(call.args[i], a)));
  if (!match) {
    const c = candidates[0];
    const shownGot = call.args.map(describeArg).join(', ');
    const shownWant = c.args.map((a) => a.shown).join(', ');
    throw new TxNotAsAskedError(`the script calls ${call.method}(${shownGot}), not ${call.method}(${shownWant})`);
  }
  const fee = tx.systemFee + tx.networkFee;
  if (fee > maxFee) {
    throw new TxNotAsAskedError(`the fees are ${formatGas(fee)} (system ${formatGas(tx.systemFee)}, network ${formatGas(tx.networkFee)}), more than the cap of ${formatGas(maxFee)}`);
  }
  // The arguments in words as the user knows them (a hash as 0x big-endian, not its pushed bytes).
  return { tx, call: { ...call, shownArgs: match.args.map((a) => a.shown) }, fee };
}
