// A top-level var named like an API global (here log) is the function's own variable.
var log = [];

function main(input) {
  log.push('start', input);
  log.push('end');
  return { log, isArray: Array.isArray(log) };
}
