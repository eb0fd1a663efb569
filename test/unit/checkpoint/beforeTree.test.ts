// "Before" from a checkpoint on real files and real processes: the copy holds the files as they
// were before the batch (files the batch created left out), node_modules is symlinked, Hotpath's
// store is not copied; an interleaved comparison of a 200 ms spin (before) and a 20 ms spin
// (after) says "faster"; the copy is removed afterwards, also when the command is cancelled.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuildError, CancelledError, listBench } from '../../../src/core/bench';
import { createCheckpoint, defaultCheckpointStore, markApplied } from '../../../src/core/checkpoint';
import { benchmarkCheckpoint, createBeforeTree } from '../../../src/core/checkpoint/beforeTree';
import { privateTmpdir } from '../tempDirs';

// The copies go to os.tmpdir(); this suite points TMPDIR at a folder of its own, so copies made
// and removed meanwhile by other test runs on the machine are not counted as this one's.
const copies = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('hotpath-checkpoint-')).sort();

/** A workspace (no git) whose work.js spins `ms` through a dependency in node_modules. */
function makeWorkspace(dir: string, ms: number): void {
  fs.mkdirSync(path.join(dir, 'node_modules', 'spin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'spin', 'index.js'), 'module.exports = (ms) => { const end = process.cpuUsage().user + ms * 1000; while (process.cpuUsage().user < end); };\n');
  fs.writeFileSync(path.join(dir, 'work.js'), `require('spin')(${ms});\n`);
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'untouched.js'), 'module.exports = 1;\n');
}

