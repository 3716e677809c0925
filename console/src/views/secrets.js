// Secrets: names only, never values. Set and rotate encrypt IN THE PAGE to the secrets key the
// service attests (and the gateway names, when it names one), after the page has checked the
// attestation and shown what it checked; only the envelope (docs/secrets-envelope.md) leaves the
// page. Delete sends a signed DELETE envelope.
//
// Needs from the shell's API client: post(path, body), get(path), del(path, body) — a DELETE with
// a JSON body (the envelope naming the secret).
import { base64, checkSecretName, sealSecretEnvelope } from '../crypto/index.js';
import { copyable, field, fill, h, statusLine, table } from '../dom.js';
import { renderChecks } from './attestation.js';
import { checkService, secretRows, secretsKeyDecision } from './attestation-gate.js';
import './attestation.css';

export const title = 'Secrets';

export async function mount(el, ctx) {
  const { api, session } = ctx;
  const status = statusLine();
  const listBox = h('div', { class: 'secrets-list' });
  const gateBox = h('div', { class: 'secrets-gate', 'aria-live': 'polite' });
  const allowSimulated = h('input', { type: 'checkbox', name: 'allowSimulated' });
  const simulatedField = h('label', { class: 'check', hidden: true }, allowSimulated,
    ' This is a local devnet: encrypt to a SIMULATED service anyway (test values only; its operator can read them)');
  const nameInput = h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false', maxlength: 64, placeholder: 'OPENAI_API_KEY' });
  const valueInput = h('textarea', { name: 'value', rows: 3, autocomplete: 'off', spellcheck: 'false', class: 'secret-value' });
  const form = h('form', { class: 'card', 'aria-label': 'Set or rotate a secret' },
    h('h2', {}, 'Set or rotate a secret'),
    field('Name', nameInput, '1 to 64 of A–Z a–z 0–9 _ . - (setting an existing name replaces its value)'),
    field('Value', valueInput, 'Encrypted in this page to the attested enclave; the value itself is never sent.'),
    simulatedField,
    h('button', { type: 'submit', class: 'primary' }, 'Encrypt and store'));

  /** Checks the service and shows what was checked; resolves {result, decision}. */
  async function showCheck() {
    const result = await checkService(api, { from: 'gateway' });
    simulatedField.hidden = !result.simulated;
    const decision = secretsKeyDecision(result, { allowSimulated: allowSimulated.checked });
    if (!ctx.isCurrent()) return { result, decision };
    fill(gateBox,
      h('h2', {}, 'What the page checked before encrypting'),
      renderChecks(result),
      h('p', {}, 'Encrypting to secrets key ', copyable(decision.secretsPublicKey || '(none)')),
      decision.allowed ? null : h('ul', { class: 'bad' }, decision.reasons.map((r) => h('li', {}, r))));
    return { result, decision };
  }

  /** Checks the service again right before encrypting; resolves the key to encrypt to, or throws. */
  async function attestedKey() {
    status.info('Checking the service\'s attestation before encrypting…');
    const { result, decision } = await showCheck();
    if (!decision.allowed) {
      const e = new Error(`Not encrypted: ${decision.reasons.join('; ')}.`);
      e.code = result.simulated && !allowSimulated.checked && decision.reasons.length === 1 ? 'SIMULATED_SERVICE' : 'ATTESTATION_REFUSED';
      throw e;
    }
    return decision.secretsPublicKey;
  }

  async function seal(op, name, value) {
    const enclaveSecretsPublicKey = await attestedKey();
    const { envelope } = await sealSecretEnvelope({ enclaveSecretsPublicKey, signer: session.account(), name, value,
      sequence: Date.now(), op });
    return { envelope: base64(envelope) };
  }

  async function remove(name) {
    status.info(`Deleting ${name}…`);
    try {
      const body = await seal('DELETE', name, '');
      const receipt = await api.del(`/v1/secrets/${encodeURIComponent(name)}`, body);
      if (!ctx.isCurrent()) return;
      status.ok(`Deleted ${receipt?.name ?? name} (sequence ${receipt?.sequence ?? '?'}).`);
      await load();
    } catch (e) {
      if (ctx.isCurrent()) status.error(e);
    }
  }

  function deleteButton(name) {
    const b = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${name}` }, 'Delete');
    let armed = false;
    b.addEventListener('click', () => {
      if (!armed) {
        armed = true;
        b.textContent = `Confirm: delete ${name}`;
        return;
      }
      b.disabled = true;
      remove(name);
    });
    return b;
  }

  async function load() {
    const answer = await api.get('/v1/secrets');
    if (!ctx.isCurrent()) return;
    const rows = secretRows(answer);
    const versioned = rows.some((r) => r.sequence !== null); // GET /v1/secrets lists names; a version only if it gives one
    fill(listBox, table([
      { title: 'Name', cell: (r) => h('code', {}, r.name) },
      versioned ? { title: 'Version (sequence)', cell: (r) => (r.sequence === null ? '—' : String(r.sequence)) } : null,
      { title: '', cell: (r) => h('span', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': `Rotate ${r.name}`, onclick: () => {
          nameInput.value = r.name;
          valueInput.focus();
        } }, 'Rotate'),
        deleteButton(r.name)) },
    ].filter(Boolean), rows, { empty: 'No secrets yet. A function reads one with getSecret("NAME"); set one below.' }));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    try {
      checkSecretName(name);
    } catch (err) {
      status.error(err);
      nameInput.focus();
      return;
    }
    try {
      const body = await seal('PUT', name, valueInput.value);
      const receipt = await api.post('/v1/secrets', body);
      valueInput.value = '';
      if (!ctx.isCurrent()) return;
      status.ok(`Stored ${receipt?.name ?? name} (sequence ${receipt?.sequence ?? '?'}). Only its name is shown from now on.`);
      await load();
    } catch (err) {
      if (ctx.isCurrent()) status.error(err);
    }
  });

  el.append(
    h('h1', { id: 'view-title' }, 'Secrets'),
    h('p', { class: 'lead' }, 'Values your functions read with getSecret("NAME"). The service stores them encrypted to its enclave; '
      + 'this page shows names only.'),
    status.el,
    listBox,
    form,
    gateBox);
  try {
    await load();
    await showCheck(); // shows what will be checked (and the devnet box when SIMULATED) before any Set
  } catch (e) {
    if (ctx.isCurrent()) status.error(e);
  }
  return () => {
    valueInput.value = '';
  };
}
