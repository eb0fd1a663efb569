// Writing a batch of fixes (core/checkpoint/batch.ts and `hotpath fixes --apply`) on real files:
// modes and owners kept, no temporary file left; a write failing part-way rolls the batch back at
// once; an interrupted ('open') batch rolls back without --force; files changed since they were read
// or not writable stop the batch before its first write; one batch per store at a time (a live lock
// waits then refuses, a stale one is taken over; two real CLIs at once never leave a checkpoint that
// cannot restore the files); links out of the folder are never written through and links stay links;
// files that are not UTF-8 are skipped, a byte order mark survives.
import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createCheckpoint, defaultCheckpointStore, listCheckpoints, loadCheckpoint, rollback } from '../../../src/core/checkpoint';
import { applyBatch, type BatchFile } from '../../../src/core/checkpoint/batch';
import { lockStore } from '../../../src/core/checkpoint/lock';
import { CLI, hotpath, noRawError } from '../cli/cli';
import { tempDir } from '../tempDirs';
import { buildOnly } from '../build';

const BEFORE = (i: number) => `const path = require('path');\nconst os = require('os');\nmodule.exports = () => os.EOL + ${i};\n`;
const AFTER = (i: number) => `const os = require('os');\nmodule.exports = () => os.EOL + ${i};\n`;
const asRoot = process.getuid?.() === 0;

/** A folder with `n` files src/m<i>.js, each with one unused import. */
function project(name: string, n: number): { dir: string; files: string[] } {
  const dir = fs.realpathSync(tempDir(name));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  fs.mkdirSync(path.join(dir, 'src'));
  const files = Array.from({ length: n }, (_, i) => {
    const f = path.join(dir, 'src', `m${i}.js`);
    fs.writeFileSync(f, BEFORE(i));
    return f;
  });
  return { dir, files };
}

const plan = (files: string[]): BatchFile[] => files.map((file, i) => ({ file, before: Buffer.from(BEFORE(i)), after: Buffer.from(AFTER(i)) }));
const read = (f: string) => fs.readFileSync(f, 'utf8');
const temps = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.hotpath-tmp-'));

