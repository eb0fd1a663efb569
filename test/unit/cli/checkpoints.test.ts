// Where `hotpath fixes --apply` keeps its checkpoint and how `checkpoints`/`rollback` find it,
// through the built CLI on real folders: the repository's top folder (else the target folder),
// found from any sub-folder by walking up; `--store`/`--checkpoints` still override; and a
// checkpoint rolls back after the folder was moved with `mv`.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOnly } from '../build';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'refactor', 'cjs-forms');

function hotpath(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
function gitRepo(dir: string): void {
  execFileSync('git', ['init', '-q'], { cwd: dir });
  fs.writeFileSync(path.join(dir, '.gitignore'), '.hotpath/\n');
  execFileSync('git', ['add', '.'], { cwd: dir, env: gitEnv });
  execFileSync('git', ['commit', '-q', '-m', 'init'], { cwd: dir, env: gitEnv });
}

const FIX = ['--all', '--kind', 'lazy-import', '--apply', '--json'];

describe('cli: where checkpoints are stored and found', function () {
  this.timeout(120_000);
  let tmp: string;
  let original: string;
  before(() => {
    buildOnly('cli,preload');
    original = fs.readFileSync(path.join(FIXTURE, 'before.js'), 'utf8');
  });
  beforeEach(() => { tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-cpstore-'))); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Copies the fixture to `dir/pkg` and adds an empty `dir/pkg/sub/deeper`. */
  function project(dir: string): string {
    const pkg = path.join(dir, 'pkg');
    fs.cpSync(FIXTURE, pkg, { recursive: true });
    fs.mkdirSync(path.join(pkg, 'sub', 'deeper'), { recursive: true });
    return pkg;
  }

  function applyFrom(cwd: string, target: string) {
    const r = hotpath(cwd, ['fixes', target, ...FIX]);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual(out.changedFiles, ['before.js']);
    assert.notStrictEqual(fs.readFileSync(path.join(target, 'before.js'), 'utf8'), original, 'the fix was applied');
    return out.checkpoint as { id: string; dir: string };
  }

  it('git: fixes DIR --apply from another folder stores in the repository top; rollback from a sub-folder of DIR restores', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const pkg = project(repo);
    gitRepo(repo);
    const elsewhere = path.join(tmp, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const cp = applyFrom(elsewhere, pkg);
    assert.strictEqual(path.dirname(cp.dir), path.join(repo, '.hotpath', 'checkpoints'), 'the repository top, not DIR nor the cwd');
    assert.ok(!fs.existsSync(path.join(elsewhere, '.hotpath')));
    assert.ok(!fs.existsSync(path.join(pkg, '.hotpath')));

    const deep = path.join(pkg, 'sub', 'deeper');
    const list = JSON.parse(hotpath(deep, ['checkpoints', '--json']).stdout);
    assert.strictEqual(list.store, path.join(repo, '.hotpath', 'checkpoints'));
    assert.deepStrictEqual(list.checkpoints.map((c: { id: string }) => c.id), [cp.id]);
    assert.strictEqual(list.checkpoints[0].root, pkg);
    assert.deepStrictEqual(list.checkpoints[0].files.map((f: { path: string }) => f.path), [path.join(pkg, 'before.js')], 'absolute in the JSON, as before');

    const r = hotpath(deep, ['rollback']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /Rolled back checkpoint \S+: 1 restored/);
    assert.match(r.stdout, /store: \.\.\/\.\.\/\.\.\/\.hotpath\/checkpoints/);
    assert.strictEqual(fs.readFileSync(path.join(pkg, 'before.js'), 'utf8'), original);
  });

  it('no git: the store is in DIR; rollback from DIR/sub/deeper walks up to it; from outside DIR it is not found', () => {
    const pkg = project(tmp);
    const cp = applyFrom(tmp, pkg);
    assert.strictEqual(path.dirname(cp.dir), path.join(pkg, '.hotpath', 'checkpoints'));
    const outside = hotpath(tmp, ['rollback', '--json']);
    assert.strictEqual(outside.code, 1);
    assert.match(JSON.parse(outside.stdout).error, /no checkpoint to roll back/);
    const r = JSON.parse(hotpath(path.join(pkg, 'sub', 'deeper'), ['rollback', '--json']).stdout);
    assert.strictEqual(r.ok, true, r.error);
    assert.strictEqual(r.id, cp.id);
    assert.strictEqual(r.store, path.join(pkg, '.hotpath', 'checkpoints'));
    assert.strictEqual(fs.readFileSync(path.join(pkg, 'before.js'), 'utf8'), original);
  });

  it('the undo hint names --store only when rollback from the current folder would not find the store', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const pkg = project(repo);
    gitRepo(repo);
    const inside = hotpath(path.join(pkg, 'sub'), ['fixes', pkg, '--all', '--kind', 'lazy-import', '--apply']);
    assert.match(inside.stdout, /undo with `hotpath rollback \S+`\./);
    fs.writeFileSync(path.join(pkg, 'before.js'), original);
    const outside = hotpath(tmp, ['fixes', pkg, '--all', '--kind', 'lazy-import', '--apply']);
    assert.match(outside.stdout, /undo with `hotpath rollback \S+ --store repo\/\.hotpath\/checkpoints`\./);
  });

  it('--checkpoints / --store still override the rule', () => {
    const pkg = project(tmp);
    const store = path.join(tmp, 'my-store');
    const r = hotpath(tmp, ['fixes', pkg, ...FIX, '--checkpoints', store]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(path.dirname(JSON.parse(r.stdout).checkpoint.dir), store);
    assert.strictEqual(JSON.parse(hotpath(pkg, ['rollback', '--json']).stdout).ok, false, 'not in the default place');
    const back = JSON.parse(hotpath(path.join(pkg, 'sub'), ['rollback', '--store', store, '--json']).stdout);
    assert.strictEqual(back.ok, true, back.error);
    assert.strictEqual(fs.readFileSync(path.join(pkg, 'before.js'), 'utf8'), original);
  });

  it('mv the repository after fixes --apply, then rollback in the new place restores the files there', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const pkg = project(repo);
    gitRepo(repo);
    const cp = applyFrom(repo, pkg);
    const disk = JSON.parse(fs.readFileSync(path.join(cp.dir, 'checkpoint.json'), 'utf8'));
    assert.strictEqual(disk.files[0].path, 'before.js', 'stored relative to the root');
    const moved = path.join(tmp, 'moved-repo');
    execFileSync('mv', [repo, moved]);
    const movedPkg = path.join(moved, 'pkg');
    const list = JSON.parse(hotpath(movedPkg, ['checkpoints', '--json']).stdout);
    assert.strictEqual(list.checkpoints[0].root, movedPkg);
    const r = JSON.parse(hotpath(path.join(movedPkg, 'sub'), ['rollback', '--json']).stdout);
    assert.strictEqual(r.ok, true, r.error);
    assert.deepStrictEqual(r.restored, [path.join(movedPkg, 'before.js')]);
    assert.strictEqual(fs.readFileSync(path.join(movedPkg, 'before.js'), 'utf8'), original);
    assert.ok(!fs.existsSync(repo), 'nothing written at the old place');
  });
});
