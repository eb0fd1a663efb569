// A comparison's profiled runs (src/core/bench/profiled.ts) on real Node processes: a checkpoint
// comparison profiles both sides in the checkpoint copy and the working tree (after the timed
// runs, the copy removed only afterwards) and finds the slowed function; cancel ends the running
// process tree and stores nothing for the cancelled run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { profileSides } from '../../../src/core/bench';
import { createCheckpoint } from '../../../src/core/checkpoint';
import { benchmarkCheckpoint } from '../../../src/core/checkpoint/beforeTree';
import { listRuns } from '../../../src/core/history';
import { buildOnly } from '../build';

const ROOT = path.join(__dirname, '..', '..', '..');
const TARGET = path.join(ROOT, 'test', 'fixtures', 'targets', 'diffTarget.js');

/** Live processes whose command line holds `marker` (zombies excluded). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ');
      const state = /^State:\s+(\w)/m.exec(fs.readFileSync(path.join('/proc', entry, 'status'), 'utf8'))?.[1];
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

describe('bench: profiled runs of a comparison', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => { buildOnly('preload'); });
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-profiled-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('checkpoint vs working tree: profiled after the timed runs in the copy and the working tree; hotLoop slower; copy removed', async function () {
    // Load-sensitive (a wall-clock workload the machine's load can squeeze): one retry, named in
    // scripts/test.js's summary; the assertions are unchanged.
    this.retries(1);
    const ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    const work = path.join(ws, 'work.js');
    const src = fs.readFileSync(TARGET, 'utf8');
    fs.writeFileSync(work, src);
    const store = path.join(tmp, 'checkpoints');
    const cp = await createCheckpoint(store, [work], { root: ws, git: false });
    fs.writeFileSync(work, src.replace('Number(process.argv[2] || 1)', 'Number(process.argv[2] || 3)'));
    const runStore = path.join(tmp, 'runs');
    const events: string[] = [];
    const r = await benchmarkCheckpoint({ command: process.execPath, args: ['work.js'], cwd: ws }, store, cp.id, {
      runs: 3, warmup: 0, storeDir: path.join(tmp, 'bench'),
      onProgress: (p) => events.push(`timed ${p.group}`),
      profile: { runs: 2, store: runStore, onProfile: (e) => { if (e.phase === 'start') events.push(`profiled ${e.side}`); } },
    });
    // Every timed run first, then the profiled ones, interleaved in balanced pairs (ABBA).
    assert.deepStrictEqual(events.slice(-4), ['profiled before', 'profiled after', 'profiled after', 'profiled before']);
    assert.ok(events.slice(0, -4).every((e) => e.startsWith('timed')), events.join(', '));
    assert.strictEqual(r.before.samples.length, 3, 'profiled runs are not samples');
    const pr = r.profile!;
    assert.ok(pr.diff, pr.error);
    const hot = pr.diff.functions.find((f) => f.name === 'hotLoop')!;
    assert.strictEqual(hot.status, 'both');
    assert.strictEqual(hot.file, 'work.js');
    // 3x the time: slower, or within noise when a saturated machine stretches the deadline loops.
    assert.ok(['slower', 'within noise'].includes(hot.self.verdict) && hot.self.delta > 0 && hot.self.test?.tested, JSON.stringify(hot.self));
    // The file the change touched (the copy's differs from the workspace's), for the proof to lead with.
    assert.deepStrictEqual(pr.changedFiles, ['work.js']);
    assert.strictEqual(pr.intervalUs, 200);
    const stored = listRuns(runStore).runs;
    assert.deepStrictEqual(stored.map((x) => x.id).sort(), [...pr.ids.before, ...pr.ids.after].sort());
    const beforeRun = stored.find((x) => x.id === pr.ids.before[0])!;
    assert.ok(!fs.existsSync(beforeRun.cwd), 'the checkpoint copy the before side ran in is removed');
    const { loadAverage, ...comparison } = beforeRun.comparison!;
    assert.deepStrictEqual(comparison, { before: r.before.id, after: r.after.id, side: 'before', index: 0, runs: 2 });
    assert.ok(typeof loadAverage === 'number');
    // The stored before profile names the workspace's file, not the removed copy's.
    const profileText = fs.readFileSync(path.join(runStore, beforeRun.id, beforeRun.processes[0].cpuProfile!), 'utf8');
    assert.ok(profileText.includes(JSON.stringify(work).slice(1, -1)), 'rewritten to the workspace path');
    assert.ok(!profileText.includes(beforeRun.cwd), 'no path under the removed copy is left');
  });

  it('cancel during a profiled run ends its process tree, stores nothing for it, and returns cancelled', async () => {
    const marker = `hotpath-profiled-cancel-${process.pid}`;
    const spec = { command: process.execPath, args: ['-e', `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { stdio: 'ignore' }); setInterval(() => {}, 1000);`, marker], cwd: tmp };
    const ac = new AbortController();
    const store = path.join(tmp, 'runs');
    const started = Date.now();
    const pr = await profileSides(spec, spec, {
      runs: 2, store, comparison: { before: 'a', after: 'b' }, signal: ac.signal,
      onProfile: (e) => {
        if (e.phase === 'start' && e.side === 'before') {
          // Abort once the target and its child are running.
          const wait = setInterval(() => { if (processesWith(marker).length >= 2) { clearInterval(wait); ac.abort(); } }, 100);
        }
      },
    });
    assert.ok(Date.now() - started < 60_000);
    assert.strictEqual(pr.cancelled, true);
    assert.strictEqual(pr.diff, undefined);
    assert.deepStrictEqual(pr.runs.map((x) => [x.side, x.reason]), [['before', 'cancelled']]);
    assert.match(pr.notes.join('\n'), /profiling was cancelled/);
    assert.deepStrictEqual(processesWith(marker), [], 'nothing left running');
    assert.deepStrictEqual(fs.existsSync(store) ? fs.readdirSync(store) : [], [], 'no run folder left for the cancelled run');
  });

  it('cancel on the after side: the before run finished first stays stored and the note names it', async () => {
    const marker = `hotpath-profiled-cancel-after-${process.pid}`;
    const quick = { command: process.execPath, args: ['-e', 'let x = 0; for (let i = 0; i < 3e7; i++) x += i; console.log(x > 0)'], cwd: tmp };
    const hang = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', marker], cwd: tmp };
    const ac = new AbortController();
    const store = path.join(tmp, 'runs');
    const pr = await profileSides(quick, hang, {
      runs: 1, store, comparison: { before: 'a', after: 'b' }, signal: ac.signal,
      onProfile: (e) => {
        if (e.phase === 'start' && e.side === 'after') {
          const wait = setInterval(() => { if (processesWith(marker).length >= 1) { clearInterval(wait); ac.abort(); } }, 100);
        }
      },
    });
    assert.strictEqual(pr.cancelled, true);
    assert.deepStrictEqual(pr.runs.map((x) => [x.side, x.ok, x.reason ?? null]), [['before', true, null], ['after', false, 'cancelled']]);
    assert.strictEqual(pr.ids.before.length, 1);
    const stored = fs.readdirSync(store);
    assert.deepStrictEqual(stored, pr.ids.before, 'the finished before run is stored, nothing for the cancelled one');
    const note = pr.notes.join('\n');
    assert.match(note, /profiling was cancelled/);
    assert.ok(note.includes(`stays stored in ${store}: ${stored[0]}`), note);
    assert.ok(note.includes(`hotpath runs rm ${stored[0]} --dir ${JSON.stringify(store)}`), note);
    assert.deepStrictEqual(processesWith(marker), [], 'nothing left running');
  });
});
