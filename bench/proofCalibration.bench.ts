// Calibration of the before/after proof (issue 13), through the real CLI: `hotpath compare --ref
// HEAD --runs R --profile --json -- node <target>` in a scratch git repository, so every figure
// is what a user gets by default (5 profiled runs per side, sampled every 0.2 ms, the count test
// with the false discovery rate held at 5 %, each process by its own measured CPU).
//
// - A/A: the working tree equals HEAD. Targets rotate: the fixture
//   test/fixtures/targets/proofWork.js (five functions, a fixed amount of work, ~1 s on a quiet
//   machine), the demo (demo/src/main.js, a parent and a spawned child process; every
//   --demo-every-th, unless --no-demo) and a real program from npm (the repository's TypeScript
//   compiler type-checking a copy of src/core/stats; every --real-every-th). Every --hog-every-th comparison
//   runs with a CPU hog beside it (`node -e 'for(;;);'`, started before and ended after).
//   Goals: comparisons that name any function "changed beyond the noise" <= 5 %, timed verdicts
//   other than "no significant difference" <= 5 %.
// - A/B: the working tree makes hashRows do 20 % more work (proofWork.js, one edited line).
//   Goal: hashRows named, and only it, in >= 90 % of comparisons.
//
// The two kinds alternate (A/A, A/B, A/A...) so load drift hits both. Options:
//   --aa N --ab N (default 20 each)   --runs R timed runs per side (default 10)
//   --hog-every K (default 4)         --no-demo (A/A on proofWork only)
//   --demo-every K, --real-every K (default 4 each: A/A 2, 6, 10... demo; 4, 8, 12... tsc)
//   --log FILE: append each comparison as a JSON line (kept when the run is stopped early)
//   --budget-min M: start no comparison after M minutes (the counts say how many ran)
//   --scale S: proofWork's amount of work (HOTPATH_PROOF_SCALE, default 1)
// Prints one line per comparison and the fractions with their counts and the load averages.
// Figures (docs/STATISTICS.md, "Calibration"): 2026-12-07, 23 of 40 in 72 min at load 6-35:
// A/A named a function in 1 of 12 (demo: spawnSync, a waiting row), A/B hashRows alone 9 of 11.
// Fourth session: balanced pairs, load 1.8-5.0: A/A 0 of 4, A/B hashRows alone 8 of 8.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const WORK = path.join(ROOT, 'test', 'fixtures', 'targets', 'proofWork.js');
const DEMO = path.join(ROOT, 'demo');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const AA = arg('--aa', 20);
const AB = arg('--ab', 20);
const RUNS = arg('--runs', 10);
const HOG_EVERY = arg('--hog-every', 4);
const BUDGET_MS = arg('--budget-min', Infinity) * 60_000;
const SCALE = arg('--scale', 1);
const DEMO_TOO = !process.argv.includes('--no-demo');
const DEMO_EVERY = arg('--demo-every', 4);
const REAL_EVERY = arg('--real-every', 4);
const LOG = process.argv.includes('--log') ? process.argv[process.argv.indexOf('--log') + 1] : undefined;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
type Target = 'proofWork' | 'demo' | 'tsc';

