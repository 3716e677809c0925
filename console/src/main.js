// The console's shell: header, navigation, the signed-in account, and the router that mounts one
// view at a time. A view is a module exporting `title` and `mount(el, ctx)`, which may return a
// function called when the view is left (see views/README.md for ctx).
import './style.css';
import { createApi } from './api.js';
import { add, copyable, fill, h } from './dom.js';
import { shortHash } from './format.js';
import { formatHash, parseHash, withoutQueryKey } from './router.js';
import { createSession } from './session.js';
import * as signin from './views/signin.js';
import * as playground from './views/playground.js';
import * as functions from './views/functions.js';
import * as executions from './views/executions.js';
import * as operator from './views/operator.js';
import * as secrets from './views/secrets.js';
import * as attestation from './views/attestation.js';

const VIEWS = { signin, playground, functions, executions, secrets, attestation, operator };
const NAV = ['playground', 'functions', 'executions', 'secrets', 'attestation', 'operator'];
const PUBLIC_VIEWS = new Set(['signin']);

const session = createSession();
const api = createApi({ session });

const nav = h(
  'nav',
  { 'aria-label': 'Views' },
  NAV.map((v) => h('a', { href: `#/${v}`, dataset: { view: v } }, VIEWS[v].title)),
);
const who = h('div', { class: 'who' });
const main = h('main', { id: 'main', tabindex: '-1' });
add(document.body, 
  h('a', { class: 'skip', href: '#main', onclick: (e) => (e.preventDefault(), main.focus()) }, 'Skip to content'),
  h('header', {}, h('a', { class: 'brand', href: '#/playground' }, 'NSL console'), nav, who),
  main,
);

function renderWho() {
  const a = session.account();
  if (!a) {
    fill(who, h('a', { href: '#/signin' }, 'Sign in'));
    return;
  }
  fill(
    who,
    h('span', { class: 'address', title: a.address }, copyable(a.address, shortHash(a.address, 4), 'Copy address')),
    h('button', { type: 'button', class: 'link', onclick: () => (session.signOut(), navigate('signin')) }, 'Sign out'),
  );
}
session.onChange(renderWho);

function navigate(view, id = null, query = {}) {
  location.hash = formatHash(view, id, query);
}

let leave = null;
let mountSeq = 0;

async function route() {
  const r = parseHash(location.hash);
  if (r.view === null || !VIEWS[r.view]) {
    location.replace(formatHash(session.signedIn() ? 'playground' : 'signin'));
    return;
  }
  if (!PUBLIC_VIEWS.has(r.view) && !session.signedIn()) {
    location.replace(formatHash('signin', null, { next: location.hash.slice(1) }));
    return;
  }
  const seq = ++mountSeq;
  try {
    leave?.();
  } catch (e) {
    console.warn('leaving the view failed', e);
  }
  leave = null;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.view === r.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const view = VIEWS[r.view];
  document.title = `${view.title} · NSL console`;
  const el = h('section', { class: `view view-${r.view}`, 'aria-labelledby': 'view-title' });
  fill(main, el);
  const ctx = {
    api,
    session,
    route: r,
    navigate,
    /** Replaces the query of the current view's URL without leaving the view (filters). */
    replaceQuery(query) {
      history.replaceState(null, '', formatHash(r.view, r.id, query));
    },
    /** Removes one query key from the address bar (the sign-in link's WIF). */
    forgetQueryKey(key) {
      history.replaceState(null, '', withoutQueryKey(location.hash, key));
    },
    isCurrent: () => seq === mountSeq,
  };
  try {
    const cleanup = await view.mount(el, ctx);
    if (seq === mountSeq) leave = typeof cleanup === 'function' ? cleanup : null;
    else if (typeof cleanup === 'function') cleanup();
  } catch (e) {
    console.error(e);
    add(el, h('p', { class: 'status', 'data-kind': 'error' }, `This view failed to load: ${e.message}`));
  }
}

window.addEventListener('hashchange', route);
renderWho();
session
  .restore()
  .catch(() => null)
  .finally(() => {
    renderWho();
    route();
  });
