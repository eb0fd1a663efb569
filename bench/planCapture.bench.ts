// What does recording a startup plan cost? `hotpath profile --plan` records module load times,
// every import edge and V8 precise coverage (call counts). Interleaved rounds on a real CLI
// (eslint --help, installed by bench/payoffPlan.bench.ts into bench/.cache/payoff, or
// PLAN_CAPTURE_DIR): the preload with nothing captured (baseline), imports only (what
// `--imports` always cost, edges included), imports + coverage (`--plan`). Printed as ratios to
// the baseline's process wall time (median and bootstrap 95 % interval), and the sum of the
// modules' measured self load time with and without coverage (does coverage inflate it?).
//   node --import tsx bench/planCapture.bench.ts [--rounds 10]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTarget } from '../src/core/runner/run';
import { readRunFacts } from '../src/core/plan';
import { bootstrapRatioCI, median } from '../src/core/stats';

const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const ROUNDS = Number(arg('--rounds') ?? 10);
const DIR = process.env.PLAN_CAPTURE_DIR ?? path.join(__dirname, '.cache', 'payoff', 'eslint_9.39.5');
const CMD = ['bin/eslint.js', '--help'];
const PRELOAD = path.join(__dirname, '..', 'dist', 'preload.js');

async function one(tmp: string, capture: { imports: boolean; coverage?: boolean }): Promise<{ wall: number; self: number }> {
  const out = fs.mkdtempSync(path.join(tmp, 'r'));
  const r = await runTarget({ command: process.execPath, args: CMD, cwd: DIR, outDir: out, capture: { cpu: false, heap: false, ...capture }, timeoutMs: 120_000, preloadPath: PRELOAD });
  if (r.exitCode !== 0) throw new Error(`run failed: ${r.outputTail}`);
  let self = 0;
  if (capture.imports) for (const p of readRunFacts(out).processes) for (const m of p.modules.values()) if (m.selfUs > 0) self += m.selfUs / 1000;
  return { wall: r.processes[0].wallMs, self };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(DIR, CMD[0]))) throw new Error(`${DIR} has no ${CMD[0]}: run bench/payoffPlan.bench.ts --only eslint first (it caches the install), or set PLAN_CAPTURE_DIR`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-plancapture-'));
  const load0 = os.loadavg()[0];
  const base: number[] = [];
  const imp: number[] = [];
  const cov: number[] = [];
  const impSelf: number[] = [];
  const covSelf: number[] = [];
  try {
    await one(tmp, { imports: false }); // warm-up, not counted
    for (let i = 0; i < ROUNDS; i++) {
      base.push((await one(tmp, { imports: false })).wall);
      const a = await one(tmp, { imports: true });
      imp.push(a.wall); impSelf.push(a.self);
      const b = await one(tmp, { imports: true, coverage: true });
      cov.push(b.wall); covSelf.push(b.self);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const ratio = (xs: number[], of: number[]) => {
    const ci = bootstrapRatioCI(of, xs);
    return `${(median(xs) / median(of)).toFixed(3)}x [95 % CI ${ci.lo.toFixed(3)}-${ci.hi.toFixed(3)}]`;
  };
  console.log(`eslint --help, ${ROUNDS} interleaved rounds, load ${load0.toFixed(1)}-${os.loadavg()[0].toFixed(1)}; process wall time (preload start to exit):`);
  console.log(`  preload, nothing captured: median ${median(base).toFixed(0)} ms (baseline)`);
  console.log(`  --imports (edges too):      median ${median(imp).toFixed(0)} ms, ${ratio(imp, base)} the baseline`);
  console.log(`  --plan (imports+coverage):  median ${median(cov).toFixed(0)} ms, ${ratio(cov, base)} the baseline, ${ratio(cov, imp)} --imports`);
  console.log(`  sum of module self load times: --imports ${median(impSelf).toFixed(0)} ms, --plan ${median(covSelf).toFixed(0)} ms (${ratio(covSelf, impSelf)})`);
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; });
