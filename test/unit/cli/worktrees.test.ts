// `compare --ref` worktrees: one left by a Hotpath that was killed (SIGKILL) is removed by the
// next comparison, which says so; worktrees Hotpath did not make, or of a Hotpath still running,
// are left alone. A repository with a submodule: the "before" tree gets the submodule checked out
// from the local clone (the configured URL is unreachable here), or a clear error naming it.
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../tempDirs';
import { CLI, hotpath, noRawError } from './cli';
import { until } from './until';
import { buildOnly } from '../build';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: ENV }).trim();
const worktreeList = (dir: string) => git(dir, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));

function repo(name: string): string {
  const dir = tempDir(name);
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.hotpath/\n');
  fs.writeFileSync(path.join(dir, 'work.js'), 'let x = 0; for (let i = 0; i < 1e6; i++) x += i; console.log(x > 0);\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** Process start time (/proc/<pid>/stat field 22), as Hotpath's lock reason records it. */
const startOf = (pid: number) => { const t = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return t.slice(t.lastIndexOf(')') + 2).split(' ')[19]; };

describe('cli: compare --ref worktrees left behind, and submodules', function () {
  this.timeout(300_000);
  before(() => { buildOnly('cli,preload'); });

  it('a compare killed with SIGKILL leaves its worktree; the next one removes it and says so, leaving other worktrees alone', async () => {
    const dir = repo('wt-stale');
    // Worktrees that are not stale Hotpath ones: the user's own, one locked for another reason,
    // and one locked by a Hotpath process that is still running (this test process).
    const own = path.join(tempDir('wt-own'), 'own');
    git(dir, 'worktree', 'add', '-q', '--detach', own, 'HEAD');
    const foreign = path.join(tempDir('wt-foreign'), 'tree');
    git(dir, 'worktree', 'add', '-q', '--detach', '--lock', '--reason', 'on a USB disk', foreign, 'HEAD');
    const live = path.join(tempDir('hotpath-ref-live'), 'tree');
    git(dir, 'worktree', 'add', '-q', '--detach', '--lock', '--reason', `hotpath compare --ref temporary worktree (pid ${process.pid}, start ${startOf(process.pid)})`, live, 'HEAD');
    assert.strictEqual(worktreeList(dir).length, 4);

    const killed = spawn(process.execPath, [CLI, 'compare', '--ref', 'HEAD', '--runs', '200', '--', 'node', 'work.js'], { cwd: dir, stdio: 'ignore' });
    await until('the temporary worktree', () => worktreeList(dir).length === 5);
    const stale = worktreeList(dir).find((w) => /hotpath-ref-/.test(w) && w !== live)!;
    await new Promise((r) => setTimeout(r, 300));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.on('exit', r));
    assert.ok(fs.existsSync(stale), 'the killed compare could not remove its worktree');
    assert.match(git(dir, 'worktree', 'list', '--porcelain'), new RegExp(`locked hotpath compare --ref temporary worktree \\(pid ${killed.pid}, `));

    const r = hotpath(dir, ['compare', '--ref', 'HEAD', '--runs', '2', '--warmup', '0', '--', 'node', 'work.js']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`note: removed a temporary worktree left by an interrupted Hotpath comparison \\(pid ${killed.pid}, no longer running\\): ${stale.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.deepStrictEqual(worktreeList(dir).sort(), [dir, own, foreign, live].map((d) => fs.realpathSync(d)).sort());
    assert.ok(!fs.existsSync(path.dirname(stale)), 'its temporary folder is gone');
    assert.ok(fs.existsSync(path.join(own, 'work.js')) && fs.existsSync(path.join(foreign, 'work.js')) && fs.existsSync(path.join(live, 'work.js')));
  });

  describe('a repository with a submodule whose URL is unreachable', () => {
    let dir: string;
    let subCommits: string[];
    before(() => {
      const sub = tempDir('wt-sub-origin');
      git(sub, 'init', '-q', '-b', 'main');
      fs.writeFileSync(path.join(sub, 'index.js'), 'module.exports = function subWork() { return 1; };\n');
      git(sub, 'add', '.');
      git(sub, 'commit', '-q', '-m', 'sub 1');
      dir = repo('wt-sub');
      execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'lib/sub'], { cwd: dir, env: ENV });
      fs.writeFileSync(path.join(dir, 'main.js'), "console.log('sub says', require('./lib/sub')());\n");
      git(dir, 'add', '.');
      git(dir, 'commit', '-q', '-m', 'with sub');
      // As after a clone from a server this machine cannot reach.
      git(dir, 'config', '-f', '.gitmodules', 'submodule.lib/sub.url', 'https://example.invalid/sub.git');
      git(dir, 'config', 'submodule.lib/sub.url', 'https://example.invalid/sub.git');
      git(dir, 'commit', '-q', '-am', 'remote url');
      subCommits = [git(path.join(dir, 'lib/sub'), 'rev-parse', 'HEAD')];
    });

    it('the "before" side runs with the submodule checked out from the local clone; the repository config is unchanged', () => {
      const config = fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8');
      const r = hotpath(dir, ['compare', '--ref', 'HEAD', '--runs', '2', '--warmup', '0', '--json', '--', 'node', 'main.js']);
      assert.strictEqual(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.strictEqual(j.before.failed, 0, JSON.stringify(j.before));
      assert.ok(j.notes.some((n: string) => n.startsWith('submodule lib/sub checked out in the worktree')), j.notes.join('\n'));
      assert.strictEqual(fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8'), config);
      assert.strictEqual(worktreeList(dir).length, 1, 'the worktree (with its submodule) is removed');
      assert.ok(subCommits.length);
    });

    it('a submodule commit the local clone does not have: a clear error naming the submodule, nothing left', () => {
      // The ref records a submodule commit that exists nowhere on this machine any more.
      const subDir = path.join(dir, 'lib/sub');
      fs.writeFileSync(path.join(subDir, 'index.js'), 'module.exports = function subWork() { return 2; };\n');
      git(subDir, 'commit', '-q', '-am', 'sub 2 (lost)');
      git(dir, 'commit', '-q', '-am', 'sub 2');
      const lostRef = git(dir, 'rev-parse', 'HEAD');
      git(subDir, 'reset', '-q', '--hard', 'HEAD~1');
      git(subDir, 'reflog', 'expire', '--expire=now', '--all');
      git(subDir, 'gc', '-q', '--prune=now');
      const r = hotpath(dir, ['compare', '--ref', lostRef, '--runs', '2', '--warmup', '0', '--', 'node', 'main.js']);
      assert.strictEqual(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /the submodule lib\/sub could not be checked out at [0-9a-f]+ in the temporary worktree from the local clone .*lib\/sub/);
      assert.doesNotMatch(r.stderr, /Node\.js v/);
      noRawError(r.stderr);
      assert.strictEqual(worktreeList(dir).length, 1);
    });
  });
});
