// The pure part of the Attestation and Secrets views (no DOM): runs the service's check and the
// page's own, and decides whether secrets may be encrypted and to which key. Tested in node
// (console/test/unit/attestation-gate.test.mjs).
//
// What this module reads from POST /v1/attestation/check (body {from: "gateway"} or
// {from: "quote", quote: "<hex>"}, either with collateral?: Intel's PCCS JSON object):
//   { simulated: bool, valid: bool,
//     checks: [{ name, outcome: "PASSED"|"FAILED"|"NOT_CHECKED", words }]   (docs/openapi.yaml),
//     facts: { mode, mrEnclave?, secretsPublicKey?, signingPublicKey?, gateway?, collateral?, … },
//     clusterKey?: {epoch, secretsPublicKey} | null   (the key the gateway names, docs/cluster.md) }
// Checks in the older shape { id, title?, ok: true|false|null, detail } are read too.
import { checkReportDataBinding } from '../crypto/index.js';

/** Plain words for the DCAP verifier's checks the page knows; others show the service's title. */
const CHECK_TITLES = {
  quoteFormat: 'The quote is a well-formed SGX quote',
  quoteSignature: 'The quote is signed by the CPU\'s attestation key',
  pckChain: 'That key chains to Intel\'s root certificate',
  qeIdentity: 'The quote was made by Intel\'s Quoting Enclave',
  tcbStatus: 'The platform is up to date (TCB status)',
  measurement: 'The enclave runs code the gateway\'s policy allows (measurement)',
  reportData: 'The quote binds this gateway and these keys (report_data)',
  enclaveActive: 'The gateway accepts this enclave\'s signing key',
  serviceBinding: 'The service\'s document binds this gateway and its keys (report_data)',
};

/** The service's check names (enclave.dcap.QuoteChecks, ServiceAttestationChecker) → the ids above. */
const CHECK_IDS = {
  'quote format': 'quoteFormat',
  'PCK certificate chain to Intel\'s SGX root': 'pckChain',
  'quote signature': 'quoteSignature',
  'quoting enclave identity': 'qeIdentity',
  'TCB status': 'tcbStatus',
  'measurement against the policy': 'measurement',
  'report_data binding': 'reportData',
  'report_data binds the gateway and the enclave\'s keys': 'serviceBinding',
};
const OUTCOMES = { PASSED: true, FAILED: false, NOT_CHECKED: null };

/** One check of the answer as the page shows it: {id, title, ok (true, false, null: not checked), detail, by}. */
export function readCheck(c) {
  const id = String(c?.id ?? CHECK_IDS[c?.name] ?? c?.name ?? '');
  const ok = c && 'ok' in c ? c.ok : OUTCOMES[c?.outcome];
  return {
    id,
    title: CHECK_TITLES[id] ?? String(c?.title ?? c?.name ?? (id || 'check')),
    ok: ok === true ? true : ok === false ? false : null,
    detail: String(c?.detail ?? c?.words ?? ''),
    by: 'service',
  };
}

/**
 * The collateral field as the page sends it: empty → none (the operator's, if configured), else
 * Intel's PCCS JSON object, parsed here so that a typo is named before anything is sent.
 */
export function parseCollateral(text) {
  const t = String(text ?? '').trim();
  if (!t) return undefined;
  let v;
  try {
    v = JSON.parse(t);
  } catch (e) {
    throw new Error(`The collateral is not JSON (${e.message}); paste Intel's collateral as PCCS JSON (tcb_info, qe_identity, their signatures and chains, the CRLs).`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error('The collateral must be a JSON object (PCCS JSON: tcb_info, qe_identity, …).');
  }
  return v;
}

export const PAGE_BINDING = 'pageReportData';

/**
 * Runs the service's check and the page's own: resolves to {simulated, checks, doc, answer}. `from`
 * is 'gateway' or 'quote' (then `quote` is the pasted text); `collateral` is a parsed PCCS JSON
 * object (parseCollateral) or undefined. The page's check recomputes
 * report_data from GET /v1/enclave's keys; it needs no trust in the service's answer.
 */
export async function checkService(api, { from = 'gateway', quote, collateral } = {}) {
  const body = from === 'quote' ? { from, quote: String(quote ?? '').trim() } : { from: 'gateway' };
  if (collateral !== undefined) body.collateral = collateral;
  const answer = await api.post('/v1/attestation/check', body);
  const checks = (Array.isArray(answer?.checks) ? answer.checks : []).map(readCheck);
  let doc = null;
  if (from === 'gateway') {
    doc = await api.get('/v1/enclave', { signed: false });
    let binding;
    try {
      binding = await checkReportDataBinding(doc);
    } catch (e) {
      binding = { bound: false, error: e.message };
    }
    checks.push({
      id: PAGE_BINDING,
      title: 'This page recomputed report_data from the keys and gateway the service shows',
      ok: binding.bound,
      detail: binding.bound
        ? 'SHA-256("NSL-ATTEST-v1" ‖ network magic ‖ gateway ‖ signing key ‖ secrets key) matches the attested report_data.'
        : binding.error ?? `expected ${binding.expectedReportData}, the attestation carries ${binding.reportData}: do not send secrets.`,
      by: 'page',
    });
  }
  const simulated = answer?.simulated === true || answer?.mode === 'SIMULATED' || answer?.facts?.mode === 'SIMULATED'
    || doc?.simulated === true || doc?.mode === 'SIMULATED';
  return { simulated, checks, doc, answer: answer ?? {} };
}

/**
 * Whether secrets may be encrypted to the checked service, and to which key: the attested secrets
 * key, which must be the one the gateway names when it names one. Pure.
 * Resolves {allowed, secretsPublicKey, reasons[]} — reasons say, in words, what blocks.
 */
export function secretsKeyDecision(result, { allowSimulated = false } = {}) {
  const reasons = [];
  const failed = result.checks.filter((c) => c.ok === false);
  for (const c of failed) reasons.push(`${c.title}: failed${c.detail ? ` (${c.detail})` : ''}`);
  if (!result.checks.some((c) => c.id === PAGE_BINDING && c.ok === true)) {
    reasons.push('the page could not confirm that the attestation binds the secrets key');
  }
  const attested = String(result.doc?.secretsPublicKey ?? '').toLowerCase();
  const checked = String(result.answer.secretsPublicKey ?? result.answer.facts?.secretsPublicKey ?? attested).toLowerCase();
  if (checked !== attested) reasons.push(`the service checked key ${checked} but shows ${attested}`);
  const named = result.answer.clusterKey?.secretsPublicKey?.toLowerCase();
  if (named && named !== attested) {
    reasons.push(`the gateway names secrets key ${named} (epoch ${result.answer.clusterKey.epoch}), the attested instance holds ${attested}`);
  }
  if (result.simulated && !allowSimulated) {
    reasons.push('the service is SIMULATED: no enclave protects the value, the operator can read it');
  }
  return { allowed: reasons.length === 0 && /^0[23][0-9a-f]{64}$/.test(attested), secretsPublicKey: attested, reasons };
}

/** The rows of GET /v1/secrets: [{name, sequence?}] (the API lists names; a version when it gives one). */
export function secretRows(answer) {
  if (Array.isArray(answer?.secrets)) {
    return answer.secrets.map((s) => ({ name: String(s?.name ?? ''), sequence: s?.sequence ?? null }));
  }
  return (Array.isArray(answer?.names) ? answer.names : []).map((n) => ({ name: String(n), sequence: null }));
}

