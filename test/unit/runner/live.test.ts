// Reading and merging the live series (heap, CPU, event-loop delay about once a second) that the
// preloads append, on a real run: a parent, a worker thread, a child that exits early and one that
// exits before its first sample. One run (before()) serves every assertion; the live interval is
// 150 ms so the ~2 s run gives enough lines.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LiveTail, pollLive, readLiveRun, thin } from '../../../src/core/runner/live';
import { runTarget } from '../../../src/core/runner/run';
import type { RunResult } from '../../../src/core/runner/types';
import type { LivePoint, LiveUpdate } from '../../../src/core/runner/liveSample';
import { buildPreload, tempDir, TARGETS } from './helpers';
import { countReads } from '../fsReads';

describe('runner: live series (LiveTail, readLiveRun)', function () {
  let dir: string;
  let run: RunResult;
  /** What each read during the run returned (points per read). */
  const reads: LiveUpdate[] = [];
  let final: LiveUpdate;
  let whole: LiveUpdate;

  /** The status lines pollLive gave with each read (what the status bar shows). */
  const statuses: (string | undefined)[] = [];
  /** Bytes of *.live.jsonl files this process read while the run was polled, and how many reads. */
  let liveBytesRead = 0;
  let liveFileReads = 0;

  before(async function () {
    buildPreload();
    dir = tempDir('live');
    const tail = new LiveTail(dir);
    const stopCounting = countReads('.live.jsonl', (bytes) => { liveBytesRead += bytes; liveFileReads++; });
    try {
      // As Profile… and Find Memory Leaks… poll (every second there).
      const poll = pollLive(tail, 200, (update, status) => { reads.push(update); statuses.push(status); });
      try {
        run = await runTarget({ command: process.execPath, args: ['liveTree.js'], cwd: TARGETS, outDir: dir, capture: { cpu: false, heap: false, imports: false, liveMs: 150 } });
      } finally { final = poll.stop(); }
    } finally { stopCounting(); }
    whole = readLiveRun(dir);
  });

  const pointsOf = (u: LiveUpdate, key: string): LivePoint[] => u.points.filter((p) => p.key === key).flatMap((p) => p.points);
  const lines = (key: string) => fs.readFileSync(path.join(dir, `${key}.live.jsonl`), 'utf8').split('\n').filter(Boolean).length;

  it('knows every process and thread of the run; the one that wrote nothing reads as not measured', () => {
    assert.strictEqual(run.exitCode, 0);
    const main = run.processes.filter((p) => p.threadId === 0);
    assert.strictEqual(main.length, 3, run.processes.map((p) => p.commandLine).join('\n'));
    assert.strictEqual(run.processes.filter((p) => p.threadId > 0).length, 1);
    assert.strictEqual(whole.processes.length, 4, JSON.stringify(whole.processes));
    const instant = run.processes.find((p) => p.commandLine.includes('process.exit(0)'))!;
    const view = whole.processes.find((p) => p.pid === instant.pid)!;
    assert.strictEqual(view.measured, false);
    assert.strictEqual(view.label, 'node -e process.exit(0)');
    assert.deepStrictEqual(pointsOf(whole, view.key), []);
    assert.ok(!fs.existsSync(path.join(dir, `${view.key}.live.jsonl`)), 'a process that exits at once leaves no live file');
    assert.deepStrictEqual(whole.processes.filter((p) => p.measured).length, 3);
  });

  it('reads while the run goes on: several reads returned new points, and together they are every line once', () => {
    const withPoints = reads.filter((u) => u.points.length);
    assert.ok(withPoints.length >= 2, `reads with new points during the run: ${withPoints.length} of ${reads.length}`);
    for (const p of whole.processes.filter((x) => x.measured)) {
      const incremental = [...reads, final].flatMap((u) => pointsOf(u, p.key));
      assert.strictEqual(incremental.length, lines(p.key), `${p.label}: every line once`);
      assert.deepStrictEqual(incremental, pointsOf(whole, p.key));
      assert.ok(incremental.every((q, i) => i === 0 || q.x >= incremental[i - 1].x), `${p.label}: time never goes back`);
    }
  });

  it('polling reads each byte of the live files once: the status line comes from the points the tail read', () => {
    const size = fs.readdirSync(dir).filter((n) => n.endsWith('.live.jsonl')).reduce((sum, n) => sum + fs.statSync(path.join(dir, n)).size, 0);
    const lineCount = whole.processes.filter((p) => p.measured).reduce((sum, p) => sum + lines(p.key), 0);
    // Re-reading the folder each second (the status bar did) reads the early lines again on every
    // poll: about (polls / 2) times the files' size. A line not yet ended is read again once.
    assert.ok(reads.length >= 5, `${reads.length} polls`);
    assert.ok(liveBytesRead >= size && liveBytesRead <= size * 1.2, `read ${liveBytesRead} bytes of live files (${liveFileReads} reads) for ${size} bytes, ${lineCount} lines, over ${reads.length + 1} polls`);
    const shown = statuses.filter((t): t is string => t !== undefined);
    assert.ok(shown.length >= 2, JSON.stringify(statuses));
    // The last status line during the run is the newest main-thread point of the largest heap then.
    const last = shown[shown.length - 1];
    assert.match(last, /^heap \d+(\.\d)? MB · CPU \d+ % · (delay \d+ ms|delay not measured)( \(pid \d+, largest of \d\))?$/);
    const upTo = reads.slice(0, statuses.lastIndexOf(last) + 1);
    const newest = whole.processes.filter((p) => p.threadId === 0).flatMap((p) => {
      const pts = upTo.flatMap((u) => pointsOf(u, p.key));
      return pts.length ? [{ pid: p.pid, point: pts[pts.length - 1] }] : [];
    }).sort((a, b) => b.point.heapUsed - a.point.heapUsed)[0];
    assert.ok(last.startsWith(`heap ${(newest.point.heapUsed / 1048576).toFixed(1)} MB · CPU ${Math.round(newest.point.cpu! * 100)} %`), `${last} vs ${JSON.stringify(newest)}`);
  });

  it('merges the processes on one time axis: the early child starts later and ends before the parent', () => {
    const parent = run.processes.find((p) => p.threadId === 0 && p.argv.length === 2)!;
    const early = run.processes.find((p) => p.argv.includes('early'))!;
    const pp = pointsOf(whole, `${parent.pid}-0`);
    const ep = pointsOf(whole, `${early.pid}-0`);
    assert.ok(pp.length >= 5 && ep.length >= 2, `parent ${pp.length}, early child ${ep.length} points`);
    assert.ok(ep[0].x > pp[0].x + 0.2, `early child's first sample at ${ep[0].x} s, the parent's at ${pp[0].x} s (the child starts ~300 ms in)`);
    assert.ok(ep[ep.length - 1].x < pp[pp.length - 1].x, `early child's last sample ${ep[ep.length - 1].x} s before the parent's ${pp[pp.length - 1].x} s`);
    // The parent's heap grows (it keeps what it allocates); its CPU is measured, a worker's is not.
    assert.ok(pp[pp.length - 1].heapUsed > pp[0].heapUsed, `${pp[0].heapUsed} -> ${pp[pp.length - 1].heapUsed}`);
    assert.ok(pp.every((q) => q.cpu !== null && q.cpu >= 0));
    const worker = whole.processes.find((p) => p.threadId > 0)!;
    assert.strictEqual(worker.label, `worker thread ${worker.threadId}`);
    const wp = pointsOf(whole, worker.key);
    assert.ok(wp.length >= 2 && wp.every((q) => q.cpu === null), JSON.stringify(wp.slice(0, 2)));
    assert.match(whole.processes.find((p) => p.pid === early.pid)!.label, /^node liveTree\.js early$/);
  });

  it('a partial last line is left for the next read, and skipped at the end when it never completes', () => {
    const parent = whole.processes.find((p) => p.measured && p.threadId === 0)!;
    const text = fs.readFileSync(path.join(dir, `${parent.key}.live.jsonl`), 'utf8');
    const all = text.split('\n').filter(Boolean);
    const copy = tempDir('livePartial');
    fs.copyFileSync(path.join(dir, `${parent.key}.meta.json`), path.join(copy, `${parent.key}.meta.json`));
    const last = all[all.length - 1];
    const head = all.slice(0, -1).join('\n') + '\n';
    const file = path.join(copy, `${parent.key}.live.jsonl`);
    fs.writeFileSync(file, head + last.slice(0, 25));
    // The parent started first: its start is the run's, in the copy as in the whole run.
    const tail = new LiveTail(copy);
    assert.strictEqual(pointsOf(tail.read(), parent.key).length, all.length - 1, 'complete lines only');
    fs.appendFileSync(file, last.slice(25) + '\n');
    const rest = pointsOf(tail.read(), parent.key);
    assert.deepStrictEqual(rest, pointsOf(whole, parent.key).slice(-1), 'the completed line, once, with the same time');
    fs.appendFileSync(file, last.slice(0, 30));
    assert.deepStrictEqual(pointsOf(tail.read(true), parent.key), [], 'a line cut short by a kill is skipped');
    assert.strictEqual(tail.all().points.find((p) => p.key === parent.key)!.points.length, all.length);
  });

  it('thins a long series evenly, keeping the first and the last', () => {
    const xs = Array.from({ length: 3601 }, (_, i) => i);
    const t = thin(xs, 1200);
    assert.strictEqual(t.length, 1200);
    assert.strictEqual(t[0], 0);
    assert.strictEqual(t[t.length - 1], 3600);
    assert.ok(t.every((v, i) => i === 0 || v > t[i - 1]));
  });
});