describe('checkpoint: writing a batch (core)', () => {
  it('keeps each file\'s mode (and owner, as root); leaves no temporary file; the checkpoint records before and intended', async () => {
    const { dir, files } = project('batch-mode', 3);
    fs.chmodSync(files[0], 0o755);
    fs.chmodSync(files[1], 0o600);
    if (asRoot) fs.chownSync(files[2], 4242, 4343);
    const store = defaultCheckpointStore(dir);
    const r = await applyBatch(plan(files), { store, root: dir, label: 'test', git: false });
    assert.ok(r.ok, r.error);
    assert.deepStrictEqual(files.map(read), files.map((_, i) => AFTER(i)));
    assert.deepStrictEqual(files.map((f) => fs.statSync(f).mode & 0o777), [0o755, 0o600, 0o644 & ~process.umask()]);
    if (asRoot) assert.deepStrictEqual([fs.statSync(files[2]).uid, fs.statSync(files[2]).gid], [4242, 4343]);
    assert.deepStrictEqual(temps(path.join(dir, 'src')), []);
    const cp = loadCheckpoint(store, r.checkpoint!.id);
    assert.strictEqual(cp.state, 'applied');
    assert.ok(cp.files.every((f) => f.intended?.exists && f.intended.sha256 === f.after?.sha256), 'intended = after');
    assert.ok(!fs.existsSync(path.join(store, '.lock')), 'the lock is released');
  });

  it('a write failing part-way rolls the batch back at once and says so; failing before the first file changes nothing', async () => {
    const { dir, files } = project('batch-fail', 4);
    const store = defaultCheckpointStore(dir);
    const r = await applyBatch(plan(files), { store, root: dir, label: 'test', git: false, beforeRename: (_f, i) => { if (i === 2) throw new Error('disk on fire'); } });
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.rolledBack, true);
    assert.match(r.error!, /writing .*m2\.js failed \(disk on fire\) after 2 of 4 file\(s\) were written; the batch was rolled back/);
    assert.deepStrictEqual(files.map(read), files.map((_, i) => BEFORE(i)), 'every file as before');
    assert.deepStrictEqual(temps(path.join(dir, 'src')), []);
    assert.strictEqual(loadCheckpoint(store, r.checkpoint!.id).state, 'rolled-back');

    const early = await applyBatch(plan(files), { store, root: dir, label: 'test', git: false, beforeRename: () => { throw new Error('no'); } });
    assert.match(early.error!, /failed \(no\); nothing was changed/);
    assert.strictEqual(early.rolledBack, undefined);
    assert.deepStrictEqual(files.map(read), files.map((_, i) => BEFORE(i)));
    assert.strictEqual(listCheckpoints(store).checkpoints.length, 1, 'no checkpoint is left for a batch that changed nothing');
  });

  it('an interrupted batch (still open) rolls back without force: each file before or as the batch wrote it; a third content is a conflict', async () => {
    const { dir, files } = project('batch-open', 3);
    const store = defaultCheckpointStore(dir);
    const intended = new Map(files.map((f, i) => [f, AFTER(i)] as [string, string]));
    const cp = await createCheckpoint(store, files, { root: dir, label: 'killed', git: false, intended });
    fs.writeFileSync(files[0], AFTER(0)); // the batch got this far, then died
    fs.writeFileSync(path.join(dir, 'src', `.m1.js.hotpath-tmp-999999`), 'half'); // a temporary file of the dead writer
    const r = await rollback(store);
    assert.ok(r.ok, r.error);
    assert.strictEqual(r.id, cp.id);
    assert.deepStrictEqual(files.map(read), files.map((_, i) => BEFORE(i)));
    assert.deepStrictEqual(temps(path.join(dir, 'src')), [], 'the dead writer\'s temporary file is removed');

    const again = await createCheckpoint(store, files, { root: dir, label: 'killed', git: false, intended });
    fs.writeFileSync(files[1], 'edited by hand\n');
    const refused = await rollback(store, again.id);
    assert.strictEqual(refused.ok, false);
    assert.deepStrictEqual(refused.conflicts.map((c) => [path.basename(c.path), c.reason]), [['m1.js', 'holds neither its content before the batch nor the one the batch wrote']]);
  });

  it('a file changed since it was read stops the batch before any write; nothing is checkpointed', async () => {
    const { dir, files } = project('batch-changed', 3);
    const store = defaultCheckpointStore(dir);
    fs.writeFileSync(files[1], BEFORE(1) + '// edited meanwhile\n');
    const r = await applyBatch(plan(files), { store, root: dir, label: 'test', git: false });
    assert.strictEqual(r.ok, false);
    assert.deepStrictEqual(r.blocked?.map((b) => [path.basename(b.file), b.reason]), [['m1.js', 'changed since it was read (another batch, or an editor)']]);
    assert.strictEqual(read(files[0]), BEFORE(0));
    assert.deepStrictEqual(listCheckpoints(store).checkpoints, []);
  });

  it('a live lock makes the second batch wait, then refuse naming the holder; a lock whose process is gone is taken over', async () => {
    const { dir, files } = project('batch-lock', 2);
    const store = defaultCheckpointStore(dir);
    const release = await lockStore(store, { what: 'the test' });
    const waited: number[] = [];
    const t0 = Date.now();
    const r = await applyBatch(plan(files), { store, root: dir, label: 'test', git: false, lockWaitMs: 400, onLockWait: (pid) => waited.push(pid) });
    assert.ok(Date.now() - t0 >= 400, 'it waited');
    assert.deepStrictEqual(waited, [process.pid]);
    assert.strictEqual(r.ok, false);
    assert.match(r.error!, new RegExp(`another Hotpath process \\(pid ${process.pid}, the test, since .*\\) is changing files with this checkpoint store; nothing was changed`));
    assert.strictEqual(read(files[0]), BEFORE(0));
    release();
    // Stale: the pid of a process that has ended.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(path.join(store, '.lock'), JSON.stringify({ pid: Number(dead), startedAt: '2020-01-01T00:00:00Z', what: 'fixes --apply' }));
    const ok = await applyBatch(plan(files), { store, root: dir, label: 'test', git: false, lockWaitMs: 0 });
    assert.ok(ok.ok, ok.error);
    assert.strictEqual(read(files[0]), AFTER(0));
  });
});

