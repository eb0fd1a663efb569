// `hotpath bench`, `compare`, `fixes --apply` + `checkpoints` + `rollback` end to end through the
// built CLI, in temp git repositories with real node processes and real files.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { privateTmpdir, refDirsOf } from '../tempDirs';
import { buildOnly } from '../build';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const REFACTOR = path.join(ROOT, 'test', 'fixtures', 'refactor');

function hotpath(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

/** A repository whose work.js spins `ms` milliseconds at each commit, in order. */
function repo(dir: string, spins: number[]): void {
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.hotpath/\n');
  for (const ms of spins) {
    fs.writeFileSync(path.join(dir, 'work.js'), `const end = process.cpuUsage().user + ${ms} * 1000; while (process.cpuUsage().user < end);\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', `spin ${ms}`);
  }
}

describe('cli: hotpath bench / compare', function () {
  this.timeout(240_000);
  let dir: string;
  before(() => { buildOnly('cli,preload'); });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-bench-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('bench --json stores a record tied to the commit; compare previous last gives a verdict in plain words', () => {
    repo(dir, [30]);
    const a = hotpath(dir, ['bench', '--runs', '5', '--warmup', '1', '--label', 'first', '--json', '--', 'node', 'work.js']);
    assert.strictEqual(a.code, 0, a.stderr);
    const rec = JSON.parse(a.stdout);
    for (const k of ['id', 'file', 'command', 'cwd', 'label', 'nodeVersion', 'git', 'createdAt', 'runs', 'warmup', 'cpuSource', 'samples', 'stats']) assert.ok(k in rec, k);
    assert.strictEqual(rec.git.commit, git(dir, 'rev-parse', 'HEAD'));
    assert.strictEqual(rec.samples.length, 6);
    assert.strictEqual(rec.stats.n, 5);
    assert.ok(rec.stats.wall.median > 0 && rec.stats.wall.medianCI.lo <= rec.stats.wall.median);
    assert.ok(fs.existsSync(rec.file));
    const b = hotpath(dir, ['bench', '--runs', '5', '--', 'node', 'work.js']);
    assert.strictEqual(b.code, 0, b.stderr);
    assert.match(b.stdout, /wall: median [\d.]+ ms \(95 % CI [\d.]+–[\d.]+\)/);
    const c = hotpath(dir, ['compare', 'previous', 'last', '--json']);
    assert.strictEqual(c.code, 0, c.stderr);
    const j = JSON.parse(c.stdout);
    assert.ok(['faster', 'slower', 'no significant difference'].includes(j.verdict), j.sentence);
    assert.strictEqual(j.before.id, rec.id);
    for (const k of ['sentence', 'metric', 'ratio', 'ratioCI', 'changePct', 'changePctCI', 'p', 'before', 'after', 'comparison', 'notes']) assert.ok(k in j, k);
    assert.match(j.notes.join(), /not interleaved/);
    const text = hotpath(dir, ['compare', rec.id, 'last']);
    assert.match(text.stdout, /p (= [\d.]+|< 0\.0001), n = 5\+5/);
  });

  it('a failing command: bench exits 1 and reports it; compare is inconclusive; unknown ids exit 2', () => {
    repo(dir, [1]);
    const bad = hotpath(dir, ['bench', '--runs', '5', '--warmup', '0', '--', 'node', '-e', 'console.error("kaput"); process.exit(4)']);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stdout, /failed runs \(left out of the statistics\): 5 of 5/);
    assert.match(bad.stdout, /exit code 4 — kaput/);
    const good = hotpath(dir, ['bench', '--runs', '5', '--warmup', '0', '--', 'node', 'work.js']);
    assert.strictEqual(good.code, 0, good.stderr);
    const c = hotpath(dir, ['compare', 'last', 'previous', '--fail-if-slower']);
    assert.strictEqual(c.code, 0, 'inconclusive is not a significant slow-down');
    assert.match(c.stdout, /^inconclusive: .*failed runs: 0 before, 5 after/m);
    const missing = hotpath(dir, ['compare', 'last', 'nope']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /no benchmark 'nope'/);
    assert.strictEqual(hotpath(dir, ['compare', 'last']).code, 2);
    assert.strictEqual(hotpath(dir, ['bench', '--runs', 'x', '--', 'true']).code, 2);
  });

  it('compare --ref HEAD~1 runs both interleaved, removes the worktree; --fail-if-slower exits 1 on a slow-down', () => {
    // A gross difference (20 vs 200 ms of spinning) so that a loaded shared machine cannot hide it.
    repo(dir, [20, 200]);
    const r = hotpath(dir, ['compare', '--ref', 'HEAD~1', '--runs', '8', '--json', '--fail-if-slower', '--', 'node', 'work.js']);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.verdict, 'slower', j.sentence);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(j.before.ref, 'HEAD~1');
    assert.strictEqual(j.before.git.commit, git(dir, 'rev-parse', 'HEAD~1'));
    assert.strictEqual(j.after.git.commit, git(dir, 'rev-parse', 'HEAD'));
    assert.ok(j.ratio > 1 && j.ratioCI.lo > 1);
    assert.ok(!fs.existsSync(j.before.cwd), 'the temporary worktree is removed');
    assert.strictEqual(git(dir, 'worktree', 'list').split('\n').length, 1);
    // Both halves are stored, paired; compare can read them back.
    const again = hotpath(dir, ['compare', 'previous', 'last', '--json']);
    assert.strictEqual(JSON.parse(again.stdout).verdict, 'slower');
    assert.doesNotMatch(JSON.parse(again.stdout).notes.join(), /not interleaved/);
    const text = hotpath(dir, ['compare', 'previous', 'last']);
    assert.strictEqual(text.code, 0);
    assert.match(text.stdout, /^after is [\d.]+ % slower \(95 % CI [\d.]+–[\d.]+ %\), p (= [\d.]+|< 0\.0001), n = 8\+8$/m);
  });
});

/**
 * A repository that must be built: work.js runs dist/impl.js (git-ignored), which `node build.js`
 * copies from src/impl.js; each commit spins `ms`. The working tree is not built.
 */
function builtRepo(dir: string, spins: number[]): void {
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.hotpath/\ndist/\n');
  fs.writeFileSync(path.join(dir, 'build.js'), `const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); fs.copyFileSync('src/impl.js', 'dist/impl.js'); console.log('built');\n`);
  fs.writeFileSync(path.join(dir, 'work.js'), `require('./dist/impl.js');\n`);
  fs.mkdirSync(path.join(dir, 'src'));
  for (const ms of spins) {
    fs.writeFileSync(path.join(dir, 'src', 'impl.js'), `const end = process.cpuUsage().user + ${ms} * 1000; while (process.cpuUsage().user < end);\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', `spin ${ms}`);
  }
}



describe('cli: compare --ref with --build', function () {
  privateTmpdir('bench');
  this.timeout(240_000);
  let dir: string;
  before(() => { buildOnly('cli,preload'); });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-build-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('without --build the unbuilt worktree fails every run; --build-both builds both sides first and gives a verdict, recorded as build {command, ms}', () => {
    builtRepo(dir, [200, 20]);
    const unbuilt = hotpath(dir, ['compare', '--ref', 'HEAD~1', '--runs', '5', '--warmup', '0', '--no-save', '--json', '--', 'node', 'work.js']);
    const u = JSON.parse(unbuilt.stdout);
    assert.strictEqual(u.verdict, 'inconclusive', u.sentence);
    assert.strictEqual(u.before.failed, 5, 'dist/impl.js does not exist at the ref without a build');
    assert.strictEqual(u.before.build, null);

    const r = hotpath(dir, ['compare', '--ref', 'HEAD~1', '--build', 'node build.js', '--build-both', '--runs', '6', '--json', '--', 'node', 'work.js']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.verdict, 'faster', j.sentence);
    assert.strictEqual(j.before.failed, 0);
    assert.strictEqual(j.after.failed, 0);
    for (const sideJson of [j.before, j.after]) {
      assert.strictEqual(sideJson.build.command, 'node build.js');
      assert.ok(sideJson.build.ms > 0, `build ms ${sideJson.build.ms}`);
    }
    assert.ok(fs.existsSync(path.join(dir, 'dist', 'impl.js')), 'the working tree was built');
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(j.before.file, 'utf8')).build, j.before.build, 'stored in the record');
    assert.strictEqual(git(dir, 'worktree', 'list').split('\n').length, 1);
    // The existing fields are all still there.
    for (const k of ['verdict', 'sentence', 'metric', 'ratio', 'ratioCI', 'changePct', 'changePctCI', 'p', 'before', 'after', 'comparison', 'notes']) assert.ok(k in j, k);
    // Text output says where and how long.
    const text = hotpath(dir, ['compare', 'previous', 'last']);
    assert.match(text.stdout, /built with `node build\.js` in [\d.]+ ms \(before the runs\)/);
  });

  it('--build alone builds the worktree only (the working tree as it is, with a note)', () => {
    builtRepo(dir, [200, 20]);
    execFileSync(process.execPath, ['build.js'], { cwd: dir });
    const r = hotpath(dir, ['compare', '--ref', 'HEAD~1', '--build', 'node build.js', '--runs', '6', '--json', '--', 'node', 'work.js']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.verdict, 'faster', j.sentence);
    assert.strictEqual(j.before.build.command, 'node build.js');
    assert.strictEqual(j.after.build, null);
    assert.match(j.notes.join('\n'), /working tree was measured as it is, not built/);
  });

  it('a failed build ends the compare (exit 2) naming the side, exit code and output tail; the worktree is removed, nothing stored', () => {
    builtRepo(dir, [30, 20]);
    const before = refDirsOf(dir);
    const failing = `node -e "console.log('compiling...'); console.error('src/impl.ts(3,7): error TS2322: nope'); process.exit(3)"`;
    const r = hotpath(dir, ['compare', '--ref', 'HEAD~1', '--build', failing, '--runs', '5', '--', 'node', 'work.js']);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /the build failed in the worktree of HEAD~1 \([0-9a-f]{10}\): .* exited with code 3/);
    assert.match(r.stderr, /error TS2322: nope/);
    assert.match(r.stderr, /compiling\.\.\./);
    assert.doesNotMatch(r.stderr, /run 1\/5/, 'no measured run started');
    assert.strictEqual(git(dir, 'worktree', 'list').split('\n').length, 1, 'worktree removed from git');
    assert.deepStrictEqual(refDirsOf(dir), before, 'and from disk');
    assert.ok(!fs.existsSync(path.join(dir, '.hotpath', 'bench')), 'nothing stored');

    // A build that works at the ref but fails in the working tree (an uncommitted broken build.js).
    fs.writeFileSync(path.join(dir, 'build.js'), `console.error('build.js: syntax is broken here'); process.exit(5);\n`);
    const w = hotpath(dir, ['compare', '--ref', 'HEAD', '--build', 'node build.js', '--build-both', '--runs', '5', '--json', '--', 'node', 'work.js']);
    assert.strictEqual(w.code, 2, w.stderr);
    assert.strictEqual(w.stdout, '', 'no JSON result');
    assert.match(w.stderr, /the build failed in the working tree \(.*\): `node build\.js` exited with code 5/);
    assert.match(w.stderr, /syntax is broken here/);
    assert.strictEqual(git(dir, 'worktree', 'list').split('\n').length, 1);
    assert.deepStrictEqual(refDirsOf(dir), before);
  });

  it('--build-timeout ends a build that hangs (its process tree too) and the compare, worktree removed', () => {
    builtRepo(dir, [30, 20]);
    const before = refDirsOf(dir);
    const marker = `hotpath-build-hang-${process.pid}`;
    const t0 = Date.now();
    const r = hotpath(dir, ['compare', '--ref', 'HEAD~1', '--build', `node -e "setTimeout(() => {}, 60000)" ${marker}`, '--build-timeout', '1', '--', 'node', 'work.js']);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /the build failed in the worktree of HEAD~1 .* timed out after 1000 ms/);
    assert.ok(Date.now() - t0 < 50_000, 'did not wait for the hanging build');
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
    assert.deepStrictEqual(left, [], 'the build\'s processes were ended');
    assert.strictEqual(git(dir, 'worktree', 'list').split('\n').length, 1);
    assert.deepStrictEqual(refDirsOf(dir), before);
  });

  it('bad usage: --build without --ref, --build-both without --build', () => {
    builtRepo(dir, [1]);
    assert.strictEqual(hotpath(dir, ['compare', 'last', 'previous', '--build', 'node build.js']).code, 2);
    const r = hotpath(dir, ['compare', '--ref', 'HEAD', '--build-both', '--', 'node', 'work.js']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--build-both needs --build/);
  });
});

