// One sample, in a fresh node process: load, link and evaluate one bundle, nothing else.
const t0 = performance.now();
await import(process.argv[2]);
console.log(performance.now() - t0);
// A handler may leave timers or sockets behind (Lambda would freeze them); do not wait for them.
process.exit(0);
