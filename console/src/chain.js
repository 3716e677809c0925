// A chain action from the page: the service prepares the unsigned transaction with you as its
// sender (POST /v1/chain/prepare); the page decodes the bytes itself (clients/js neo-tx.js) and
// goes on only if they are exactly the call you asked for — the contract (the gateway the service's
// attestation names, or the consumer you typed), the method and its arguments, you as the one
// signer with scope CalledByEntry, fees under the cap shown — then shows you that call and signs
// only when you say so ("Sign and send"); the service adds the witness and relays it
// (POST /v1/chain/send), and the page follows it (GET /v1/chain/tx/{hash}) until its
// block, and for a request until the answer lands. The service never holds your key.
import { GAS, arg, checkPreparedCall, describeArg, formatGas, sha256 } from './crypto/index.js';
import { bytesToHex, hexToBytes } from './hex.js';

/** The most a prepared transaction may cost (system + network fee) before the page refuses it. */
export const DEFAULT_FEE_CAP = 5n * GAS;

/** JS gas of a request without a limit, and the GAS a request reserves for its answer: as the service (ChainActionsResource, ConsumerCalls). */
export const DEFAULT_JS_GAS_LIMIT = 1_000_000;
export const GAS_FOR_RESPONSE = 10_000_000;

const POLL_MS = 500;

/**
 * Runs one action; onProgress({ stage, text, hash?, state?, decoded? }) tells the page where it is
 * (`decoded`, at stages 'confirm' and 'sign': what checkPrepared decoded, for the page to show).
 * `confirm(decoded)` is required: it shows the checked call to the user and resolves true to sign
 * and send it, false to stop; it is called only for a transaction that passed the check, and
 * nothing is signed before it resolves true. Resolves with the last state of
 * GET /v1/chain/tx/{hash}; rejects without signing when the prepared transaction is not the asked
 * call (code TX_NOT_AS_ASKED or TX_MALFORMED) or the user did not confirm (code NOT_CONFIRMED).
 */