type Kind = 'aa' | 'ab';
interface Outcome {
  kind: Kind; target: string; hog: boolean; verdict: string; changePct: number; named: string[]; changed: number; tested: number;
  coherent: boolean | null; load: [number, number]; seconds: number; profiled?: string; error?: string;
  /** A story that is not coherent without the sentence that says why (must never happen). */
  silent?: boolean;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@hotpath.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

/** A scratch repository holding the target at HEAD; `slow` edits the working tree (A/B). */
function repo(target: Target): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hotpath-proof-${target}-`));
  if (target === 'proofWork') fs.copyFileSync(WORK, path.join(dir, 'proofWork.js'));
  else if (target === 'tsc') {
    // A real input for a real npm program: this repository's statistics code (self-contained).
    fs.cpSync(path.join(ROOT, 'src', 'core', 'stats'), path.join(dir, 'stats'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2020', module: 'commonjs', noEmit: true, types: [] }, include: ['stats'] }));
  } else {
    fs.cpSync(path.join(DEMO, 'src'), path.join(dir, 'src'), { recursive: true });
    fs.copyFileSync(path.join(DEMO, 'package.json'), path.join(dir, 'package.json'));
    // The demo requires typescript (as `npm run demo` does: the repository's node_modules).
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  }
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.hotpath/\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

function slowDown(dir: string): void {
  const file = path.join(dir, 'proofWork.js');
  const src = fs.readFileSync(file, 'utf8');
  const edited = src.replace("const slow = process.argv[2] === 'slow'", 'const slow = true');
  if (edited === src) throw new Error('proofWork.js: the line to edit was not found');
  fs.writeFileSync(file, edited);
}

function hog(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
}

function compare(kind: Kind, target: Target, withHog: boolean): Outcome {
  const dir = repo(target);
  if (kind === 'ab') slowDown(dir);
  const h = withHog ? hog() : undefined;
  const load0 = os.loadavg()[0];
  const started = Date.now();
  try {
    const command = target === 'proofWork' ? ['node', 'proofWork.js'] : target === 'demo' ? ['node', 'src/main.js'] : ['node', TSC, '-p', '.'];
    const r = spawnSync(process.execPath, [CLI, 'compare', '--ref', 'HEAD', '--runs', String(RUNS), '--profile', '--json', '--', ...command], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, HOTPATH_PROOF_SCALE: String(SCALE) }, maxBuffer: 64 * 1024 * 1024,
    });
    const load: [number, number] = [load0, os.loadavg()[0]];
    const seconds = (Date.now() - started) / 1000;
    const base = { kind, target, hog: withHog, load, seconds };
    if (r.status !== 0) return { ...base, verdict: 'error', changePct: Number.NaN, named: [], changed: 0, tested: 0, coherent: null, error: (r.stderr || r.stdout).slice(-400) };
    const j = JSON.parse(r.stdout);
    const d = j.profileDiff;
    if (!d || d.error) return { ...base, verdict: j.verdict, changePct: j.changePct, named: [], changed: 0, tested: 0, coherent: null, error: d?.error ?? 'no profileDiff' };
    const named = (d.functions as { name: string; verdict: string }[]).filter((f) => f.verdict === 'slower' || f.verdict === 'faster').map((f) => `${f.name} ${f.verdict}`);
    return {
      ...base, verdict: j.verdict, changePct: j.changePct, named, changed: d.tests?.functions.changed ?? named.length, tested: d.tests?.functions.tested ?? 0,
      coherent: d.story ? d.story.coherent : null, silent: !!d.story && d.story.coherent === false && !d.story.sentence, profiled: `${d.runIds.before.length}+${d.runIds.after.length} at ${d.intervalUs} us`,
    };
  } finally {
    if (h) h.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` first (npm run bench builds)');
  const begin = Date.now();
  const out: Outcome[] = [];
  let aa = 0;
  let ab = 0;
  console.log(`proof calibration: ${AA} A/A + ${AB} A/B comparisons, ${RUNS} timed runs per side, default profiled runs; a CPU hog beside every ${HOG_EVERY}th; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  while ((aa < AA || ab < AB) && Date.now() - begin < BUDGET_MS) {
    const kind: Kind = aa < AA && (aa <= ab || ab >= AB) ? 'aa' : 'ab';
    const i = kind === 'aa' ? aa++ : ab++;
    const target: Target = kind !== 'aa' ? 'proofWork' : DEMO_TOO && DEMO_EVERY > 0 && i % DEMO_EVERY === 1 ? 'demo' : REAL_EVERY > 0 && i % REAL_EVERY === 3 ? 'tsc' : 'proofWork';
    const withHog = HOG_EVERY > 0 && (i + 1) % HOG_EVERY === 0;
    const o = compare(kind, target, withHog);
    out.push(o);
    if (LOG) fs.appendFileSync(LOG, `${JSON.stringify(o)}\n`);
    console.log(`${kind.toUpperCase()} ${String(i + 1).padStart(2)} ${target}${withHog ? ' +hog' : ''}: ${o.verdict} (${Number.isFinite(o.changePct) ? `${o.changePct.toFixed(1)} %` : '?'}), named ${o.changed} of ${o.tested} tested${o.named.length ? ` [${o.named.join(', ')}]` : ''}, story ${o.coherent === null ? '-' : o.coherent ? 'coherent' : 'with sentence'}, load ${o.load[0].toFixed(1)}->${o.load[1].toFixed(1)}, ${o.seconds.toFixed(0)} s${o.error ? `; ${o.error}` : ''}`);
  }
  const A = out.filter((o) => o.kind === 'aa' && !o.error);
  const B = out.filter((o) => o.kind === 'ab' && !o.error);
  const frac = (k: number, n: number) => `${k}/${n}${n ? ` (${((100 * k) / n).toFixed(0)} %)` : ''}`;
  const loads = out.flatMap((o) => o.load);
  console.log(`\nran ${out.length} comparisons in ${((Date.now() - begin) / 60_000).toFixed(1)} min (${out.filter((o) => o.error).length} with errors, left out below); load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`);
  if (out.length < AA + AB) console.log(`budget reached: ${out.length} of ${AA + AB} comparisons ran; run again without --budget-min for the full count`);
  const hogged = A.filter((o) => o.hog);
  for (const t of ['proofWork', 'demo', 'tsc']) {
    const of = A.filter((o) => o.target === t);
    if (of.length) console.log(`A/A on ${t}: named any function ${frac(of.filter((o) => o.changed > 0).length, of.length)}; verdict other than "no significant difference" ${frac(of.filter((o) => o.verdict !== 'no significant difference').length, of.length)}`);
  }
  console.log(`A/A: named any function ${frac(A.filter((o) => o.changed > 0).length, A.length)} [goal <= 5 %]; verdict other than "no significant difference" ${frac(A.filter((o) => o.verdict !== 'no significant difference').length, A.length)} [goal <= 5 %]; with a hog: named ${frac(hogged.filter((o) => o.changed > 0).length, hogged.length)}, verdict ${frac(hogged.filter((o) => o.verdict !== 'no significant difference').length, hogged.length)}`);
  const only = B.filter((o) => o.changed === 1 && o.named[0] === 'hashRows slower').length;
  console.log(`A/B: hashRows named, and only it ${frac(only, B.length)} [goal >= 90 %]; hashRows named at all ${frac(B.filter((o) => o.named.includes('hashRows slower')).length, B.length)}; timed verdict slower ${frac(B.filter((o) => o.verdict === 'slower').length, B.length)}`);
  console.log(`stories where the profiled totals disagree with the verdict without the sentence: ${out.filter((o) => o.silent).length} [must be 0]`);
  console.log(`stories with the disagreement sentence: A/A ${frac(A.filter((o) => o.coherent === false).length, A.length)}, A/B ${frac(B.filter((o) => o.coherent === false).length, B.length)}`);
}

main();
