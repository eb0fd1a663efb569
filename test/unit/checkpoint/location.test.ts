// Checkpoints that survive moving the folder, and the one rule for where the store lives, on real
// folders (and real git repositories) in temp dirs: version-2 checkpoints hold paths relative to
// their root and the root relative to the store; version-1 checkpoints (absolute paths) still
// roll back; the store is `.hotpath/checkpoints` in the repository's top folder (else the target
// folder), found from a sub-folder by walking up, never past the repository's top.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  checkpointStoreFor, checkpointStoreRoot, createCheckpoint, defaultCheckpointStore, findCheckpointStore, listCheckpoints, loadCheckpoint, markApplied, rollback,
} from '../../../src/core/checkpoint';

const gitInit = (dir: string) => execFileSync('git', ['init', '-q'], { cwd: dir });

describe('checkpoint: relative paths (moving the folder)', () => {
  let tmp: string;
  let root: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cploc-')));
    root = path.join(tmp, 'project');
    fs.mkdirSync(path.join(root, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a.js'), 'before a\n');
    fs.writeFileSync(path.join(root, 'lib', 'b.js'), 'before b\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Checkpoint a.js, lib/b.js and lib/new.js (created by the batch), then apply the batch. */
  async function batch(store: string, dir = root) {
    const cp = await createCheckpoint(store, ['a.js', 'lib/b.js', 'lib/new.js'], { root: dir, label: 'batch', git: false });
    fs.writeFileSync(path.join(dir, 'a.js'), 'after a\n');
    fs.writeFileSync(path.join(dir, 'lib', 'b.js'), 'after b\n');
    fs.writeFileSync(path.join(dir, 'lib', 'new.js'), 'new\n');
    markApplied(store, cp.id);
    return cp.id;
  }

  it('stores version 2 with paths relative to the root and the root relative to the store; in memory they are absolute', async () => {
    const store = defaultCheckpointStore(root);
    const id = await batch(store);
    const text = fs.readFileSync(path.join(store, id, 'checkpoint.json'), 'utf8');
    const disk = JSON.parse(text);
    assert.strictEqual(disk.version, 2);
    assert.strictEqual(disk.rootFromStore, '../..');
    assert.deepStrictEqual(disk.files.map((f: { path: string }) => f.path), ['a.js', 'lib/b.js', 'lib/new.js']);
    assert.deepStrictEqual(disk.files.map((f: { existed: boolean }) => f.existed), [true, true, false]);
    const cp = loadCheckpoint(store, id);
    assert.strictEqual(cp.root, root);
    assert.deepStrictEqual(cp.files.map((f) => f.path), [path.join(root, 'a.js'), path.join(root, 'lib', 'b.js'), path.join(root, 'lib', 'new.js')]);
  });

  it('mv the folder, then roll back: the files at the new place are restored, the created one deleted', async () => {
    const id = await batch(defaultCheckpointStore(root));
    const moved = path.join(tmp, 'renamed-project');
    execFileSync('mv', [root, moved]);
    const store = defaultCheckpointStore(moved);
    const listed = listCheckpoints(store).checkpoints;
    assert.strictEqual(listed[0].root, moved, 'the root follows the store');
    const r = await rollback(store);
    assert.strictEqual(r.ok, true, r.error);
    assert.strictEqual(r.id, id);
    assert.deepStrictEqual(r.restored.sort(), [path.join(moved, 'a.js'), path.join(moved, 'lib', 'b.js')]);
    assert.deepStrictEqual(r.deleted, [path.join(moved, 'lib', 'new.js')]);
    assert.strictEqual(fs.readFileSync(path.join(moved, 'a.js'), 'utf8'), 'before a\n');
    assert.strictEqual(fs.readFileSync(path.join(moved, 'lib', 'b.js'), 'utf8'), 'before b\n');
    assert.ok(!fs.existsSync(path.join(moved, 'lib', 'new.js')));
    assert.ok(!fs.existsSync(root), 'nothing was written at the old place');
    // The rolled-back state is saved in the same relative form.
    const disk = JSON.parse(fs.readFileSync(path.join(store, id, 'checkpoint.json'), 'utf8'));
    assert.strictEqual(disk.state, 'rolled-back');
    assert.strictEqual(disk.files[0].path, 'a.js');
  });

  it('a checkpoint whose root is a sub-folder of the store\'s folder moves with it too', async () => {
    const pkg = path.join(root, 'packages', 'p');
    fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'a.js'), 'before a\n');
    fs.writeFileSync(path.join(pkg, 'lib', 'b.js'), 'before b\n');
    const id = await batch(defaultCheckpointStore(root), pkg);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(defaultCheckpointStore(root), id, 'checkpoint.json'), 'utf8')).rootFromStore, '../../packages/p');
    const moved = path.join(tmp, 'elsewhere');
    execFileSync('mv', [root, moved]);
    const r = await rollback(defaultCheckpointStore(moved), id);
    assert.strictEqual(r.ok, true, r.error);
    assert.strictEqual(fs.readFileSync(path.join(moved, 'packages', 'p', 'a.js'), 'utf8'), 'before a\n');
  });

  it('a store outside the root keeps the root absolute (the files still relative to it); another folder\'s .hotpath store is refused', async () => {
    const other = path.join(tmp, 'elsewhere-store');
    const first = await batch(other);
    const otherDisk = JSON.parse(fs.readFileSync(path.join(other, first, 'checkpoint.json'), 'utf8'));
    assert.strictEqual(otherDisk.rootFromStore, undefined, other);
    assert.strictEqual(otherDisk.root, root);
    assert.strictEqual(otherDisk.files[1].path, 'lib/b.js');
    assert.strictEqual((await rollback(other, first)).ok, true);
    // A store belongs to the folder holding its .hotpath: it never holds files of a folder beside it.
    const foreign = path.join(tmp, 'other', '.hotpath', 'checkpoints');
    await assert.rejects(createCheckpoint(foreign, ['a.js'], { root, git: false }), /refused: its folder .*project is outside .*other, the folder holding the store/);
    assert.ok(!fs.existsSync(foreign), 'nothing was created');
    const store = path.join(tmp, 'elsewhere-store2');
    const id = await batch(store);
    const disk = JSON.parse(fs.readFileSync(path.join(store, id, 'checkpoint.json'), 'utf8'));
    assert.strictEqual(disk.rootFromStore, undefined);
    assert.strictEqual(disk.root, root);
    assert.strictEqual(disk.files[1].path, 'lib/b.js');
    const r = await rollback(store, id);
    assert.strictEqual(r.ok, true, r.error);
    assert.strictEqual(fs.readFileSync(path.join(root, 'lib', 'b.js'), 'utf8'), 'before b\n');
  });

  it('reads and rolls back a version-1 checkpoint (absolute paths), and saves it as version 2', async () => {
    const store = defaultCheckpointStore(root);
    const id = await batch(store);
    // Rewrite it the way an older Hotpath stored it: version 1, absolute paths, no rootFromStore.
    const meta = path.join(store, id, 'checkpoint.json');
    const disk = JSON.parse(fs.readFileSync(meta, 'utf8'));
    delete disk.rootFromStore;
    fs.writeFileSync(meta, JSON.stringify({ ...disk, version: 1, files: disk.files.map((f: { path: string }) => ({ ...f, path: path.join(root, f.path) })) }));
    const cp = loadCheckpoint(store, id);
    assert.strictEqual(cp.version, 1);
    assert.strictEqual(cp.files[0].path, path.join(root, 'a.js'));
    const r = await rollback(store, id);
    assert.strictEqual(r.ok, true, r.error);
    assert.strictEqual(fs.readFileSync(path.join(root, 'a.js'), 'utf8'), 'before a\n');
    assert.ok(!fs.existsSync(path.join(root, 'lib', 'new.js')));
    const after = JSON.parse(fs.readFileSync(meta, 'utf8'));
    assert.strictEqual(after.version, 2);
    assert.strictEqual(after.files[0].path, 'a.js');
  });

  it('rejects an unknown version rather than guessing what its paths mean', async () => {
    const store = defaultCheckpointStore(root);
    const id = await batch(store);
    const meta = path.join(store, id, 'checkpoint.json');
    fs.writeFileSync(meta, JSON.stringify({ ...JSON.parse(fs.readFileSync(meta, 'utf8')), version: 3 }));
    assert.throws(() => loadCheckpoint(store, id), /not a Hotpath checkpoint/);
    assert.strictEqual(listCheckpoints(store).warnings.length, 1);
  });
});

