// Whole-workspace ranking scan on a real large codebase (aws-cdk-lib from npm, cached in
// bench/.cache/cdk), against a baseline measured in the same run: a bare read + ts.createSourceFile
// of the same files on one thread. Also: re-scoring one saved file, and peak memory (max RSS).
// Each measurement runs in its own child process so heaps and JIT state do not carry over.
// `node bench/rank.bench.js [--quick] [--rounds N] [--dir FOLDER]` (--quick: one sub-folder, for
// development; --dir: rank that folder instead, e.g. eslint's lib from `npm pack eslint@9`).
// Also (issue 17): the floor, walk + read + ts.createSourceFile timed together, against the scan
// inline, with 2 threads and with --workers auto, as ratios of CPU and wall per round (modes in a
// fresh random order each round), with the load average per round.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CORPUS_VERSION = '2.276.0';
const CACHE = path.join(__dirname, '.cache', 'cdk');
const CORPUS = path.join(CACHE, 'node_modules', 'aws-cdk-lib');
// --engine FILE (e.g. another checkout's dist/engines/rank.js): measure that build instead.
const ENGINE = path.resolve(process.env.HOTPATH_RANK_ENGINE || (process.argv.includes('--engine') ? process.argv[process.argv.indexOf('--engine') + 1] : path.join(ROOT, 'dist', 'engines', 'rank.js')));
const TARGET_FILES_PER_S = 1000;
const TARGET_RESCORE_MS = 50;

function ensureCorpus() {
  if (fs.existsSync(path.join(CORPUS, 'package.json'))) return;
  console.log(`installing aws-cdk-lib@${CORPUS_VERSION} into ${path.relative(ROOT, CACHE)} (once)...`);
  fs.mkdirSync(CACHE, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', CACHE, `aws-cdk-lib@${CORPUS_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install of the corpus failed');
}

const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const load = () => require('os').loadavg().map((x) => x.toFixed(1)).join(' ');
/** Hand-written files of every size up to lodash.js (540 KB, 17,000 lines): the re-score worst case. */
const LARGE_FILES = path.join(ROOT, 'node_modules', 'lodash');

