// Hotpath's own start-up: `hotpath --version`, `--help`, `profile --help` (the start of `hotpath
// profile`: everything the profile command loads before it spawns the target) and `rank --help`,
// each against `node -e 0` measured in the same rounds, interleaved in a fresh random order per
// round. Prints the median wall time of each, and the median of the per-round ratios to
// `node -e 0` with its bootstrap 95 % interval and the spread (min-max, IQR) of the ratios.
// Target (issue 12): `--version`, `--help` and `profile --help` within 1.3x of `node -e 0`.
// Also, without a target: the extension's activation with a stub vscode (bench/activateStub.js),
// and the stub on an empty extension (the stub's own cost).
// `node bench/startup.bench.js [--rounds N] [--cli FILE] [--before DIST] [--only a,b]` (default:
// dist/cli.js, 40 rounds). --before: the dist/ of another build (e.g. main's, `node esbuild.js
// --out-root DIR`): its activation and `profile --help` join the same rounds as "(before)" rows.
// --only: the rows whose names contain one of these words (node -e 0 always runs).
'use strict';
const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const ROUNDS = Number(opt('--rounds', 40));
const CLI = path.resolve(opt('--cli', path.join(ROOT, 'dist', 'cli.js')));
const TARGET = 1.3;
const BEFORE = opt('--before') && path.resolve(opt('--before'));
const ONLY = opt('--only') ? opt('--only').split(',') : undefined;
const EMPTY_DIR = require('fs').mkdtempSync(path.join(os.tmpdir(), 'hotpath-startup-'));
const EMPTY_EXTENSION = path.join(EMPTY_DIR, 'extension.js');
require('fs').writeFileSync(EMPTY_EXTENSION, 'exports.activate = () => {};\n');
process.on('exit', () => require('fs').rmSync(EMPTY_DIR, { recursive: true, force: true }));

const cases = [
  { name: 'node -e 0', argv: ['-e', '0'], baseline: true },
  { name: 'hotpath --version', argv: [CLI, '--version'], target: TARGET },
  { name: 'hotpath --help', argv: [CLI, '--help'], target: TARGET },
  { name: 'hotpath profile --help', argv: [CLI, 'profile', '--help'], target: TARGET },
  { name: 'hotpath rank --help', argv: [CLI, 'rank', '--help'] },
  // The extension's activation outside an editor (bench/activateStub.js: a stub vscode), and the
  // stub alone on an empty extension: the difference is what loading and activating costs.
  { name: 'extension activate', argv: [path.join(__dirname, 'activateStub.js'), path.join(path.dirname(CLI), 'extension.js')] },
  { name: 'stub, empty extension', argv: [path.join(__dirname, 'activateStub.js'), EMPTY_EXTENSION] },
  ...(BEFORE ? [
    { name: 'hotpath profile --help (before)', argv: [path.join(BEFORE, 'cli.js'), 'profile', '--help'] },
    { name: 'extension activate (before)', argv: [path.join(__dirname, 'activateStub.js'), path.join(BEFORE, 'extension.js')] },
  ] : []),
].filter((c) => c.baseline || !ONLY || ONLY.some((w) => c.name.includes(w)));

function once(c) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  return ms;
}

function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); const i = (s.length - 1) * q; const lo = Math.floor(i); return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo); };
const median = (xs) => quantile(xs, 0.5);

/** Percentile bootstrap interval of the median (fixed seed, so a rerun on the same data agrees). */
function bootstrapMedianCI(xs, iters = 2000) {
  let seed = 12345;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const meds = [];
  for (let k = 0; k < iters; k++) meds.push(median(xs.map(() => xs[Math.floor(rand() * xs.length)])));
  return [quantile(meds, 0.025), quantile(meds, 0.975)];
}

function main() {
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`startup: ${ROUNDS} rounds, ${path.relative(ROOT, CLI)}, Node ${process.version}, load at start ${load()}`);
  for (const c of cases) once(c); // warm the file cache
  const times = new Map(cases.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) for (const c of shuffle([...cases])) times.get(c.name).push(once(c));
  const base = times.get('node -e 0');
  let missed = 0;
  console.log(`${'command'.padEnd(32)} ${'median ms'.padStart(9)}   ratio to node -e 0: median [95 % CI] (IQR; min-max)`);
  for (const c of cases) {
    const ms = times.get(c.name);
    const line = `${c.name.padEnd(32)} ${median(ms).toFixed(1).padStart(9)}`;
    if (c.baseline) { console.log(`${line}   (baseline; IQR ${quantile(ms, 0.25).toFixed(1)}-${quantile(ms, 0.75).toFixed(1)} ms)`); continue; }
    const ratios = ms.map((m, i) => m / base[i]);
    const [lo, hi] = bootstrapMedianCI(ratios);
    const med = median(ratios);
    const verdict = c.target ? (med <= c.target ? `  within the ${c.target}x target` : `  MISSES the ${c.target}x target`) : '';
    if (c.target && med > c.target) missed++;
    console.log(`${line}   ${med.toFixed(3)}x [${lo.toFixed(3)}-${hi.toFixed(3)}] (${quantile(ratios, 0.25).toFixed(2)}-${quantile(ratios, 0.75).toFixed(2)}; ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})${verdict}`);
  }
  console.log(`load at end ${load()}`);
  process.exitCode = missed ? 1 : 0;
}

main();