describe('checkpoint: where the store lives', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cpstore-'))); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('in a repository: its top folder, from the top or any sub-folder; the top store wins over an older sub-folder store', () => {
    const repo = path.join(tmp, 'repo');
    const deep = path.join(repo, 'packages', 'p', 'src');
    fs.mkdirSync(deep, { recursive: true });
    gitInit(repo);
    const top = defaultCheckpointStore(repo);
    assert.strictEqual(checkpointStoreRoot(deep), repo);
    assert.strictEqual(checkpointStoreFor(path.join(repo, 'packages', 'p')), top);
    assert.strictEqual(findCheckpointStore(deep), top, 'none exists yet: the rule\'s place');
    // A store an older Hotpath made in a sub-folder is found while the top has none...
    const legacy = defaultCheckpointStore(path.join(repo, 'packages', 'p'));
    fs.mkdirSync(legacy, { recursive: true });
    assert.strictEqual(findCheckpointStore(deep), legacy);
    // ...and the top's store wins once it exists.
    fs.mkdirSync(top, { recursive: true });
    assert.strictEqual(findCheckpointStore(deep), top);
    assert.strictEqual(findCheckpointStore(repo), top);
  });

  it('a .git file (worktree, submodule) marks a top folder too; the walk stops there', () => {
    const outer = path.join(tmp, 'outer');
    const sub = path.join(outer, 'vendor', 'sub');
    fs.mkdirSync(path.join(sub, 'lib'), { recursive: true });
    gitInit(outer);
    fs.writeFileSync(path.join(sub, '.git'), 'gitdir: ../../.git/modules/sub\n');
    fs.mkdirSync(defaultCheckpointStore(outer), { recursive: true });
    assert.strictEqual(checkpointStoreRoot(path.join(sub, 'lib')), sub);
    assert.strictEqual(findCheckpointStore(path.join(sub, 'lib')), defaultCheckpointStore(sub), 'the outer repository\'s store is not used');
  });

  it('outside git: the target folder; from a sub-folder the nearest store above is found', () => {
    const dir = path.join(tmp, 'plain');
    const deep = path.join(dir, 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    assert.strictEqual(checkpointStoreFor(dir), defaultCheckpointStore(dir));
    assert.strictEqual(findCheckpointStore(deep), defaultCheckpointStore(deep), 'none anywhere: the folder itself');
    fs.mkdirSync(defaultCheckpointStore(dir), { recursive: true });
    assert.strictEqual(findCheckpointStore(deep), defaultCheckpointStore(dir));
    fs.mkdirSync(defaultCheckpointStore(path.join(dir, 'a')), { recursive: true });
    assert.strictEqual(findCheckpointStore(deep), defaultCheckpointStore(path.join(dir, 'a')), 'the nearest');
  });
});
