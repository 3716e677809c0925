// The bomb issue 5 quotes ("killed a whole 512 MB JVM in a test here").
function main(){ const a = []; for(;;) a.push(new Array(1e6)) }
