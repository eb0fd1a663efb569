// Validates Hotpath's measured ES module load times against timing the import by hand, on real
// ES module packages from npm (installed once into bench/.cache/esm), and measures what the
// measurement costs.
//
// Per package, in rounds that interleave the modes (each a fresh `node` process):
//   hand      performance.now() around `await import(pkg)` from a CommonJS script, no preload
//   empty     the same for an empty .mjs file: the ESM loader's own first-use cost, which every
//             first import() pays and no module is charged for
//   hotpath   the same script under the preload (imports only, ESM hooks registered as by
//             default, lazily on the script's import( ): the package entry's time in the import
//             tree (the sum of self times below it)
//   hooked    the by-hand figure of that same hooked run (what the import took with the hooks on)
//   plain     by hand under loader hooks that only pass through (resolve/load call next()): with
//             `hooked`, what Hotpath's markers and timing add on top of any hooks
// Reported: medians with the interquartile range, Hotpath / (hand - empty), Hotpath / hand, and
// the cost of the hooks (hooked / hand, and the registration time). `--cli` adds whole ESM CLI
// entries (`--version` paths). Load average at start and end.
//
// `--startup` instead measures what the hooks cost a process that loads no ES module: the wall
// time of a CommonJS script without the preload, with it (imports only) by default, and with
// --esm-hooks always; once for a script whose source never mentions import( and once for one
// that does (the default then registers the hooks too, just before compiling it).
//
// `node bench/esmLoad.bench.js [--rounds N] [--only a,b] [--cli | --startup]` (after `node esbuild.js`).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(__dirname, '.cache', 'esm');
const PRELOAD = path.join(ROOT, 'dist', 'preload.js');
/** Leaf-ish to large ES module packages (pinned versions). */
const PACKAGES = {
  chalk: '5.4.1', execa: '9.5.2', got: '14.4.7', ora: '8.2.0', zx: '8.5.4', globby: '14.1.0',
  prettier: '3.5.3', unified: '11.0.5', remark: '15.0.1', vite: '5.4.19',
  stylelint: '17.16.0',
};
/** Whole ESM CLI entries, run with these arguments (the package is in PACKAGES or added here). */
const CLIS = { zx: ['build/cli.js', '--version'], vite: ['bin/vite.js', '--version'], prettier: ['bin/prettier.cjs', '--version'],
  stylelint: ['bin/stylelint.mjs', '--version'] };

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const ROUNDS = Number(opt('--rounds', '7'));
const ONLY = opt('--only', '') ? opt('--only', '').split(',') : Object.keys(PACKAGES);

