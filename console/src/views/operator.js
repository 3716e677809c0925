// Operator view (the operator's key): readiness and its reasons, watcher lag, queue depth per
// stage, throughput and p95 blocks-to-answer over the last hour, GAS spent and earned. Refreshes
// every 5 seconds while shown.
import { timePlot } from '../chart.js';
import { add, fill, h, statusLine, table } from '../dom.js';
import { formatCount, formatGas } from '../format.js';

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
  const series = o.series ?? [];
  const t = (s) => Date.parse(s.at ?? s.time ?? s.t) || Number(s.atMillis ?? s.t);
  const throughput = timePlot('Throughput (answers per minute)', series.map((s) => ({ t: t(s), v: s.answersPerMinute ?? s.throughput ?? 0 })), { unit: '/min' });
  const p95 = timePlot('p95 blocks to answer', series.filter((s) => s.p95BlocksToAnswer !== null && s.p95BlocksToAnswer !== undefined).map((s) => ({ t: t(s), v: s.p95BlocksToAnswer })), { unit: 'blocks' });
  destroyers.push(throughput.destroy, p95.destroy);
  const queues = Object.entries(o.queueDepth ?? o.queues ?? {}).map(([stage, depth]) => ({ stage, depth }));
  fill(
    body,
    h('div', { class: 'numbers' },
      h('div', { class: 'number', 'data-testid': 'readiness' },
        h('strong', { class: ready.ready ? 'good' : 'bad' }, ready.ready ? 'ready' : 'not ready'),
        h('span', {}, 'readiness')),
      number('watcher lag (blocks)', formatCount(o.watcherLagBlocks ?? o.watcher?.lagBlocks), 'lag'),
      number('requests seen', formatCount(o.totals?.requestsSeen ?? o.requestsSeen), 'requests'),
      number('answers sent', formatCount(o.totals?.answered ?? o.answered), 'answered'),
      number('p95 blocks to answer', o.p95BlocksToAnswer ?? '—', 'p95'),
      number('GAS spent', formatGas(o.gas?.spentFractions ?? o.gasSpentFractions), 'gas-spent'),
      number('GAS earned', formatGas(o.gas?.earnedFractions ?? o.gasEarnedFractions), 'gas-earned'),
    ),
    (ready.reasons ?? []).length
      ? h('div', { class: 'card' }, h('h2', {}, 'Why not ready'), h('ul', {}, ready.reasons.map((r) => h('li', {}, String(r)))))
      : null,
    h('div', { class: 'plots' }, throughput.el, p95.el),
    h('h2', {}, 'Queue depth per stage'),
    table([{ title: 'Stage', cell: (q) => q.stage }, { title: 'Depth', cell: (q) => formatCount(q.depth) }], queues, { empty: 'No queues reported.' }),
    Array.isArray(o.workers) ? [h('h2', {}, 'Workers'), table([{ title: 'Worker', cell: (w) => String(w.id ?? w.name) }, { title: 'State', cell: (w) => String(w.state ?? '—') }], o.workers, { empty: 'No workers yet.' })] : null,
  );
}

function number(label, value, testid) {
  return h('div', { class: 'number', 'data-testid': testid }, h('strong', {}, String(value)), h('span', {}, label));
}
