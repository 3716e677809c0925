// Node side of bench/jmh/json-cost.sh (io.nsl.js.JsonCost): one workload run per request, so the
// Java driver can give Node its turn between GraalJS executions. Reads lines "NAME" from stdin,
// runs bench/workloads/NAME.js once in a fresh vm context (context + eval + main + JSON.stringify
// of the result, as vm-bench.js does) and answers one line: "RESULT CPU_NS WALL_NS", where CPU_NS
// is the process's CPU time over the run (user + system, all V8 threads; microsecond resolution).
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const scripts = new Map();
function script(name) {
  let s = scripts.get(name);
  if (s === undefined) {
    const code = fs.readFileSync(path.join(__dirname, '..', 'workloads', name + '.js'), 'utf8');
    s = new vm.Script(code + '\n;JSON.stringify(main(null));');
    scripts.set(name, s);
  }
  return s;
}
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const s = script(line.trim());
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = s.runInContext(vm.createContext({}));
  const wall = process.hrtime.bigint() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(r + ' ' + (c.user + c.system) * 1000 + ' ' + wall + '\n');
});
