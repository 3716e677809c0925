// Records what Node answers for every function in this folder, sloppy and strict, into
// node-answers.json; StandardJavaScriptTest expects the sandbox to answer the same.
// Run: node plugin/src/test/resources/io/nsl/js/standard/record-node-answers.js
// Each file runs as NSL runs it: a fresh context (here a Node vm context), the script evaluated,
// then main(input) awaited and its value JSON-serialised. Strict mode is 'use strict' prepended.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const INPUT = { x: 1 };
const dir = __dirname;

async function answer(code) {
  const ctx = vm.createContext({});
  try {
    vm.runInContext(code, ctx, { filename: 'function.js' });
    const result = await ctx.main(JSON.parse(JSON.stringify(INPUT)));
    return { result: JSON.stringify(result === undefined ? null : result) };
  } catch (e) {
    return { error: String(e && e.name) };
  }
}

(async () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js') && f !== path.basename(__filename)).sort();
  const answers = {};
  for (const f of files) {
    const code = fs.readFileSync(path.join(dir, f), 'utf8');
    answers[f + ' sloppy'] = await answer(code);
    answers[f + ' strict'] = await answer("'use strict';\n" + code);
  }
  const out = { node: process.version, input: INPUT, answers };
  fs.writeFileSync(path.join(dir, 'node-answers.json'), JSON.stringify(out, null, 1) + '\n');
})();
