// A chain action from the page: the service prepares the unsigned transaction with you as its
// sender (POST /v1/chain/prepare), the page signs it with your key, the service adds the witness
// and relays it (POST /v1/chain/send), and the page follows it (GET /v1/chain/tx/{hash}) until its
// block, and for a request until the answer lands. The service never holds your key.
import { bytesToHex, hexToBytes } from './hex.js';

const POLL_MS = 500;

/**
 * Runs one action; onProgress({ stage, text, hash?, state? }) tells the page where it is.
 * Resolves with the last state of GET /v1/chain/tx/{hash}.
 */
export async function chainAction(api, session, action, args, { onProgress = () => {}, untilAnswer = false, timeoutMs = 90_000, isCurrent = () => true } = {}) {
  onProgress({ stage: 'prepare', text: `Preparing the ${action} transaction…` });
  let prepared;
  try {
    prepared = await api.post('/v1/chain/prepare', { action, args });
  } catch (e) {
    if (e.status === 404 && /no endpoint/.test(e.message)) throw noChainActions(action, args);
    throw e;
  }
  onProgress({ stage: 'sign', text: 'Signing it in this page…' });
  const signature = bytesToHex(await session.signBytes(hexToBytes(prepared.signData)));
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
