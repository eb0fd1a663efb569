// What the "Profile Runs" view shows (runsModel.ts, no vscode), on runs really profiled and stored
// the way the extension stores them: newest first, label/description/tooltip, the outcome icon
// (ok, failed, timed out, cancelled), the processes, and damaged folders as one entry.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { profileSides } from '../../../src/core/bench';
import { createRunDir, listRuns, saveRun } from '../../../src/core/history';
import { runTarget } from '../../../src/core/runner/run';
import type { RunOptions } from '../../../src/core/runner/types';
import { escapeMarkdown, relativeTime, runsViewEntries, type RunEntry } from '../../../src/extension/runs/runsModel';
import { buildPreload, ROOT, tempDir, TARGETS } from '../runner/helpers';

const capture = { cpu: true, heap: false, imports: true, intervalUs: 1000 };

async function profileAndStore(store: string, command: string, extra: Partial<RunOptions> = {}, abortAfterMs?: number): Promise<string> {
  const started = new Date();
  const { id, dir } = createRunDir(store, started);
  const controller = new AbortController();
  const timer = abortAfterMs ? setTimeout(() => controller.abort('cancel'), abortAfterMs) : undefined;
  const r = await runTarget({ command, cwd: TARGETS, outDir: dir, capture, signal: controller.signal, ...extra });
  clearTimeout(timer);
  await saveRun(store, {
    id, command, cwd: TARGETS, startedAt: started.toISOString(), capture, engine: 'inspector', nodeVersion: r.processes[0]?.nodeVersion ?? process.version,
    wallMs: r.wallMs, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, cancelled: r.cancelled, processes: r.processes,
    notes: [...(r.error ? [r.error] : []), ...(r.notes ?? [])],
  });
  return id;
}

