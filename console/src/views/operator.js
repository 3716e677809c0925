// Operator view (the operator's key; GET /v1/operator/overview): readiness and its reasons,
// watcher lag, queue depth, counters, time per stage, failures, and plots of throughput, p95
// blocks-to-answer, queue depth and lag over the last hour. Refreshes every 5 seconds while shown.
import { timePlot } from '../chart.js';
import { add, fill, h, statusLine, table } from '../dom.js';
import { formatCount } from '../format.js';

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
    timePlot('p95 blocks to answer (at most)', series.filter((s) => s.p95BlocksToAnswerAtMost !== null && s.p95BlocksToAnswerAtMost !== undefined).map((s) => ({ t: s.atMillis, v: s.p95BlocksToAnswerAtMost })), { unit: 'blocks' }),
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
      number('p95 blocks to answer (at most)', o.p95BlocksToAnswerAtMost ?? '—', 'p95'),
      number('JS gas used', formatCount(o.jsGasUsed), 'js-gas'),
      number('answer transactions (retries)', `${formatCount(o.fulfilTransactions)} (${formatCount(o.fulfilRetries)})`, 'fulfil-tx'),
      number('chain height', formatCount(o.chainHeight >= 0 ? o.chainHeight : ready.chainHeight), 'height'),
    ),
    reasons.length
      ? h('div', { class: 'card' }, h('h2', {}, ready.ready ? 'Readiness' : 'Why not ready'),
          h('dl', { class: 'facts' }, reasons.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : JSON.stringify(v))])))
      : null,
    h('div', { class: 'plots' }, plots.map((p) => p.el)),
    h('div', { class: 'grid2' },
      h('div', {}, h('h2', {}, 'Time per stage'), kv(o.stageSeconds, 'Stage', 'Seconds', (v) => Number(v).toFixed(3), 'No stage timings yet.')),
      h('div', {}, h('h2', {}, 'Failures by kind'), kv(o.failuresByKind, 'Kind', 'Count', formatCount, 'No failures.'),
        h('h2', {}, 'Dropped by state'), kv(o.droppedByState, 'State', 'Count', formatCount, 'Nothing dropped.'))),
    h('p', { class: 'empty' }, 'GAS spent and earned, and the workers, are not in the overview this service answers yet.'),
  );
}

function kv(map, keyTitle, valueTitle, format, empty) {
  const rows = Object.entries(map ?? {}).map(([k, v]) => ({ k, v }));
  return table([{ title: keyTitle, cell: (r) => r.k }, { title: valueTitle, cell: (r) => format(r.v) }], rows, { empty });
}

function number(label, value, testid) {
  return h('div', { class: 'number', 'data-testid': testid }, h('strong', {}, String(value)), h('span', {}, label));
}
