// Playground: write a function, run it in the service's simulator (the same engine, gas table and
// answer as `./nsl function simulate`), then register it and send a request through the real chain.
import { chainAction } from '../chain.js';
import { askToSign, decodedCall } from '../confirm.js';
import { add, copyable, field, fill, h, statusLine } from '../dom.js';
import { formatCount, parseJsonField, parseWholeField, prettyJson, shortHash } from '../format.js';

export const title = 'Playground';

const SAMPLE = `// main(input) runs in the enclave; what it returns is the answer on chain.
function main(input) {
  log("hello from the playground, input", JSON.stringify(input));
  return { doubled: input.value * 2 };
}
`;

// The draft outlives the view (page memory only), so leaving and coming back keeps your work.
const draft = {
  code: SAMPLE,
  functionId: '',
  input: '{"value": 21}',
  secrets: '{}',
  state: '{}',
  gasLimit: '',
  blockTime: '',
  requestId: '',
  consumer: '',
};

export async function mount(el, ctx) {
  const { api, session, route } = ctx;
  if (route.query.consumer) draft.consumer = route.query.consumer;
  if (route.query.function) draft.functionId = route.query.function;

  const input = (name, attrs = {}) => {
    const control = h(attrs.multiline ? 'textarea' : 'input', {
      name,
      spellcheck: 'false',
      autocomplete: 'off',
      value: draft[name],
      rows: attrs.rows,
      placeholder: attrs.placeholder,
    });
    control.addEventListener('input', () => (draft[name] = control.value));
    return control;
  };

  const editorBox = h('div', { class: 'editor', 'data-testid': 'editor' });
  const fallback = h('textarea', { class: 'code', name: 'code', rows: 14, spellcheck: 'false', value: draft.code, 'aria-label': 'Function code' });
  fallback.addEventListener('input', () => (draft.code = fallback.value));
  add(editorBox, fallback);

  const runStatus = statusLine('run-status');
  const chainStatus = statusLine('chain-status');
  const output = h('div', { class: 'output', 'aria-label': 'Simulation result' });
  const chainOutput = h('div', { class: 'output', 'aria-label': 'On-chain answer' });

  const fields = {
    input: input('input', { multiline: true, rows: 3 }),
    secrets: input('secrets', { multiline: true, rows: 2 }),
    state: input('state', { multiline: true, rows: 2 }),
    gasLimit: input('gasLimit', { placeholder: 'the service default' }),
    blockTime: input('blockTime', { placeholder: '2026-01-01T00:00:00Z' }),
    requestId: input('requestId', { placeholder: '1' }),
    functionId: input('functionId', { placeholder: 'my-function' }),
    consumer: input('consumer', { placeholder: '0x… (the devnet prints it)' }),
  };

  const runButton = h('button', { type: 'button', class: 'primary', title: 'Run (Ctrl+Enter)' }, 'Run');
  const registerButton = h('button', { type: 'button' }, 'Register');
  const sendButton = h('button', { type: 'button' }, 'Send a request');
  let busy = false;
  const setBusy = (b) => {
    busy = b;
    for (const btn of [runButton, registerButton, sendButton]) btn.disabled = b;
  };

  async function run() {
    if (busy) return;
    let body;
    try {
      body = {
        code: draft.code,
        input: parseJsonField('Input', draft.input),
        secrets: parseJsonField('Secrets', draft.secrets, { emptyAs: {} }),
        state: parseJsonField('State', draft.state, { emptyAs: {} }),
      };
      if (draft.gasLimit.trim()) body.gasLimit = parseWholeField('Gas limit', draft.gasLimit, { min: 1 });
      if (draft.blockTime.trim()) body.blockTime = draft.blockTime.trim();
      if (draft.requestId.trim()) body.requestId = parseWholeField('Request id', draft.requestId);
    } catch (e) {
      runStatus.error(e);
      return;
    }
    setBusy(true);
    runStatus.info('Running in the simulator…');
    try {
      const answer = await api.post('/v1/simulate', body);
      if (!ctx.isCurrent()) return;
      runStatus.clear();
      showAnswer(output, answer);
    } catch (e) {
      runStatus.error(e);
    } finally {
      setBusy(false);
    }
  }

  async function register() {
    if (busy) return;
    const functionId = draft.functionId.trim();
    if (!functionId) {
      chainStatus.error(new Error('Give the function an id first (letters, digits, - and _).'));
      fields.functionId.focus();
      return;
    }
    setBusy(true);
    fill(chainOutput);
    try {
      const state = await chainAction(api, session, 'register', { functionId, code: draft.code }, {
        confirm: (d) => askToSign(chainOutput, d),
        onProgress: (p) => progress(chainStatus, chainOutput, p),
        isCurrent: ctx.isCurrent,
      });
      chainStatus.info('Registered on chain; uploading the code…');
      const stored = await api.put(`/v1/functions/${encodeURIComponent(functionId)}`, { code: draft.code });
      chainStatus.ok(`Function '${functionId}' registered (version ${stored.version}) and uploaded.`);
      add(chainOutput, h('p', {}, 'Code sha256 ', copyable(stored.codeSha256, shortHash(stored.codeSha256))));
      void state;
    } catch (e) {
      showFailure(chainStatus, e);
    } finally {
      setBusy(false);
    }
  }

  async function send() {
    if (busy) return;
    let args;
    try {
      const functionId = draft.functionId.trim();
      if (!functionId) throw new Error('Give the id of a registered function first.');
      const consumer = draft.consumer.trim();
      if (!consumer) throw new Error('Give the consumer contract that sends the request (the devnet prints it as consumer).');
      args = { consumer, functionId, input: JSON.stringify(parseJsonField('Input', draft.input)) };
      if (draft.gasLimit.trim()) args.jsGasLimit = parseWholeField('Gas limit', draft.gasLimit, { min: 1 });
    } catch (e) {
      chainStatus.error(e);
      return;
    }
    setBusy(true);
    fill(chainOutput);
    try {
      let decoded = null;
      const state = await chainAction(api, session, 'request', args, {
        untilAnswer: true,
        confirm: (d) => askToSign(chainOutput, d),
        onProgress: (p) => {
          decoded = p.decoded ?? decoded;
          progress(chainStatus, chainOutput, p);
        },
        isCurrent: ctx.isCurrent,
      });
      if (state.answer) {
        chainStatus.ok(`Answer on chain for request ${state.requestId}, ${state.blocksWaited ?? '?'} blocks after the request.`);
        showAnswer(chainOutput, { ...state.answer, requestId: state.requestId }, state);
        if (decoded) add(chainOutput, h('h3', {}, 'The request transaction, as this page checked it'), decodedCall(decoded));
      }
    } catch (e) {
      showFailure(chainStatus, e);
    } finally {
      setBusy(false);
    }
  }

  runButton.addEventListener('click', run);
  registerButton.addEventListener('click', register);
  sendButton.addEventListener('click', send);

  add(el, 
    h('h1', { id: 'view-title' }, 'Playground'),
    h('div', { class: 'playground' },
      h('div', { class: 'pane' },
        field('Code', editorBox, 'Ctrl+Enter runs it. Esc then Tab leaves the editor.'),
        field('Input (JSON)', fields.input),
        h('details', {},
          h('summary', {}, 'Simulation settings: secrets, state, gas, block time, request id'),
          field('Secrets (JSON, simulation only; never stored)', fields.secrets),
          field('State (JSON, simulation only)', fields.state),
          h('div', { class: 'row' },
            field('Gas limit', fields.gasLimit),
            field('Block time', fields.blockTime),
            field('Request id', fields.requestId),
          ),
        ),
        h('div', { class: 'actions' }, runButton),
        h('h2', {}, 'On chain'),
        h('div', { class: 'row' }, field('Function id', fields.functionId), field('Consumer contract', fields.consumer)),
        h('div', { class: 'actions' }, registerButton, sendButton),
      ),
      h('div', { class: 'pane' },
        h('h2', {}, 'Simulation'),
        runStatus.el,
        output,
        h('h2', {}, 'Chain'),
        chainStatus.el,
        chainOutput,
      ),
    ),
  );

  // The editor is its own chunk: the rest of the console does not pay for it.
  let editor = null;
  try {
    const { createEditor } = await import('../editor.js');
    if (ctx.isCurrent()) {
      editorBox.replaceChildren();
      editor = createEditor(editorBox, { doc: draft.code, onChange: (t) => (draft.code = t), onRun: run });
    }
  } catch (e) {
    console.warn('the code editor did not load; the plain text box stays', e);
  }
  return () => editor?.destroy();
}

