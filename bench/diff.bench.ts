// Profile diff cost on big profiles: diffProfiles (functions and modules, self/total, errors) on
// two synthetic .cpuprofiles against the baseline of opening those two profiles, in the same
// rounds. Reported: medians (min-max) and the ratio diff / open (lower is better); the diff should
// stay a small fraction of what reading the profiles costs anyway.
// `node --import tsx bench/diff.bench.ts [--mb N] [--rounds N]`
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openProfileFile } from '../src/core/profile';
import { diffProfiles } from '../src/core/profile/diff';
import { median } from '../src/core/stats';
import { writeSyntheticCpuProfile } from './syntheticCpuProfile';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const targetMb = arg('--mb', 12);
const rounds = arg('--rounds', 5);

const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-diffbench-'));
  try {
    const files = [path.join(dir, 'before.cpuprofile'), path.join(dir, 'after.cpuprofile')];
    const mb = files.map((f, i) => writeSyntheticCpuProfile(f, targetMb, 7 + i));
    const open: number[] = [];
    const diff: number[] = [];
    let rows = 0;
    console.log(`two synthetic profiles of ${mb.map((m) => m.toFixed(1)).join(' and ')} MB, ${rounds} rounds; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (let r = 0; r < rounds; r++) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      const models = await Promise.all(files.map((f) => openProfileFile(f, { root: dir, parallelMinBytes: Infinity })));
      const t1 = performance.now();
      const d = diffProfiles(models[0], models[1]);
      const t2 = performance.now();
      rows = d.functions.length + d.modules.length;
      open.push(t1 - t0);
      diff.push(t2 - t1);
      console.log(`  round ${r + 1}: open both ${(t1 - t0).toFixed(0)} ms, diff ${(t2 - t1).toFixed(0)} ms (${d.functions.length} functions, ${d.modules.length} modules)`);
    }
    const ratios = diff.map((d, i) => d / open[i]);
    console.log(`open both (baseline): median ${median(open).toFixed(0)} ms (${range(open)})`);
    console.log(`diff: median ${median(diff).toFixed(0)} ms (${range(diff)}), ${rows} rows`);
    console.log(`ratio diff / open: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}); load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