// --- children: each prints one JSON line ---------------------------------------------------
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function child(mode, root) {
  const engine = require(ENGINE);
  if (mode === 'floor') {
    const ts = require('typescript');
    const t0 = performance.now(), c0 = cpuMs();
    const { files } = engine.walkWorkspace(root);
    let statements = 0;
    for (const f of files) statements += ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest).statements.length;
    return { files: files.length, ms: performance.now() - t0, cpu: cpuMs() - c0, statements, maxRssMb: maxRssMb() };
  }
  if (mode === 'rankAuto' || mode === 'rank1' || mode === 'rank2only') {
    // The engine's parser (dist/engines/typescript.js) loaded first, as the floor's: both then time the same work.
    require(path.join(path.dirname(ENGINE), 'typescript.js'));
    const workers = mode === 'rankAuto' ? 'auto' : mode === 'rank1' ? 1 : 2;
    const t0 = performance.now(), c0 = cpuMs();
    const r = await engine.rankWorkspace(root, { workers });
    // CPU of this thread only would miss the workers': process.cpuUsage counts every thread.
    return { files: r.stats.files, ms: performance.now() - t0, cpu: cpuMs() - c0, maxRssMb: maxRssMb(), workers: workers === 'auto' ? engine.autoWorkers?.() : workers };
  }
  if (mode === 'baseline' || mode === 'baselineParsed') {
    const ts = require('typescript');
    let { files } = engine.walkWorkspace(root);
    // The files the ranking really parses (not skipped as minified/huge), found before timing.
    if (mode === 'baselineParsed') files = [...(await engine.rankWorkspaceWithState(root)).state.signals.keys()];
    const t0 = performance.now();
    let statements = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      statements += ts.createSourceFile(f, text, ts.ScriptTarget.Latest).statements.length;
    }
    return { files: files.length, ms: performance.now() - t0, statements, maxRssMb: maxRssMb() };
  }
  if (/^rank[02](warm)?$/.test(mode)) {
    const opts = { workers: mode.startsWith('rank2') ? 2 : 0 };
    // warm: a second scan in the same process (the extension rescanning; parser JIT-compiled).
    if (mode.endsWith('warm')) await engine.rankWorkspace(root, opts);
    const t0 = performance.now();
    const r = await engine.rankWorkspace(root, opts);
    return { files: r.stats.files, parsed: r.stats.parsed, skipped: r.stats.skipped, ms: performance.now() - t0, maxRssMb: maxRssMb(), top: r.modules[0] && `${r.modules[0].file} ${r.modules[0].score}` };
  }
  if (mode === 'rescore') {
    // Scanned in workers, so the first re-score in this thread meets a cold parser (as the
    // extension host does on the first save); then warm re-scores over files of every size.
    const { state } = await engine.rankWorkspaceWithState(root, { workers: 2 });
    const bySize = [...state.signals.values()].sort((a, b) => a.bytes - b.bytes);
    const picks = [];
    for (let i = 0; i < 30; i++) picks.push(bySize[Math.floor((i / 29) * (bySize.length - 1))]);
    let t0 = performance.now();
    engine.rescoreFile(state, picks[Math.floor(picks.length / 2)].path);
    const cold = performance.now() - t0;
    const times = [];
    for (const s of picks) {
      for (let k = 0; k < 3; k++) {
        t0 = performance.now();
        engine.rescoreFile(state, s.path);
        times.push(performance.now() - t0);
      }
    }
    const largest = picks[picks.length - 1];
    times.sort((a, b) => a - b);
    return { files: state.signals.size, cold, median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], max: times[times.length - 1], largestKB: Math.round(largest.bytes / 1024), largest: path.basename(largest.path) };
  }
  throw new Error(`unknown mode ${mode}`);
}

function runChild(mode, root) {
  const r = spawnSync(process.execPath, [__filename, '--child', mode, root], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, HOTPATH_RANK_ENGINE: ENGINE } });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

function main() {
  const argv = process.argv.slice(2);
  const rounds = Number(argv[argv.indexOf('--rounds') + 1]) || 3;
  if (!fs.existsSync(ENGINE)) throw new Error('dist/engines/rank.js missing: run `node esbuild.js --only engines`');
  if (argv.includes('--dir')) return floorRounds(path.resolve(argv[argv.indexOf('--dir') + 1]), rounds);
  ensureCorpus();
  const root = argv.includes('--quick') ? path.join(CORPUS, 'aws-ec2') : CORPUS;
  console.log(`corpus: ${path.relative(ROOT, root)} (aws-cdk-lib ${CORPUS_VERSION}), ${rounds} round(s), modes alternate; load average ${load()} on ${require('os').cpus().length} cores`);
  const res = { baseline: [], baselineParsed: [], rank2: [], rank0: [], rank2warm: [], rank0warm: [] };
  for (let i = 0; i < rounds; i++) for (const mode of Object.keys(res)) res[mode].push(runChild(mode, root));
  const rate = (r) => (r.files / r.ms) * 1000;
  const line = (name, list) => {
    const rates = list.map(rate);
    console.log(`${name.padEnd(34)} ${median(rates).toFixed(0).padStart(6)} files/s (range ${spread(rates)}), ${list[0].files} files, max RSS ${median(list.map((r) => r.maxRssMb))} MB`);
    return median(rates);
  };
  const base = line('baseline: read + createSourceFile', res.baseline);
  const baseParsed = line('baseline, only files rank parses', res.baselineParsed);
  const r2 = line('rank scan, 2 worker threads', res.rank2);
  const r0 = line('rank scan, inline (1 thread)', res.rank0);
  const r2w = line('rank scan, 2 workers, second scan', res.rank2warm);
  line('rank scan, inline, second scan', res.rank0warm);
  const s = res.rank2[0];
  console.log(`ranked ${s.parsed}, skipped ${s.skipped} (minified/huge/etc.); top: ${s.top}`);
  const parsedRates = res.rank2.map((r) => (r.parsed / r.ms) * 1000);
  console.log(`rank(2 workers) per parsed file: ${median(parsedRates).toFixed(0)} files/s vs baseline on the same files ${baseParsed.toFixed(0)} files/s: ${(median(parsedRates) / baseParsed).toFixed(2)}x`);
  const ratios = res.rank2.map((r, i) => rate(r) / rate(res.baseline[i]));
  console.log(`ratio rank(2 workers) / baseline: ${median(ratios).toFixed(2)}x (range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}); inline / baseline ${(r0 / base).toFixed(2)}x`);
  const re = runChild('rescore', root);
  const runs = [['aws-cdk-lib', re]];
  if (fs.existsSync(LARGE_FILES)) runs.push(['lodash', runChild('rescore', LARGE_FILES)]);
  for (const [name, r] of runs) {
    console.log(`re-score one saved file (${name}, ${r.files} files): cold first ${r.cold.toFixed(1)} ms; warm median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (largest ${r.largest}, ${r.largestKB} KB)`);
  }
  console.log(`load average at the end: ${load()}`);
  const okRate = Math.max(r2, r2w) >= TARGET_FILES_PER_S;
  const okRescore = re.p95 <= TARGET_RESCORE_MS;
  console.log(`target >= ${TARGET_FILES_PER_S} files/s: ${okRate ? 'met' : 'NOT met'} (2 workers: first scan ${r2.toFixed(0)}, second ${r2w.toFixed(0)}); re-score p95 <= ${TARGET_RESCORE_MS} ms: ${okRescore ? 'met' : 'NOT met'}`);
}

