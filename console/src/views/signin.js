// Sign-in: a WIF, or a NEP-6 wallet file and its password. The key stays in the page; the devnet
// link '#/signin?wif=…' signs in at once and then removes the WIF from the address bar.
import { add, copyable, field, h, statusLine } from '../dom.js';
import { parseHash } from '../router.js';

export const title = 'Sign in';

export async function mount(el, ctx) {
  const { session, route } = ctx;
  const status = statusLine();
  const next = () => {
    const target = route.query.next ? parseHash('#' + route.query.next) : null;
    if (target?.view && target.view !== 'signin') location.replace('#' + route.query.next);
    else ctx.navigate('playground');
  };

  if (route.query.wif) {
    const wif = route.query.wif;
    ctx.forgetQueryKey('wif'); // first, so the WIF is gone from the address bar whatever happens
    try {
      await session.signInWithWif(wif, { remember: route.query.remember === '1' });
      next();
      return;
    } catch (e) {
      status.error(new Error(`The sign-in link's WIF was refused: ${e.message}`));
    }
  }

  const remember = h('input', { type: 'checkbox', name: 'remember' });
  const rememberField = h('label', { class: 'check' }, remember, ' Remember the key in this tab (session storage, until the tab closes)');

  const wifInput = h('input', { type: 'password', name: 'wif', autocomplete: 'off', spellcheck: 'false', placeholder: 'K… or L… (52 characters)' });
  const wifForm = h(
    'form',
    { class: 'card', 'aria-label': 'Sign in with a WIF' },
    h('h2', {}, 'With a WIF'),
    field('Private key (WIF)', wifInput, 'It stays in this page: requests are signed here, the key is never sent.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  wifForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.info('Checking the key…');
    try {
      await session.signInWithWif(wifInput.value, { remember: remember.checked });
      wifInput.value = '';
      next();
    } catch (err) {
      status.error(err);
    }
  });

  const fileInput = h('input', { type: 'file', name: 'wallet', accept: '.json,application/json' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const nep6Form = h(
    'form',
    { class: 'card', 'aria-label': 'Sign in with a NEP-6 wallet' },
    h('h2', {}, 'With a NEP-6 wallet'),
    field('Wallet file (.json)', fileInput),
    field('Password', password, 'Decrypting takes a few seconds (NEP-2 scrypt).'),
    h('button', { type: 'submit', class: 'primary' }, 'Open wallet'),
  );
  nep6Form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = fileInput.files?.[0];
    if (!file) {
      status.error(new Error('Choose a NEP-6 wallet file first.'));
      return;
    }
    status.info('Decrypting the wallet…');
    try {
      await session.signInWithNep6(await file.text(), password.value, { remember: remember.checked });
      password.value = '';
      next();
    } catch (err) {
      status.error(err);
    }
  });

  const current = session.account();
  add(el, 
    h('h1', { id: 'view-title' }, 'Sign in'),
    h(
      'p',
      { class: 'lead' },
      'You are a Neo N3 account. Every request this page makes is signed here with your key; on the devnet, ',
      h('code', {}, './nsl devnet up'),
      ' prints a link that signs in its developer wallet.',
    ),
    current
      ? h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Signed in'),
          h('dl', {}, h('dt', {}, 'Address'), h('dd', {}, copyable(current.address)), h('dt', {}, 'Public key'), h('dd', {}, copyable(current.publicKeyHex))),
        )
      : null,
    status.el,
    h('div', { class: 'grid2' }, wifForm, nep6Form),
    rememberField,
  );
  if (!current) wifInput.focus();
}
