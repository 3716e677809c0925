import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGas, parseJsonField, parseWholeField, percentile, shortHash } from '../../src/format.js';

test('formatGasShowsFractionsOfTenToTheEight', () => {
  assert.equal(formatGas(0), '0');
  assert.equal(formatGas(100000000), '1');
  assert.equal(formatGas(150000000), '1.5');
  assert.equal(formatGas(1), '0.00000001');
  assert.equal(formatGas(-25000000), '-0.25');
  assert.equal(formatGas('123456789012345678'), '1234567890.12345678');
  assert.equal(formatGas(null), '—');
});

test('shortHashKeepsBothEnds', () => {
  assert.equal(shortHash('0x' + 'a'.repeat(40), 4), '0xaaaa…aaaa');
  assert.equal(shortHash('abc'), 'abc');
});

test('jsonFieldErrorNamesTheField', () => {
  assert.throws(() => parseJsonField('Input', '{"value": }'), /^Error: Input is not valid JSON/);
  assert.throws(() => parseJsonField('Input', '  '), /Input is empty/);
  assert.deepEqual(parseJsonField('Secrets', '', { emptyAs: {} }), {});
  assert.deepEqual(parseJsonField('Input', '{"value": 21}'), { value: 21 });
});

test('wholeFieldRefusesFractionsSignsAndRange', () => {
  assert.throws(() => parseWholeField('Gas limit', '1.5'), /Gas limit must be a whole number, got '1.5'/);
  assert.throws(() => parseWholeField('Gas limit', '-3'), /whole number/);
  assert.throws(() => parseWholeField('Gas limit', '0', { min: 1 }), /between 1 and/);
  assert.equal(parseWholeField('Request id', '42'), 42);
});

test('percentileIsNearestRank', () => {
  assert.equal(percentile([], 95), null);
  assert.equal(percentile([3, 1, 2], 50), 2);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  assert.equal(percentile([1, null, undefined, 4], 100), 4);
});
