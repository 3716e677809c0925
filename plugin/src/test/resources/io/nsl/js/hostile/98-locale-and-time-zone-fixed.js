// expect: OK
// result: ["1,234,567.891","1/1/2026, 12:00:00 AM","Thu Jan 01 2026 00:00:00 GMT+0000 (GMT)","i",0,"en-US","UTC"]
// (ICU puts U+202F, a narrow no-break space, before AM.)
// Formatting follows en-US and UTC whatever the JVM's locale and time zone (user.language,
// user.timezone): the same text, and so the same gas, on every node.
function main() {
  const d = new Date(context.blockTime);
  return [
    (1234567.891).toLocaleString(),
    d.toLocaleString(),
    d.toString(),
    'I'.toLocaleLowerCase(),
    d.getTimezoneOffset(),
    new Intl.NumberFormat().resolvedOptions().locale,
    new Intl.DateTimeFormat().resolvedOptions().timeZone,
  ];
}
