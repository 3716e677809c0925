// The only way the console builds DOM: h(tag, attributes, ...children). Children that are not
// nodes become text nodes, so anything from a function, a log or the API is text, never markup.
// There is no innerHTML anywhere in console/src (test/unit/no-inner-html.test.mjs checks it).

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

/** Only relative links and http(s) survive; 'javascript:', 'data:' and the like become '#'. */
export function safeHref(value) {
  const s = String(value ?? '').trim();
  if (s.startsWith('#') || s.startsWith('/') || s.startsWith('./')) return s;
  return /^https?:\/\//i.test(s) ? s : '#';
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) {
      if (typeof v !== 'function') throw new TypeError(`h(): ${k} must be a function`);
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') {
      el[k] = v;
    } else {
      el.setAttribute(k, URL_ATTRIBUTES.has(k) ? safeHref(v) : v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Appends children to el: text for non-nodes; null, undefined and false skipped; arrays flattened. */
export function add(el, ...children) {
  append(el, children);
  return el;
}

/** Replaces el's children (text for non-nodes). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A value with a copy button: the full value is copied, a shortened one may be shown. */
export function copyable(value, shown = value, label = 'Copy') {
  const text = String(value ?? '');
  const button = h('button', { type: 'button', class: 'copy', title: `${label}: ${text}`, 'aria-label': `${label} ${text}` }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // No clipboard permission (an insecure origin, a denied prompt): select the text instead.
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected';
    }
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
  const code = h('code', { title: text }, String(shown ?? ''));
  return h('span', { class: 'copyable' }, code, button);
}

/** A labelled form field: h('label') around the text and the control. */
export function field(labelText, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, labelText), control, hint ? h('small', {}, hint) : null);
}

/** A status line that shows errors (with their API code) and progress. */
export function statusLine(testid) {
  const el = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': testid });
  return {
    el,
    clear: () => fill(el) && el.removeAttribute('data-kind'),
    info: (...parts) => {
      el.dataset.kind = 'info';
      fill(el, ...parts);
    },
    ok: (...parts) => {
      el.dataset.kind = 'ok';
      fill(el, ...parts);
    },
    error: (e) => {
      el.dataset.kind = 'error';
      fill(el, e?.code ? h('code', {}, e.code) : null, e?.code ? ' ' : null, e?.message ?? String(e));
    },
  };
}

/** A table from rows; columns = [{ title, cell(row) → string | Node }]. */
export function table(columns, rows, { empty = 'Nothing yet.', onRow } = {}) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
      h(
        'tbody',
        {},
        rows.map((r) => {
          const tr = h('tr', {}, columns.map((c) => h('td', { 'data-title': c.title }, c.cell(r))));
          if (onRow) {
            tr.tabIndex = 0;
            tr.classList.add('clickable');
            tr.addEventListener('click', () => onRow(r));
            tr.addEventListener('keydown', (e) => {
              if (e.key === 'Enter') onRow(r);
            });
          }
          return tr;
        }),
      ),
    ),
  );
}
