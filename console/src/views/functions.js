// Functions: your stored functions; one function's versions, the code hash the gateway holds next
// to the stored code's hash, enable/disable on chain, and the fetch hosts it declared.
import { chainAction } from '../chain.js';
import { askToSign } from '../confirm.js';
import { add, copyable, h, statusLine, table } from '../dom.js';
import { formatCount, shortHash } from '../format.js';
import { formatHash } from '../router.js';

export const title = 'Functions';

export async function mount(el, ctx) {
  return ctx.route.id === null ? list(el, ctx) : detail(el, ctx, ctx.route.id);
}

async function list(el, ctx) {
  const status = statusLine();
  const body = h('div');
  add(el, 
    h('h1', { id: 'view-title' }, 'Functions'),
    h('p', { class: 'lead' }, 'The functions you uploaded to this service. Write a new one in the ', h('a', { href: '#/playground' }, 'playground'), '.'),
    status.el,
    body,
  );
  status.info('Loading…');
  try {
    const answer = await ctx.api.get('/v1/functions');
    status.clear();
    add(body, 
      table(
        [
          { title: 'Function', cell: (f) => h('a', { href: formatHash('functions', f.functionId) }, f.functionId) },
          { title: 'Code sha256', cell: (f) => copyable(f.codeSha256, shortHash(f.codeSha256)) },
          { title: 'Size', cell: (f) => `${formatCount(f.codeBytes)} bytes` },
          { title: 'Version', cell: (f) => (f.version !== undefined ? String(f.version) : '—') },
          { title: 'Enabled', cell: (f) => (f.enabled === undefined ? '—' : f.enabled ? 'yes' : 'no') },
        ],
        answer.functions,
        { empty: 'No functions yet: register one from the playground.', onRow: (f) => ctx.navigate('functions', f.functionId) },
      ),
    );
  } catch (e) {
    status.error(e);
  }
}

async function detail(el, ctx, functionId) {
  const status = statusLine('function-status');
  const confirmBox = h('div', { class: 'confirm-box' });
  const body = h('div');
  add(el, 
    h('p', { class: 'crumbs' }, h('a', { href: '#/functions' }, 'Functions'), ' / '),
    h('h1', { id: 'view-title' }, functionId),
    status.el,
    confirmBox,
    body,
  );

  async function load() {
    status.info('Loading…');
    body.replaceChildren();
    let f;
    try {
      f = await ctx.api.get(`/v1/functions/${encodeURIComponent(functionId)}`);
    } catch (e) {
      status.error(e);
      return;
    }
    status.clear();
    const reg = f.registration;
    const matches = reg ? reg.matchesStoredCode : false;
    const toggle = reg
      ? h('button', { type: 'button', onclick: () => setEnabled(!reg.enabled) }, reg.enabled ? 'Disable' : 'Enable')
      : null;
    add(body, 
      h('dl', { class: 'facts' },
        h('dt', {}, 'Owner'), h('dd', {}, copyable(f.owner)),
        h('dt', {}, 'Stored code sha256'), h('dd', {}, copyable(f.codeSha256)),
        h('dt', {}, 'On chain code sha256'),
        h('dd', {}, reg ? copyable(reg.codeSha256) : 'not registered on the gateway',
          reg ? h('span', { class: matches ? 'badge ok' : 'badge bad' }, matches ? 'matches the stored code' : 'differs from the stored code') : null),
        h('dt', {}, 'Version'), h('dd', {}, reg ? String(reg.version) : '—'),
        h('dt', {}, 'Enabled'), h('dd', {}, reg ? (reg.enabled ? 'yes ' : 'no ') : '—', toggle),
        h('dt', {}, 'Fetch hosts'),
        h('dd', {}, f.fetchHosts === null || f.fetchHosts === undefined ? 'none declared (any host the operator allows)' : h('ul', { class: 'plain' }, f.fetchHosts.map((x) => h('li', {}, h('code', {}, x))))),
      ),
      versions(f),
      h('p', {}, h('a', { href: formatHash('executions', null, { function: functionId }) }, 'Executions of this function'), ' · ',
        h('a', { href: formatHash('playground', null, { function: functionId }) }, 'Send it a request')),
      h('h2', {}, 'Code'),
      h('pre', { class: 'code-view' }, f.code),
      f.inputSchema ? [h('h2', {}, 'Input schema'), h('pre', {}, JSON.stringify(f.inputSchema, null, 2))] : null,
    );
  }

  let busy = false;
  async function setEnabled(enabled) {
    if (busy) return;
    busy = true;
    confirmBox.replaceChildren();
    try {
      await chainAction(ctx.api, ctx.session, enabled ? 'enable' : 'disable', { functionId }, {
        confirm: (d) => askToSign(confirmBox, d),
        onProgress: (p) => status.info(p.text),
        isCurrent: ctx.isCurrent,
      });
      if (ctx.isCurrent()) {
        confirmBox.replaceChildren();
        await load();
      }
    } catch (e) {
      if (e?.code === 'NOT_CONFIRMED') status.info(e.message);
      else status.error(e);
    } finally {
      busy = false;
    }
  }

  await load();
}

function versions(f) {
  const list = f.versions ?? f.registration?.versions;
  if (!Array.isArray(list) || list.length === 0) return null;
  return [
    h('h2', {}, 'Versions'),
    table(
      [
        { title: 'Version', cell: (v) => String(v.version) },
        { title: 'Code sha256', cell: (v) => copyable(v.codeSha256, shortHash(v.codeSha256)) },
        { title: 'Stored', cell: (v) => v.storedAt ?? v.at ?? '—' },
      ],
      list,
    ),
  ];
}