describe('Profile Runs view model', function () {
  this.timeout(120_000);
  let store: string;
  const ids: Record<'failed' | 'ok' | 'timedOut' | 'cancelled', string> = { failed: '', ok: '', timedOut: '', cancelled: '' };

  before(async () => {
    buildPreload();
    store = tempDir('runs-model');
    // Created in this order, 1 ms apart at least, so the newest-first order is known.
    ids.failed = await profileAndStore(store, 'node exitCode.js');
    ids.ok = await profileAndStore(store, `node -e "require('./busy').busy(300)"`);
    ids.timedOut = await profileAndStore(store, `node -e "require('./busy').busy(20000)"`, { timeoutMs: 2500 });
    ids.cancelled = await profileAndStore(store, `node -e "require('./busy').busy(20000)"`, {}, 2500);
  });
  after(() => fs.rmSync(store, { recursive: true, force: true }));

  it('lists the runs newest first with command, relative time, wall time and commit', () => {
    const now = new Date();
    const entries = runsViewEntries(listRuns(store), store, now);
    const runs = entries.filter((e): e is RunEntry => e.kind === 'run');
    assert.strictEqual(entries.length, 4, 'no damaged entry for a clean store');
    assert.deepStrictEqual(runs.map((r) => r.id), [ids.cancelled, ids.timedOut, ids.ok, ids.failed]);
    const ok = runs.find((r) => r.id === ids.ok)!;
    assert.strictEqual(ok.label, `node -e "require('./busy').busy(300)"`);
    assert.strictEqual(ok.dir, path.join(store, ids.ok));
    // The fixtures are in this repository: the description ends with HEAD's short commit.
    const head = require('child_process').execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim() as string;
    const [when, wall, commit] = ok.description.split(' · ');
    assert.match(when, /^(just now|\d+ s ago|\d+ min ago)$/);
    assert.strictEqual(wall, `${Math.round(ok.record.wallMs)} ms`);
    assert.ok(ok.record.wallMs >= 300, `busy(300) ran: ${ok.record.wallMs} ms`);
    assert.strictEqual(commit.slice(0, 7), head.slice(0, 7));
    assert.strictEqual(commit.endsWith(' dirty'), ok.record.git!.dirty);
  });

  it('gives each run its outcome: ok, failed (exit code, time-out) or cancelled', () => {
    const runs = runsViewEntries(listRuns(store), store).filter((e): e is RunEntry => e.kind === 'run');
    const by = (id: string) => runs.find((r) => r.id === id)!;
    assert.strictEqual(by(ids.ok).outcome, 'ok');
    assert.strictEqual(by(ids.failed).outcome, 'failed');
    assert.strictEqual(by(ids.failed).record.exitCode, 3);
    assert.strictEqual(by(ids.timedOut).outcome, 'failed');
    assert.strictEqual(by(ids.timedOut).record.timedOut, true);
    assert.strictEqual(by(ids.cancelled).outcome, 'cancelled');
    assert.match(by(ids.timedOut).tooltip, /\*\*Ended:\*\* timed out/);
    assert.match(by(ids.failed).tooltip, /\*\*Ended:\*\* exit code 3/);
    assert.match(by(ids.cancelled).tooltip, /\*\*Cancelled:\*\* yes/);
  });

  it('has a tooltip with start time, Node version, engine, capture, process count and notes; processes as children', () => {
    const ok = runsViewEntries(listRuns(store), store).find((e): e is RunEntry => e.kind === 'run' && e.id === ids.ok)!;
    const t = ok.tooltip;
    assert.ok(t.includes(`**Node.js:** ${escapeMarkdown(process.version)}`), t);
    assert.ok(t.includes('**Engine:** inspector'), t);
    assert.ok(t.includes('**Captured:** CPU (every 1 ms), module load times'), t);
    assert.ok(t.includes(`**Processes:** ${ok.record.processes.length}`), t);
    assert.ok(t.includes(`**Started:** ${escapeMarkdown(new Date(ok.record.startedAt).toLocaleString())}`), t);
    for (const run of runsViewEntries(listRuns(store), store).filter((e): e is RunEntry => e.kind === 'run')) {
      assert.strictEqual(run.tooltip.includes('**Notes**'), run.record.notes.length > 0, run.tooltip);
      for (const n of run.record.notes) assert.ok(run.tooltip.includes(`- ${escapeMarkdown(n)}`), n);
    }
    assert.strictEqual(ok.processes.length, ok.record.processes.length);
    const p = ok.record.processes[0];
    assert.strictEqual(ok.processes[0].label, `pid ${p.pid}`);
    assert.strictEqual(ok.processes[0].description, `${p.commandLine} · ${Math.round(p.wallMs)} ms`);
    assert.ok(p.wallMs >= 300, `the process's own wall time covers busy(300): ${p.wallMs}`);
  });

  it('adds one entry for damaged or unfinished folders, with every reason in its tooltip', () => {
    fs.mkdirSync(path.join(store, 'zz-broken'));
    fs.writeFileSync(path.join(store, 'zz-broken', 'run.json'), '{"version":1,');
    fs.mkdirSync(path.join(store, 'zz-unfinished'));
    try {
      const entries = runsViewEntries(listRuns(store), store);
      assert.strictEqual(entries.filter((e) => e.kind === 'run').length, 4);
      const damaged = entries[entries.length - 1];
      assert.ok(damaged.kind === 'damaged');
      assert.strictEqual(damaged.label, '2 damaged or unfinished runs skipped');
      assert.strictEqual(damaged.warnings.length, 2);
      assert.match(damaged.tooltip, /zz-broken: .*JSON/);
      assert.match(damaged.tooltip, /zz-unfinished: no run\.json \(unfinished run\)/);
    } finally {
      fs.rmSync(path.join(store, 'zz-broken'), { recursive: true });
      fs.rmSync(path.join(store, 'zz-unfinished'), { recursive: true });
    }
    assert.deepStrictEqual(runsViewEntries({ runs: [], warnings: [] }, store), [], 'no runs: empty (the welcome view shows)');
  });

  it('relative times and Markdown escaping', () => {
    const now = new Date(Date.UTC(2026, 0, 2, 12, 0, 0));
    const ago = (s: number) => relativeTime(new Date(now.getTime() - s * 1000), now);
    assert.deepStrictEqual([ago(3), ago(42), ago(5 * 60 + 10), ago(3 * 3600 + 1), ago(2 * 86_400 + 5), ago(-3600)], ['just now', '42 s ago', '5 min ago', '3 h ago', '2 d ago', 'in the future']);
    assert.strictEqual(escapeMarkdown('node -e "`x` *y* [z](w) a_b <c>"'), 'node -e "\\`x\\` \\*y\\* \\[z\\](w) a\\_b \\<c\\>"');
  });

  it('a profiled run of compare --profile says which side it was ("compare before") after the commit', async () => {
    const cstore = tempDir('runs-model-compare');
    try {
      const spec = { command: process.execPath, args: ['-e', "require('./busy').busy(100)"], cwd: TARGETS };
      const pr = await profileSides(spec, spec, { runs: 1, store: cstore, comparison: { before: 'bench-a', after: 'bench-b' } });
      const runs = runsViewEntries(listRuns(cstore), cstore).filter((e): e is RunEntry => e.kind === 'run');
      const before = runs.find((r) => r.id === pr.ids.before[0])!;
      const after = runs.find((r) => r.id === pr.ids.after[0])!;
      assert.ok(before && after, JSON.stringify(pr.runs));
      assert.strictEqual(before.description.split(' · ').pop(), 'compare before');
      assert.strictEqual(after.description.split(' · ').pop(), 'compare after');
      // Plain runs have no such part.
      assert.ok(runsViewEntries(listRuns(store), store).every((e) => e.kind !== 'run' || !/compare/.test(e.description)));
    } finally {
      fs.rmSync(cstore, { recursive: true, force: true });
    }
  });
});
