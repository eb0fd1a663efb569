// Payoff of the lazy-load fix on test/fixtures/payoff-cli, measured by Hotpath itself:
// 1. profile the CLI's common path with import timing and read the measured load time of
//    `typescript` from that run; 2. apply the engine's safe fixes to a copy; 3. run the common
//    path (`payoff greet`) RUNS times each, before and after interleaved, through Hotpath's
//    runner (process wall time as its preload records it). Reports medians, spread and the
//    ratio after/before; the target is >= 40 % faster (ratio <= 0.60).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTarget } from '../src/core/runner/run';
import { readHeavyFromProfile } from '../src/core/refactor';
import { bootstrapRatioCI, median, summarize } from '../src/core/stats';
import { preparePayoff, PAYOFF } from '../test/unit/refactor/payoffSetup';

const RUNS = Number(process.env.PAYOFF_RUNS ?? 15);
const TARGET_SPEEDUP = 0.4;
const none = { cpu: false, heap: false, imports: false };

function describe(label: string, xs: number[]): string {
  const s = summarize(xs);
  return `${label}: median ${s.median.toFixed(1)} ms, IQR ${s.q1.toFixed(1)}-${s.q3.toFixed(1)} ms, min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)} (n=${s.n})`;
}

let runCount = 0;

/** One run in its own output folder (records of earlier runs must not be picked up). */
async function wallMs(dir: string, root: string): Promise<number> {
  const outDir = path.join(root, `run-${runCount++}`);
  const result = await runTarget({ command: process.execPath, args: [path.join(dir, 'cli.js'), 'greet'], cwd: dir, outDir, capture: none, timeoutMs: 60000 });
  if (result.exitCode !== 0 || result.error) throw new Error(`payoff run failed: ${result.error ?? result.outputTail}`);
  const proc = result.processes.find((p) => p.commandLine.includes(path.join(dir, 'cli.js')));
  if (!proc) throw new Error(`Hotpath recorded no process for ${dir}/cli.js`);
  return proc.wallMs;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-payoff-'));
  try {
    // 1. Measured heaviness from a Hotpath run of the original CLI.
    const profiled = await runTarget({ command: process.execPath, args: [path.join(PAYOFF, 'cli.js'), 'greet'], cwd: PAYOFF, outDir: path.join(tmp, 'profile'), capture: { ...none, imports: true }, timeoutMs: 60000 });
    if (profiled.exitCode !== 0) throw new Error(`profiling the payoff CLI failed: ${profiled.error ?? profiled.outputTail}`);
    const heavy = readHeavyFromProfile(path.join(tmp, 'profile'), 10);
    console.log(`measured by the import-timing run: ${[...heavy].filter(([k]) => !k.startsWith('/')).map(([k, v]) => `${k} ${v.ms?.toFixed(1)} ms`).join(', ') || '(no package over 10 ms)'}`);
    // 2. The fix, chosen and applied by the engine.
    const copies = preparePayoff(heavy);
    for (const f of copies.applied) console.log(`applied: ${f.title}`);
    if (copies.applied.length === 0) throw new Error('the engine applied no fix to the payoff CLI');
    // 3. Interleaved runs (one warm-up each first, not counted).
    await wallMs(copies.before, path.join(tmp, 'runs'));
    await wallMs(copies.after, path.join(tmp, 'runs'));
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      before.push(await wallMs(copies.before, path.join(tmp, 'runs')));
      after.push(await wallMs(copies.after, path.join(tmp, 'runs')));
    }
    console.log(describe('before (payoff greet)', before));
    console.log(describe('after  (payoff greet)', after));
    const ratio = median(after) / median(before);
    const { lo, hi } = bootstrapRatioCI(before, after);
    console.log(`ratio after/before: ${ratio.toFixed(3)} (95% bootstrap interval ${lo.toFixed(3)}-${hi.toFixed(3)}); startup ${((1 - ratio) * 100).toFixed(1)} % faster`);
    const ok = 1 - ratio >= TARGET_SPEEDUP;
    console.log(`${ok ? 'PASS' : 'FAIL'}: target >= ${TARGET_SPEEDUP * 100} % faster on the common path`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; });
