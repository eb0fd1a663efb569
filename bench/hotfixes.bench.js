// Speed of small real workloads before and after each hot-code fix kind, in one run: the fix is
// made by the engine (dist/engines/refactor.js) on a copy of the workload, both versions are
// loaded in this process and timed in alternating rounds (same JIT state, same machine load).
// Printed: per-round times (median) and the ratio before/after as the median of the per-round
// ratios with its interquartile range. Then the analysis cost of the new checks against the
// existing lazy-load analysis on the same files (ratio of medians per file).
// Build first: node esbuild.js --only engines
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const engine = require(path.join(root, 'dist', 'engines', 'refactor.js'));
const ROUNDS = Number(process.env.HOTFIXES_ROUNDS || 21);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-hotfixes-'));

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/** Writes the workload, applies `kinds` with the engine, returns both modules and what was applied. */
function prepare(name, source, kinds) {
  const before = path.join(tmp, `${name}.before.js`);
  const after = path.join(tmp, `${name}.after.js`);
  fs.writeFileSync(before, source);
  // The transformation itself is measured: memoize applies here without counted calls.
  const result = engine.applySafeFixes(before, source, { kinds, requireCallEvidence: false });
  fs.writeFileSync(after, result.text);
  return { before: require(before), after: require(after), applied: result.applied.map((f) => `${f.kind} '${f.module}'`) };
}

function time(fn) {
  const t = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
}

function compare(label, { before, after, applied }, work) {
  if (applied.length === 0) { console.log(`${label}: no fix applied (nothing to compare)`); return; }
  const b = [];
  const a = [];
  const ratios = [];
  for (let i = 0; i < 3; i++) { work(before); work(after); } // warm-up: both optimised
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first so drift in machine load hits both sides alike.
    const first = r % 2 === 0 ? before : after;
    const second = first === before ? after : before;
    const t1 = time(() => work(first));
    const t2 = time(() => work(second));
    const [tb, ta] = first === before ? [t1, t2] : [t2, t1];
    if (JSON.stringify(tb.out) !== JSON.stringify(ta.out)) throw new Error(`${label}: before and after disagree: ${tb.out} vs ${ta.out}`);
    b.push(tb.ms); a.push(ta.ms); ratios.push(tb.ms / ta.ms);
  }
  console.log(`${label}\n  applied: ${applied.join(', ')}`);
  console.log(`  before median ${quantile(b, 0.5).toFixed(2)} ms, after median ${quantile(a, 0.5).toFixed(2)} ms (${ROUNDS} rounds)`);
  console.log(`  speed-up before/after: ${quantile(ratios, 0.5).toFixed(2)}x (IQR ${quantile(ratios, 0.25).toFixed(2)}-${quantile(ratios, 0.75).toFixed(2)})`);
}

const WORDS = Array.from({ length: 2000 }, (_, i) => (i % 7 === 0 ? `${i}x` : `word_${i % 50}`));

// 1. hoist-constant: a regex literal in a function called in a hot loop.
compare('hoist-constant: regex literal tested per call (2000 strings x 50)', prepare('hoist', `
function isIdentifier(s) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s);
}
function isKeyword(s) {
  const keywords = ['if', 'else', 'for', 'while', 'return', 'function'];
  return keywords.includes(s);
}
module.exports = (words) => { let n = 0; for (let k = 0; k < 50; k++) for (const w of words) { if (isIdentifier(w)) n++; if (isKeyword(w)) n--; } return n; };
`, ['hoist-constant']), (m) => m(WORDS));

// 2. pool-object: a temporary object and a scratch typed array per pass of a numeric loop.
const POINTS = Array.from({ length: 20000 }, (_, i) => Math.sin(i) * 100);
compare('pool-object: {x, y} temporary and Float64Array(16) per pass (20000 points)', prepare('pool', `
const N = 16;
module.exports = (points) => {
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const d = { x: points[i] * 0.5, y: points[i] - 1 };
    const taps = new Float64Array(N);
    for (let j = 0; j < taps.length; j++) taps[j] = d.x * j + d.y;
    total += Math.hypot(d.x, d.y) + taps[3] + taps[N - 1];
  }
  return Math.round(total);
};
`, ['pool-object']), (m) => m(POINTS));

// 3. memoize: the demo's slugify (demo/src/text.js), called with the same few titles over and over.
const TITLES = Array.from({ length: 5000 }, (_, i) => ['  Hello World  ', 'Crème Brûlée Recipe', 'Node.js: Fast & Small', 'A  b  C'][i % 4]);
const demoText = fs.readFileSync(path.join(root, 'demo', 'src', 'text.js'), 'utf8');
compare('memoize: demo/src/text.js slugify(), 4 distinct titles x 5000 calls', prepare('memo', demoText, ['memoize']),
  (m) => TITLES.reduce((n, t) => n + m.slugify(t).length, 0));

// The demo's geometry churn: what the engine says about it (the object escapes: returned and reassigned).
const geometry = path.join(root, 'demo', 'src', 'geometry.js');
const geoFixes = engine.analyzeFile(geometry, fs.readFileSync(geometry, 'utf8'), { kinds: ['hoist-constant', 'pool-object', 'memoize'] });
console.log(`demo/src/geometry.js: ${geoFixes.length ? geoFixes.map((f) => `${f.kind} '${f.module}' ${f.safe ? 'safe' : `refused: ${f.reason}`}`).join('; ') : 'no hot-code fix offered (the point object is returned by step() and kept by the loop)'}`);

// Analysis cost: the new checks against the lazy-load analysis, per file, on real package sources.
const corpus = path.join(root, 'bench', '.cache', 'corpus', 'node_modules');
const dirs = fs.existsSync(path.join(corpus, 'express'))
  ? ['express/lib', 'semver/classes', 'semver/ranges', 'rxjs/dist/cjs/internal/operators', 'commander/lib'].map((d) => path.join(corpus, d))
  : [path.join(root, 'src')];
const files = dirs.flatMap((d) => engine.listSourceFiles(d).files).slice(0, 150);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const project = engine.createProjectLookup();
function perFile(opts) {
  return texts.map((t, i) => { const s = process.hrtime.bigint(); engine.analyzeFile(files[i], t, { ...opts, project }); return Number(process.hrtime.bigint() - s) / 1e6; });
}
const lazy = { kinds: ['lazy-import'], lazyAll: true };
const hot = { kinds: ['hoist-constant', 'pool-object', 'memoize'] };
perFile(lazy); perFile(hot); // warm-up
const lazyMs = []; const hotMs = [];
for (let r = 0; r < 5; r++) { lazyMs.push(quantile(perFile(lazy), 0.5)); hotMs.push(quantile(perFile(hot), 0.5)); }
const counts = texts.reduce((n, t, i) => n + engine.analyzeFile(files[i], t, { ...hot, project }).length, 0);
console.log(`analysis cost on ${files.length} files (${counts} hot-code fixes listed): lazy-load analysis median ${quantile(lazyMs, 0.5).toFixed(2)} ms/file, `
  + `hot-code analysis median ${quantile(hotMs, 0.5).toFixed(2)} ms/file, ratio ${(quantile(hotMs, 0.5) / quantile(lazyMs, 0.5)).toFixed(2)}x `
  + `(range over 5 repeats: ${(Math.min(...hotMs) / Math.max(...lazyMs)).toFixed(2)}-${(Math.max(...hotMs) / Math.min(...lazyMs)).toFixed(2)}x)`);
console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
fs.rmSync(tmp, { recursive: true, force: true });
