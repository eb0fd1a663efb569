// The benchmark core on real processes: node busy loops of clearly different length give a
// faster/slower verdict; failed runs are kept and reported, never averaged in; timeouts and
// cancel end the process tree; the store skips corrupt entries; a git ref is measured in a
// temporary worktree (node_modules symlinked) that is removed afterwards, also on error/cancel.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refDirsOf } from '../tempDirs';
import {
  benchmarkCommand, benchmarkRef, CancelledError, compareBench, listBench, measureOnce, resolveBench, runAB, runBench, saveBench,
} from '../../../src/core/bench';
import { compareSamples } from '../../../src/core/stats';
import { privateTmpdir } from '../tempDirs';

/** `node -e` spinning for `ms` of wall time. */
const busy = (ms: number) => ({ command: process.execPath, args: ['-e', `const end = process.cpuUsage().user + ${ms} * 1000; while (process.cpuUsage().user < end);`] });

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

/** A repository whose work.js spins the given ms at each commit, requiring an untracked dependency. */
function makeRepo(dir: string, spins: number[]): void {
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n.hotpath/\n');
  fs.mkdirSync(path.join(dir, 'node_modules', 'spin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'spin', 'index.js'), 'module.exports = (ms) => { const end = process.cpuUsage().user + ms * 1000; while (process.cpuUsage().user < end); };\n');
  for (const ms of spins) {
    fs.writeFileSync(path.join(dir, 'work.js'), `require('spin')(${ms});\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', `spin ${ms}`);
  }
}

const worktrees = (dir: string) => git(dir, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;


describe('bench: measuring real commands', function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-bench-test-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // The gap (200 vs 20 ms of CPU spinning, 3.6x with Node's start-up) is gross on purpose: the
  // start-up alone varies by +-100 ms on a loaded shared machine, and these tests must not depend
  // on the load. (300 vs 30 until 2026-12: each comparison costs its spins in CPU time.)
  it('interleaved 200 ms vs 20 ms busy loops: after is faster (and the reverse is slower), with CPU time measured', async () => {
    const ab = await runAB({ ...busy(200), cwd: tmp }, { ...busy(20), cwd: tmp }, { runs: 8, warmup: 1 });
    const orders = [...ab.before.samples, ...ab.after.samples].sort((a, b) => a.order - b.order);
    assert.deepStrictEqual(orders.map((s) => ab.before.samples.includes(s) ? 'B' : 'A').join(''), 'BA'.repeat(9), 'strictly alternating');
    assert.strictEqual(ab.before.samples.filter((s) => s.warmup).length, 1);
    assert.strictEqual(ab.before.stats.n, 8);
    assert.strictEqual(ab.before.stats.failed, 0);
    const wall = (r: typeof ab.before) => r.samples.filter((s) => !s.warmup).map((s) => s.wallMs);
    const c = compareSamples(wall(ab.before), wall(ab.after));
    assert.strictEqual(c.verdict, 'faster', c.sentence);
    assert.strictEqual(compareSamples(wall(ab.after), wall(ab.before)).verdict, 'slower');
    if (process.platform === 'linux') {
      assert.strictEqual(ab.before.cpuSource, 'proc-stat');
      assert.ok(ab.before.stats.cpu && ab.before.stats.cpu.median > 0, 'the child\'s CPU time is read from the wrapper\'s cutime+cstime');
      assert.ok(ab.before.stats.cpu.median > ab.after.stats.cpu!.median, 'more spinning, more CPU');
    }
  });

  it('random order is seeded and still runs every variant once per round', async () => {
    const ab = await runAB({ command: 'true', cwd: tmp }, { command: 'true', cwd: tmp }, { runs: 8, warmup: 0, order: 'random', seed: 5 });
    const seq = [...ab.before.samples.map((s) => ({ o: s.order, g: 'B' })), ...ab.after.samples.map((s) => ({ o: s.order, g: 'A' }))].sort((a, b) => a.o - b.o).map((x) => x.g);
    for (let i = 0; i < seq.length; i += 2) assert.notStrictEqual(seq[i], seq[i + 1], 'each round has one of each');
    assert.ok(seq.join('') !== 'BA'.repeat(8), 'not the plain alternation');
  });

  it('a failing command is reported per run and kept out of the statistics; the comparison is inconclusive', async () => {
    // Fails on its 3rd call only (a counter file), exit code 3.
    const counter = path.join(tmp, 'n');
    const flaky = { command: process.execPath, args: ['-e', `const fs=require('fs');const n=fs.existsSync('${counter}')?+fs.readFileSync('${counter}','utf8'):0;fs.writeFileSync('${counter}',String(n+1));if(n===2){console.error('boom');process.exit(3)}`], cwd: tmp };
    const r = await runBench(flaky, { runs: 5, warmup: 1 });
    assert.strictEqual(r.samples.length, 6);
    const bad = r.samples.filter((s) => !s.ok);
    assert.strictEqual(bad.length, 1);
    assert.strictEqual(bad[0].exitCode, 3);
    assert.match(bad[0].outputTail ?? '', /boom/);
    assert.strictEqual(r.stats.n, 4);
    assert.strictEqual(r.stats.failed, 1);
    assert.strictEqual(r.stats.wall!.n, 4);
    const always = await benchmarkCommand({ command: 'exit 7', cwd: tmp }, { runs: 5, warmup: 0, storeDir: path.join(tmp, 'store') });
    assert.strictEqual(always.stats.n, 0);
    assert.strictEqual(always.stats.failed, 5);
    assert.strictEqual(always.stats.wall, null);
    const good = await benchmarkCommand({ command: 'true', cwd: tmp }, { runs: 5, warmup: 0, storeDir: path.join(tmp, 'store') });
    const c = compareBench(good, always);
    assert.strictEqual(c.verdict, 'inconclusive');
    assert.match(c.sentence, /failed runs: 0 before, 5 after/);
  });

  it('a shell line ending in `exit` keeps its exit code and its CPU time; an argv is passed without shell interpretation', async () => {
    const line = await measureOnce({ command: `"${process.execPath}" -e "let x = 0; for (let i = 0; i < 3e7; i++) x += i" ; exit 5`, cwd: tmp });
    assert.strictEqual(line.exitCode, 5);
    assert.strictEqual(line.ok, false);
    if (process.platform === 'linux') assert.ok(line.cpuMs !== null && line.cpuMs > 0, `cpu ${line.cpuMs}`);
    const argv = await measureOnce({ command: process.execPath, args: ['-e', 'process.exit(process.argv[1] === "$HOME; exit 3" ? 0 : 1)', '$HOME; exit 3'], cwd: tmp });
    assert.strictEqual(argv.exitCode, 0, argv.outputTail);
  });

  it('a timeout ends the process tree and fails the run; cancel rejects and leaves nothing running', async () => {
    const marker = `hotpath-bench-sleeper-${process.pid}`;
    // A shell that starts a grandchild sleeper: both must be gone afterwards.
    const tree = { command: `sh -c 'sleep 30; echo ${marker}' & sleep 30`, cwd: tmp };
    const t = await measureOnce(tree, { timeoutMs: 300 });
    assert.strictEqual(t.timedOut, true);
    assert.strictEqual(t.ok, false);
    assert.match(t.error ?? '', /timed out/);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(runBench(tree, { runs: 3, warmup: 0, signal: ac.signal }), CancelledError);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
    assert.deepStrictEqual(left, []);
  });
});

describe('bench: store', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-bench-store-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('stores records tied to git, resolves last/previous/id/file, skips corrupt entries with a warning', async function () {
    this.timeout(60_000);
    makeRepo(tmp, [1]);
    const store = path.join(tmp, '.hotpath', 'bench');
    const first = await benchmarkCommand({ command: 'node work.js', cwd: tmp }, { runs: 2, warmup: 0, label: 'one' });
    const second = await benchmarkCommand({ command: 'node work.js', cwd: tmp }, { runs: 2, warmup: 0, label: 'two' });
    assert.strictEqual(path.dirname(first.file!), store);
    const onDisk = JSON.parse(fs.readFileSync(first.file!, 'utf8'));
    for (const k of ['command', 'cwd', 'label', 'nodeVersion', 'git', 'createdAt', 'samples', 'stats']) assert.ok(k in onDisk, k);
    assert.strictEqual(onDisk.git.commit, git(tmp, 'rev-parse', 'HEAD'));
    assert.strictEqual(onDisk.git.dirty, false);
    assert.match(onDisk.nodeVersion, /^v\d+/);
    fs.writeFileSync(path.join(store, '9999-corrupt.json'), '{"version": 1, "id": ');
    fs.writeFileSync(path.join(store, '9999-other.json'), '{"hello": 1}');
    const listed = listBench(store);
    assert.deepStrictEqual(listed.records.map((r) => r.label), ['two', 'one']);
    assert.strictEqual(listed.warnings.length, 2);
    assert.match(listed.warnings.join('\n'), /Skipped bench 9999-corrupt\.json/);
    assert.strictEqual(resolveBench(store, 'last').record!.id, second.id);
    assert.strictEqual(resolveBench(store, 'previous').record!.id, first.id);
    assert.strictEqual(resolveBench(store, first.id).record!.label, 'one');
    assert.strictEqual(resolveBench(store, first.file!).record!.label, 'one');
    assert.match(resolveBench(store, path.join(store, '9999-corrupt.json')).error!, /cannot be read/);
    assert.match(resolveBench(store, 'nope').error!, /no benchmark 'nope'/);
    // Atomic write: no temp files left behind.
    assert.deepStrictEqual(fs.readdirSync(store).filter((n) => n.endsWith('.tmp')), []);
    saveBench(store, { ...second, id: 'zzzz', label: 'three' });
    assert.strictEqual(resolveBench(store, 'last').record!.label, 'three');
  });
});

describe('bench: a git ref against the working tree', function () {
  privateTmpdir('bench');
  this.timeout(180_000);
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-bench-git-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('HEAD~1 (200 ms) vs the working tree (20 ms): faster, both stored and paired, worktree removed', async () => {
    makeRepo(tmp, [200, 20]);
    const before = refDirsOf(tmp);
    const r = await benchmarkRef({ command: 'node work.js', cwd: tmp }, 'HEAD~1', { runs: 8, warmup: 1 });
    assert.strictEqual(r.comparison.verdict, 'faster', r.comparison.sentence);
    assert.strictEqual(r.before.stats.failed, 0, 'node_modules was symlinked into the worktree: require(\'spin\') worked');
    assert.strictEqual(r.before.git!.commit, git(tmp, 'rev-parse', 'HEAD~1'));
    assert.strictEqual(r.before.ref, 'HEAD~1');
    assert.strictEqual(r.after.git!.commit, git(tmp, 'rev-parse', 'HEAD'));
    assert.deepStrictEqual(r.before.pair, { role: 'before', other: r.after.id, order: 'alternate' });
    const stored = listBench(path.join(tmp, '.hotpath', 'bench')).records;
    assert.strictEqual(stored.length, 2);
    assert.strictEqual(worktrees(tmp), 1, 'the temporary worktree is gone from git');
    assert.deepStrictEqual(refDirsOf(tmp), before, 'and from disk');
  });

  it('a bad ref is a clear error; cancel in the middle still removes the worktree', async () => {
    makeRepo(tmp, [150, 30]);
    const before = refDirsOf(tmp);
    await assert.rejects(benchmarkRef({ command: 'node work.js', cwd: tmp }, 'no-such-ref', { runs: 5 }), /'no-such-ref' is not a commit/);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1500);
    await assert.rejects(benchmarkRef({ command: 'node work.js', cwd: tmp }, 'HEAD~1', { runs: 50, signal: ac.signal }), CancelledError);
    assert.strictEqual(worktrees(tmp), 1);
    assert.deepStrictEqual(refDirsOf(tmp), before);
    assert.ok(!fs.existsSync(path.join(tmp, '.hotpath', 'bench')), 'nothing stored for a cancelled comparison');
  });
});