describe('checkpoint: the workspace before a batch, as a temporary copy', function () {
  privateTmpdir('beforeTree');
  this.timeout(120_000);
  let tmp: string;
  let ws: string;
  let store: string;
  const savedTmp = process.env.TMPDIR;
  let ownTmp: string;
  before(() => {
    ownTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-before-suite-'));
    process.env.TMPDIR = ownTmp;
  });
  after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(ownTmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-before-test-'));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    store = defaultCheckpointStore(ws);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The batch: work.js spins 20 ms instead of 200 ms and a new helper file appears. */
  async function applyBatch(): Promise<string> {
    makeWorkspace(ws, 200);
    const cp = await createCheckpoint(store, ['work.js', 'lib/new.js'], { root: ws, label: 'test batch' });
    fs.writeFileSync(path.join(ws, 'work.js'), `require('spin')(20);\n`);
    fs.writeFileSync(path.join(ws, 'lib', 'new.js'), 'module.exports = 2;\n');
    markApplied(store, cp.id);
    return cp.id;
  }

  it('restores the checkpoint files, leaves out created ones, links node_modules, skips .hotpath', async () => {
    const id = await applyBatch();
    const { loadCheckpoint } = await import('../../../src/core/checkpoint');
    const tree = createBeforeTree(loadCheckpoint(store, id), store);
    try {
      assert.strictEqual(fs.readFileSync(path.join(tree.root, 'work.js'), 'utf8'), `require('spin')(200);\n`);
      assert.ok(!fs.existsSync(path.join(tree.root, 'lib', 'new.js')), 'the file the batch created is not in the copy');
      assert.strictEqual(fs.readFileSync(path.join(tree.root, 'lib', 'untouched.js'), 'utf8'), 'module.exports = 1;\n');
      assert.ok(fs.lstatSync(path.join(tree.root, 'node_modules')).isSymbolicLink(), 'node_modules is a link');
      assert.strictEqual(fs.realpathSync(path.join(tree.root, 'node_modules')), fs.realpathSync(path.join(ws, 'node_modules')));
      assert.ok(!fs.existsSync(path.join(tree.root, '.hotpath')), 'the checkpoint store is not copied');
      assert.deepStrictEqual(tree.restored, ['work.js']);
      assert.deepStrictEqual(tree.removed, [path.join('lib', 'new.js')]);
      // The working tree itself is untouched.
      assert.strictEqual(fs.readFileSync(path.join(ws, 'work.js'), 'utf8'), `require('spin')(20);\n`);
    } finally {
      tree.remove();
    }
    assert.ok(!fs.existsSync(tree.root), 'remove() deletes the copy');
  });

  it('never writes outside the copy: a folder linked (absolute) into the workspace gets the file in the copy; a corrupted saved copy is refused', async () => {
    makeWorkspace(ws, 200);
    // lib-link -> <ws>/lib, an absolute link: copied as it is, it leads from the copy back into the workspace.
    fs.symlinkSync(path.join(ws, 'lib'), path.join(ws, 'lib-link'));
    const cp = await createCheckpoint(store, ['lib-link/untouched.js'], { root: ws, label: 'through a link', git: false });
    fs.writeFileSync(path.join(ws, 'lib', 'untouched.js'), 'module.exports = 2; // fixed\n');
    markApplied(store, cp.id);
    const { loadCheckpoint } = await import('../../../src/core/checkpoint');
    const tree = createBeforeTree(loadCheckpoint(store, cp.id), store);
    try {
      assert.strictEqual(fs.readFileSync(path.join(ws, 'lib', 'untouched.js'), 'utf8'), 'module.exports = 2; // fixed\n', 'the workspace is untouched');
      assert.strictEqual(fs.readFileSync(path.join(tree.root, 'lib', 'untouched.js'), 'utf8'), 'module.exports = 1;\n', 'the copy holds the content before');
    } finally {
      tree.remove();
    }
    fs.writeFileSync(path.join(store, cp.id, 'files', cp.files[0].blob!), 'module.exports = 9;\n');
    assert.throws(() => createBeforeTree(loadCheckpoint(store, cp.id), store), /refused: its saved copy of .* is corrupted/);
    assert.strictEqual(fs.readFileSync(path.join(ws, 'lib', 'untouched.js'), 'utf8'), 'module.exports = 2; // fixed\n');
  });

  it('refuses a workspace with more files than the limit, leaving no copy behind', async () => {
    const id = await applyBatch();
    const { loadCheckpoint } = await import('../../../src/core/checkpoint');
    const before = copies();
    assert.throws(() => createBeforeTree(loadCheckpoint(store, id), store, { maxFiles: 1 }), /more than 1 files/);
    assert.deepStrictEqual(copies(), before);
  });

  it('measures before (checkpoint copy) against after (working tree) interleaved: faster', async () => {
    const id = await applyBatch();
    const before = copies();
    const r = await benchmarkCheckpoint({ command: process.execPath, args: ['work.js'], cwd: ws }, store, id, { runs: 8, warmup: 1 });
    assert.strictEqual(r.comparison.verdict, 'faster', r.comparison.sentence);
    assert.ok(r.comparison.ratio < 1, `ratio ${r.comparison.ratio}`);
    assert.strictEqual(r.before.ref, `checkpoint ${id}`);
    assert.strictEqual(r.before.pair?.other, r.after.id);
    assert.strictEqual(r.after.pair?.other, r.before.id);
    assert.strictEqual(r.before.stats.n, 8);
    assert.strictEqual(r.after.stats.n, 8);
    // Interleaved: before and after alternate in one sequence of runs.
    const orders = [...r.before.samples, ...r.after.samples].sort((a, b) => a.order - b.order).map((s) => (r.before.samples.includes(s) ? 'B' : 'A'));
    assert.strictEqual(orders.join(''), 'BA'.repeat(9));
    const stored = listBench(path.join(ws, '.hotpath', 'bench')).records.map((x) => x.id).sort();
    assert.deepStrictEqual(stored, [r.before.id, r.after.id].sort());
    assert.deepStrictEqual(copies(), before, 'the copy is removed');
  });

  /**
   * A project that must be built: work.js runs dist/impl.js, which `node build.js` makes from
   * src/impl.js (200 ms spin before the batch, 20 ms after; the working tree is built after).
   * The copy holds the working tree's dist/ (built from the new source), so only a build in the
   * copy measures the old code.
   */
  async function applyBuiltBatch(): Promise<string> {
    makeWorkspace(ws, 0);
    fs.mkdirSync(path.join(ws, 'src'));
    fs.writeFileSync(path.join(ws, 'build.js'), `const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); fs.copyFileSync('src/impl.js', 'dist/impl.js'); console.log('built');\n`);
    fs.writeFileSync(path.join(ws, 'work.js'), `require('./dist/impl.js');\n`);
    fs.writeFileSync(path.join(ws, 'src', 'impl.js'), `require('spin')(200);\n`);
    execFileSync(process.execPath, ['build.js'], { cwd: ws });
    const cp = await createCheckpoint(store, ['src/impl.js'], { root: ws, label: 'built batch' });
    fs.writeFileSync(path.join(ws, 'src', 'impl.js'), `require('spin')(20);\n`);
    execFileSync(process.execPath, ['build.js'], { cwd: ws });
    markApplied(store, cp.id);
    return cp.id;
  }

  it('with a build: the copy is built before any run (old code measured), recorded as build {command, ms}', async () => {
    const id = await applyBuiltBatch();
    const { loadCheckpoint } = await import('../../../src/core/checkpoint');
    const tree = createBeforeTree(loadCheckpoint(store, id), store);
    try {
      assert.match(fs.readFileSync(path.join(tree.root, 'src', 'impl.js'), 'utf8'), /\(200\)/, 'the old source');
      assert.match(fs.readFileSync(path.join(tree.root, 'dist', 'impl.js'), 'utf8'), /\(20\)/, 'but the new build: without a build the copy measures the new code');
    } finally {
      tree.remove();
    }
    const before = copies();
    const events: string[] = [];
    const r = await benchmarkCheckpoint({ command: process.execPath, args: ['work.js'], cwd: ws }, store, id, {
      runs: 6, warmup: 1, build: { command: 'node build.js' }, onBuild: (e) => events.push(`${e.side}:${e.phase}`),
    });
    assert.deepStrictEqual(events, ['checkpoint:start', 'checkpoint:end'], 'one build, in the copy only');
    assert.strictEqual(r.comparison.verdict, 'faster', r.comparison.sentence);
    assert.strictEqual(r.before.build?.command, 'node build.js');
    assert.ok(r.before.build!.ms > 0, `build ms ${r.before.build!.ms}`);
    assert.strictEqual(r.after.build, undefined, 'the working tree was not built');
    const onDisk = JSON.parse(fs.readFileSync(r.before.file!, 'utf8'));
    assert.deepStrictEqual(onDisk.build, r.before.build);
    assert.deepStrictEqual(copies(), before, 'the copy is removed');
  });

  it('workingTree: the working tree is built too (after the copy), and both records carry the build', async () => {
    const id = await applyBuiltBatch();
    fs.rmSync(path.join(ws, 'dist'), { recursive: true });
    const events: string[] = [];
    const r = await benchmarkCheckpoint({ command: process.execPath, args: ['work.js'], cwd: ws }, store, id, {
      runs: 5, warmup: 0, build: { command: 'node build.js', workingTree: true }, onBuild: (e) => events.push(`${e.side}:${e.phase}`),
    });
    assert.deepStrictEqual(events, ['checkpoint:start', 'checkpoint:end', 'working tree:start', 'working tree:end']);
    assert.strictEqual(r.after.stats.failed, 0, 'dist/impl.js was rebuilt in the working tree');
    assert.ok(fs.existsSync(path.join(ws, 'dist', 'impl.js')));
    assert.strictEqual(r.after.build?.command, 'node build.js');
  });

  it('a failed build in the copy ends the comparison: BuildError names the side, exit code and output; nothing runs or is stored; the copy is removed', async () => {
    const id = await applyBuiltBatch();
    const before = copies();
    const err = await benchmarkCheckpoint({ command: process.execPath, args: ['work.js'], cwd: ws }, store, id, {
      runs: 5, build: { command: `node -e "console.log('compiling'); console.error('src/impl.js(1,1): error: broken'); process.exit(7)"` },
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof BuildError, String(err));
    assert.strictEqual(err.side, 'checkpoint');
    assert.strictEqual(err.exitCode, 7);
    assert.match(err.message, /copy of checkpoint .* exited with code 7/);
    assert.match(err.message, /src\/impl\.js\(1,1\): error: broken/);
    assert.ok(!fs.existsSync(path.join(ws, '.hotpath', 'bench')), 'nothing stored');
    assert.deepStrictEqual(copies(), before, 'the copy is removed');
  });

  it('removes the copy when cancelled', async () => {
    const id = await applyBatch();
    const before = copies();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    await assert.rejects(benchmarkCheckpoint({ command: process.execPath, args: ['work.js'], cwd: ws }, store, id, { runs: 50, signal: controller.signal }), CancelledError);
    assert.deepStrictEqual(copies(), before);
  });
});
