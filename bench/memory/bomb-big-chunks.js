// Few, large allocations (256 MiB each): the case the in-process guard's 2 ms poll may not see in
// time, where the heap can fill between two polls and an OutOfMemoryError can hit any thread.
function main(){ const a = []; for(;;) a.push(new ArrayBuffer(2 ** 28)) }