function ensurePackages() {
  const want = Object.entries(PACKAGES).map(([n, v]) => `${n}@${v}`);
  const have = want.every((s) => fs.existsSync(path.join(CACHE, 'node_modules', s.split('@')[0], 'package.json')));
  if (have) return;
  fs.mkdirSync(CACHE, { recursive: true });
  if (!fs.existsSync(path.join(CACHE, 'package.json'))) fs.writeFileSync(path.join(CACHE, 'package.json'), '{"private":true}\n');
  console.log(`installing ${want.join(' ')} into ${path.relative(ROOT, CACHE)} (once)...`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...want], { cwd: CACHE, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install failed');
}

// The by-hand script: CommonJS, one import(), prints the milliseconds it took.
// Pass-through hooks, registered the way the preload does (from a --require), without markers.
const PLAIN_HOOKS = `require('module').register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, n) { return n(s, c); } export async function load(u, c, n) { return n(u, c); }'));
`;

const HAND = `const t = performance.now();
import(process.argv[2]).then(() => process.stderr.write('HOTPATH_BENCH_MS=' + (performance.now() - t) + '\\n'), (e) => { console.error(e); process.exit(1); });
`;
// A whole CLI: its entry imported with the argv it expects; done when the process exits (a CLI
// may go on loading after its entry evaluated: vite's bin imports its CLI with import()).
const HAND_CLI = `const t = performance.now();
process.on('exit', () => process.stderr.write('HOTPATH_BENCH_MS=' + (performance.now() - t) + '\\n'));
const target = process.argv[2];
process.argv.splice(1, 2, target);
import(target).catch((e) => { console.error(e); process.exit(1); });
`;

/** `withPreload`: true (Hotpath's preload, imports only) or a path to another --require file. */
function runNode(script, target, withPreload, extraArgs = []) {
  const out = withPreload === true ? fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-esmbench-')) : undefined;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  if (out) Object.assign(env, { HOTPATH_OUT_DIR: out, HOTPATH_IMPORTS: '1', HOTPATH_CPU: '0', HOTPATH_HEAP: '0' });
  const pre = out ? ['--require', PRELOAD] : typeof withPreload === 'string' ? ['--require', withPreload] : [];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...pre, script, target, ...extraArgs], { cwd: CACHE, env, encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${script} ${target}: exit ${r.status}\n${r.stderr}`);
  const m = /HOTPATH_BENCH_MS=([\d.]+)/.exec(r.stderr);
  const ms = m ? Number(m[1]) : undefined;
  let imports;
  if (out) {
    const f = fs.readdirSync(out).find((x) => x.endsWith('.imports.json') && x.includes('-0.'));
    imports = f ? JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) : undefined;
    fs.rmSync(out, { recursive: true, force: true });
  }
  return { ms, wallMs, imports };
}

/** The record of what `script` imported: its child whose parent is the script. */
function entryRecord(imports, script) {
  const mods = imports?.modules ?? [];
  return mods.find((m) => m.parent === script && m.kind !== 'builtin');
}

/**
 * The load time of `rec` as the import tree shows it: the sum of self times over its subtree (for
 * an ES module its totalUs; for a CommonJS entry also what it loaded later with import()). µs,
 * or -1 when a module of the subtree was not measured.
 */
function subtreeUs(imports, rec) {
  const kids = new Map();
  for (const m of imports.modules) {
    if (!m.parent) continue;
    if (!kids.has(m.parent)) kids.set(m.parent, []);
    kids.get(m.parent).push(m);
  }
  let sum = 0;
  const stack = [rec];
  const seen = new Set();
  while (stack.length) {
    const m = stack.pop();
    if (seen.has(m.file)) continue;
    seen.add(m.file);
    if (m.selfUs < 0) return -1;
    sum += m.selfUs;
    stack.push(...(kids.get(m.file) ?? []).filter((c) => c.startUs >= m.startUs));
  }
  return sum;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); const i = (s.length - 1) * p; const lo = Math.floor(i); return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo); };
const fmt = (xs) => `${median(xs).toFixed(1)} [${q(xs, 0.25).toFixed(1)}-${q(xs, 0.75).toFixed(1)}]`;
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

function startupCost() {
  const plain = path.join(CACHE, 'cjsPlain.cjs');
  fs.writeFileSync(plain, "console.log('ok');\n");
  const mentions = path.join(CACHE, 'cjsMentionsImport.cjs');
  fs.writeFileSync(mentions, "// never runs: if (process.env.NO) import('./empty.mjs');\nconsole.log('ok');\n");
  const modes = [
    { name: 'no preload', env: undefined },
    { name: 'preload, default (auto)', env: { HOTPATH_ESM_HOOKS: 'auto' } },
    { name: 'preload, --esm-hooks always', env: { HOTPATH_ESM_HOOKS: 'always' } },
  ];
  console.log(`node ${process.version}, ${ROUNDS} rounds, load average at start: ${load()}`);
  const res = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    for (const script of [plain, mentions]) {
      for (const mode of modes) {
        const out = mode.env ? fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-esmbench-')) : undefined;
        const env = { ...process.env, ...(out ? { HOTPATH_OUT_DIR: out, HOTPATH_IMPORTS: '1', HOTPATH_CPU: '0', HOTPATH_HEAP: '0', ...mode.env } : {}) };
        delete env.NODE_OPTIONS;
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [...(out ? ['--require', PRELOAD] : []), script], { cwd: CACHE, env, encoding: 'utf8' });
        const wall = performance.now() - t0;
        if (r.status !== 0) throw new Error(r.stderr);
        let register;
        if (out) {
          const f = fs.readdirSync(out).find((x) => x.endsWith('.imports.json'));
          register = f ? JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')).esmHooks?.registerUs : undefined;
          fs.rmSync(out, { recursive: true, force: true });
        }
        const key = `${path.basename(script)} | ${mode.name}`;
        if (!res.has(key)) res.set(key, { wall: [], register: [] });
        res.get(key).wall.push(wall);
        if (register !== undefined) res.get(key).register.push(register / 1000);
      }
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} (load ${load()})\n`);
  }
  console.log('\nscript | mode | process wall ms | hooks registration ms (from the imports file)');
  for (const [key, v] of res) console.log(`${key} | ${fmt(v.wall)} | ${v.register.length ? fmt(v.register) : 'not registered'}`);
  console.log(`\nload average at end: ${load()}`);
}

