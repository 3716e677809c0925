// A plot with one point used to get a multi-year time axis (issue 23): the x range around a single
// instant is ten minutes; data with a span keeps its own range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SINGLE_POINT_HALF_SPAN_S, timeRange } from '../../src/plot-range.js';

const T = 1_796_000_000; // seconds since epoch, December 2026

test('one point gets five minutes either side, not years', () => {
  assert.deepEqual(timeRange(T, T), [T - 300, T + 300]);
  assert.equal(SINGLE_POINT_HALF_SPAN_S, 300);
});

test('points with a span keep exactly their own range', () => {
  assert.deepEqual(timeRange(T, T + 5), [T, T + 5]);
  assert.deepEqual(timeRange(T - 3600, T), [T - 3600, T]);
});

test('no data (null bounds) is passed through for uPlot to handle', () => {
  assert.deepEqual(timeRange(null, null), [null, null]);
});