describe('cli: fixes --apply checkpoint, checkpoints, rollback', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { buildOnly('cli,preload'); });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-rollback-'));
    fs.cpSync(path.join(REFACTOR, 'cjs-forms'), dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fixes --apply saves a checkpoint first; rollback restores; an edit after the batch is refused, then forced', () => {
    const original = fs.readFileSync(path.join(dir, 'before.js'), 'utf8');
    const applied = hotpath(dir, ['fixes', '--all', '--kind', 'lazy-import', '--apply', '--json']);
    assert.strictEqual(applied.code, 0, applied.stderr);
    const out = JSON.parse(applied.stdout);
    assert.deepStrictEqual(out.changedFiles, ['before.js']);
    assert.ok(out.checkpoint?.id, 'the checkpoint id is in the JSON');
    const fixed = fs.readFileSync(path.join(dir, 'before.js'), 'utf8');
    assert.notStrictEqual(fixed, original);

    const list = JSON.parse(hotpath(dir, ['checkpoints', '--json']).stdout);
    assert.strictEqual(list.checkpoints[0].id, out.checkpoint.id);
    assert.strictEqual(list.checkpoints[0].state, 'applied');
    assert.deepStrictEqual(list.checkpoints[0].files.map((f: { path: string }) => path.basename(f.path)), ['before.js']);

    fs.appendFileSync(path.join(dir, 'before.js'), '// mine\n');
    const refused = hotpath(dir, ['rollback']);
    assert.strictEqual(refused.code, 1);
    assert.match(refused.stderr, /before\.js: edited after the batch was applied/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'before.js'), 'utf8'), `${fixed}// mine\n`, 'untouched');

    const forced = JSON.parse(hotpath(dir, ['rollback', '--force', '--json']).stdout);
    assert.strictEqual(forced.ok, true);
    assert.ok(forced.savedAs);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'before.js'), 'utf8'), original);
    const back = hotpath(dir, ['rollback', forced.savedAs]);
    assert.strictEqual(back.code, 0, back.stderr);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'before.js'), 'utf8'), `${fixed}// mine\n`, 'the edits saved by --force come back');

    fs.writeFileSync(path.join(dir, 'before.js'), original);
    const text = hotpath(dir, ['fixes', '--all', '--kind', 'lazy-import', '--apply']);
    assert.match(text.stdout, /Checkpoint \S+ saved the files before the changes; undo with `hotpath rollback \S+`/);
  });
});
