// Hotpath taking its own medicine: the startup plan (`hotpath fixes --plan`) run on Hotpath's own
// CLI and extension, as built (dist/). For each startup below, PROFILES runs of
// `hotpath profile --plan`, then `hotpath fixes --plan --json` over all of them; printed: which
// modules would leave startup, the predicted saving (median and range over the runs) and its
// share of the measured startup, the edits, the heaviest modules that stay and why, and whether
// any TypeScript was loaded. Nothing is applied: the plan is recorded, and what it finds is
// either fixed in the source or explained in bench/SELFPLAN.md.
//
// The preload never profiles the dist/cli.js beside it (a nested `hotpath`), so the program under
// test is a copy of dist/ and package.json in a temporary folder, run by the worktree's CLI.
// Startups:
//   --version                  `hotpath --version`
//   profile --help             the profile command's bundle loaded, nothing run
//   profile -- node -e 0       the start of a real `hotpath profile` (its target is profiled by
//                              the inner hotpath too; the plan reads the CLI's own process)
//   extension activate         dist/extension.js required and activate() called with a stub
//                              `vscode` (every API a no-op), as the extension host would at
//                              activation; what the bundle loads eagerly
//
//   node bench/selfPlan.bench.js [--profiles N] [--only version,profile-help,profile-run,extension]
// (after `node esbuild.js`). Load average at start and end.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const PROFILES = Number(opt('--profiles', '3'));
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

const ACTIVATE = path.join(__dirname, 'activateStub.js');

function node(argv, cwd) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return r;
}

const fmtMs = (s) => (s ? `${s.medianMs.toFixed(1)} ms (${s.minMs.toFixed(1)}-${s.maxMs.toFixed(1)}, ${s.runs} run(s))` : 'not measured');

function main() {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js missing: run `node esbuild.js` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-selfplan-'));
  const app = path.join(tmp, 'hotpath');
  fs.mkdirSync(app);
  fs.cpSync(path.join(ROOT, 'dist'), path.join(app, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
  fs.copyFileSync(ACTIVATE, path.join(app, 'activate.js'));
  const startups = [
    { key: 'version', name: 'hotpath --version', argv: ['dist/cli.js', '--version'] },
    { key: 'profile-help', name: 'hotpath profile --help', argv: ['dist/cli.js', 'profile', '--help'] },
    { key: 'profile-run', name: 'hotpath profile -- node -e 0', argv: ['dist/cli.js', 'profile', '--no-save', '--out', path.join(tmp, 'inner'), '--', 'node', '-e', '0'] },
    { key: 'extension', name: 'extension activate (vscode stubbed)', argv: ['activate.js', 'dist/extension.js'] },
  ];
  const only = opt('--only', '') ? opt('--only', '').split(',') : startups.map((s) => s.key);
  console.log(`self plan: Node ${process.version}, ${PROFILES} profile(s) per startup, load average at start ${load()}`);
  for (const s of startups.filter((x) => only.includes(x.key))) {
    const dirs = [];
    const typescript = new Set();
    for (let i = 0; i < PROFILES; i++) {
      const out = path.join(tmp, `${s.key}-${i}`);
      const r = node([CLI, 'profile', '--plan', '--no-save', '--out', out, '--json', '--', process.execPath, ...s.argv], app);
      if (r.status !== 0) throw new Error(`${s.name}: hotpath profile exited ${r.status}\n${r.stderr.slice(-2000)}`);
      dirs.push(out);
      for (const f of fs.readdirSync(out).filter((x) => x.endsWith('.imports.json'))) {
        for (const m of JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')).modules) if (/typescript/i.test(m.file)) typescript.add(path.relative(app, m.file));
      }
    }
    const r = node([CLI, 'fixes', '.', '--plan', '--json', ...dirs.flatMap((d) => ['--profile', d])], app);
    if (r.status !== 0) throw new Error(`${s.name}: fixes --plan exited ${r.status}\n${r.stderr.slice(-2000)}`);
    const plan = JSON.parse(r.stdout).plan;
    console.log(`\n== ${s.name} (load ${load()})`);
    console.log(`measured startup: ${fmtMs(plan.startup)}; TypeScript loaded: ${typescript.size ? [...typescript].join(', ') : 'no'}`);
    if (plan.leaving.length) {
      console.log(`leaves startup: ${plan.leaving.map((m) => `${m.module} ${fmtMs(m.selfMs)}`).join('; ')}`);
      console.log(`predicted saving: ${fmtMs(plan.saving)}${plan.share ? `, ${(100 * plan.share.median).toFixed(1)} % of the startup (${(100 * plan.share.min).toFixed(1)}-${(100 * plan.share.max).toFixed(1)} %)` : ''}`);
      console.log(`edits: ${plan.edits.map((e) => `${e.file}:${e.line} '${e.request}'`).join(', ')}`);
    } else {
      console.log('leaves startup: nothing');
    }
    for (const b of plan.blockers.slice(0, 6)) console.log(`  stays ${b.module} ${fmtMs(b.selfMs)}: ${b.reason}`);
    for (const d of plan.deferOnly ?? []) console.log(`  defers only: ${d.file}:${d.line} '${d.request}' (still loaded by ${d.stillLoadedBy})`);
    if (plan.unmeasured) console.log(`  ${plan.unmeasured} module(s) not measured`);
  }
  console.log(`\nload average at end ${load()}`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main();
