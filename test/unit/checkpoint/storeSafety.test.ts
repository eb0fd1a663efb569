// Hotpath's stores are data in the user's folder: `.hotpath/` gets its own .gitignore (`*`) when
// Hotpath creates it (so a checkpoint is not committed by accident and rolled back by someone
// else), a run.json cannot point Hotpath at files outside its run folder, and a checkpoint id is a
// folder name, never a path. Real folders, real git, the built CLI.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { saveBench } from '../../../src/core/bench';
import { createCheckpoint, defaultCheckpointStore, markApplied, rollback } from '../../../src/core/checkpoint';
import { createRunDir, listRuns, loadRunRecord } from '../../../src/core/history';
import { hotpath, noRawError, ROOT } from '../cli/cli';
import { tempDir } from '../tempDirs';
import { buildOnly } from '../build';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

describe('stores: .hotpath/.gitignore, run.json paths, checkpoint ids', function () {
  this.timeout(120_000);
  before(() => buildOnly('cli'));

  it('fixes --apply in a fresh repository: .hotpath/ holds a .gitignore of `*`, and git sees nothing of it', () => {
    const repo = fs.realpathSync(tempDir('ignore-cli'));
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'refactor', 'cjs-forms'), repo, { recursive: true });
    git(repo, 'init', '-q');
    const r = hotpath(repo, ['fixes', '.', '--all', '--kind', 'lazy-import', '--apply', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).checkpoint, 'a checkpoint was made');
    assert.match(fs.readFileSync(path.join(repo, '.hotpath', '.gitignore'), 'utf8'), /^\*$/m);
    const status = git(repo, 'status', '--porcelain', '--untracked-files=all');
    assert.doesNotMatch(status, /\.hotpath/, status);
    assert.match(status, /before\.js/, 'the fixed files are seen (so the check above can fail)');
  });

  it('each store (checkpoints, runs, bench) writes it when it creates .hotpath; an existing .hotpath is left as it is', async () => {
    for (const make of [
      (dir: string) => createCheckpoint(defaultCheckpointStore(dir), [], { root: dir, git: false }),
      (dir: string) => createRunDir(path.join(dir, '.hotpath', 'runs')),
      (dir: string) => saveBench(path.join(dir, '.hotpath', 'bench'), { version: 1, id: 'b1', samples: [], stats: {} } as never),
    ]) {
      const dir = tempDir('ignore-core');
      await make(dir);
      assert.strictEqual(fs.readFileSync(path.join(dir, '.hotpath', '.gitignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(), '*');
      const existing = tempDir('ignore-existing');
      fs.mkdirSync(path.join(existing, '.hotpath'));
      await make(existing);
      assert.ok(!fs.existsSync(path.join(existing, '.hotpath', '.gitignore')), 'a .hotpath the user made is not changed');
    }
  });

  it('a run.json naming a profile outside its run folder is skipped with the reason, never opened', () => {
    const store = tempDir('runs-hostile');
    const { id, dir } = createRunDir(store);
    const secret = path.join(tempDir('runs-secret'), 'secret.cpuprofile');
    fs.writeFileSync(secret, '{}');
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({
      version: 1, id, command: 'node x', cwd: store, nodeVersion: 'v20', startedAt: new Date().toISOString(), wallMs: 1, exitCode: 0, signal: null,
      capture: { cpu: true, heap: false, imports: false }, engine: 'inspector', timedOut: false, cancelled: false, notes: [],
      processes: [{ pid: 1, ppid: 0, threadId: 0, commandLine: 'node x', cpuProfile: path.relative(dir, secret) }],
    }));
    const listed = listRuns(store);
    assert.deepStrictEqual(listed.runs, []);
    assert.match(listed.warnings.join('\n'), /names a profile file .* not a file inside the run folder/);
    assert.match(loadRunRecord(store, id).error ?? '', /not a file inside the run folder/);
    // The coverage file (startup plans) is named the same way and checked the same way.
    const cov = createRunDir(store);
    fs.writeFileSync(path.join(cov.dir, 'run.json'), JSON.stringify({
      version: 1, id: cov.id, command: 'node x', cwd: store, nodeVersion: 'v20', startedAt: new Date().toISOString(), wallMs: 1, exitCode: 0, signal: null,
      capture: { cpu: false, heap: false, imports: false, coverage: true }, engine: 'inspector', timedOut: false, cancelled: false, notes: [],
      processes: [{ pid: 1, ppid: 0, threadId: 0, commandLine: 'node x', coverageFile: secret }],
    }));
    assert.deepStrictEqual(listRuns(store).runs, []);
    assert.match(loadRunRecord(store, cov.id).error ?? '', /names a profile file .*secret\.cpuprofile.* not a file inside the run folder/);
  });

  it('a checkpoint folder that is a link (to a folder outside) is refused; the manifest there is not rewritten', async () => {
    const repo = fs.realpathSync(tempDir('cp-linked-folder'));
    const outside = fs.realpathSync(tempDir('cp-linked-target'));
    const store = defaultCheckpointStore(repo);
    const cp = await createCheckpoint(store, ['new.js'], { root: repo, git: false });
    fs.writeFileSync(path.join(repo, 'new.js'), 'created by the batch\n');
    markApplied(store, cp.id);
    fs.cpSync(path.join(store, cp.id), path.join(outside, cp.id), { recursive: true });
    fs.rmSync(path.join(store, cp.id), { recursive: true });
    fs.symlinkSync(path.join(outside, cp.id), path.join(store, cp.id));
    const manifest = fs.readFileSync(path.join(outside, cp.id, 'checkpoint.json'), 'utf8');
    const r = await rollback(store, cp.id, { git: false });
    assert.strictEqual(r.ok, false);
    assert.match(r.error ?? '', /refused: its folder .* is a link to/);
    assert.strictEqual(fs.readFileSync(path.join(outside, cp.id, 'checkpoint.json'), 'utf8'), manifest, 'not rewritten');
    assert.ok(fs.existsSync(path.join(repo, 'new.js')), 'nothing deleted');
  });

  it('rollback with an id that is a path is an unknown id; nothing outside the store is read', () => {
    const repo = fs.realpathSync(tempDir('rollback-id'));
    git(repo, 'init', '-q');
    fs.mkdirSync(defaultCheckpointStore(repo), { recursive: true });
    for (const id of ['../../x', '..', '/etc']) {
      const r = hotpath(repo, ['rollback', id]);
      assert.strictEqual(r.code, 1, r.stderr);
      assert.match(r.stderr, /no checkpoint '.*' in/);
      noRawError(r.stderr);
    }
  });
});
