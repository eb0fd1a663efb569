// The leak corpus (test/fixtures/leaks), N repetitions of every program: each leak must be
// "growing" with its top allocation site inside the leaking function (the `// LEAK` line to its
// closing brace; in the worker's thread for worker.js), each control must not be "growing". And
// the cost: the hunt's wall time against a plain run of the same iterations, interleaved (plain,
// hunt, plain, hunt...), as a ratio with the median and range over the repetitions.
// `node --import tsx bench/leaks.bench.ts [--reps N] [--only a,b] [--no-snapshots] [--out FILE.json]`
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LeaksReport } from '../src/core/leaks/types';
import { median } from '../src/core/stats';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.join(ROOT, 'test/fixtures/leaks');
const CLI = path.join(ROOT, 'dist/cli.js');
const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const REPS = Number(opt('--reps')) || 5;
const ONLY = opt('--only')?.split(',');
const SNAPSHOTS = !args.includes('--no-snapshots');
// bigFlat.js's heap (MB of rows built at start): 60 keeps 5 repetitions with snapshots within
// minutes on 2 shared cores; the 200 MB heap's snapshot figures are in docs/ARCHITECTURE.md.
process.env.MB ??= '60';

const PROGRAMS: { file: string; leak: boolean }[] = [
  { file: 'cache.js', leak: true }, { file: 'listeners.js', leak: true }, { file: 'timer.js', leak: true },
  { file: 'requests.js', leak: true }, { file: 'worker.js', leak: true },
  { file: 'plateau.js', leak: false }, { file: 'singleton.js', leak: false }, { file: 'bufferPool.js', leak: false }, { file: 'bigFlat.js', leak: false },
];

function leakLines(file: string): { first: number; last: number } | undefined {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const first = lines.findIndex((l) => l.includes('// LEAK'));
  if (first < 0) return undefined;
  const indent = lines[first].match(/^\s*/)![0];
  return { first: first + 1, last: lines.findIndex((l, i) => i > first && l.startsWith(`${indent}}`)) + 1 };
}

function timed(command: string, argv: string[], cwd: string): Promise<{ ms: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout, code }));
  });
}

interface Row { program: string; leak: boolean; rep: number; verdict: string; ok: boolean; why: string; plainMs: number; huntMs: number; measureMs: number; snapshotMs: number; snapshotBytes: number; site: string }

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, ['esbuild.js', '--only', 'cli,preload', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  const rows: Row[] = [];
  const load0 = os.loadavg();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-leaks-bench-'));
  for (const prog of PROGRAMS.filter((p) => !ONLY || ONLY.includes(p.file.replace(/\.js$/, '')))) {
    const file = path.join(CORPUS, prog.file);
    for (let rep = 1; rep <= REPS; rep++) {
      const plain = await timed(process.execPath, [file], cwd);
      const hunt = await timed(process.execPath, [CLI, 'leaks', '--json', '--no-save', ...(SNAPSHOTS ? [] : ['--no-snapshots']), '--', process.execPath, file], cwd);
      let report: LeaksReport;
      try { report = JSON.parse(hunt.stdout); } catch { rows.push({ program: prog.file, leak: prog.leak, rep, verdict: 'error', ok: false, why: `no JSON (exit ${hunt.code})`, plainMs: plain.ms, huntMs: hunt.ms, measureMs: 0, snapshotMs: 0, snapshotBytes: 0, site: '' }); continue; }
      const lines = leakLines(file);
      const grown = report.processes.filter((p) => p.verdict === 'growing');
      const top = grown.find((p) => p.suspects.length)?.suspects[0];
      let ok: boolean;
      let why = '';
      if (prog.leak) {
        const inLeak = !!top && !!lines && top.path === file && top.line >= lines.first && top.line <= lines.last;
        const rightThread = prog.file !== 'worker.js' || grown.every((p) => p.threadId > 0);
        ok = report.verdict === 'growing' && inLeak && rightThread;
        if (!ok) why = report.verdict !== 'growing' ? report.processes.map((p) => p.reason).join('; ') : !inLeak ? `top site ${top ? `${top.name} ${top.file}:${top.line}` : 'none'}` : 'grew in the main thread';
      } else {
        ok = report.verdict !== 'growing';
        if (!ok) why = grown.map((p) => p.reason).join('; ');
      }
      const snaps = report.processes.flatMap((p) => p.snapshots);
      rows.push({
        program: prog.file, leak: prog.leak, rep, verdict: report.verdict, ok, why, plainMs: plain.ms, huntMs: hunt.ms,
        measureMs: report.processes.reduce((s, p) => s + p.measureMs, 0), snapshotMs: snaps.reduce((s, x) => s + x.ms, 0),
        snapshotBytes: Math.max(0, ...snaps.map((x) => x.bytes)), site: top ? `${top.name} ${top.file}:${top.line}` : '',
      });
      const r = rows[rows.length - 1];
      console.error(`${prog.file} #${rep}: ${r.verdict} ${ok ? 'ok' : `WRONG (${why})`}  plain ${Math.round(r.plainMs)} ms, hunt ${Math.round(r.huntMs)} ms${r.site ? `, ${r.site}` : ''}`);
    }
  }
  const load1 = os.loadavg();
  console.log(`\nLeak corpus, ${REPS} repetitions each${SNAPSHOTS ? '' : ' (--no-snapshots)'}, bigFlat MB=${process.env.MB}; load ${load0[0].toFixed(1)} -> ${load1[0].toFixed(1)} (1-min average), ${os.cpus().length} cores, Node ${process.version}`);
  console.log(`${'program'.padEnd(16)} ${'kind'.padEnd(8)} ${'right'.padEnd(6)} ${'hunt/plain: median (min-max)'.padEnd(30)} ${'plain ms'.padStart(9)} ${'hunt ms'.padStart(9)} ${'GC+profile ms'.padStart(13)} ${'snapshots ms'.padStart(12)}  top site`);
  for (const prog of PROGRAMS) {
    const rs = rows.filter((r) => r.program === prog.file);
    if (!rs.length) continue;
    const ratios = rs.map((r) => r.huntMs / r.plainMs);
    console.log(`${prog.file.padEnd(16)} ${(prog.leak ? 'leak' : 'control').padEnd(8)} ${`${rs.filter((r) => r.ok).length}/${rs.length}`.padEnd(6)} ${`${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`.padEnd(30)} ${Math.round(median(rs.map((r) => r.plainMs))).toString().padStart(9)} ${Math.round(median(rs.map((r) => r.huntMs))).toString().padStart(9)} ${Math.round(median(rs.map((r) => r.measureMs))).toString().padStart(13)} ${Math.round(median(rs.map((r) => r.snapshotMs))).toString().padStart(12)}  ${[...new Set(rs.map((r) => r.site).filter(Boolean))].join(' | ')}`);
  }
  const wrong = rows.filter((r) => !r.ok);
  console.log(wrong.length ? `\n${wrong.length} WRONG: ${wrong.map((r) => `${r.program} #${r.rep}: ${r.why}`).join('; ')}` : '\nEvery leak found in its function, no control flagged, in every repetition.');
  const out = opt('--out');
  if (out) fs.writeFileSync(out, JSON.stringify({ reps: REPS, snapshots: SNAPSHOTS, load: [load0, load1], rows }, null, 1));
  fs.rmSync(cwd, { recursive: true, force: true });
  process.exitCode = wrong.length ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
