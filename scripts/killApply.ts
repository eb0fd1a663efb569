// Kill test for `hotpath fixes --apply`: a batch of N files, SIGKILL at random moments of its write
// phase (from the checkpoint's manifest appearing, i.e. the snapshot is saved and the source files
// are written next, to the process's exit), then: how many files hold
// neither their content before nor their fixed content (target 0), how many temporary files were
// left, and whether a plain `hotpath rollback` (no --force) restores every file.
//   node --import tsx scripts/killApply.ts [--files 2000] [--kills 20] [--seed 1]
// The unit test test/unit/checkpoint/killApply.test.ts runs the same trial on a small batch.
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { seededRandom } from '../src/core/stats/random';

const ROOT = path.join(__dirname, '..');
// HOTPATH_KILL_CLI: another build of the CLI (e.g. an older commit's, to compare).
const CLI = process.env.HOTPATH_KILL_CLI ? path.resolve(process.env.HOTPATH_KILL_CLI) : path.join(ROOT, 'dist', 'cli.js');

export interface KillFigures {
  files: number;
  kills: number;
  /** Calibration: ms from the checkpoint's manifest appearing to the exit of an uninterrupted batch. */
  windowMs: number;
  /** Kills that landed before the process ended on its own. */
  landed: number;
  /** Per kill: files holding their fixed content right after the kill. */
  fixedAtKill: number[];
  /** Files holding neither their content before nor the fixed one, over all kills (target 0). */
  torn: number;
  tornFiles: string[];
  /** Temporary files found right after the kills (removed by rollback). */
  tempsAfterKill: number;
  /** Kills after which a plain rollback left every file as before, with no temporary file. */
  restored: number;
  failures: string[];
}

/** N files in 20 folders, each with one unused import (a safe fix that removes one line). */
export function makeTree(dir: string, files: number): Map<string, string> {
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const original = new Map<string, string>();
  for (let i = 0; i < files; i++) {
    const file = path.join(dir, 'src', `d${i % 20}`, `m${i}.js`);
    const text = `const path = require('path');\nconst os = require('os');\nmodule.exports = function f${i}() { return os.EOL + ${i}; };\n`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    original.set(file, text);
  }
  return original;
}

const store = (dir: string) => path.join(dir, '.hotpath', 'checkpoints');
const temps = (dir: string) => {
  let n = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) { if (e.name !== '.hotpath' && e.name !== '.git') walk(path.join(d, e.name)); } else if (e.name.includes('.hotpath-tmp-')) n++;
    }
  };
  walk(dir);
  return n;
};

/**
 * Resolves when the checkpoint's manifest appears (the snapshot is on disk and the source files are
 * written next: the write phase begins), or when the child ends first.
 */
function windowStart(dir: string, child: ReturnType<typeof spawn>): Promise<number | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: number | undefined) => { if (!done) { done = true; clearInterval(timer); resolve(v); } };
    const timer = setInterval(() => {
      try {
        if (fs.readdirSync(store(dir)).some((n) => !n.startsWith('.') && fs.existsSync(path.join(store(dir), n, 'checkpoint.json')))) finish(Date.now());
      } catch { /* not yet */ }
    }, 2);
    child.once('exit', () => finish(undefined));
  });
}

