// Operator view (the operator's key; GET /v1/operator/overview): readiness and its reasons,
// watcher lag, queue depth per stage, counters, GAS spent and the fee recipient's balance, the
// workers, time per stage, failures, and plots of throughput, p95 blocks-to-answer, GAS spent,
// queue depth and lag over the last hour. Refreshes every 5 seconds while shown.
import { timePlot } from '../chart.js';
import { add, copyable, fill, h, statusLine, table } from '../dom.js';
import { formatCount, formatGas, shortHash } from '../format.js';

export const title = 'Operator';

const REFRESH_MS = 5000;

export async function mount(el, ctx) {
  const status = statusLine();
  const body = h('div');
  add(el, h('h1', { id: 'view-title' }, 'Operator'), status.el, body);
  let destroyers = [];
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const o = await ctx.api.get('/v1/operator/overview');
      if (stopped) return;
      status.clear();
      destroyers.forEach((d) => d());
      destroyers = [];
      render(body, o, destroyers);
    } catch (e) {
      if (stopped) return;
      status.error(e);
      if (e.code === 'NOT_OPERATOR' || e.status === 403) return; // no point polling
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    destroyers.forEach((d) => d());
  };
}

function render(body, o, destroyers) {
  const ready = o.readiness ?? {};
  const reasons = Object.entries(ready).filter(([k]) => k !== 'ready');
  const series = (o.series ?? []).filter((s) => Number.isFinite(s.atMillis));
  // Throughput between consecutive samples, in answers per minute.
  const throughput = series.slice(1).map((s, i) => {
    const prev = series[i];
    const minutes = (s.atMillis - prev.atMillis) / 60000;
    return { t: s.atMillis, v: minutes > 0 ? (s.requestsFulfilled - prev.requestsFulfilled) / minutes : 0 };
  });
  const plots = [
    timePlot('Throughput (answers per minute)', throughput, { unit: '/min' }),
    timePlot('p95 blocks to answer, last minute (at most)', series.filter((s) => typeof s.p95BlocksToAnswerLastMinute === 'number').map((s) => ({ t: s.atMillis, v: s.p95BlocksToAnswerLastMinute })), { unit: 'blocks', empty: 'No answer landed in the samples kept.' }),
    timePlot('GAS spent on answers', series.filter((s) => Number.isFinite(s.fulfilFeesDatoshi)).map((s) => ({ t: s.atMillis, v: s.fulfilFeesDatoshi / 1e8 })), { unit: 'GAS' }),
    timePlot('Queue depth', series.map((s) => ({ t: s.atMillis, v: s.queueDepth })), { unit: 'requests' }),
    timePlot('Watcher lag', series.map((s) => ({ t: s.atMillis, v: s.lagBlocks })), { unit: 'blocks' }),
  ];
  destroyers.push(...plots.map((p) => p.destroy));
  const perMinute = o.fulfilledPerMinute === null || o.fulfilledPerMinute === undefined ? '—' : o.fulfilledPerMinute.toFixed(1);
  fill(
    body,
    h('div', { class: 'numbers' },
      h('div', { class: 'number', 'data-testid': 'readiness' },
        h('strong', { class: ready.ready ? 'good' : 'bad' }, ready.ready ? 'ready' : 'not ready'),
        h('span', {}, 'readiness')),
      number('watcher lag (blocks)', formatCount(o.lagBlocks), 'lag'),
      number('queue depth', formatCount(o.queueDepth), 'queue'),
      number('requests seen', formatCount(o.requestsSeen), 'requests'),
      number('executed', formatCount(o.requestsExecuted), 'executed'),
      number('answers on chain', formatCount(o.requestsFulfilled), 'answered'),
      number('answers per minute', perMinute, 'per-minute'),
      number('p95 blocks to answer since start (at most)', o.p95BlocksToAnswerAtMost ?? '—', 'p95'),
      number('JS gas used', formatCount(o.jsGasUsed), 'js-gas'),
      number('answer transactions (retries)', `${formatCount(o.fulfilTransactions)} (${formatCount(o.fulfilRetries)})`, 'fulfil-tx'),
      number('chain height', typeof o.chainHeight === 'number' ? formatCount(o.chainHeight) : 'not read yet', 'height'),
      number('GAS spent on answers', gasTile(o.gas?.spentDatoshi), 'gas-spent'),
      number('operator GAS', gasTile(o.gas?.operatorBalanceDatoshi), 'gas-operator'),
      number('GAS in fees at the gateway', gasTile(o.gas?.feeRecipientBalanceDatoshi), 'gas-earned'),
    ),
    reasons.length
      ? h('div', { class: 'card' }, h('h2', {}, ready.ready ? 'Readiness' : 'Why not ready'),
          h('dl', { class: 'facts' }, reasons.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : JSON.stringify(v))])))
      : null,
    gasCard(o),
    h('div', { class: 'grid2' },
      h('div', {}, h('h2', {}, 'Queue by stage'), h('div', { 'data-testid': 'queue-by-stage' }, kv(inStageOrder(o.queueByStage), 'Stage', 'Requests', formatCount, 'The queue is empty.'))),
      h('div', {}, h('h2', {}, 'Workers'), workersTable(o.workers))),
    h('div', { class: 'plots' }, plots.map((p) => p.el)),
    h('div', { class: 'grid2' },
      h('div', {}, h('h2', {}, 'Time per stage'), kv(o.stageSeconds, 'Stage', 'Seconds', (v) => Number(v).toFixed(3), 'No stage timings yet.')),
      h('div', {}, h('h2', {}, 'Failures by kind'), kv(o.failuresByKind, 'Kind', 'Count', formatCount, 'No failures.'),
        h('h2', {}, 'Dropped by state'), kv(o.droppedByState, 'State', 'Count', formatCount, 'Nothing dropped.'))),
  );
}

