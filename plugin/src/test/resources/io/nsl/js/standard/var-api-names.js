// Every API name declared with var at top level: each is the function's own.
var context = { user: 'alice' };
var storage = new Map([['k', 'v']]);
var crypto = 'not the API';
var fetch = 42;
var console = { lines: [] };
var getSecret = function (name) { return 'own ' + name; };

function main() {
  console.lines.push('x');
  return [context, storage.get('k'), crypto, fetch, console.lines, getSecret('key'),
    typeof context, typeof storage];
}