function apply(dir: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, [CLI, 'fixes', '.', '--kind', 'unused-import', '--apply', '--json'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const exited = (child: ReturnType<typeof spawn>) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

export async function runKillTrials(o: { files: number; kills: number; seed?: number; log?: (line: string) => void }): Promise<KillFigures> {
  const log = o.log ?? (() => undefined);
  const rnd = seededRandom(o.seed ?? 1);
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-killapply-')));
  try {
    const original = makeTree(dir, o.files);
    // Calibration: one uninterrupted batch gives the fixed contents and the window's length.
    const cal = apply(dir);
    const started = await windowStart(dir, cal);
    await exited(cal);
    if (cal.exitCode !== 0 || started === undefined) throw new Error(`the calibration batch failed (exit ${cal.exitCode})`);
    const windowMs = Date.now() - started;
    const fixed = new Map([...original.keys()].map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const changed = [...original].filter(([f, t]) => fixed.get(f) !== t).length;
    if (changed !== o.files) throw new Error(`the calibration batch fixed ${changed} of ${o.files} files`);
    const back = spawnSync(process.execPath, [CLI, 'rollback'], { cwd: dir, encoding: 'utf8' });
    if (back.status !== 0) throw new Error(`the calibration rollback failed: ${back.stderr}`);
    fs.rmSync(store(dir), { recursive: true, force: true });
    log(`${o.files} files; write phase of an uninterrupted batch: ${windowMs} ms`);

    const fig: KillFigures = { files: o.files, kills: o.kills, windowMs, landed: 0, fixedAtKill: [], torn: 0, tornFiles: [], tempsAfterKill: 0, restored: 0, failures: [] };
    for (let k = 0; k < o.kills; k++) {
      const child = apply(dir);
      const t0 = await windowStart(dir, child);
      const delay = Math.floor(rnd() * windowMs);
      if (t0 !== undefined) await new Promise((r) => setTimeout(r, delay));
      const landed = child.exitCode === null && child.signalCode === null;
      child.kill('SIGKILL');
      await exited(child);
      if (landed) fig.landed++;
      let nFixed = 0;
      for (const [f, before] of original) {
        const now = fs.readFileSync(f, 'utf8');
        if (now === fixed.get(f)) nFixed++;
        else if (now !== before) { fig.torn++; fig.tornFiles.push(`${path.relative(dir, f)} (kill ${k + 1}: ${now.length} bytes)`); }
      }
      fig.fixedAtKill.push(nFixed);
      const left = temps(dir);
      fig.tempsAfterKill += left;
      const rb = spawnSync(process.execPath, [CLI, 'rollback', '--json'], { cwd: dir, encoding: 'utf8' });
      const r = JSON.parse(rb.stdout || '{}') as { ok?: boolean; error?: string };
      const restoredAll = [...original].every(([f, t]) => fs.readFileSync(f, 'utf8') === t) && temps(dir) === 0;
      // Nothing to roll back is right only when the kill came before any file changed.
      const fine = restoredAll && (r.ok || (nFixed === 0 && /no checkpoint to roll back/.test(r.error ?? '')));
      if (fine) fig.restored++;
      else fig.failures.push(`kill ${k + 1} at +${delay} ms: rollback exit ${rb.status}, ${r.error ?? 'ok'}; every file as before: ${restoredAll}`);
      log(`kill ${k + 1}/${o.kills} at +${delay} ms${landed ? '' : ' (had already ended)'}: ${nFixed} fixed, ${o.files - nFixed} as before, ${left} temp file(s); rollback: ${r.ok ? 'ok' : r.error}; all as before: ${restoredAll}`);
      for (const [f, t] of original) if (fs.readFileSync(f, 'utf8') !== t) fs.writeFileSync(f, t);
      fs.rmSync(store(dir), { recursive: true, force: true });
    }
    return fig;
  } finally {
    if (!process.env.HOTPATH_KEEP_TEMP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string, def: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : def; };
  const files = arg('--files', 2000);
  const kills = arg('--kills', 20);
  const seed = arg('--seed', 1);
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  runKillTrials({ files, kills, seed, log: (l) => console.log(l) }).then((f) => {
    console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const partial = f.fixedAtKill.filter((n) => n > 0 && n < f.files).length;
    console.log(JSON.stringify({ ...f, partiallyWritten: partial, allFixed: f.fixedAtKill.filter((n) => n === f.files).length, noneFixed: f.fixedAtKill.filter((n) => n === 0).length }, null, 2));
    process.exitCode = f.torn === 0 && f.restored === f.kills ? 0 : 1;
  }, (err) => { console.error(err); process.exitCode = 2; });
}