export async function chainAction(api, session, action, args, { confirm, onProgress = () => {}, untilAnswer = false, timeoutMs = 90_000, isCurrent = () => true, maxFee = DEFAULT_FEE_CAP } = {}) {
  if (typeof confirm !== 'function') throw new TypeError('chainAction needs confirm(decoded): the page signs only after the user says so.');
  onProgress({ stage: 'prepare', text: `Preparing the ${action} transaction…` });
  let prepared;
  try {
    prepared = await api.post('/v1/chain/prepare', { action, args });
  } catch (e) {
    if (e.status === 404 && /no endpoint/.test(e.message)) throw noChainActions(action, args);
    throw e;
  }
  const checked = await checkPrepared(api, session, action, args, prepared, { maxFee });
  onProgress({ stage: 'confirm', text: `Checked by this page: ${checked.callText}. Nothing is signed until you press Sign and send.`, decoded: checked });
  if ((await confirm(checked)) !== true) {
    const e = new Error(`Not signed: you cancelled the ${action} transaction; nothing was sent.`);
    e.code = 'NOT_CONFIRMED';
    throw e;
  }
  if (!isCurrent()) throw new Error('Left the view before signing; nothing was signed or sent.');
  onProgress({ stage: 'sign', text: `Checked by this page: ${checked.words}. Signing it…`, decoded: checked });
  const signature = bytesToHex(await session.signBytes(checked.signData));
  const sent = await api.post('/v1/chain/send', { tx: prepared.tx, signature, publicKey: session.account().publicKeyHex });
  const hash = sent.hash;
  onProgress({ stage: 'sent', text: 'Sent; waiting for the block…', hash });
  const started = Date.now();
  for (;;) {
    if (!isCurrent()) throw new Error('Left the view; the transaction goes on without this page.');
    const state = await api.get(`/v1/chain/tx/${encodeURIComponent(hash)}`);
    const landed = state.state !== 'PENDING' && state.state !== 'pending';
    const done = landed && (!untilAnswer || state.answer || isFailed(state));
    onProgress({ stage: done ? 'done' : landed ? 'waiting-answer' : 'pending', text: describe(state, untilAnswer), hash, state });
    if (done) return state;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`No ${untilAnswer && landed ? 'answer' : 'block'} after ${Math.round(timeoutMs / 1000)} s for transaction ${hash}; it may still land: look it up later.`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * What the user asked for, as checkPreparedCall's expectation: the contract, the method(s) and the
 * exact arguments. `gateway` is the gateway the service's attestation names (GET /v1/enclave).
 */
export async function expectedCall(action, args, { sender, gateway }) {
  const id = arg.string(String(args.functionId ?? ''));
  const base = { sender, maxFee: DEFAULT_FEE_CAP };
  switch (action) {
    case 'register': {
      const codeSha256 = await sha256(new TextEncoder().encode(String(args.code ?? '')));
      const sha = arg.bytes(codeSha256, `sha256 ${bytesToHex(codeSha256)}`);
      return { ...base, contract: gateway, calls: [
        { method: 'registerFunction', args: [id, sha, arg.hash160(sender)] },
        { method: 'updateFunction', args: [id, sha] },
      ] };
    }
    case 'request':
      return { ...base, contract: hash0x(args.consumer), calls: [{ method: 'request', args: [id,
        arg.string(String(args.input ?? '')), arg.integer(args.jsGasLimit ?? DEFAULT_JS_GAS_LIMIT), arg.integer(GAS_FOR_RESPONSE)] }] };
    case 'enable':
    case 'disable':
      return { ...base, contract: gateway, calls: [{ method: 'setFunctionEnabled', args: [id, arg.boolean(action === 'enable')] }] };
    default:
      throw new Error(`The page knows no chain action '${action}'.`);
  }
}

/**
 * Decodes the prepared transaction and refuses it unless it is the asked call; resolves
 * {tx, call, fee, maxFee, networkMagic, hash, signData, words}. The page signs its own sign data
 * (network magic of the attested document ‖ SHA-256 of the bytes), never the service's.
 * @throws TxNotAsAskedError / TxDecodeError (from clients/js neo-tx.js), or an Error naming a mismatch
 */
export async function checkPrepared(api, session, action, args, prepared, { maxFee = DEFAULT_FEE_CAP } = {}) {
  const doc = await api.get('/v1/enclave', { signed: false });
  const gateway = hash0x(doc?.gatewayScriptHash);
  const networkMagic = Number(doc?.networkMagic);
  if (!Number.isInteger(networkMagic) || networkMagic < 0 || networkMagic > 0xffffffff) {
    throw refusal(`the service's attestation names no network magic (${JSON.stringify(doc?.networkMagic)})`);
  }
  if (Number(prepared.networkMagic) !== networkMagic) {
    throw refusal(`the prepared transaction is for network ${prepared.networkMagic}, the service's attestation names network ${networkMagic}`);
  }
  const sender = session.account().scriptHash;
  const expected = { ...(await expectedCall(action, args, { sender, gateway })), maxFee };
  const txBytes = hexToBytes(String(prepared.tx ?? ''));
  let decoded;
  try {
    decoded = checkPreparedCall(txBytes, expected);
  } catch (e) {
    if (e.code === 'TX_NOT_AS_ASKED' || e.code === 'TX_MALFORMED') e.message = `The page refused to sign: ${e.message}.`;
    throw e;
  }
  const { tx, call, fee } = decoded;
  const digest = await sha256(txBytes);
  const hash = '0x' + bytesToHex(digest.slice().reverse());
  if (prepared.hash && String(prepared.hash).toLowerCase() !== hash) {
    throw refusal(`the service says the transaction is ${prepared.hash}, its bytes hash to ${hash}`);
  }
  const signData = new Uint8Array(4 + digest.length);
  new DataView(signData.buffer).setUint32(0, networkMagic, true);
  signData.set(digest, 4);
  const callText = `${call.method}(${(call.shownArgs ?? call.args.map(describeArg)).join(', ')})`;
  const words = `${callText} on ${call.contract}, signed by you (${sender}, CalledByEntry), fees ${formatGas(fee)} (cap ${formatGas(maxFee)})`;
  return { tx, call, callText, fee, maxFee, networkMagic, hash, signData, sender, words };
}

function hash0x(h) {
  const s = String(h ?? '').replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(s)) throw refusal(`${JSON.stringify(h)} is not a contract hash (0x + 40 hex)`);
  return '0x' + s;
}

function refusal(why) {
  const e = new Error(`The page refused to sign: ${why}.`);
  e.code = 'TX_NOT_AS_ASKED';
  return e;
}

function isFailed(state) {
  return /fault|fail|expired/i.test(String(state.state));
}

function describe(state, untilAnswer) {
  const waited = state.blocksWaited !== undefined && state.blocksWaited !== null ? ` (${state.blocksWaited} blocks waited)` : '';
  if (/pending/i.test(state.state)) return `Waiting for the block${waited}…`;
  if (isFailed(state)) return `The transaction failed: ${state.state}${state.exception ? ' — ' + state.exception : ''}`;
  if (untilAnswer && !state.answer) return `In a block; request ${state.requestId ?? '?'} waits for its answer${waited}…`;
  return `Done${waited}.`;
}

/** The service has no chain actions yet (decision 1120): say what to run instead. */
function noChainActions(action, args) {
  const cli = {
    register: `./nsl function register FILE.js --id ${args.functionId ?? 'ID'}`,
    request: `./nsl request send --consumer ${args.consumer ?? 'CONSUMER'} --function ${args.functionId ?? 'ID'} --input '${args.input ?? '{}'}' --wait`,
    enable: `the gateway's setFunctionEnabled(${args.functionId ?? 'ID'}, true) from the owner's wallet`,
    disable: `the gateway's setFunctionEnabled(${args.functionId ?? 'ID'}, false) from the owner's wallet`,
  }[action];
  const e = new Error(`This service cannot prepare chain transactions for the page yet (no POST /v1/chain/prepare). Meanwhile: ${cli}`);
  e.code = 'CHAIN_ACTIONS_NOT_SERVED';
  return e;
}
