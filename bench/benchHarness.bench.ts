// Overhead of Hotpath's benchmark harness (src/core/bench measureOnce: a /bin/sh wrapper that
// waits for the command and reads its own /proc stat for the process tree's CPU time) against a
// bare spawn of the same command, measured in the same run, interleaved run by run. Reported:
// medians with 95 % bootstrap intervals, the ratio harness/bare with its interval, the median
// added milliseconds, and the rank-test verdict. Target: harness/bare <= 1.10 on `node -e 0`.
// `node --import tsx bench/benchHarness.bench.ts [--runs N]`
import { spawn } from 'child_process';
import * as os from 'os';
import { measureOnce } from '../src/core/bench';
import { compareSamples, median } from '../src/core/stats';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 40;
const TARGET = 1.1;

function bare(command: string, argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`exit ${code}`))));
  });
}

async function harness(command: string, argv: string[]): Promise<number> {
  const s = await measureOnce({ command, args: argv, cwd: process.cwd() });
  if (!s.ok) throw new Error(s.error);
  return s.wallMs;
}

async function workload(name: string, command: string, argv: string[]): Promise<number> {
  const b: number[] = [];
  const h: number[] = [];
  await bare(command, argv); await harness(command, argv); // warm-up, not counted
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first so neither always follows the other.
    if (i % 2) { b.push(await bare(command, argv)); h.push(await harness(command, argv)); }
    else { h.push(await harness(command, argv)); b.push(await bare(command, argv)); }
  }
  const c = compareSamples(b, h);
  const f = (x: number) => x.toFixed(2);
  console.log(`${name}:`);
  console.log(`  bare spawn   median ${f(c.before.median)} ms (95 % CI ${f(c.before.medianCI.lo)}–${f(c.before.medianCI.hi)}), IQR ${f(c.before.q1)}–${f(c.before.q3)}, n = ${b.length}`);
  console.log(`  harness      median ${f(c.after.median)} ms (95 % CI ${f(c.after.medianCI.lo)}–${f(c.after.medianCI.hi)}), IQR ${f(c.after.q1)}–${f(c.after.q3)}, n = ${h.length}`);
  console.log(`  ratio harness/bare ${c.ratio.toFixed(3)} (95 % CI ${c.ratioCI.lo.toFixed(3)}–${c.ratioCI.hi.toFixed(3)}); median of paired differences ${f(median(h.map((x, i) => x - b[i])))} ms; rank test p = ${c.test.p.toPrecision(2)}`);
  return c.ratio;
}

async function main(): Promise<void> {
  console.log(`${RUNS} runs each, interleaved; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  await workload('true (the smallest process: shows the absolute added cost)', 'true', []);
  const ratio = await workload('node -e 0 (a Node startup)', process.execPath, ['-e', '0']);
  console.log(`\ntarget harness/bare <= ${TARGET} on node -e 0: ${ratio.toFixed(3)} (${ratio <= TARGET ? 'met' : 'NOT met'})`);
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  process.exitCode = ratio <= TARGET ? 0 : 1;
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
