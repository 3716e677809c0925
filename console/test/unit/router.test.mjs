import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHash, parseHash, withoutQueryKey } from '../../src/router.js';

test('parsesViewIdAndQuery', () => {
  assert.deepEqual(parseHash('#/functions/my%20fn'), { view: 'functions', id: 'my fn', query: {} });
  assert.deepEqual(parseHash('#/executions?function=double&status=ok'), {
    view: 'executions',
    id: null,
    query: { function: 'double', status: 'ok' },
  });
  assert.deepEqual(parseHash(''), { view: null, id: null, query: {} });
});

test('unknownViewIsNullNotAGuess', () => {
  assert.equal(parseHash('#/constructor').view, null);
  assert.equal(parseHash('#/__proto__').view, null);
  assert.equal(parseHash('#/javascript:alert(1)').view, null);
});

test('malformedEscapeInIdIsKeptAsTyped', () => {
  assert.equal(parseHash('#/functions/%E0%A4%A').id, '%E0%A4%A');
});

test('formatHashRoundTripsHostileIds', () => {
  for (const id of ['<script>alert(1)</script>', 'a/b?c=d#e', 'javascript:alert(1)', '%41', 'ünï']) {
    const r = parseHash(formatHash('functions', id, { status: 'x&y=z' }));
    assert.equal(r.view, 'functions');
    assert.equal(r.id, id);
    assert.deepEqual(r.query, { status: 'x&y=z' });
  }
});

test('formatHashLeavesOutEmptyQueryValues', () => {
  assert.equal(formatHash('executions', null, { function: '', status: undefined, limit: 10 }), '#/executions?limit=10');
});

test('signInLinkLosesItsWifAndKeepsTheRest', () => {
  assert.equal(withoutQueryKey('#/signin?wif=L2WJabc&next=%2Fplayground', 'wif'), '#/signin?next=%2Fplayground');
  assert.equal(withoutQueryKey('#/signin?wif=L2WJabc', 'wif'), '#/signin');
});
