// Executions: your recent executions (owner only, logs with secret values scrubbed by the
// service), filtered by function, status and time, with plots of gas and of blocks to answer, and
// for each the answer's transaction (copyable) and the blocks from the request to it.
import { timePlot } from '../chart.js';
import { add, copyable, field, h, statusLine, table } from '../dom.js';
import { formatCount, percentile, shortHash } from '../format.js';
import { withQuery } from '../api.js';
import { formatHash } from '../router.js';
import { showAnswer } from './playground.js';

export const title = 'Executions';

const FILTERS = ['function', 'status', 'since', 'limit'];

export async function mount(el, ctx) {
  return ctx.route.id === null ? list(el, ctx) : detail(el, ctx, ctx.route.id);
}

async function list(el, ctx) {
  const q = ctx.route.query;
  const status = statusLine();
  const inputs = {
    function: h('input', { name: 'function', value: q.function ?? '', placeholder: 'any' }),
    status: h('select', { name: 'status' },
      [['', 'any'], ['ok', 'ok'], ['failed', 'failed']].map(([v, t]) => h('option', { value: v, selected: (q.status ?? '') === v }, t))),
    since: h('input', { name: 'since', type: 'datetime-local', value: q.since ? toLocalInput(q.since) : '' }),
    limit: h('input', { name: 'limit', value: q.limit ?? '50', inputmode: 'numeric' }),
  };
  const form = h('form', { class: 'filters', 'aria-label': 'Filters' },
    field('Function', inputs.function), field('Status', inputs.status), field('Since', inputs.since), field('Limit', inputs.limit),
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const query = {};
    for (const k of FILTERS) {
      const v = inputs[k].value.trim();
      if (v) query[k] = k === 'since' ? new Date(v).toISOString() : v;
    }
    ctx.navigate('executions', null, query);
  });
  const plots = h('div', { class: 'plots' });
  const body = h('div');
  add(el, h('h1', { id: 'view-title' }, 'Executions'), form, status.el, plots, body);

  const query = {};
  for (const k of FILTERS) if (q[k]) query[k] = q[k];
  if (q.cursor) query.cursor = q.cursor;
  status.info('Loading…');
  let answer;
  try {
    answer = await ctx.api.get(withQuery('/v1/executions', query));
  } catch (e) {
    status.error(e);
    return;
  }
  status.clear();
  const rows = answer.executions ?? [];
  const destroyers = [];
  const series = rows
    .filter((r) => r.executedAt)
    .map((r) => ({ t: Date.parse(r.executedAt), r }))
    .sort((a, b) => a.t - b.t);
  const gas = timePlot('Gas used', series.map(({ t, r }) => ({ t, v: r.gasUsed })), { unit: 'gas' });
  const latency = timePlot('Blocks to answer', series.filter(({ r }) => typeof r.blocksToAnswer === 'number').map(({ t, r }) => ({ t, v: r.blocksToAnswer })), {
    unit: 'blocks',
    empty: rows.length ? 'No answer of these executions has landed on chain yet.' : 'No data yet.',
  });
  destroyers.push(gas.destroy, latency.destroy);
  const p95 = percentile(rows.map((r) => r.blocksToAnswer), 95);
  add(plots, 
    h('div', { class: 'numbers' },
      number('executions shown', formatCount(rows.length)),
      number('failed', formatCount(rows.filter((r) => !isOk(r.status)).length)),
      number('p95 blocks to answer', p95 === null ? '—' : String(p95)),
    ),
    gas.el,
    latency.el,
  );
  add(body, 
    table(
      [
        { title: 'Request', cell: (r) => h('a', { href: formatHash('executions', String(r.requestId)) }, String(r.requestId)) },
        { title: 'Function', cell: (r) => String(r.functionId) },
        { title: 'Status', cell: (r) => h('span', { class: isOk(r.status) ? 'badge ok' : 'badge bad' }, statusText(r)) },
        { title: 'Gas', cell: (r) => formatCount(r.gasUsed) },
        { title: 'Request block', cell: (r) => formatCount(r.blockIndex) },
        { title: 'Blocks to answer', cell: (r) => h('span', { 'data-testid': 'blocks-to-answer' }, typeof r.blocksToAnswer === 'number' ? String(r.blocksToAnswer) : '—') },
        { title: 'Answer transaction', cell: (r) => (r.answerTxHash ? inRow(copyable(r.answerTxHash, shortHash(r.answerTxHash), 'Copy the answer transaction')) : '—') },
        { title: 'Executed', cell: (r) => r.executedAt ?? '—' },
      ].filter(Boolean),
      rows,
      { empty: 'No executions match.', onRow: (r) => ctx.navigate('executions', String(r.requestId)) },
    ),
    answer.nextCursor ? h('p', {}, h('a', { href: formatHash('executions', null, { ...query, cursor: answer.nextCursor }) }, 'Older →')) : null,
  );
  return () => destroyers.forEach((d) => d());
}

async function detail(el, ctx, requestId) {
  const status = statusLine();
  const out = h('div', { class: 'output' });
  add(el, h('p', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / '), h('h1', { id: 'view-title' }, `Request ${requestId}`), status.el, out);
  if (!/^[0-9]+$/.test(requestId)) {
    status.error(new Error(`'${requestId}' is not a request id (a whole number).`));
    return;
  }
  try {
    const x = await ctx.api.get(`/v1/executions/${encodeURIComponent(requestId)}`);
    showAnswer(out, x, x.answerTxHash ? { answerTx: x.answerTxHash, blocksWaited: x.blocksToAnswer } : undefined);
    out.prepend(h('p', {}, 'Function ', h('a', { href: formatHash('functions', x.functionId) }, String(x.functionId)), x.chainState ? ` · on chain: ${x.chainState}` : '', x.executedAt ? ` · ${x.executedAt}` : ''));
  } catch (e) {
    status.error(e);
  }
}

/** A control inside a clickable row: its click copies, it does not open the row. */
function inRow(el) {
  el.addEventListener('click', (e) => e.stopPropagation());
  el.addEventListener('keydown', (e) => e.stopPropagation());
  return el;
}

function isOk(s) {
  return s === 0 || s === 'ok' || s === 'OK';
}

function statusText(r) {
  return r.kind ? `${r.status} ${r.kind}` : String(r.status);
}

function number(label, value) {
  return h('div', { class: 'number' }, h('strong', {}, value), h('span', {}, label));
}

function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
