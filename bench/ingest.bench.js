// Ingestion of a large .cpuprofile (issue 3): parse + model + source maps, end to end, against a
// bare JSON.parse of the same file measured in the same run. Targets: >= 100 MB/s and peak memory
// <= 2x the file size. Each measurement runs in a fresh Node process (peak RSS = VmHWM).
//   node bench/ingest.bench.js [--mb 250] [--runs 2] [--huge] [--against <git ref>] [--wait] [--race]
// --huge also opens a >= 512 MB profile (more than one JS string can hold).
// Hotpath is also measured on one thread (hotpathOneThread: no worker reading the samples, see
// src/core/profile/parallelSamples.ts). Generated files live in bench/.cache/ (git-ignored).
// --against REF: the library as committed at REF (git archive of src/) is measured too, on two
// threads and on one (against, againstOneThread), for an A/B in the same session.
// hotpath uses the default schedule of the two threads ('measured': wait for the worker while it
// is ahead of what the main thread could do alone, see parallelSamples.ts). --wait: also always
// waiting for the worker (hotpathWait, the behaviour before); --race: also the main thread reading
// the samples too, the first to finish used (hotpathRace, see cpuParser's SamplesRace).
// Runs are interleaved: each round runs every variant once, in a seeded random order, and each
// child records the load average (1 min) when it starts. Figures: median (min-max) over rounds.
const { spawnSync } = require('child_process');
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const MB = opt('mb', 250);
const RUNS = opt('runs', 2);
const root = path.join(__dirname, '..');
const cache = path.join(__dirname, '.cache');

function child(code, env) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '-e', code], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const HWM = `const hwm = () => Number(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;`;

// CPU time is reported beside wall time: on a shared machine wall time mostly measures the queue.
const CPU = `const cpuMs = (c) => (c.user + c.system) / 1000;`;

const baselineCode = `${HWM}${CPU}
const fs = require('fs');
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const p = JSON.parse(fs.readFileSync(process.env.FILE, 'utf8'));
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, cpu: cpuMs(process.cpuUsage(c0)), peak: hwm(), nodes: p.nodes.length }));`;

