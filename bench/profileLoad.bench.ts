// Extension-host responsiveness while a profile loads: the longest event-loop stall when the
// extension loads a synthetic .cpuprofile in process versus in its loader worker
// (dist/profileLoader.js), rounds interleaved. Reported: median load time and median longest
// stall per mode, min-max over rounds, and the stall ratio worker / in process (lower is better).
// `node --import tsx bench/profileLoad.bench.ts [--mb N] [--rounds N]`
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fromFile } from '../src/extension/runs/profileSource';
import { median } from '../src/core/stats';
import { writeSyntheticCpuProfile } from './syntheticCpuProfile';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const targetMb = arg('--mb', 12);
const rounds = arg('--rounds', 3);
const loader = path.join(ROOT, 'dist', 'profileLoader.js');

async function measure(file: string, viaWorker: boolean): Promise<{ loadMs: number; stallMs: number }> {
  let stall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 10);
    last = now;
  }, 10);
  const t0 = performance.now();
  await fromFile(file, path.dirname(file), viaWorker ? loader : '');
  const loadMs = performance.now() - t0;
  stall = Math.max(stall, performance.now() - last - 10); // a stall still running at the end
  clearInterval(timer);
  return { loadMs, stallMs: Math.max(0, stall) };
}

const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  if (!fs.existsSync(loader)) throw new Error(`${loader} is missing: run \`node esbuild.js --only extension\``);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-loadbench-'));
  try {
    const file = path.join(dir, 'synthetic.cpuprofile');
    const mb = writeSyntheticCpuProfile(file, targetMb);
    const runs = { inProcess: [] as { loadMs: number; stallMs: number }[], worker: [] as { loadMs: number; stallMs: number }[] };
    for (let r = 0; r < rounds; r++) {
      runs.inProcess.push(await measure(file, false));
      runs.worker.push(await measure(file, true));
    }
    console.log(`profile: ${mb.toFixed(1)} MB synthetic .cpuprofile, ${rounds} rounds`);
    for (const [mode, rs] of Object.entries(runs)) {
      const load = rs.map((x) => x.loadMs);
      const stalls = rs.map((x) => x.stallMs);
      console.log(`${mode.padEnd(10)} load ${median(load).toFixed(0)} ms (${range(load)})  longest stall ${median(stalls).toFixed(0)} ms (${range(stalls)})`);
    }
    const ratio = median(runs.worker.map((x) => x.stallMs)) / median(runs.inProcess.map((x) => x.stallMs));
    console.log(`stall ratio worker / in process: ${ratio.toFixed(2)}x`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