function progress(status, out, p) {
  status.info(p.text);
  // At 'confirm' askToSign shows the decoded call with its buttons; the hash comes after sending.
  if (p.hash && !out.querySelector('.tx')) {
    add(out, h('p', { class: 'tx' }, 'Transaction ', copyable(p.hash, shortHash(p.hash))));
  }
}

/** A cancel is the user's choice, said plainly; anything else is an error. */
export function showFailure(status, e) {
  if (e?.code === 'NOT_CONFIRMED') status.info(e.message);
  else status.error(e);
}

/** Status, result, gas and logs of an answer: every value set as text. */
export function showAnswer(out, a, chain) {
  const ok = a.status === 'ok' || a.status === 0 || a.status === 'OK';
  fill(
    out,
    h('dl', { class: 'answer' },
      h('dt', {}, 'Status'), h('dd', {}, h('span', { class: ok ? 'badge ok' : 'badge bad', 'data-testid': 'status' }, String(a.status ?? '—')), a.kind ? ` ${a.kind}` : ''),
      a.requestId !== undefined ? [h('dt', {}, 'Request id'), h('dd', {}, String(a.requestId))] : null,
      h('dt', {}, 'Gas used'), h('dd', { 'data-testid': 'gas' }, formatCount(a.gasUsed)),
      chain?.hash ? [h('dt', {}, 'Transaction'), h('dd', {}, copyable(chain.hash, shortHash(chain.hash)))] : null,
      chain?.answerTx ? [h('dt', {}, 'Answer transaction'), h('dd', {}, copyable(chain.answerTx, shortHash(chain.answerTx)))] : null,
      chain?.blocksWaited !== undefined ? [h('dt', {}, 'Blocks waited'), h('dd', {}, String(chain.blocksWaited))] : null,
      a.error ? [h('dt', {}, 'Error'), h('dd', { class: 'error-text' }, String(a.error))] : null,
    ),
    h('h3', {}, 'Result'),
    h('pre', { class: 'result', 'data-testid': 'result' }, typeof a.result === 'string' ? a.result : prettyJson(a.result)),
    h('h3', {}, `Logs (${(a.logs ?? []).length})`),
    h('ol', { class: 'logs', 'data-testid': 'logs' }, (a.logs ?? []).map((line) => h('li', {}, String(line)))),
  );
}
