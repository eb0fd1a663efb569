// What `hotpath profile` costs end to end, against V8's own `node --cpu-prof` and a plain run of
// the same workload, measured in the same rounds (modes interleaved in a fresh random order per
// round). The target gets `-r bench/exitStamp.js`, which writes when its process started and
// exited, so the CLI's own fixed cost splits into "before the target starts" (the CLI's start,
// the run guard, the spawn) and "after the target exits" (reading the profiles, the model, source
// maps, the summary, storing the run). Reported: medians (min-max) of each part, the ratios of
// wall and CPU (user+sys of the whole process tree, from the shell's cutime/cstime) to plain and
// to `node --cpu-prof` with bootstrap 95 % intervals, the profile's size, and the load average.
// Targets (issue 17): after the target exits at most 300 ms for a ~5 MB profile; defaults within
// 1.05x of `node --cpu-prof` on the type-check.
// `node --import tsx bench/profileCost.bench.ts [--rounds N] [--workload tsc|quick|empty] [--cli dist/cli.js] [--against OTHER/dist/cli.js] [--interval US]`
// (--against: another build of the CLI, e.g. main's in a temporary worktree, measured in the same rounds;
// --ox: also `hotpath profile --engine 0x`, end to end, whose cost the help text quotes)
// (needs `node esbuild.js --only cli`; tsc: @ts-morph/common's declarations, quick: mocha's typings,
// empty: `node -e 0`, the fixed cost alone).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bootstrapMedianCI, median, seededRandom, shuffled } from '../src/core/stats';
import { ROOT, TSC, cpuMsOf } from './tscWorkload';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', '8'));
const workload = opt('--workload', 'quick');
const CLI = path.resolve(opt('--cli', path.join(ROOT, 'dist/cli.js')));
const AGAINST = args.includes('--against') ? path.resolve(opt('--against', '')) : undefined;
const interval = args.includes('--interval') ? ['--interval', opt('--interval', '')] : [];
const STAMP = path.join(__dirname, 'exitStamp.js');

const INPUTS: Record<string, string[]> = {
  tsc: [TSC, '--noEmit', '--target', 'es2022', '--moduleResolution', 'node', '--types', 'node', 'node_modules/@ts-morph/common/lib/ts-morph-common.d.ts'],
  quick: [TSC, '--noEmit', '--target', 'es2022', '--moduleResolution', 'node', '--types', 'node', 'node_modules/@types/mocha/index.d.ts'],
  empty: ['-e', '0'],
};
const target = INPUTS[workload];
if (!target) throw new Error(`--workload must be one of ${Object.keys(INPUTS).join(', ')}`);
const q = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

type ModeName = 'plain' | 'node --cpu-prof' | 'hotpath profile' | 'hotpath (against)' | 'hotpath --engine 0x';
const OX = args.includes('--ox');
const MODES: ModeName[] = ['plain', 'node --cpu-prof', 'hotpath profile', ...(AGAINST ? ['hotpath (against)' as const] : []), ...(OX ? ['hotpath --engine 0x' as const] : [])];
interface Times { wallMs: number; cpuMs: number; beforeMs?: number; afterMs?: number; profileBytes?: number }

function runOnce(mode: ModeName): Promise<Times> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cost-'));
  const stamp = path.join(tmp, 'stamp.json');
  const nodeArgs = ['-r', STAMP, ...target].map(q).join(' ');
  // 0x takes a plain `node script args` command (no -r): its parts before and after are not split.
  const line = mode === 'hotpath --engine 0x' ? `node ${q(CLI)} profile --no-save --out ${q(path.join(tmp, 'prof'))} --engine 0x -- node ${target.map(q).join(' ')}`
    : mode === 'plain' ? `node ${nodeArgs}`
    : mode === 'node --cpu-prof' ? `node --cpu-prof --cpu-prof-dir=${q(path.join(tmp, 'prof'))} ${nodeArgs}`
    : `node ${q(mode === 'hotpath profile' ? CLI : AGAINST!)} profile --no-save --out ${q(path.join(tmp, 'prof'))} ${interval.join(' ')} -- node ${nodeArgs}`;
  return new Promise<Times>((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn('sh', ['-c', `${line} >/dev/null 2>&1; cat /proc/$$/stat`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HOTPATH_EXIT_STAMP: stamp } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', () => {
      const t1 = Date.now();
      try {
        const s = mode === 'hotpath --engine 0x' ? { start: NaN, end: NaN } : JSON.parse(fs.readFileSync(stamp, 'utf8')) as { start: number; end: number };
        const profDir = path.join(tmp, 'prof');
        const profiles = fs.existsSync(profDir) ? fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
        const profileBytes = profiles.reduce((sum, f) => sum + fs.statSync(path.join(profDir, f)).size, 0);
        resolve({ wallMs: t1 - t0, cpuMs: cpuMsOf(out), beforeMs: s.start - t0, afterMs: t1 - s.end, profileBytes });
      } catch (err) {
        reject(new Error(`${mode}: ${(err as Error).message}`));
      }
    });
  }).finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
}

