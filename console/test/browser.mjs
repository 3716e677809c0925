// The console in a real browser (Debian's headless Chromium driven by playwright-core; no browser
// is downloaded) against a real devnet: sign-in, playground run/register/request with the answer
// from the chain, the views, the hostile cases (markup and javascript: from a function shown as
// text, no script run, no CSP violation), another origin kept away from the API, and the operator
// view; a secret set in the Secrets view (encrypted in the page) read by the function on chain.
// Saves a screenshot of each view. Started by ConsoleBrowserIT (plugin), which starts the
// devnet; run by hand with:
//   NSL_CONSOLE_URL=http://127.0.0.1:PORT/console/ NSL_DEVELOPER_WIF=… NSL_OPERATOR_WIF=… \
//   NSL_CONSUMER=0x… node console/test/browser.mjs
// Exit code 0 when every case passed; the last line is 'N passed, N failed'.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`error: ${name} is not set (see the header of console/test/browser.mjs)`);
    process.exit(2);
  }
  return v;
};
const CONSOLE_URL = env('NSL_CONSOLE_URL').replace(/#.*$/, '');
const DEV_WIF = env('NSL_DEVELOPER_WIF');
const OPERATOR_WIF = env('NSL_OPERATOR_WIF');
const CONSUMER = env('NSL_CONSUMER');
const SHOTS = resolve(process.env.NSL_SCREENSHOTS ?? 'target/console-screenshots');
const CHROMIUM = process.env.NSL_CHROMIUM ?? '/usr/bin/chromium';
const FUNCTION_ID = process.env.NSL_FUNCTION_ID ?? `console-e2e-${Date.now().toString(36)}`;
// Requests answered on this devnet before the run (ConsoleBrowserIT sends one with the CLI, so the
// executions and operator views have data even when a case of this run is skipped).
const REQUESTS_BEFORE = Number(process.env.NSL_REQUESTS_BEFORE ?? 0);
// That request's id and where its answer landed, as ConsoleBrowserIT read them from the node (not
// from the service): the executions view must show the same transaction and blocks.
const CLI_REQUEST_ID = process.env.NSL_CLI_REQUEST_ID ?? '';
const CLI_ANSWER_TX = process.env.NSL_CLI_ANSWER_TX ?? '';
const CLI_BLOCKS_TO_ANSWER = process.env.NSL_CLI_BLOCKS_TO_ANSWER ?? '';
rmSync(SHOTS, { recursive: true, force: true }); // no picture of an earlier run is left to mislead
mkdirSync(SHOTS, { recursive: true });

// Markup and script URLs a function could hand back: each must show as text and run nothing.
const HOSTILE = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">', 'javascript:window.__pwned=3'];
// The secret this run sets in the Secrets view (encrypted in the page); the function reads it.
const SECRET_NAME = 'CONSOLE_E2E_KEY';
const SECRET_VALUE = 'set-in-the-browser-' + Date.now().toString(36);
const SIMULATED_SECRET = 'sim';
const HOSTILE_CODE = `function main(input) {
  const key = getSecret(${JSON.stringify(SECRET_NAME)});
  log(${HOSTILE.map((s) => JSON.stringify(s)).join(', ')});
  log("doubling " + input.value + " with key " + key);
  return { doubled: input.value * 2, keyLength: key.length, html: ${JSON.stringify(HOSTILE[1])}, link: ${JSON.stringify(HOSTILE[2])} };
}
`;

const results = [];
const figures = {};
let browser;
let page;
const dialogs = [];
const cspViolations = [];
const pageErrors = [];

// Routes this run needs that a service may not have yet (console-api lands them one by one). A
// case that needs a route the service answers with 404 'no endpoint' is reported as skipped, by
// name and route; any other failure fails the run.
const OPTIONAL_ROUTES = ['POST /v1/attestation/check', 'POST /v1/chain/prepare', 'POST /v1/chain/send'];
const missingRoutes = new Set();
const state = { registered: false, sentByBrowser: false };

/** Asks the service from the console's own page (same origin, as the console calls it). */
async function findMissingRoutes() {
  for (const route of OPTIONAL_ROUTES) {
    const [method, path] = route.split(' ');
    const [status, text] = await page.evaluate(async ([m, p]) => {
      const res = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json' }, body: m === 'POST' ? '{}' : undefined, credentials: 'omit' });
      return [res.status, await res.text()];
    }, [method, path]);
    if (status === 404 && /no endpoint/.test(text)) missingRoutes.add(route);
    else console.log(`     ${route} is served (unsigned probe answered ${status} ${text.slice(0, 100)})`);
  }
  if (missingRoutes.size) console.log(`     the service lacks ${[...missingRoutes].join(', ')}: the cases needing them are skipped`);
}

async function step(name, fn, { needs = [] } = {}) {
  const absent = needs.filter((r) => missingRoutes.has(r));
  if (absent.length) {
    results.push({ name, skipped: true });
    console.log(`skip ${name} (the service has no ${absent.join(', ')})`);
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n     ')}`);
    await page?.screenshot({ path: join(SHOTS, `failed-${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true }).catch(() => {});
  }
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

async function go(hash) {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((h) => location.hash === h || location.hash.startsWith(h.split('?')[0]), hash);
}

async function signIn(wif) {
  await page.goto(`${CONSOLE_URL}#/signin?wif=${encodeURIComponent(wif)}`);
  await page.waitForSelector('header .who .address', { timeout: 30_000 });
}

async function noScriptRan() {
  const pwned = await page.evaluate(() => window.__pwned);
  check(pwned === undefined, `a hostile string ran as script (window.__pwned = ${pwned})`);
  check(dialogs.length === 0, `a dialog opened: ${dialogs.join(' | ')}`);
  check(cspViolations.length === 0, `CSP violations: ${cspViolations.join(' | ')}`);
  check(pageErrors.length === 0, `uncaught errors in the page: ${pageErrors.join(' | ')}`);
}

async function setCode(text) {
  await page.waitForSelector('.cm-content', { timeout: 15_000 });
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * Waits for `selector`, or for an error status in the view (then fails at once with its text, so a
 * refused call does not sit out the timeout).
 */
async function expectShown(selector, timeout = 15_000) {
  const errorSel = 'main .status[data-kind="error"]';
  await page.waitForSelector(`${selector}, ${errorSel}`, { timeout });
  if ((await page.locator(selector).count()) === 0) {
    throw new Error(`the view shows an error instead of ${selector}: ${await page.textContent(errorSel)}`);
  }
}

/** Counts the page's POST /v1/chain/send requests from now until stop(). */
function countSends() {
  const urls = [];
  const onRequest = (r) => { if (r.url().includes('/v1/chain/send')) urls.push(r.url()); };
  page.on('request', onRequest);
  return { count: () => urls.length, stop: () => page.off('request', onRequest) };
}

/** Waits until the status line settles on ok or error; returns [kind, text]. */
async function settled(testid, timeout) {
  const sel = `[data-testid="${testid}"]`;
  await page.waitForSelector(`${sel}[data-kind="ok"], ${sel}[data-kind="error"]`, { timeout });
  return [await page.getAttribute(sel, 'data-kind'), await page.textContent(sel)];
}

/** A page on another origin (this loopback server) that tries to use the API with the user's key. */
function evilServer(consoleOrigin) {
  const html = `<!doctype html><meta charset="utf-8"><title>evil</title><pre id="out">running</pre>
<iframe id="frame" src="${consoleOrigin}/console/#/functions"></iframe>
<script>
(async () => {
  const out = {};
  const api = ${JSON.stringify(consoleOrigin)};
  try { const r = await fetch(api + '/v1/functions'); out.readFunctions = 'status ' + r.status + ': ' + (await r.text()).slice(0, 80); }
  catch (e) { out.readFunctions = 'blocked: ' + e.name; }
  try { const r = await fetch(api + '/v1/simulate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }); out.simulate = 'status ' + r.status; }
  catch (e) { out.simulate = 'blocked: ' + e.name; }
  try { const r = await fetch(api + '/v1/chain/prepare', { method: 'POST', mode: 'no-cors', body: '{}' }); out.noCorsPost = 'opaque ' + r.type; }
  catch (e) { out.noCorsPost = 'blocked: ' + e.name; }
  const w = window.open(api + '/console/#/playground');
  await new Promise((r) => setTimeout(r, 1500));
  try { out.openedStorage = String(w.sessionStorage.length); } catch (e) { out.openedStorage = 'blocked: ' + e.name; }
  try { out.openedDocument = w.document.title; } catch (e) { out.openedDocument = 'blocked: ' + e.name; }
  try { out.frameDocument = document.getElementById('frame').contentDocument?.title ?? 'no document'; } catch (e) { out.frameDocument = 'blocked: ' + e.name; }
  w?.close();
  document.getElementById('out').textContent = JSON.stringify(out);
})();
</script>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const started = Date.now();
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(CONSOLE_URL).origin });
  page = await context.newPage();
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  await step('firstLoadIsSmallAndInteractive', async () => {
    const t0 = Date.now();
    await page.goto(CONSOLE_URL, { waitUntil: 'load' });
    await page.waitForSelector('input[name="wif"]');
    figures.timeToInteractiveMs = Date.now() - t0;
    const weight = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      return {
        transferred: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
        decoded: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
        files: 1 + res.length,
        domInteractiveMs: Math.round(nav.domInteractive),
      };
    });
    Object.assign(figures, { firstLoadTransferredKB: +(weight.transferred / 1024).toFixed(1), firstLoadDecodedKB: +(weight.decoded / 1024).toFixed(1), firstLoadFiles: weight.files, domInteractiveMs: weight.domInteractiveMs });
    check(page.url().includes('#/signin'), `an anonymous visitor lands on sign-in, not ${page.url()}`);
    await shot('signin');
  });
  await findMissingRoutes();

  await step('signsInFromTheDevnetLinkAndForgetsTheWif', async () => {
    await signIn(DEV_WIF);
    check(!page.url().includes('wif='), `the WIF stayed in the address bar: ${page.url()}`);
    check(page.url().includes('#/playground'), `the link leads to the playground, not ${page.url()}`);
    const stored = await page.evaluate(() => sessionStorage.length);
    check(stored === 0, 'the key went to session storage although nobody asked');
  });

  await step('secretNameWithMarkupIsRefusedAndShownAsText', async () => {
    await go('#/secrets');
    await page.waitForSelector('form[aria-label="Set or rotate a secret"]');
    // The view checks the attestation when it opens; its outcome must not overwrite ours below.
    await page.waitForSelector('.secrets-gate h2, main .status[data-kind="error"]', { timeout: 30_000 });
    const hostileName = '<img src=x onerror=window.__pwned=6>';
    await page.fill('input[name="name"]', hostileName);
    await page.fill('textarea[name="value"]', 'x');
    await page.click('button:has-text("Encrypt and store")');
    const shown = await page
      .waitForFunction((n) => document.querySelector('main .status')?.textContent.includes(n), hostileName, { timeout: 15_000 })
      .then(() => true, () => false);
    const text = await page.textContent('main .status');
    check(shown, `the refused name is not shown as typed: ${text}`);
    check((await page.locator('main img').count()) === 0, 'the secret name became an element');
    await noScriptRan();
  });

  await step('setsASecretInTheBrowserAfterCheckingTheAttestation', async () => {
    await go('#/playground');
    await go('#/secrets'); // afresh: the status of the refused name is gone
    await page.waitForSelector('form[aria-label="Set or rotate a secret"]');
    await page.waitForSelector('input[name="allowSimulated"]:visible', { timeout: 30_000 }); // the devnet is SIMULATED
    await page.check('input[name="allowSimulated"]');
    await page.fill('input[name="name"]', SECRET_NAME);
    await page.fill('textarea[name="value"]', SECRET_VALUE);
    await page.click('button:has-text("Encrypt and store")');
    await page.waitForSelector('main .status[data-kind="ok"], main .status[data-kind="error"]', { timeout: 60_000 });
    const text = await page.textContent('main .status');
    check(/Stored/.test(text), `set secret: ${text}`);
    await expectShown(`main table code:has-text("${SECRET_NAME}")`);
    check(!(await page.textContent('main')).includes(SECRET_VALUE), 'the secret value is shown in the page after storing');
    await shot('secrets');
  }, { needs: ['POST /v1/attestation/check'] });

  await step('attestationViewShowsEachCheckAndSimulated', async () => {
    await go('#/attestation');
    await page.waitForSelector('main .status[data-kind="ok"], main .status[data-kind="error"]', { timeout: 30_000 });
    const text = await page.textContent('main');
    check(/SIMULATED/.test(text), `the devnet's attestation does not say SIMULATED: ${text.slice(0, 300)}`);
    await shot('attestation');
  }, { needs: ['POST /v1/attestation/check'] });

  // Issue 23 (console-verify): collateral pasted in the page. The recorded Phala quote and its
  // collateral are from 2025, so at today's time the service's verifier must say which part is out
  // of date, in words, while the checks before it pass.
  await step('attestationWithPastedCollateralSaysEachCheckInWords', async () => {
    const vectors = new URL('../../testdata/sgx-vectors/phala-dcap-qvl/', import.meta.url);
    const quoteHex = readFileSync(new URL('sgx_quote.bin', vectors)).toString('hex');
    const collateral = readFileSync(new URL('sgx_quote_collateral.json', vectors), 'utf8');
    await go('#/attestation');
    await page.waitForSelector('main .status[data-kind="ok"], main .status[data-kind="error"]', { timeout: 30_000 });
    await page.click('summary:has-text("Collateral")');
    await page.fill('textarea[name="collateral"]', collateral);
    await page.fill('textarea[name="quote"]', quoteHex);
    await page.click('button:has-text("Check this quote")');
    await page.waitForFunction(() => /collateral pasted here/.test(document.querySelector('.attestation-out dl.keys')?.textContent ?? ''),
      null, { timeout: 30_000 });
    const checks = await page.$$eval('.attestation-out li.check', (lis) => lis.map((li) => ({
      id: li.dataset.check, cls: li.className, title: li.querySelector('.check-title')?.textContent,
      detail: li.querySelector('.check-detail')?.textContent ?? '' })));
    check(checks.length >= 7, `checks shown: ${JSON.stringify(checks)}`);
    check(checks.every((c) => c.title && c.title !== 'check' && c.detail), `a check without its title or words: ${JSON.stringify(checks)}`);
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    check(/good/.test(byId.quoteSignature?.cls), `the quote signature: ${JSON.stringify(byId.quoteSignature)}`);
    const failed = checks.filter((c) => /bad/.test(c.cls));
    check(failed.length === 1 && /[A-Z_]*EXPIRED/.test(failed[0].detail),
      `the 2025 collateral should fail one check as out of date, with its reason: ${JSON.stringify(failed)}`);
    console.log(`     with the 2025 collateral today: ${failed[0].title}: ${failed[0].detail}`);
    await page.locator('.attestation-out').evaluate((el) => el.scrollIntoView());
    await shot('attestation-collateral');
  }, { needs: ['POST /v1/attestation/check'] });

  await step('playgroundRunsAFunctionAndShowsHostileOutputAsText', async () => {
    await go('#/playground');
    await setCode(HOSTILE_CODE);
    await page.fill('textarea[name="input"]', '{"value": 21}');
    await page.click('summary:has-text("Simulation settings")');
    await page.fill('textarea[name="secrets"]', JSON.stringify({ [SECRET_NAME]: SIMULATED_SECRET }));
    await page.click('.cm-content');
    await page.keyboard.press('Control+Enter'); // the keyboard way to Run
    await page.waitForSelector('[data-testid="result"], [data-testid="run-status"][data-kind="error"]', { timeout: 60_000 });
    check((await page.locator('[data-testid="result"]').count()) === 1, `run: ${await page.textContent('[data-testid="run-status"]')}`);
    const result = await page.textContent('[data-testid="result"]');
    check(result.includes('"doubled": 42'), `result: ${result}`);
    check(result.includes(`"keyLength": ${SIMULATED_SECRET.length}`), `the simulation's secret: ${result}`);
    check(result.includes(HOSTILE[1].replace(/"/g, '\\"')), `the markup in the result is not shown as text: ${result}`);
    const logs = await page.textContent('[data-testid="logs"]');
    for (const s of HOSTILE) check(logs.includes(s), `log line '${s}' not shown as text: ${logs}`);
    check((await page.locator('.output img').count()) === 0, 'an <img> from the function became an element');
    check((await page.locator('.output script').count()) === 0, 'a <script> from the function became an element');
    const gas = await page.textContent('[data-testid="gas"]');
    check(/^[0-9,]+$/.test(gas.trim()) && gas.trim() !== '0', `gasUsed: ${gas}`);
    await noScriptRan();
    await shot('playground');
  });

  // Issue 23 (console-polish): the page shows the checked call and signs only after "Sign and send";
  // Escape cancels with nothing sent.
  await step('escapeCancelsTheSignStepAndNothingIsSent', async () => {
    await page.fill('input[name="functionId"]', FUNCTION_ID);
    await page.fill('input[name="consumer"]', CONSUMER);
    const sends = countSends();
    try {
      await page.click('button:has-text("Register")');
      await expectShown('[data-testid="sign-and-send"]', 60_000);
      check(await page.evaluate(() => document.activeElement?.dataset?.testid === 'sign-and-send'), '"Sign and send" does not have the focus');
      check(sends.count() === 0, `sent before the user said so: ${sends.count()}`);
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="chain-status"]:has-text("Not signed")', { timeout: 10_000 });
      check((await page.locator('[data-testid="sign-and-send"]').count()) === 0, 'the button stayed after Escape');
      await page.waitForTimeout(300); // let a wrongly sent request surface before counting
      check(sends.count() === 0, `sent after Escape: ${sends.count()}`);
    } finally {
      sends.stop();
    }
  }, { needs: ['POST /v1/chain/prepare', 'POST /v1/chain/send'] });

  await step('registersTheFunctionOnChainAndUploadsIt', async () => {
    const sends = countSends();
    try {
      await page.click('button:has-text("Register")');
      await expectShown('[data-testid="sign-and-send"]', 60_000);
      check(sends.count() === 0, `sent before "Sign and send": ${sends.count()}`);
      await shot('playground-confirm');
      await page.keyboard.press('Enter'); // the focused "Sign and send"
      const [kind, text] = await settled('chain-status', 120_000);
      check(kind === 'ok' && /registered/.test(text), `register: ${text}`);
      check(sends.count() === 1, `sends after one "Sign and send": ${sends.count()}`);
      state.registered = true;
    } finally {
      sends.stop();
    }
  }, { needs: ['POST /v1/chain/prepare', 'POST /v1/chain/send'] });

  // Issue 23 (console-verify): the page showed what it decoded from the prepared transaction.
  await step('registerShowedTheDecodedCallBeforeSigning', async () => {
    const decoded = await page.textContent('[data-testid="decoded-call"]');
    check(/(registerFunction|updateFunction)\("/.test(decoded) && decoded.includes(JSON.stringify(FUNCTION_ID)), `decoded call: ${decoded}`);
    check(/CalledByEntry/.test(decoded) && /refuses more than \d+ GAS/.test(decoded), `signer scope or fee cap not shown: ${decoded}`);
  }, { needs: ['POST /v1/chain/prepare', 'POST /v1/chain/send'] });

  await step('sendsARequestAndShowsTheAnswerFromTheChain', async () => {
    const sends = countSends();
    const t0 = Date.now();
    await page.click('button:has-text("Send a request")');
    await expectShown('[data-testid="sign-and-send"]', 60_000);
    check(sends.count() === 0, `sent before "Sign and send": ${sends.count()}`);
    const decoded = await page.textContent('[data-testid="decoded-call"]');
    check(decoded.includes('request(') && decoded.includes(CONSUMER.toLowerCase().replace(/^0x/, '').slice(0, 4)), `decoded request: ${decoded}`);
    const asked = Date.now();
    await page.click('[data-testid="sign-and-send"]');
    const [kind, text] = await settled('chain-status', 150_000);
    figures.requestToAnswerMs = Date.now() - t0;
    figures.signToAnswerMs = Date.now() - asked;
    sends.stop();
    check(sends.count() === 1, `sends after one "Sign and send": ${sends.count()}`);
    check(kind === 'ok' && /Answer on chain/.test(text), `request: ${text}`);
    const out = await page.locator('.output').nth(1).textContent();
    check(out.includes('"doubled": 42'), `the on-chain answer: ${out}`);
    check(out.includes(`"keyLength": ${SECRET_VALUE.length}`), `the function did not read the secret set in the browser: ${out}`);
    check(/Transaction/.test(out) && /0x[0-9a-f]{4}/.test(out), `no transaction hash shown: ${out}`);
    check(/Blocks waited/.test(out), `no blocks waited shown: ${out}`);
    await page.locator('.output').nth(1).locator('button.copy').first().click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    check(/^0x[0-9a-f]{64}$/.test(copied), `the copy button copied '${copied}', not the transaction hash`);
    await noScriptRan();
    state.sentByBrowser = true;
    await shot('playground-answer');
  }, { needs: ['POST /v1/chain/prepare', 'POST /v1/chain/send'] });

  // Issue 23 (console-verify): a prepare answer changed on its way (here: the signer's scope made
  // Global) is refused by the page; nothing is signed or sent.
  await step('aTamperedPreparedTransactionIsRefusedAndNothingSent', async () => {
    const sends = [];
    const onRequest = (r) => { if (r.url().includes('/v1/chain/send')) sends.push(r.url()); };
    page.on('request', onRequest);
    await page.route('**/v1/chain/prepare', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      const scopeAt = 2 * (1 + 4 + 8 + 8 + 4 + 1 + 20); // version, nonce, fees, validUntilBlock, 1 signer, its account
      if (typeof body.tx === 'string') body.tx = body.tx.slice(0, scopeAt) + '80' + body.tx.slice(scopeAt + 2);
      await route.fulfill({ response: res, json: body });
    });
    try {
      await page.click('button:has-text("Send a request")');
      const [kind, text] = await settled('chain-status', 60_000);
      check(kind === 'error' && /scope GLOBAL/.test(text), `a Global-scope transaction was not refused: ${kind}: ${text}`);
      check((await page.locator('[data-testid="sign-and-send"]').count()) === 0, 'a refused transaction offered "Sign and send"');
      check(sends.length === 0, `the page sent it anyway: ${sends.join(', ')}`);
      await shot('playground-refused');
    } finally {
      await page.unroute('**/v1/chain/prepare');
      page.off('request', onRequest);
    }
  }, { needs: ['POST /v1/chain/prepare', 'POST /v1/chain/send'] });

  await step('functionsListAndDetailShowChainAndStoredHashes', async () => {
    await go('#/functions');
    await expectShown('a:text-is("double")'); // registered by devnet up
    const fn = state.registered ? FUNCTION_ID : 'double';
    await expectShown(`a:text-is("${fn}")`);
    await shot('functions');
    await page.click(`a:text-is("${fn}")`);
    await expectShown('dl.facts');
    const facts = await page.textContent('dl.facts');
    check(/matches the stored code/.test(facts), `detail: ${facts}`);
    check(/Enabled/.test(facts), facts);
    await shot('function-detail');
  });

  // Issue 23 (console-polish): Enable/Disable go through the same question; Cancel sends nothing.
  await step('enableDisableAsksBeforeSigningAndCancelSendsNothing', async () => {
    const sends = countSends();
    try {
      const toggle = page.locator('dl.facts button:not(.copy)');
      const was = (await toggle.textContent()).trim();
      await toggle.click();
      await expectShown('[data-testid="sign-and-send"]', 60_000);
      const decoded = await page.textContent('[data-testid="decoded-call"]');
      check(decoded.includes(`setFunctionEnabled(`) && decoded.includes(was === 'Disable' ? 'false' : 'true'), `decoded ${was}: ${decoded}`);
      check(sends.count() === 0, `sent before the user said so: ${sends.count()}`);
      await page.click('[data-testid="cancel-sign"]');
      await page.waitForSelector('[data-testid="function-status"]:has-text("Not signed")', { timeout: 10_000 });
      check((await page.locator('[data-testid="sign-and-send"]').count()) === 0, 'the button stayed after Cancel');
      check(sends.count() === 0, `sent after Cancel: ${sends.count()}`);
    } finally {
      sends.stop();
    }
  }, { needs: ['POST /v1/chain/prepare', 'POST /v1/chain/send'] });

  await step('hostileFunctionIdInTheUrlIsShownAsText', async () => {
    const id = HOSTILE[1];
    await go(`#/functions/${encodeURIComponent(id)}`);
    await page.waitForSelector('.status[data-kind="error"]', { timeout: 15_000 });
    const title = await page.textContent('h1');
    check(title === id, `the id is not shown as typed: ${title}`);
    check((await page.locator('main img').count()) === 0, 'the id became an element');
    await noScriptRan();
  });

  await step('executionsListPlotsAndDetail', async () => {
    // This run's function when it sent a request; else the devnet's double (the IT's CLI request).
    await go(`#/executions?function=${encodeURIComponent(state.sentByBrowser ? FUNCTION_ID : 'double')}`);
    await expectShown('table tbody tr');
    check((await page.locator('.plot canvas').count()) >= 1, 'no plot drawn');
    await shot('executions');
    await page.locator('table tbody tr').first().click();
    await expectShown('[data-testid="logs"]');
    const logs = await page.textContent('[data-testid="logs"]');
    if (state.sentByBrowser) {
      for (const s of HOSTILE) check(logs.includes(s), `execution log '${s}' not shown as text: ${logs}`);
      check(!logs.includes(SECRET_VALUE), 'the secret value is in the execution logs (not scrubbed)');
    } else {
      check(logs.length > 0, 'the execution shows no log line');
    }
    await noScriptRan();
    await shot('execution-detail');
  });

  await step('executionsShowTheAnswerTransactionAndBlocksTheChainHas', async () => {
    check(/^[0-9]+$/.test(CLI_REQUEST_ID) && /^0x[0-9a-f]{64}$/.test(CLI_ANSWER_TX), 'NSL_CLI_REQUEST_ID and NSL_CLI_ANSWER_TX are not set (ConsoleBrowserIT sets them)');
    await go('#/executions?function=double');
    const row = page.locator('table tbody tr', { has: page.locator(`a:text-is("${CLI_REQUEST_ID}")`) });
    await row.first().waitFor({ timeout: 15_000 });
    const tx = await row.locator('td[data-title="Answer transaction"] code').getAttribute('title');
    check(tx === CLI_ANSWER_TX, `the answer transaction shown is ${tx}, the chain's is ${CLI_ANSWER_TX}`);
    const blocks = (await row.locator('[data-testid="blocks-to-answer"]').textContent()).trim();
    check(Number(blocks) >= 1 && blocks === CLI_BLOCKS_TO_ANSWER, `blocks to answer shown: ${blocks}, on chain: ${CLI_BLOCKS_TO_ANSWER}`);
    const p95 = (await page.textContent('.number:has-text("p95 blocks to answer") strong')).trim();
    check(/^[0-9]+$/.test(p95) && Number(p95) >= 1, `p95 blocks to answer shown: ${p95}`);
    check((await page.locator('figure.plot', { hasText: 'Blocks to answer' }).locator('canvas').count()) >= 1, 'the blocks-to-answer plot draws nothing');
    const before = page.url();
    await row.locator('td[data-title="Answer transaction"] button.copy').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    check(copied === CLI_ANSWER_TX, `the copy button copied '${copied}'`);
    check(page.url() === before, `copying opened the row: ${page.url()}`);
    await row.first().click();
    await expectShown('[data-testid="logs"]');
    const facts = await page.textContent('dl.answer');
    check(facts.includes('Answer transaction') && facts.includes(String(CLI_BLOCKS_TO_ANSWER)), `the execution does not show its answer: ${facts}`);
  });

  await step('readableAtPhoneWidthAndInDarkMode', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await go(`#/executions?function=${encodeURIComponent(state.sentByBrowser ? FUNCTION_ID : 'double')}`);
    await expectShown('main table, main .empty');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 1, `the page is ${overflow}px wider than a phone`);
    await shot('executions-phone-dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('anotherOriginCannotUseTheApiWithTheUsersKey', async () => {
    const origin = new URL(CONSOLE_URL).origin;
    const server = await evilServer(origin);
    try {
      const evil = await page.context().newPage(); // another tab of the same browser, as a user would have
      const port = server.address().port;
      await evil.goto(`http://127.0.0.1:${port}/`);
      await evil.waitForFunction(() => document.getElementById('out').textContent !== 'running', null, { timeout: 20_000 });
      const out = JSON.parse(await evil.textContent('#out'));
      console.log('     other origin saw:', JSON.stringify(out));
      check(/^blocked/.test(out.readFunctions), `another origin read the API: ${out.readFunctions}`);
      check(/^blocked/.test(out.simulate), `another origin called simulate: ${out.simulate}`);
      check(/^blocked/.test(out.openedStorage), `another origin read the console's storage: ${out.openedStorage}`);
      check(/^blocked/.test(out.openedDocument), `another origin read the console's page: ${out.openedDocument}`);
      check(!/Functions/.test(out.frameDocument), `the console rendered in another origin's frame: ${out.frameDocument}`);
      const framed = evil.frames().find((f) => f.url().includes('/console/'));
      if (framed) {
        const rendered = await framed.evaluate(() => document.querySelector('header') !== null).catch(() => false);
        check(!rendered, 'the console rendered inside a frame of another origin (frame-ancestors)');
      }
      await evil.close();
    } finally {
      server.close();
    }
  });

  await step('operatorViewShowsTheRequestInItsCounters', async () => {
    await page.click('header button:has-text("Sign out")');
    await signIn(OPERATOR_WIF);
    await go('#/operator');
    await expectShown('[data-testid="requests"] strong', 20_000);
    const seen = await page.textContent('[data-testid="requests"] strong');
    const expected = REQUESTS_BEFORE + (state.sentByBrowser ? 1 : 0);
    check(expected >= 1, 'no request was sent on this devnet, so there is nothing to count (set NSL_REQUESTS_BEFORE)');
    check(Number(seen.replace(/[^0-9]/g, '')) >= expected, `requests seen: ${seen}, expected at least ${expected}`);
    await page.waitForTimeout(500);
    await shot('operator');
  });

  await step('operatorViewShowsQueueStagesGasAndWorkers', async () => {
    await go('#/operator');
    await expectShown('[data-testid="workers"]', 20_000);
    const height = (await page.textContent('[data-testid="height"] strong')).trim();
    check(/^[0-9,]+$/.test(height) && Number(height.replace(/,/g, '')) > 0, `chain height: ${height}`);
    const gasOf = async (testid) => Number((await page.textContent(`[data-testid="${testid}"] strong`)).replace(/,/g, ''));
    const spent = await gasOf('gas-spent');
    check(spent > 0, `GAS spent on answers: ${spent} (at least one answer landed)`);
    const operatorGas = await gasOf('gas-operator');
    check(operatorGas > 0, `operator GAS: ${operatorGas}`);
    const earned = await gasOf('gas-earned');
    check(earned > 0, `fees at the gateway: ${earned}`);
    const stages = await page.textContent('[data-testid="queue-by-stage"]');
    for (const st of ['QUEUED', 'RUNNING', 'EXECUTED', 'SENT']) check(stages.includes(st), `queue stage ${st} missing: ${stages}`);
    const workers = await page.textContent('[data-testid="workers"]');
    check(/One worker/.test(workers) && /this service \(alone\)/.test(workers), `workers: ${workers}`);
    // The GAS card and the queue and workers under it (the view re-renders every 5 s, which
    // would undo a scroll): a page-coordinates clip of the full page.
    const top = await page.evaluate(() => document.querySelector('[data-testid="gas"]').getBoundingClientRect().top + window.scrollY);
    await page.screenshot({ path: join(SHOTS, 'operator-gas-workers.png'), fullPage: true, clip: { x: 0, y: Math.max(0, top - 16), width: 1280, height: 800 } });
  });

  await step('noScriptRanAndNoCspViolationAnywhere', noScriptRan);
} catch (e) {
  results.push({ name: 'harness', ok: false });
  console.log(`FAIL harness: ${e?.stack ?? e}`);
} finally {
  await browser?.close();
}

figures.browserTestsMs = Date.now() - started;
console.log(`figures ${JSON.stringify(figures)}`);
console.log(`screenshots in ${SHOTS}`);
const skipped = results.filter((r) => r.skipped).length;
const failed = results.filter((r) => !r.ok && !r.skipped).length;
console.log(`${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
