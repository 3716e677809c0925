// expect: OK
// What a function can read that once came from the machine: the clock, Math.random, the locale
// and time zone. Returned as they are, so two runs can be compared byte for byte.
function main() {
  const d = new Date();
  const r = [];
  for (let i = 0; i < 5; i++) r.push(Math.random());
  return {
    now: Date.now(),
    iso: d.toISOString(),
    str: String(d),
    local: d.toLocaleString(),
    localDate: d.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
    number: (1234567.891).toLocaleString(),
    currency: new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(1234.5),
    upper: 'i'.toLocaleUpperCase(),
    collate: ['b', 'a', 'B', 'ä'].sort(new Intl.Collator().compare),
    offset: d.getTimezoneOffset(),
    random: r,
  };
}