/** The floor comparison on any folder: floor, inline, 2 threads, auto; interleaved in random order. */
function floorRounds(root, rounds) {
  const os = require('os');
  console.log(`folder: ${root}, ${rounds} round(s), modes in a random order each round; ${os.cpus().length} cores; load average ${load()}`);
  const modes = ['floor', 'rank1', 'rank2only', 'rankAuto'];
  const res = Object.fromEntries(modes.map((m) => [m, []]));
  let seed = 17;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < rounds; i++) {
    const order = [...modes].sort(() => rand() - 0.5);
    for (const m of order) res[m].push(runChild(m, root));
    console.log(`round ${i + 1}: ${modes.map((m) => `${m} ${Math.round(res[m][i].ms)} ms (cpu ${Math.round(res[m][i].cpu)})`).join(', ')}; auto chose ${res.rankAuto[i].workers} thread(s); load ${load()}`);
  }
  const f = (xs, d = 2) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;
  console.log(`\n${res.floor[0].files} files; median (min-max) over rounds of the per-round ratio to the floor (walk + read + createSourceFile):`);
  for (const m of modes.slice(1)) {
    const wall = res[m].map((r, i) => r.ms / res.floor[i].ms), cpu = res[m].map((r, i) => r.cpu / res.floor[i].cpu);
    console.log(`  ${m.padEnd(10)} wall ${f(wall)}x  cpu ${f(cpu)}x  (${f(res[m].map((r) => (r.files / r.ms) * 1000), 0)} files/s)`);
  }
  const vs1 = res.rankAuto.map((r, i) => r.ms / res.rank1[i].ms);
  console.log(`  auto / one thread, wall: ${f(vs1)}x; 2 threads / one thread: ${f(res.rank2only.map((r, i) => r.ms / res.rank1[i].ms))}x`);
  console.log(`  floor: ${f(res.floor.map((r) => (r.files / r.ms) * 1000), 0)} files/s; load average at the end ${load()}`);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).then((r) => console.log(JSON.stringify(r)), (err) => { console.error(err); process.exit(1); });
} else {
  try {
    main();
  } catch (err) {
    console.error(`rank bench: ${err.message}`);
    process.exit(1);
  }
}
