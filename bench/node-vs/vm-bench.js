// Node side of the benchmark: the same workloads, a fresh vm context per run (context + eval +
// main + JSON.stringify of the result), measured for SECONDS after a warm-up. Prints JSON lines:
// ops per wall second and per CPU second of the process.
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const seconds = Number(process.env.BENCH_SECONDS || 5);
const names = (process.env.BENCH_WORKLOADS || 'trivial,fib25,sha256_100k,json_100k,sort_100k').split(',');
for (const name of names) {
  const code = fs.readFileSync(path.join(__dirname, '..', 'workloads', name + '.js'), 'utf8');
  const script = new vm.Script(code + '\n;JSON.stringify(main(null));');
  const once = () => script.runInContext(vm.createContext({}));
  const warmEnd = Date.now() + seconds * 1000;
  while (Date.now() < warmEnd) once();
  let n = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) { once(); n++; }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  // CPU of the whole process (all V8 threads), like the JMH side's process CPU.
  const cpuSecs = (c.user + c.system) / 1e6;
  console.log(JSON.stringify({ workload: name, opsPerSec: n / secs, opsPerCpuSecond: n / cpuSecs }));
}