describe('checkpoint: links', () => {
  it('a file checkpointed as a link (VS Code) and replaced by a plain file since is a link again after rollback, its target restored', async () => {
    const { dir, files } = project('batch-relink', 1);
    const link = path.join(dir, 'src', 'alias.js');
    fs.symlinkSync('m0.js', link);
    const store = defaultCheckpointStore(dir);
    const cp = await createCheckpoint(store, [link], { root: dir, label: 'link', git: false });
    assert.strictEqual(cp.files[0].link, 'm0.js');
    // What an older rollback (or another tool) did: the link became a plain file with new content.
    fs.rmSync(link);
    fs.writeFileSync(link, AFTER(0));
    fs.writeFileSync(files[0], AFTER(0));
    const r = await rollback(store, cp.id, { force: true, git: false });
    assert.ok(r.ok, r.error);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'a link again');
    assert.strictEqual(fs.readlinkSync(link), 'm0.js');
    assert.strictEqual(read(files[0]), BEFORE(0), 'its target holds the content before');
  });
});

describe('checkpoint: writing a batch (hotpath fixes --apply)', function () {
  this.timeout(300_000);
  before(() => buildOnly('cli,engines'));
  const FIX = ['fixes', '.', '--kind', 'unused-import', '--apply', '--json'];

  it('links: one to a file inside is written through (it stays a link); one to a file outside is skipped with the reason; rollback keeps links', () => {
    const { dir, files } = project('batch-links', 2);
    const outside = path.join(fs.realpathSync(tempDir('batch-links-out')), 'shared.js');
    fs.writeFileSync(outside, BEFORE(7));
    fs.symlinkSync(outside, path.join(dir, 'src', 'out-link.js'));
    fs.symlinkSync('m1.js', path.join(dir, 'src', 'in-link.js'));
    const r = hotpath(dir, FIX);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(read(outside), BEFORE(7), 'the file outside is untouched');
    assert.match(out.skipped.find((s: { file: string }) => s.file === 'src/out-link.js')?.reason ?? '', /a link to .*shared\.js, outside .*: not changed, fixes never write through a link out of the folder/);
    assert.ok(fs.lstatSync(path.join(dir, 'src', 'in-link.js')).isSymbolicLink(), 'still a link');
    assert.strictEqual(read(files[1]), AFTER(1), 'its target is fixed (once)');
    assert.deepStrictEqual(out.changedFiles.sort(), ['src/m0.js', 'src/m1.js']);
    assert.match(out.skipped.find((s: { file: string }) => s.file === 'src/in-link.js')?.reason ?? '', /the same file as .*m1\.js \(a link to it\): written once/);
    const back = hotpath(dir, ['rollback', '--json']);
    assert.strictEqual(back.code, 0, back.stdout + back.stderr);
    assert.ok(fs.lstatSync(path.join(dir, 'src', 'in-link.js')).isSymbolicLink(), 'rollback keeps the link a link');
    assert.ok(fs.lstatSync(path.join(dir, 'src', 'out-link.js')).isSymbolicLink());
    assert.deepStrictEqual(files.map(read), [BEFORE(0), BEFORE(1)]);
  });

  it('a file that is not UTF-8 is skipped with the reason (its bytes unchanged); a UTF-8 byte order mark survives the fix and the rollback', () => {
    const { dir } = project('batch-encoding', 0);
    const latin1 = path.join(dir, 'src', 'latin1.js');
    const latin1Bytes = Buffer.concat([Buffer.from("const path = require('path');\nmodule.exports = '"), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from("';\n")]);
    fs.writeFileSync(latin1, latin1Bytes);
    const bom = path.join(dir, 'src', 'bom.js');
    const bomBytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BEFORE(1))]);
    fs.writeFileSync(bom, bomBytes);
    const r = hotpath(dir, FIX);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(fs.readFileSync(latin1).equals(latin1Bytes), 'the Latin-1 file is byte for byte as before');
    assert.deepStrictEqual(out.skipped.filter((s: { file: string }) => s.file === 'src/latin1.js').map((s: { reason: string }) => s.reason),
      ['not UTF-8 (byte 0xe9 at line 2); left unchanged, since rewriting it as UTF-8 would change those bytes']);
    assert.ok(!out.fixes.some((f: { file: string }) => f.file === 'src/latin1.js'), 'no fix is offered for it');
    assert.deepStrictEqual(out.changedFiles, ['src/bom.js']);
    assert.ok(fs.readFileSync(bom).equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(AFTER(1))])), 'fixed, with its byte order mark');
    assert.strictEqual(hotpath(dir, ['rollback']).code, 0);
    assert.ok(fs.readFileSync(bom).equals(bomBytes));
  });

  it('a read-only file among the batch: nothing is written, the file is named, exit 1', () => {
    const { dir, files } = project('batch-readonly', 4);
    fs.chmodSync(files[2], 0o444);
    // root may write any file: the CLI then runs as the unprivileged 'nobody' on a tree it owns.
    const as = asRoot ? { uid: 65534, gid: 65534 } : {};
    if (asRoot) {
      for (let d = dir; d !== path.dirname(d) && d.startsWith(path.dirname(dir)); d = path.dirname(d)) fs.chmodSync(d, 0o755);
      execFileSync('chown', ['-R', '65534:65534', dir]);
    }
    const r = spawnSync(process.execPath, [CLI, ...FIX], { cwd: dir, encoding: 'utf8', ...as });
    assert.strictEqual(r.status, 1, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.error, /^1 file\(s\) cannot be written; nothing was changed$/);
    assert.deepStrictEqual(out.blocked, [{ file: 'src/m2.js', reason: 'not writable (EACCES)' }]);
    assert.deepStrictEqual(out.changedFiles, []);
    assert.strictEqual(out.checkpoint, undefined);
    assert.deepStrictEqual(files.map(read), files.map((_, i) => BEFORE(i)), 'nothing was written');
    const text = spawnSync(process.execPath, [CLI, 'fixes', '.', '--kind', 'unused-import', '--apply'], { cwd: dir, encoding: 'utf8', ...as });
    assert.strictEqual(text.status, 1);
    assert.match(text.stderr, /hotpath fixes: 1 file\(s\) cannot be written; nothing was changed\n {2}src\/m2\.js: not writable \(EACCES\)/);
    noRawError(text.stderr.replace('(EACCES)', ''));
  });

  it('two fixes --apply at once on one folder: each file is fixed once, and rolling back every checkpoint restores every file', async () => {
    const { dir, files } = project('batch-two', 40);
    const run = () => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, ...FIX], { cwd: dir });
      let out = '';
      let err = '';
      c.stdout.on('data', (d) => { out += d; });
      c.stderr.on('data', (d) => { err += d; });
      c.on('close', (code) => resolve({ code, out, err }));
    });
    const [a, b] = await Promise.all([run(), run()]);
    const outs = [a, b].map((x) => JSON.parse(x.out));
    assert.deepStrictEqual(files.map(read), files.map((_, i) => AFTER(i)), 'every file fixed, once');
    // The one that lost either found the files changed (exit 1, nothing changed) or read them fixed (nothing to apply).
    const applied = outs.filter((o) => o.checkpoint);
    assert.strictEqual(applied.length, 1, JSON.stringify(outs.map((o) => ({ error: o.error, changed: o.changedFiles?.length }))));
    for (const [x, o] of [[a, outs[0]], [b, outs[1]]] as const) {
      if (!o.checkpoint) assert.ok((x.code === 1 && /changed since they were read|another Hotpath process/.test(o.error)) || (x.code === 0 && o.changedFiles.length === 0), x.err + x.out);
    }
    const store = defaultCheckpointStore(dir);
    for (let cp = listCheckpoints(store).checkpoints.find((c) => c.state !== 'rolled-back'); cp; cp = listCheckpoints(store).checkpoints.find((c) => c.state !== 'rolled-back')) {
      const r = await rollback(store, cp.id);
      assert.ok(r.ok, r.error);
    }
    assert.deepStrictEqual(files.map(read), files.map((_, i) => BEFORE(i)));
  });
});