const hotpathCode = `${HWM}${CPU}
const lib = require(process.env.LIB);
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
lib.openProfileFile(process.env.FILE, { root: process.env.ROOT, parallelMinBytes: process.env.ONE_THREAD ? Infinity : undefined, parallelSchedule: process.env.SCHEDULE || undefined }).then((m) => {
  const s = lib.summarize(m, { top: 10 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = cpuMs(process.cpuUsage(c0));
  const mapped = m.frames.filter((f) => f.generated).length;
  console.log(JSON.stringify({ ms, cpu, peak: hwm(), nodes: m.cpu.tree.count, samples: s.samples, mapped, top: s.topFunctions[0], notes: s.notes.length }));
}, (err) => { console.log(JSON.stringify({ error: err.message, peak: hwm() })); });`;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function rng2(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Median, min and max of one variant's runs, as MB/s of wall and CPU time and peak over file. */
function figures(runs, mb) {
  const ms = runs.map((r) => r.ms), cpu = runs.map((r) => r.cpu);
  const m = median(ms), c = median(cpu);
  const peakMb = Math.round(median(runs.map((r) => r.peak)) / 2 ** 20);
  return {
    ms: Math.round(m), mbPerS: +(mb / (m / 1000)).toFixed(1), mbPerSRange: [+(mb / (Math.max(...ms) / 1000)).toFixed(1), +(mb / (Math.min(...ms) / 1000)).toFixed(1)],
    cpuMs: Math.round(c), mbPerCpuS: +(mb / (c / 1000)).toFixed(1),
    peakMb, peakOverFile: +(peakMb / mb).toFixed(2),
    runsMs: ms.map(Math.round), load1: runs.map((r) => +r.load.toFixed(2)),
  };
}

async function measure(file, variants, runs) {
  const size = fs.statSync(file).size;
  const mb = size / 2 ** 20;
  const rand = rng2(runs * 7919 + variants.length);
  const out = new Map(variants.map((v) => [v.name, []]));
  for (let i = 0; i < runs; i++) {
    // Every variant once per round, in a random order: a trend in the machine's load hits all alike.
    const order = variants.map((v) => [rand(), v]).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    for (const v of order) {
      if (v.name === 'jsonParse' && mb >= 500) continue;
      const load = require('os').loadavg()[0];
      out.get(v.name).push({ ...child(v.code, { FILE: file, ...v.env }), load });
    }
  }
  const hot = out.get('hotpath');
  if (hot[0].error) return { mb, error: hot[0].error, peak: hot[0].peak };
  const result = { mb: +mb.toFixed(1), hotpath: figures(hot, mb), nodes: hot[0].nodes, samples: hot[0].samples, mappedFrames: hot[0].mapped, top: hot[0].top };
  for (const v of variants) {
    if (v.name === 'hotpath') continue;
    const rs = out.get(v.name);
    if (!rs.length || rs[0].error) continue;
    result[v.name] = figures(rs, mb);
    // The model must be the same whatever the variant (a cheap check: the summary's top function and counts).
    if (v.name !== 'jsonParse' && JSON.stringify([rs[0].nodes, rs[0].samples, rs[0].top]) !== JSON.stringify([hot[0].nodes, hot[0].samples, hot[0].top])) result[v.name].differs = true;
  }
  if (result.jsonParse) {
    result.speedVsJsonParse = +(result.jsonParse.ms / result.hotpath.ms).toFixed(2);
    result.cpuSpeedVsJsonParse = +(result.jsonParse.cpuMs / result.hotpath.cpuMs).toFixed(2);
  }
  return result;
}

/** The library (and its worker) as committed at `ref`, built into the cache. */
async function buildAgainst(ref) {
  const sha = require('child_process').execFileSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).trim();
  const dir = path.join(cache, `against-${sha}`);
  if (!fs.existsSync(path.join(dir, 'profile-lib.js'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'tree'), { recursive: true });
    const tar = spawnSync('sh', ['-c', `git archive ${sha} src | tar -x -C ${JSON.stringify(path.join(dir, 'tree'))}`], { cwd: root, encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`git archive ${ref}: ${tar.stderr}`);
    await esbuild.build({ entryPoints: { 'profile-lib': path.join(dir, 'tree/src/core/profile/index.ts'), profileIngestWorker: path.join(dir, 'tree/src/core/profile/samplesWorker.ts') }, bundle: true, platform: 'node', format: 'cjs', outdir: dir, external: ['esbuild'], nodePaths: [path.join(root, 'node_modules')], logLevel: 'error' });
  }
  return { sha, lib: path.join(dir, 'profile-lib.js') };
}

async function main() {
  fs.mkdirSync(cache, { recursive: true });
  const lib = path.join(cache, 'profile-lib.js');
  // The library and, next to it, the worker that reads the samples of big profiles in parallel.
  await esbuild.build({ entryPoints: { 'profile-lib': path.join(root, 'src/core/profile/index.ts'), profileIngestWorker: path.join(root, 'src/core/profile/samplesWorker.ts') }, bundle: true, platform: 'node', format: 'cjs', outdir: cache, external: ['esbuild'], logLevel: 'error' });
  const sizes = [MB, ...(args.includes('--huge') ? [600] : [])];
  const against = args.includes('--against') ? await buildAgainst(args[args.indexOf('--against') + 1]) : undefined;
  for (const mb of sizes) {
    const t0 = Date.now();
    const { file, genRoot } = await generateProfile(cache, mb);
    console.log(`load average before: ${require('os').loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`profile ${path.relative(root, file)}: ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const variants = [
      { name: 'jsonParse', code: baselineCode, env: {} },
      { name: 'hotpath', code: hotpathCode, env: { LIB: lib, ROOT: genRoot } },
      // The same on one thread (no worker reading the samples), for comparison.
      { name: 'hotpathOneThread', code: hotpathCode, env: { LIB: lib, ROOT: genRoot, ONE_THREAD: '1' } },
    ];
    if (args.includes('--wait')) variants.push({ name: 'hotpathWait', code: hotpathCode, env: { LIB: lib, ROOT: genRoot, SCHEDULE: 'wait' } });
    if (args.includes('--race')) variants.push({ name: 'hotpathRace', code: hotpathCode, env: { LIB: lib, ROOT: genRoot, SCHEDULE: 'race' } });
    if (against) {
      variants.push({ name: 'against', code: hotpathCode, env: { LIB: against.lib, ROOT: genRoot } });
      variants.push({ name: 'againstOneThread', code: hotpathCode, env: { LIB: against.lib, ROOT: genRoot, ONE_THREAD: '1' } });
      console.log(`against: the library at ${against.sha}`);
    }
    const r = await measure(file, variants, mb >= 500 ? 1 : RUNS);
    console.log(JSON.stringify(r, null, 2));
    console.log(`load average after: ${require('os').loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    if (r.hotpath) {
      // End to end is wall-clock time: with the samples read by a worker, CPU time (both threads) is above it.
      const ok = r.hotpath.mbPerS >= 100 && r.hotpath.peakOverFile <= 2;
      console.log(`${mb} MB: ${r.hotpath.mbPerS} MB/s wall, ${r.hotpath.mbPerCpuS} MB/s of CPU time (target >= 100), peak ${r.hotpath.peakOverFile}x file (target <= 2)${r.speedVsJsonParse ? `; vs bare JSON.parse: ${r.speedVsJsonParse}x wall, ${r.cpuSpeedVsJsonParse}x CPU (JSON.parse ${r.jsonParse.mbPerS} MB/s wall, ${r.jsonParse.mbPerCpuS} MB/s CPU, peak ${r.jsonParse.peakOverFile}x)` : ''}${r.hotpathOneThread ? `; on one thread: ${r.hotpathOneThread.mbPerS} MB/s wall, ${r.hotpathOneThread.mbPerCpuS} MB/s CPU` : ''}: ${ok ? 'MET' : 'NOT MET'}`);
      for (const name of ['hotpath', 'hotpathOneThread', 'hotpathWait', 'hotpathRace', 'against', 'againstOneThread', 'jsonParse']) {
        const v = r[name];
        if (v) console.log(`  ${name.padEnd(17)} ${String(v.mbPerS).padStart(6)} MB/s wall (${v.mbPerSRange.join('-')}), ${String(v.mbPerCpuS).padStart(6)} MB/s CPU, peak ${v.peakOverFile}x, load ${v.load1.join(' ')}${v.differs ? '  MODEL DIFFERS' : ''}`);
      }
    }
  }
}

// ---- The generated profile: a realistic shape, big. ------------------------------------------
// Call frames point into a real esbuild bundle of two TypeScript files with an external source
// map (so source mapping is part of the measured work), plus node_modules and node: internals.
// Half the bytes are call-tree nodes (with children and positionTicks), half samples + deltas.

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function buildBundle(genRoot) {
  const src = path.join(genRoot, 'src');
  fs.mkdirSync(src, { recursive: true });
  const FUNCS = 1500;
  for (const part of ['a', 'b']) {
    let text = '// generated\n';
    for (let i = 0; i < FUNCS; i++) text += `export function f${part}${i}(x: number): number {\n  const y: number = x * ${i};\n  return y + ${i};\n}\n\n`;
    fs.writeFileSync(path.join(src, `${part}.ts`), text);
  }
  fs.writeFileSync(path.join(src, 'main.ts'), `import * as a from './a';\nimport * as b from './b';\nexport const all = [...Object.values(a), ...Object.values(b)];\n`);
  const outfile = path.join(genRoot, 'dist', 'bundle.js');
  await esbuild.build({ entryPoints: [path.join(src, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', sourcemap: true, outfile, logLevel: 'error' });
  const lines = fs.readFileSync(outfile, 'utf8').split('\n');
  const fns = [];
  lines.forEach((l, line) => {
    const m = /function (f[ab]\d+)\(/.exec(l);
    if (m) fns.push({ name: m[1], line, column: m.index + 'function '.length });
  });
  return { url: require('url').pathToFileURL(outfile).href, fns };
}

async function generateProfile(cacheDir, mb) {
  const genRoot = path.join(cacheDir, 'ingest-src');
  const file = path.join(cacheDir, `ingest-${mb}mb.cpuprofile`);
  const bundle = await buildBundle(genRoot);
  if (fs.existsSync(file) && fs.statSync(file).size > mb * 2 ** 20 * 0.9) return { file, genRoot };
  const rand = rng(mb);
  const target = mb * 2 ** 20;
  const N = Math.floor((target * 0.5) / 235);
  const S = Math.floor((target * 0.5) / 13);
  // Tree in DFS order: ids grow with depth, the parent always has a smaller id.
  const parent = new Int32Array(N).fill(-1);
  const stack = [0];
  for (let i = 1; i < N; i++) {
    let pops = Math.floor(rand() * rand() * 4);
    if (stack.length > 60) pops += 20;
    while (pops-- > 0 && stack.length > 1) stack.pop();
    parent[i] = stack[stack.length - 1];
    stack.push(i);
  }
  const hit = new Int32Array(N);
  const samples = new Int32Array(S);
  let cur = 1;
  for (let i = 0; i < S; i++) {
    if (rand() > 0.6) cur = 1 + Math.floor(rand() * (N - 1));
    samples[i] = cur;
    hit[cur]++;
  }
  const childStart = new Int32Array(N + 1);
  for (let i = 1; i < N; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < N; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, N);
  const children = new Int32Array(Math.max(1, N - 1));
  for (let i = 1; i < N; i++) children[fill[parent[i]]++] = i;

  const deps = Array.from({ length: 40 }, (_, k) => require('url').pathToFileURL(path.join(genRoot, 'node_modules', `dep-${k}`, 'lib', 'index.js')).href);
  const internals = ['node:internal/modules/cjs/loader', 'node:internal/fs/utils', 'node:events', 'node:internal/streams/readable', 'node:internal/timers'];
  const fd = fs.openSync(`${file}.tmp`, 'w');
  let buf = '';
  const out = (s) => {
    buf += s;
    if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
  };
  out('{"nodes":[');
  for (let i = 0; i < N; i++) {
    let cf;
    if (i === 0) cf = { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 };
    else {
      const r = rand();
      if (r < 0.8) {
        const f = bundle.fns[Math.floor(rand() * bundle.fns.length)];
        cf = { functionName: f.name, scriptId: '77', url: bundle.url, lineNumber: f.line, columnNumber: f.column };
      } else if (r < 0.92) {
        cf = { functionName: `dep${Math.floor(rand() * 50)}`, scriptId: '90', url: deps[Math.floor(rand() * deps.length)], lineNumber: Math.floor(rand() * 40) * 10, columnNumber: 4 };
      } else {
        cf = { functionName: `internal${Math.floor(rand() * 40)}`, scriptId: '12', url: internals[Math.floor(rand() * internals.length)], lineNumber: Math.floor(rand() * 30) * 20, columnNumber: 2 };
      }
    }
    const node = { id: i + 1, callFrame: cf, hitCount: hit[i], children: Array.from(children.subarray(childStart[i], childStart[i + 1]), (c) => c + 1) };
    if (hit[i] > 0 && cf.lineNumber >= 0) node.positionTicks = [{ line: cf.lineNumber + 2, ticks: hit[i] }];
    out((i ? ',' : '') + JSON.stringify(node));
  }
  const start = 1_700_000_000_000;
  out(`],"startTime":${start},"endTime":${start + S * 1100},"samples":[`);
  for (let i = 0; i < S; i++) out((i ? ',' : '') + (samples[i] + 1));
  out('],"timeDeltas":[');
  for (let i = 0; i < S; i++) out((i ? ',' : '') + (900 + Math.floor(rand() * 400)));
  out(']}');
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return { file, genRoot };
}

main().catch((err) => { console.error(err); process.exit(1); });