/** What the GAS figures are, in plain words: spent is ours; earned is the gateway's ledger. */
function gasCard(o) {
  const g = o.gas ?? {};
  const recipientIsOperator = g.feeRecipient && o.operator && g.feeRecipient.toLowerCase() === o.operator.toLowerCase();
  return h('div', { class: 'card', 'data-testid': 'gas' },
    h('h2', {}, 'GAS'),
    h('p', {}, `Spent: ${formatGas(g.spentDatoshi)} GAS, the system and network fees of this service's answer transactions included since it started (a faulted one is paid for too), from the operator account, which holds ${formatGas(g.operatorBalanceDatoshi)} GAS.`),
    h('p', {},
      'Earned: the gateway credits each fulfilled request\'s fee (request fee + JS gas limit × JS gas price + gas for response, fixed when the request was made) to its fee recipient, ',
      g.feeRecipient ? copyable(g.feeRecipient, shortHash(g.feeRecipient), 'Copy the fee recipient') : '—',
      recipientIsOperator ? ' (the operator account)' : ' (not the operator account)',
      `, whose balance at the gateway is ${formatGas(g.feeRecipientBalanceDatoshi)} GAS. That balance counts the fees of every service answering for this gateway, minus what was withdrawn, plus any deposit: this service cannot tell its own share apart.`),
    g.problem ? h('p', { class: 'error-text' }, String(g.problem)) : null,
  );
}

function workersTable(w) {
  const list = w?.list ?? [];
  const rows = table(
    [
      { title: 'Worker', cell: (x) => (x.workerId === null ? 'this service (alone)' : String(x.workerId)) + (x.self && w.several ? ' (this one)' : '') },
      { title: 'Build', cell: (x) => copyable(x.measurement, shortHash(x.measurement, 4), 'Copy the measurement') },
      { title: 'Live', cell: (x) => h('span', { class: x.live ? 'badge ok' : 'badge bad' }, x.live ? 'live' : 'expired') },
      { title: 'Lease age', cell: (x) => seconds(x.leaseAgeSeconds) },
      w?.several ? { title: 'Renewed', cell: (x) => `${seconds(x.renewedSecondsAgo)} ago` } : null,
      { title: 'Assigned', cell: (x) => formatCount(x.assigned) },
      { title: 'In flight', cell: (x) => formatCount(x.inFlight) },
    ].filter(Boolean),
    list,
    { empty: 'No worker has a lease row.' },
  );
  return h('div', { 'data-testid': 'workers' },
    h('p', {}, w?.several ? `${list.filter((x) => x.live).length} live of ${list.length}; each worker counts only its own requests.` : 'One worker: this service runs alone on its embedded store.'),
    rows);
}

/** GAS for a tile: 4 decimals (2 from 100 GAS up) so it fits; the card below gives every digit. */
function gasTile(datoshi) {
  if (typeof datoshi !== 'number') return '—';
  const gas = datoshi / 1e8;
  return gas.toLocaleString('en-US', { maximumFractionDigits: Math.abs(gas) >= 100 ? 2 : 4 });
}

function seconds(s) {
  if (typeof s !== 'number') return '—';
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The stages in the order a request goes through them (docs/pipeline.md); any other after. */
const STAGES = ['SEEN', 'QUEUED', 'HELD', 'RUNNING', 'EXECUTED', 'SENT'];

function inStageOrder(counts) {
  const out = {};
  for (const st of STAGES) if (counts && st in counts) out[st] = counts[st];
  for (const [k, v] of Object.entries(counts ?? {})) if (!(k in out)) out[k] = v;
  return out;
}

function kv(map, keyTitle, valueTitle, format, empty) {
  const rows = Object.entries(map ?? {}).map(([k, v]) => ({ k, v }));
  return table([{ title: keyTitle, cell: (r) => r.k }, { title: valueTitle, cell: (r) => format(r.v) }], rows, { empty });
}

function number(label, value, testid) {
  return h('div', { class: 'number', 'data-testid': testid }, h('strong', {}, String(value)), h('span', {}, label));
}
