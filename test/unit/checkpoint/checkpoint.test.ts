// Checkpoint and rollback on real files in a temp folder (with and without git): one-step
// restore, deletion of files the batch created, refusal to overwrite later edits unless forced,
// a forced rollback saving the overwritten contents as a new checkpoint, corrupt entries skipped.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createCheckpoint, listCheckpoints, markApplied, rollback } from '../../../src/core/checkpoint';

describe('checkpoint / rollback', () => {
  let root: string;
  let store: string;
  const file = (name: string) => path.join(root, name);
  const read = (name: string) => fs.readFileSync(file(name), 'utf8');
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cptest-'));
    store = path.join(root, '.hotpath', 'checkpoints');
    fs.writeFileSync(file('a.js'), 'const a = require("typescript");\n');
    fs.mkdirSync(file('lib'));
    fs.writeFileSync(file('lib/b.ts'), 'import { X } from "./x";\n');
    fs.chmodSync(file('lib/b.ts'), 0o755);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** The batch: edits a.js and lib/b.ts, creates lib/new.js. */
  async function applyBatch() {
    const cp = await createCheckpoint(store, ['a.js', 'lib/b.ts', 'lib/new.js'], { root, label: 'fixes --apply' });
    fs.writeFileSync(file('a.js'), 'let a; const getA = () => (a ??= require("typescript"));\n');
    fs.writeFileSync(file('lib/b.ts'), 'import type { X } from "./x";\n');
    fs.writeFileSync(file('lib/new.js'), 'module.exports = 1;\n');
    return markApplied(store, cp.id);
  }

  it('round trip without git: restores contents and mode, deletes the created file, marks the checkpoint', async () => {
    const cp = await applyBatch();
    assert.strictEqual(cp.git, undefined, 'not a repository');
    assert.strictEqual(cp.files.length, 3);
    assert.deepStrictEqual(cp.files.map((f) => f.existed), [true, true, false]);
    const r = await rollback(store, cp.id);
    assert.strictEqual(r.ok, true, r.error);
    assert.strictEqual(read('a.js'), 'const a = require("typescript");\n');
    assert.strictEqual(read('lib/b.ts'), 'import { X } from "./x";\n');
    assert.strictEqual(fs.statSync(file('lib/b.ts')).mode & 0o777, 0o755);
    assert.ok(!fs.existsSync(file('lib/new.js')));
    assert.deepStrictEqual(r.deleted, [file('lib/new.js')]);
    assert.strictEqual(r.restored.length, 2);
    const listed = listCheckpoints(store).checkpoints;
    assert.strictEqual(listed[0].state, 'rolled-back');
    // Default (latest not rolled back): there is none left.
    const again = await rollback(store);
    assert.strictEqual(again.ok, false);
    assert.match(again.error!, /no checkpoint to roll back/);
  });

  it('a checkpoint taken by hand: an edit saved before it is marked is the user\'s (a conflict), not the checkpoint\'s state', async () => {
    // The Create Checkpoint command marks its checkpoint right after the snapshot; an editor save
    // can land in between. Marked with the snapshot's own hashes, rollback names that edit.
    const cp = await createCheckpoint(store, ['a.js', 'lib/b.ts'], { root, label: 'manual' });
    fs.writeFileSync(file('a.js'), 'const a = 1; // saved while the checkpoint was written\n');
    const marked = markApplied(store, cp.id, { nothingApplied: true });
    assert.deepStrictEqual(marked.files.map((f) => f.after), marked.files.map((f) => ({ exists: true, sha256: f.sha256 })));
    const refused = await rollback(store, cp.id);
    assert.strictEqual(refused.ok, false);
    assert.deepStrictEqual(refused.conflicts.map((c) => c.path), [file('a.js')]);
    assert.match(read('a.js'), /saved while/, 'nothing was rolled back');
    // Marked from the files as they are (a batch), the same edit would be taken as the state to expect.
    const cp2 = await createCheckpoint(store, ['a.js'], { root, label: 'manual' });
    fs.writeFileSync(file('a.js'), 'const a = 2;\n');
    markApplied(store, cp2.id);
    assert.strictEqual((await rollback(store, cp2.id)).conflicts.length, 0);
  });

  it('refuses when a file was edited after the batch (touching nothing), lists it; force saves the edits first', async () => {
    const cp = await applyBatch();
    fs.writeFileSync(file('lib/b.ts'), 'import type { X } from "./x";\n// my own edit\n');
    const refused = await rollback(store);
    assert.strictEqual(refused.ok, false);
    assert.strictEqual(refused.id, cp.id, 'default is the latest checkpoint');
    assert.deepStrictEqual(refused.conflicts.map((c) => c.path), [file('lib/b.ts')]);
    assert.match(refused.conflicts[0].reason, /edited after the batch/);
    assert.match(read('a.js'), /getA/, 'nothing was rolled back');
    assert.ok(fs.existsSync(file('lib/new.js')));

    const forced = await rollback(store, cp.id, { force: true });
    assert.strictEqual(forced.ok, true);
    assert.ok(forced.savedAs);
    assert.strictEqual(read('lib/b.ts'), 'import { X } from "./x";\n');
    assert.ok(!fs.existsSync(file('lib/new.js')));
    // The user's edits are in the new checkpoint, and rolling that one back brings them back.
    const back = await rollback(store, forced.savedAs);
    assert.strictEqual(back.ok, true, back.error);
    assert.strictEqual(read('lib/b.ts'), 'import type { X } from "./x";\n// my own edit\n');
    assert.strictEqual(fs.readFileSync(file('lib/new.js'), 'utf8'), 'module.exports = 1;\n');
  });

  it('a deleted file and a re-created file count as later edits too; a file the user reverted is left alone', async () => {
    const cp = await applyBatch();
    fs.rmSync(file('lib/b.ts'));
    fs.writeFileSync(file('a.js'), 'const a = require("typescript");\n'); // reverted by hand
    const r = await rollback(store, cp.id);
    assert.strictEqual(r.ok, false);
    assert.deepStrictEqual(r.conflicts.map((c) => c.reason), ['deleted after the batch was applied']);
    assert.ok(r.unchanged.includes(file('a.js')));
  });

  it('records git HEAD and the dirty flag in a repository', async () => {
    const g = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
    g('init', '-q');
    fs.writeFileSync(file('.gitignore'), '.hotpath/\n');
    g('add', '.');
    g('commit', '-q', '-m', 'init');
    const clean = await createCheckpoint(store, ['a.js'], { root });
    assert.deepStrictEqual({ head: clean.git!.head, dirty: clean.git!.dirty }, { head: g('rev-parse', 'HEAD'), dirty: false });
    fs.appendFileSync(file('a.js'), '// edit\n');
    const dirty = await createCheckpoint(store, ['a.js'], { root });
    assert.strictEqual(dirty.git!.dirty, true);
  });

  it('git: false (untrusted folders) never runs git: a planted core.fsmonitor hook stays silent, also in a forced rollback', async () => {
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const g = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env }).trim();
    g('init', '-q');
    g('add', 'a.js');
    g('commit', '-q', '-m', 'init');
    const marker = file('hook-ran');
    fs.writeFileSync(file('hook.sh'), `#!/bin/sh\necho ran > '${marker}'\n`, { mode: 0o755 });
    g('config', 'core.fsmonitor', file('hook.sh'));
    const trusted = await createCheckpoint(store, ['a.js'], { root });
    assert.ok(trusted.git, 'git state is read by default');
    assert.ok(fs.existsSync(marker), 'the planted hook runs when git does (so the check below can fail)');
    fs.rmSync(marker);

    const cp = await createCheckpoint(store, ['a.js'], { root, git: false });
    assert.strictEqual(cp.git, undefined);
    markApplied(store, cp.id);
    fs.writeFileSync(file('a.js'), 'edited later\n');
    const r = await rollback(store, cp.id, { force: true, git: false });
    assert.ok(r.ok && r.savedAs, r.error);
    assert.strictEqual(read('a.js'), 'const a = require("typescript");\n');
    assert.strictEqual(fs.existsSync(marker), false, 'git ran');
  });

  it('an unconfirmed batch (never marked applied) needs force; corrupt entries are skipped when listing', async () => {
    const cp = await createCheckpoint(store, ['a.js'], { root });
    fs.writeFileSync(file('a.js'), 'changed\n');
    const r = await rollback(store, cp.id);
    assert.strictEqual(r.ok, false);
    assert.match(r.conflicts[0].reason, /never marked applied/);
    fs.mkdirSync(path.join(store, '0000-broken'));
    fs.writeFileSync(path.join(store, '0000-broken', 'checkpoint.json'), '{ nope');
    fs.mkdirSync(path.join(store, '0001-unfinished'));
    const listed = listCheckpoints(store);
    assert.deepStrictEqual(listed.checkpoints.map((c) => c.id), [cp.id]);
    assert.strictEqual(listed.warnings.length, 2);
    assert.match(listed.warnings.join('\n'), /0001-unfinished: no checkpoint\.json/);
    assert.strictEqual((await rollback(store, cp.id, { force: true })).ok, true);
    assert.strictEqual(read('a.js'), 'const a = require("typescript");\n');
  });
});
