// What the live sampling (preloadLive.ts: heap, CPU, event-loop delay once a second) costs the
// target. The same fixed amount of work (hashing in chunks, yielding with setImmediate, ~2-4 s)
// runs under the preload with nothing captured, in three modes interleaved in shuffled order each
// round: live off, live at 1 s (the default) and live at 10 ms (100x the rate, so the per-sample
// cost rises above the noise). Reported: the main thread's CPU time (measured by the preload from
// /proc at exit) and wall time as ratios to "off" in the same round (median, min-max), the samples
// written, and the CPU cost per sample from the 10 ms mode: (CPU at 10 ms - CPU off) / samples,
// median over rounds. Then the same per-sample cost on an idle program (a 3 s timer: almost no
// CPU of its own, so less noise), live off against live every 5 ms, paired per round.
// Record the load average printed before and after.
// `node --import tsx bench/live.bench.ts [--rounds N]`
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTarget } from '../src/core/runner/run';
import { median, seededRandom, shuffled } from '../src/core/stats';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 8;
const ROOT = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-live-bench-'));
const WORK = path.join(tmp, 'work.js');
fs.writeFileSync(WORK, `const { createHash } = require('crypto');
let left = 400, keep = [];
(function chunk() {
  for (let i = 0; i < 2000; i++) keep.push(createHash('sha256').update(String(i * left)).digest('hex'));
  if (keep.length > 50000) keep = [];
  if (--left > 0) setImmediate(chunk);
})();
`);

const IDLE = path.join(tmp, 'idle.js');
fs.writeFileSync(IDLE, 'setTimeout(() => {}, 3000);\n');

const MODES = [{ name: 'off', liveMs: 0 }, { name: 'live 1 s', liveMs: 1000 }, { name: 'live 10 ms', liveMs: 10 }];
type Row = { cpuMs: number; wallMs: number; samples: number };

async function once(liveMs: number, script = WORK): Promise<Row> {
  const out = path.join(tmp, `run-${liveMs}-${Date.now()}`);
  const r = await runTarget({ command: process.execPath, args: [script], cwd: tmp, outDir: out, capture: { cpu: false, heap: false, imports: false, liveMs } });
  const main = r.processes.find((p) => p.threadId === 0);
  if (r.exitCode !== 0 || !main?.threadTime) throw new Error(`run failed or CPU not measured: exit ${r.exitCode}`);
  const samples = main.liveFile ? fs.readFileSync(main.liveFile, 'utf8').split('\n').filter(Boolean).length : 0;
  fs.rmSync(out, { recursive: true, force: true });
  return { cpuMs: main.threadTime.cpuMs, wallMs: main.wallMs, samples };
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.js', '--only', 'preload', '--quiet'], { cwd: ROOT });
  console.log(`load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${rounds} rounds, modes shuffled per round`);
  const rand = seededRandom(16);
  const results: Record<string, Row[]> = Object.fromEntries(MODES.map((m) => [m.name, []]));
  await once(0); // warm-up (disk cache, the run guard)
  for (let i = 0; i < rounds; i++) {
    for (const m of shuffled(MODES, rand)) results[m.name].push(await once(m.liveMs));
    process.stdout.write('.');
  }
  console.log(`\nload after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const off = results.off;
  const fmt = (xs: number[]) => `${median(xs).toFixed(3)}x (${Math.min(...xs).toFixed(3)}-${Math.max(...xs).toFixed(3)})`;
  console.log(`off: main-thread CPU median ${median(off.map((r) => r.cpuMs)).toFixed(0)} ms, wall ${median(off.map((r) => r.wallMs)).toFixed(0)} ms`);
  for (const m of MODES.slice(1)) {
    const rs = results[m.name];
    const cpu = rs.map((r, i) => r.cpuMs / off[i].cpuMs);
    const wall = rs.map((r, i) => r.wallMs / off[i].wallMs);
    console.log(`${m.name}: CPU ratio to off ${fmt(cpu)}, wall ${fmt(wall)}, samples median ${median(rs.map((r) => r.samples))}`);
  }
  const fast = results['live 10 ms'];
  const perSample = fast.map((r, i) => ((r.cpuMs - off[i].cpuMs) * 1000) / Math.max(1, r.samples));
  console.log(`CPU per sample (10 ms mode, paired with off in the same round): median ${median(perSample).toFixed(0)} µs (${Math.min(...perSample).toFixed(0)} to ${Math.max(...perSample).toFixed(0)})`);
  const idle: { off: Row; on: Row }[] = [];
  for (let i = 0; i < Math.min(rounds, 6); i++) {
    const pair = shuffled([0, 5], rand);
    const got: Record<number, Row> = {};
    for (const ms of pair) got[ms] = await once(ms, IDLE);
    idle.push({ off: got[0], on: got[5] });
  }
  const idleCost = idle.map((p) => ((p.on.cpuMs - p.off.cpuMs) * 1000) / Math.max(1, p.on.samples));
  console.log(`idle program: CPU off median ${median(idle.map((p) => p.off.cpuMs)).toFixed(0)} ms, live 5 ms ${median(idle.map((p) => p.on.cpuMs)).toFixed(0)} ms with ${median(idle.map((p) => p.on.samples))} samples; per sample median ${median(idleCost).toFixed(0)} µs (${Math.min(...idleCost).toFixed(0)} to ${Math.max(...idleCost).toFixed(0)})`);
  console.log(`load at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => { console.error(err); process.exit(1); });