function main() {
  if (!fs.existsSync(PRELOAD)) throw new Error('dist/preload.js missing: run `node esbuild.js` first');
  ensurePackages();
  const hand = path.join(CACHE, 'hand.cjs');
  fs.writeFileSync(hand, HAND);
  const handCli = path.join(CACHE, 'handCli.cjs');
  fs.writeFileSync(handCli, HAND_CLI);
  const empty = path.join(CACHE, 'empty.mjs');
  fs.writeFileSync(empty, 'export {};\n');
  const plainHooks = path.join(CACHE, 'plainHooks.cjs');
  fs.writeFileSync(plainHooks, PLAIN_HOOKS);
  console.log(`node ${process.version}, ${ROUNDS} rounds, load average at start: ${load()}`);
  const rows = [];
  const targets = ONLY.map((p) => ({ label: p, target: p, script: hand }));
  if (args.includes('--cli')) {
    for (const [p, [bin, ...rest]] of Object.entries(CLIS)) {
      if (!ONLY.includes(p)) continue;
      // A whole CLI: its entry file imported by hand (argv as the CLI would see it).
      targets.push({ label: `${p} CLI (${rest.join(' ')})`, target: path.join(CACHE, 'node_modules', p, bin), script: handCli, extra: rest });
    }
  }
  const res = new Map(targets.map((t) => [t.label, { hand: [], hooked: [], plain: [], hotpath: [], compile: [], evalMs: [], register: [], empty: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      const r = res.get(t.label);
      // Interleaved: empty, hand, plain hooks, hotpath.
      r.empty.push(runNode(hand, empty, false).ms);
      r.hand.push(runNode(t.script, t.target, false, t.extra).ms);
      r.plain.push(runNode(t.script, t.target, plainHooks, t.extra).ms);
      // The empty import() baseline for a CLI script is the same (its import() of an empty file).
      const h = runNode(t.script, t.target, true, t.extra);
      const rec = entryRecord(h.imports, t.script);
      const us = rec ? subtreeUs(h.imports, rec) : -1;
      if (us < 0) throw new Error(`${t.label}: not measured: ${JSON.stringify(rec)}`);
      r.hotpath.push(us / 1000);
      r.hooked.push(h.ms);
      if (h.imports?.esmHooks) r.register.push(h.imports.esmHooks.registerUs / 1000);
      const sub = (h.imports?.modules ?? []).filter((m) => m.kind === 'esm' && m.totalUs >= 0);
      r.compile.push(sub.reduce((a, m) => a + (m.compileUs ?? 0), 0) / 1000);
      r.evalMs.push(sub.reduce((a, m) => a + (m.evalUs ?? 0), 0) / 1000);
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} (load ${load()})\n`);
  }
  console.log('\nms: median [interquartile range] over the rounds');
  console.log('package | by hand | empty import() | by hand - empty | Hotpath (totalUs) | ratio to hand-empty | ratio to hand | by hand, Hotpath\'s hooks | by hand, pass-through hooks | hooks register | compile | evaluation');
  for (const t of targets) {
    const r = res.get(t.label);
    const net = r.hand.map((x, i) => x - r.empty[i]);
    rows.push({ label: t.label, ratioNet: median(r.hotpath) / median(net), ratio: median(r.hotpath) / median(r.hand) });
    console.log(`${t.label} | ${fmt(r.hand)} | ${fmt(r.empty)} | ${fmt(net)} | ${fmt(r.hotpath)} | ${(median(r.hotpath) / median(net)).toFixed(2)} | ${(median(r.hotpath) / median(r.hand)).toFixed(2)} | ${fmt(r.hooked)} (${(median(r.hooked) / median(r.hand)).toFixed(2)}x) | ${fmt(r.plain)} (${(median(r.plain) / median(r.hand)).toFixed(2)}x) | ${r.register.length ? fmt(r.register) : '-'} | ${fmt(r.compile)} | ${fmt(r.evalMs)}`);
  }
  console.log(`\nload average at end: ${load()}`);
  const within = rows.filter((x) => x.ratioNet >= 0.8 && x.ratioNet <= 1.2).length;
  console.log(`within 20 % of (by hand - empty import()): ${within}/${rows.length}`);
}

if (args.includes('--startup')) {
  fs.mkdirSync(CACHE, { recursive: true });
  startupCost();
} else {
  main();
}
