// Bench only (profileCost.bench.ts): required into the target with `-r`, writes when the process
// started and when it exited (epoch ms) to $HOTPATH_EXIT_STAMP, so the bench can tell the
// profiler's own time before and after the target from the target's.
const { performance } = require('perf_hooks');
const file = process.env.HOTPATH_EXIT_STAMP;
if (file) {
  const start = performance.timeOrigin;
  process.on('exit', () => require('fs').writeFileSync(file, JSON.stringify({ start: Math.round(start), end: Date.now() })));
}
