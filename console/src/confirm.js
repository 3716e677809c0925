// The step between "checked" and "signed": the page shows the call it decoded from the prepared
// transaction and signs only when the user presses "Sign and send" (a click or Enter); "Cancel" or
// Escape stops with nothing signed or sent. Shared by every view that sends a chain action.
import { formatGas } from './crypto/index.js';
import { add, copyable, h } from './dom.js';
import { shortHash } from './format.js';

/**
 * Shows `d` (what chain.js checkPrepared decoded) in `box` with "Sign and send" and "Cancel";
 * resolves true on "Sign and send", false on Cancel or Escape. The button row goes away once
 * answered; the decoded call stays, so the page still shows what was (or was not) signed.
 */
export function askToSign(box, d, { label = 'Sign and send' } = {}) {
  return new Promise((resolve) => {
    const call = decodedCall(d);
    const signButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'sign-and-send' }, label);
    const cancelButton = h('button', { type: 'button', 'data-testid': 'cancel-sign' }, 'Cancel');
    const row = h('div', { class: 'actions confirm', role: 'group', 'aria-label': 'Sign this transaction?' },
      signButton, cancelButton, h('span', { class: 'hint' }, 'Enter signs, Esc cancels.'));
    const done = (yes) => {
      document.removeEventListener('keydown', onKey, true);
      row.remove();
      resolve(yes);
    };
    // Escape anywhere on the page cancels while the question is open; Enter on the focused
    // "Sign and send" is the button's own click.
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        done(false);
      }
    };
    signButton.addEventListener('click', () => done(true));
    cancelButton.addEventListener('click', () => done(false));
    document.addEventListener('keydown', onKey, true);
    add(box, call, row);
    signButton.focus();
  });
}

/** What the page decoded from the prepared transaction and would sign, every value as text. */
export function decodedCall(d) {
  return h('dl', { class: 'answer decoded-call', 'data-testid': 'decoded-call', 'aria-label': 'The transaction this page checked' },
    h('dt', {}, 'Call (checked by this page)'), h('dd', {}, h('code', {}, d.callText)),
    h('dt', {}, 'Contract'), h('dd', {}, copyable(d.call.contract, shortHash(d.call.contract))),
    h('dt', {}, 'Signer'), h('dd', {}, copyable(d.sender, shortHash(d.sender)), ' (you), scope CalledByEntry'),
    h('dt', {}, 'Fees'), h('dd', {}, `${formatGas(d.fee)} (system ${formatGas(d.tx.systemFee)}, network ${formatGas(d.tx.networkFee)}); the page refuses more than ${formatGas(d.maxFee)}`),
    h('dt', {}, 'Valid until block'), h('dd', {}, String(d.tx.validUntilBlock)),
  );
}
