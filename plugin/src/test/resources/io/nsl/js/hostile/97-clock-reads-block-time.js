// expect: OK
// result: [true,true,true,true,"2026-01-01T00:00:00.000Z",true,true]
// Every way to read "now" gives the request block's time (context.blockTime), not the machine's.
class Later extends Date {}
function main() {
  const t = context.blockTime;
  return [
    Date.now() === t,
    new Date().getTime() === t,
    Date() === new Date(t).toString(),
    new Later().getTime() === t && new Later() instanceof Date,
    new Date().toISOString(),
    new Intl.DateTimeFormat('en-US').format() === new Intl.DateTimeFormat('en-US').format(t),
    new Date(0).getTime() === 0 && Date.UTC(2000, 0) === 946684800000,
  ];
}
