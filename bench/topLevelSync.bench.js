// Is there top-level synchronous work worth deferring? For the CLIs of bench/PAYOFF.md (installed
// by bench/payoffPlan.bench.ts into bench/.cache/payoff), runs each startup command N times with
// bench/topLevelSync.preload.js, which times the fs reads, child_process *Sync calls and
// JSON.parse that CommonJS modules make while they evaluate (the module loader's own reads not
// counted), and prints per CLI the median of that time against the median wall time.
// Usage: node bench/topLevelSync.bench.js [--runs N] [--only mocha,knex]. Figures: bench/LEVERS.md.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const arg = (name) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const RUNS = Number(arg('--runs') ?? 5);
const ONLY = (arg('--only') ?? '').split(',').filter(Boolean);
const CACHE = path.join(__dirname, '.cache', 'payoff');
const PRELOAD = path.join(__dirname, 'topLevelSync.preload.js');
const CLIS = [
  ['eslint', 'eslint@9.39.5', ['bin/eslint.js', '--help']],
  ['mocha', 'mocha@10.8.2', ['bin/mocha.js', '--version']],
  ['markdownlint-cli', 'markdownlint-cli@0.41.0', ['markdownlint.js', '--version']],
  ['nodemon', 'nodemon@3.1.14', ['bin/nodemon.js', '--version']],
  ['knex', 'knex@3.3.0', ['bin/cli.js', '--version']],
  ['json-server', 'json-server@0.17.4', ['lib/cli/bin.js', '--version']],
  ['stylelint (ES modules: not seen)', 'stylelint@16.26.1', ['bin/stylelint.mjs', '--version']],
  ['http-server', 'http-server@14.1.1', ['bin/http-server', '--help']],
];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

console.log(`top-level synchronous work at module load, ${RUNS} runs each, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const [name, spec, command] of CLIS) {
  if (ONLY.length && !ONLY.some((o) => name.startsWith(o))) continue;
  const dir = path.join(CACHE, spec.replace(/[/@]/g, '_'));
  if (!fs.existsSync(path.join(dir, '.done'))) { console.log(`${name}: not installed (run bench/payoffPlan.bench.ts --only ${name} once)`); continue; }
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const out = path.join(os.tmpdir(), `hotpath-tls-${process.pid}-${i}.json`);
    const r = spawnSync(process.execPath, ['-r', PRELOAD, ...command], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOTPATH_TLS_OUT: out } });
    if (r.status !== 0) { console.log(`${name}: exit ${r.status}: ${r.stderr.slice(-300)}`); break; }
    runs.push(JSON.parse(fs.readFileSync(out, 'utf8')));
    fs.rmSync(out);
  }
  if (!runs.length) continue;
  const sum = (t) => Object.values(t).reduce((a, x) => a + x.ms, 0);
  const kinds = [...new Set(runs.flatMap((r) => Object.keys(r.totals)))]
    .map((k) => [k, median(runs.map((r) => r.totals[k]?.ms ?? 0)), runs[0].totals[k]?.calls ?? 0]).sort((a, b) => b[1] - a[1]);
  const syncMs = runs.map((r) => sum(r.totals));
  const walls = runs.map((r) => r.wallMs);
  const top = runs[0].top.slice(0, 2).map(([f, ms]) => `${path.relative(dir, f)} ${ms.toFixed(1)} ms`).join(', ');
  console.log(`${name} (${command.join(' ')}): sync work at load ${median(syncMs).toFixed(1)} ms (${Math.min(...syncMs).toFixed(1)}-${Math.max(...syncMs).toFixed(1)}) of ${median(walls).toFixed(0)} ms wall (${(100 * median(syncMs) / median(walls)).toFixed(1)} %)`
    + `; by call: ${kinds.slice(0, 4).map(([k, ms, n]) => `${k} ${ms.toFixed(1)} ms/${n}`).join(', ') || 'none'}${top ? `; where: ${top}` : ''}`);
}
console.log(`load at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
