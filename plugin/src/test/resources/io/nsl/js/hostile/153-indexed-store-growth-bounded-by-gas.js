// expect: GAS_EXHAUSTED
// gas: 2000000
// Elements added by an indexed store (a[i] = x) are not counted in the memory budget (decision
// 0710 says why): each store adds at most one element, so gas bounds the array this builds.
function main(){ const a = []; for (let i = 0; ; i++) a[i] = i }
