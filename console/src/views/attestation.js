// Attestation in one click: the service's enclave (from the gateway) or a pasted quote, checked by
// the service's DCAP verifier (POST /v1/attestation/check) and, for the report_data binding, by
// this page itself. Every check is shown in plain words; SIMULATED is shown in red.
// The checks and the decision are in attestation-gate.js (pure, tested in node).
import { copyable, field, fill, h, statusLine } from '../dom.js';
import { checkService, parseCollateral } from './attestation-gate.js';
import './attestation.css';

export { checkService, secretsKeyDecision } from './attestation-gate.js';

export const title = 'Attestation';

/** The checks as a list, each with its verdict, title and the service's or page's words. */
export function renderChecks(result) {
  const mark = (ok) => (ok === true ? '✓' : ok === false ? '✗' : '–');
  const kind = (ok) => (ok === true ? 'good' : ok === false ? 'bad' : 'muted');
  return h('div', { class: 'attestation-result' },
    result.simulated
      ? h('p', { class: 'simulated bad', role: 'alert' },
        h('strong', {}, 'SIMULATED'),
        ' — no SGX enclave: the operator can read every secret sent to this service. Use it only on a local devnet with test values.')
      : null,
    h('ol', { class: 'checks' }, result.checks.map((c) =>
      h('li', { class: `check ${kind(c.ok)}`, dataset: { check: c.id } },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, mark(c.ok)),
        h('span', { class: 'sr-only' }, c.ok === true ? 'passed: ' : c.ok === false ? 'failed: ' : 'not applicable: '),
        h('span', { class: 'check-title' }, c.title),
        c.detail ? h('span', { class: 'check-detail' }, c.detail) : null,
        h('span', { class: 'check-by' }, c.by === 'page' ? 'checked by this page' : 'checked by the service')))));
}

function keysOf(result) {
  const doc = result.doc ?? {};
  const a = { ...(result.answer.facts ?? {}), ...result.answer };
  const collateralWords = { pasted: 'the collateral pasted here', operator: 'the operator\'s (configured on the service)', none: 'none: QE identity and TCB status not checked' };
  const rows = [
    ['Mode', a.mode ?? doc.mode ?? (result.simulated ? 'SIMULATED' : 'SGX')],
    ['Collateral', a.collateral ? collateralWords[a.collateral] ?? String(a.collateral) : null],
    ['Gateway', a.gatewayScriptHash ?? a.gateway ?? doc.gatewayScriptHash],
    ['Enclave signing key', a.signingPublicKey ?? doc.signingPublicKey],
    ['Secrets key (attested)', a.secretsPublicKey ?? doc.secretsPublicKey],
    ['Secrets key the gateway names', a.clusterKey ? `${a.clusterKey.secretsPublicKey} (epoch ${a.clusterKey.epoch})` : null],
    ['MRENCLAVE', a.mrEnclave],
    ['Instance', doc.instanceId],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  return h('dl', { class: 'keys' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, copyable(String(v)))]));
}

export async function mount(el, ctx) {
  const status = statusLine();
  const out = h('div', { class: 'attestation-out' });
  const quote = h('textarea', { name: 'quote', rows: 5, spellcheck: 'false', placeholder: 'An SGX quote, hex or base64' });
  const fromGateway = h('button', { type: 'button', class: 'primary' }, 'Check the service\'s enclave');
  const collateral = h('textarea', { name: 'collateral', rows: 4, spellcheck: 'false', placeholder: '{"tcb_info": "…", "tcb_info_signature": "…", "qe_identity": "…", …}' });
  const quoteForm = h('form', { class: 'card', 'aria-label': 'Check a pasted quote' },
    h('h2', {}, 'Or paste a quote'),
    field('Quote', quote, 'Checked with the same verifier as ./nsl attestation verify.'),
    h('button', { type: 'submit' }, 'Check this quote'));
  const collateralCard = h('details', { class: 'card collateral' },
    h('summary', {}, 'Collateral: Intel\'s TCB info, QE identity and CRLs (optional)'),
    field('Collateral (PCCS JSON)', collateral,
      'Used by both checks. Without it the service uses the collateral its operator configured, if any; '
      + 'with none, the QE identity and TCB status are not checked. The format of ./nsl attestation verify --collateral.'));

  async function run(source) {
    status.info(source.from === 'quote' ? 'Checking the quote…' : 'Loading the enclave key from the gateway and checking it…');
    fill(out);
    try {
      const result = await checkService(ctx.api, { ...source, collateral: parseCollateral(collateral.value) });
      if (!ctx.isCurrent()) return;
      const failed = result.checks.filter((c) => c.ok === false).length;
      const unchecked = result.checks.filter((c) => c.ok === null && (c.id === 'tcbStatus' || c.id === 'qeIdentity'));
      if (failed) status.error(new Error(`${failed} check${failed > 1 ? 's' : ''} failed: do not send secrets to this service.`));
      else if (result.simulated) status.error(new Error('Every check that applies passed, but the service is SIMULATED.'));
      else if (unchecked.length) status.info('Every check that ran passed; the QE identity and TCB status were not checked: paste Intel\'s collateral to check them.');
      else status.ok('Every check passed.');
      fill(out, renderChecks(result), keysOf(result));
    } catch (e) {
      if (ctx.isCurrent()) status.error(e);
    }
  }

  fromGateway.addEventListener('click', () => run({ from: 'gateway' }));
  quoteForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!quote.value.trim()) {
      status.error(new Error('Paste a quote first (hex or base64).'));
      return;
    }
    run({ from: 'quote', quote: quote.value });
  });

  el.append(
    h('h1', { id: 'view-title' }, 'Attestation'),
    h('p', { class: 'lead' }, 'Is the service an SGX enclave running the code the gateway allows, holding the keys it shows? '
      + 'Each check of the project\'s DCAP verifier, in words.'),
    h('div', { class: 'card' }, fromGateway),
    collateralCard,
    status.el,
    out,
    quoteForm,
  );
  await run({ from: 'gateway' });
}
