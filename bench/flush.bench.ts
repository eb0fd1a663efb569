// Cost of the preload's periodic flush (what lets a SIGKILLed process keep its profile), on the
// TypeScript compiler type-checking @ts-morph/common's declarations (cpu+heap+imports captured).
// Modes differ only in the flush interval and run interleaved round by round, so load drift hits
// all alike. Reported per interval: median ratio to "no flush" of wall time and of CPU time
// (user+sys of the whole tree, from the shell's cutime/cstime) with min-max over rounds, and the
// time the flushes themselves took inside the target (meta.json `flush.costMs`, measured in the
// process: profiler rotation + writing the files).
// `node --import tsx bench/flush.bench.ts [--rounds N] [--quick] [--intervals 1000,5000,10000]`
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTarget } from '../src/core/runner/run';
import { median } from '../src/core/stats';
import { ROOT, cpuMsOf, tscWorkload } from './tscWorkload';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || (quick ? 2 : 3);
const intervals = args.includes('--intervals') ? args[args.indexOf('--intervals') + 1].split(',').map(Number) : [1000, 5000, 10000];
const { input: INPUT, line: LINE } = tscWorkload(quick);


interface Sample { wallMs: number; cpuMs: number; flushes: number; flushCostMs: number }

async function once(flushMs: number): Promise<Sample> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-flush-bench-'));
  try {
    const r = await runTarget({ command: LINE, cwd: ROOT, outDir, capture: { cpu: true, heap: true, imports: true, flushMs } });
    if (r.error || !r.processes.length) throw new Error(r.error ?? `nothing captured: ${r.notes?.join('; ')}`);
    let flushes = 0;
    let flushCostMs = 0;
    for (const n of fs.readdirSync(outDir).filter((x) => x.endsWith('.meta.json'))) {
      const meta = JSON.parse(fs.readFileSync(path.join(outDir, n), 'utf8'));
      flushes += meta.flush?.count ?? 0;
      flushCostMs += meta.flush?.costMs ?? 0;
    }
    return { wallMs: r.wallMs, cpuMs: cpuMsOf(r.outputTail), flushes, flushCostMs };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

const fmt = (xs: number[]) => `${median(xs).toFixed(3)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;

async function main(): Promise<void> {
  const modes = [0, ...intervals];
  const results = new Map<number, Sample[]>(modes.map((m) => [m, []]));
  console.log(`flush bench: ${rounds} rounds, input ${INPUT}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const m of modes) {
      const s = await once(m);
      results.get(m)!.push(s);
      console.log(`  round ${r + 1} flush=${m || 'off'}: wall ${s.wallMs} ms, cpu ${s.cpuMs} ms, ${s.flushes} flushes costing ${s.flushCostMs.toFixed(1)} ms`);
    }
  }
  const base = results.get(0)!;
  console.log('\ninterval   wall ratio            cpu ratio             flushes  cost/flush (min-max)   total cost / wall');
  for (const m of intervals) {
    const xs = results.get(m)!;
    const wall = xs.map((s, i) => s.wallMs / base[i].wallMs);
    const cpu = xs.map((s, i) => s.cpuMs / base[i].cpuMs);
    const per = xs.filter((s) => s.flushes).map((s) => s.flushCostMs / s.flushes);
    const share = xs.map((s) => s.flushCostMs / s.wallMs);
    console.log(`${String(m).padEnd(10)} ${fmt(wall).padEnd(21)} ${fmt(cpu).padEnd(21)} ${String(median(xs.map((s) => s.flushes))).padEnd(8)} ${per.length ? `${median(per).toFixed(1)} ms (${Math.min(...per).toFixed(1)}-${Math.max(...per).toFixed(1)})` : 'none'.padEnd(20)}   ${(median(share) * 100).toFixed(2)}%`);
  }
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