const spread = (xs: number[], d = 0) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;
const ratio = (xs: number[]) => {
  const c = xs.length >= 5 ? bootstrapMedianCI(xs, { seed: 1 }) : undefined;
  return `${spread(xs, 3)}x${c ? ` [95% CI ${c.lo.toFixed(3)}-${c.hi.toFixed(3)}]` : ''}`;
};
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node esbuild.js --only cli`);
  console.log(`workload ${workload}: node ${target.join(' ')}; ${rounds} rounds, modes interleaved; cli ${path.relative(ROOT, CLI)}; load average ${load()}`);
  const rand = seededRandom(20261207);
  const all = new Map<ModeName, Times[]>(MODES.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    const times = new Map<ModeName, Times>();
    for (const m of shuffled(MODES, rand)) times.set(m, await runOnce(m));
    for (const [m, t] of times) all.get(m)!.push(t);
    const h = times.get('hotpath profile')!;
    console.log(`round ${r + 1}: ${MODES.map((m) => `${m} ${times.get(m)!.wallMs} ms (cpu ${Math.round(times.get(m)!.cpuMs)})`).join(', ')}; hotpath before ${h.beforeMs} after ${h.afterMs} ms; load ${load()}`);
  }
  const get = (m: ModeName, k: keyof Times) => all.get(m)!.map((t) => t[k] as number);
  const per = (m: ModeName, k: 'wallMs' | 'cpuMs', base: ModeName) => all.get(m)!.map((t, i) => t[k] / all.get(base)![i][k]);
  console.log(`\nmedian (min-max) over ${rounds} rounds, ms:`);
  for (const m of MODES) console.log(`  ${m.padEnd(16)} wall ${spread(get(m, 'wallMs'))}  cpu ${spread(get(m, 'cpuMs'))}${m === 'plain' ? '' : `  profile ${spread(get(m, 'profileBytes').map((b) => b / 1048576), 2)} MB`}`);
  console.log(`  hotpath before the target starts ${spread(get('hotpath profile', 'beforeMs'))}, after it exits ${spread(get('hotpath profile', 'afterMs'))}`);
  if (AGAINST) console.log(`  hotpath (against ${AGAINST}) before ${spread(get('hotpath (against)', 'beforeMs'))}, after ${spread(get('hotpath (against)', 'afterMs'))}`);
  console.log(`  (the same parts for node --cpu-prof: before ${spread(get('node --cpu-prof', 'beforeMs'))}, after ${spread(get('node --cpu-prof', 'afterMs'))}; plain: before ${spread(get('plain', 'beforeMs'))}, after ${spread(get('plain', 'afterMs'))})`);
  console.log('\nratios, median (min-max) [95% CI of the median]:');
  console.log(`  hotpath / plain            wall ${ratio(per('hotpath profile', 'wallMs', 'plain'))}  cpu ${ratio(per('hotpath profile', 'cpuMs', 'plain'))}`);
  console.log(`  node --cpu-prof / plain    wall ${ratio(per('node --cpu-prof', 'wallMs', 'plain'))}  cpu ${ratio(per('node --cpu-prof', 'cpuMs', 'plain'))}`);
  console.log(`  hotpath / node --cpu-prof  wall ${ratio(per('hotpath profile', 'wallMs', 'node --cpu-prof'))}  cpu ${ratio(per('hotpath profile', 'cpuMs', 'node --cpu-prof'))}`);
  if (AGAINST) {
    console.log(`  hotpath / against          wall ${ratio(per('hotpath profile', 'wallMs', 'hotpath (against)'))}  cpu ${ratio(per('hotpath profile', 'cpuMs', 'hotpath (against)'))}`);
    const diff = (k: 'beforeMs' | 'afterMs') => all.get('hotpath profile')!.map((t, i) => t[k]! - all.get('hotpath (against)')![i][k]!);
    console.log(`  hotpath - against, ms: before ${spread(diff('beforeMs'))}, after ${spread(diff('afterMs'))}`);
  }
  if (OX) console.log(`  0x (hotpath --engine 0x) / plain  wall ${ratio(per('hotpath --engine 0x', 'wallMs', 'plain'))}  cpu ${ratio(per('hotpath --engine 0x', 'cpuMs', 'plain'))}`);
  const after = median(get('hotpath profile', 'afterMs'));
  console.log(`\ntarget: after the target exits <= 300 ms: ${after.toFixed(0)} ms (${after <= 300 ? 'met' : 'NOT met'}); load average ${load()}`);
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
