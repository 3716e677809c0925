// The console renders everything from functions and the API as text. This test keeps the sources
// free of the DOM sinks that parse markup, so a slip cannot come back unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const SINKS = /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|setAttribute\(\s*['"]on/;

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.js') ? [p] : [];
  });
}

test('noSourceUsesAMarkupSink', () => {
  const offenders = [];
  for (const f of files(src)) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (SINKS.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
