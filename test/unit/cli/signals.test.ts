// SIGTERM and SIGHUP to `hotpath profile`, `bench` and `compare --ref` are handled as Ctrl-C:
// the target's whole process tree ends (0 processes left), what the processes wrote is kept,
// the temporary worktree is removed, and the exit code is 128 + the signal. Real trees:
// npm -> sh -> node tree.js -> a child node process + a worker thread (signalTree fixture).
import * as assert from 'assert';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../tempDirs';
import { CLI, ROOT } from './cli';
import { until } from './until';
import { buildOnly } from '../build';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'targets', 'signalTree');
const TAG = 'SIGNAL_TREE_ID';

/** Live (non-zombie) processes whose environment carries `TAG=id`: every process of the target tree. */
function treeProcesses(id: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (fs.readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`${TAG}=${id}`)) out.push(Number(name));
    } catch { /* gone or not ours */ }
  }
  return out;
}

interface Started { child: ChildProcess; id: string; pidsDir: string; out: () => string; exited: Promise<number | null> }

/** Starts `hotpath <args>` in `cwd` with the fixture's environment; the tree is tagged with a fresh id. */
function startHotpath(cwd: string, args: string[]): Started {
  const id = randomUUID();
  const pidsDir = tempDir('sigtree-pids');
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, [TAG]: id, SIGNAL_TREE_DIR: pidsDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => { text += d; });
  child.stderr!.on('data', (d) => { text += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, id, pidsDir, out: () => text, exited };
}

/** The tree is up: main, child and worker have written their pids (each is working). */
const treeUp = (s: Started) => ['main', 'child', 'worker'].every((n) => fs.existsSync(path.join(s.pidsDir, `${n}.pid`)));

function fixtureCopy(name: string, git = false): string {
  const dir = tempDir(name);
  for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  if (git) {
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    fs.writeFileSync(path.join(dir, '.gitignore'), '.hotpath/\n');
    for (const a of [['init', '-q', '-b', 'main'], ['add', '.'], ['commit', '-q', '-m', 'tree']]) execFileSync('git', a, { cwd: dir, env });
  }
  return dir;
}

/** Sends `sig` once the tree is up, then waits for Hotpath's exit and for the tree to be gone. */
async function signalAndCount(s: Started, sig: NodeJS.Signals): Promise<{ code: number | null; left: number[]; exitMs: number }> {
  await until('the target tree', () => treeUp(s) || s.child.exitCode !== null);
  assert.strictEqual(s.child.exitCode, null, s.out());
  assert.ok(treeProcesses(s.id).length >= 4, `npm, sh, node tree.js and its child run: ${treeProcesses(s.id).length} found`);
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  s.child.kill(sig);
  const code = await s.exited;
  const exitMs = Date.now() - t0;
  // Hotpath waits until the tree is gone before it exits: nothing may be left now.
  return { code, left: treeProcesses(s.id), exitMs };
}

describe('cli: SIGTERM and SIGHUP end the target tree like Ctrl-C', function () {
  this.timeout(180_000);
  before(() => { if (!process.env.SB_NOBUILD) buildOnly('cli,preload'); });

  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    it(`profile -- npm run tree, ${sig}: exit ${sig === 'SIGTERM' ? 143 : 129}, 0 processes left, the profiles written are stored`, async () => {
      const dir = fixtureCopy(`sig-profile-${sig}`);
      const s = startHotpath(dir, ['profile', '--', 'npm', 'run', 'tree']);
      const r = await signalAndCount(s, sig);
      assert.deepStrictEqual(r.left, [], `processes left after ${sig}: ${r.left.join(', ')}`);
      assert.strictEqual(r.code, sig === 'SIGTERM' ? 143 : 129, s.out());
      assert.match(s.out(), new RegExp(`Hotpath received ${sig}: it ended the command's whole process tree`));
      const runs = path.join(dir, '.hotpath', 'runs');
      const ids = fs.readdirSync(runs);
      assert.strictEqual(ids.length, 1);
      const rec = JSON.parse(fs.readFileSync(path.join(runs, ids[0], 'run.json'), 'utf8'));
      assert.strictEqual(rec.cancelled, true);
      // npm, node tree.js (main thread and worker) and the child: each handled SIGTERM and wrote.
      const profiled = rec.processes.filter((p: { cpuProfile?: string }) => p.cpuProfile);
      assert.ok(profiled.length >= 3, JSON.stringify(rec.processes.map((p: { commandLine: string; ending: string }) => [p.commandLine, p.ending])));
      const works = profiled.filter((p: { cpuProfile: string }) => fs.readFileSync(path.join(runs, ids[0], p.cpuProfile), 'utf8').includes('"treeWork"'));
      assert.ok(works.length >= 2, `treeWork sampled in ${works.length} profiles`);
    });
  }

  it('bench -- npm run tree, SIGTERM during a run: exit 143, 0 processes left, nothing stored', async () => {
    const dir = fixtureCopy('sig-bench');
    const s = startHotpath(dir, ['bench', '--runs', '3', '--', 'npm', 'run', 'tree']);
    const r = await signalAndCount(s, 'SIGTERM');
    assert.deepStrictEqual(r.left, [], `processes left: ${r.left.join(', ')}`);
    assert.strictEqual(r.code, 143, s.out());
    assert.match(s.out(), /SIGTERM received; the command's processes were ended, nothing was stored/);
    assert.ok(!fs.existsSync(path.join(dir, '.hotpath', 'bench')) || !fs.readdirSync(path.join(dir, '.hotpath', 'bench')).length);
  });

  it('leaks -- npm run tree, SIGTERM: exit 143, 0 processes left', async () => {
    const dir = fixtureCopy('sig-leaks');
    const s = startHotpath(dir, ['leaks', '--', 'npm', 'run', 'tree']);
    const r = await signalAndCount(s, 'SIGTERM');
    assert.deepStrictEqual(r.left, [], `processes left: ${r.left.join(', ')}`);
    assert.strictEqual(r.code, 143, s.out());
  });

  it('compare --ref HEAD -- npm run tree, SIGHUP: exit 129, 0 processes left, the worktree removed', async () => {
    const dir = fixtureCopy('sig-compare', true);
    const s = startHotpath(dir, ['compare', '--ref', 'HEAD', '--runs', '3', '--', 'npm', 'run', 'tree']);
    const r = await signalAndCount(s, 'SIGHUP');
    assert.deepStrictEqual(r.left, [], `processes left: ${r.left.join(', ')}`);
    assert.strictEqual(r.code, 129, s.out());
    assert.match(s.out(), /SIGHUP received; the processes were ended and the worktree removed/);
    const worktrees = execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: dir, encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('worktree '));
    assert.strictEqual(worktrees.length, 1, worktrees.join('\n'));
  });
});

describe('cli: SIGKILL of Hotpath itself: the run guard ends the target tree', function () {
  this.timeout(180_000);
  before(() => { if (!process.env.SB_NOBUILD) buildOnly('cli,preload'); });

  /** SIGKILLs Hotpath once the tree is up (plus `afterMs`); returns how long until no target process was left. */
  async function killAndWait(s: Started, afterMs: number): Promise<number> {
    await until('the target tree', () => treeUp(s) || s.child.exitCode !== null);
    assert.strictEqual(s.child.exitCode, null, s.out());
    await new Promise((r) => setTimeout(r, afterMs));
    assert.ok(treeProcesses(s.id).length >= 4, 'the tree runs');
    s.child.kill('SIGKILL');
    await s.exited;
    const t0 = Date.now();
    await until('the tree to end after Hotpath was killed', () => treeProcesses(s.id).length === 0, 15_000);
    return Date.now() - t0;
  }

  it('profile --flush 1 -- npm run tree: 0 processes left within seconds; the profiles stay readable', async () => {
    const dir = fixtureCopy('sigkill-profile');
    const s = startHotpath(dir, ['profile', '--flush', '1', '--', 'npm', 'run', 'tree']);
    const ms = await killAndWait(s, 2500);
    assert.ok(ms < 10_000, `the tree ended ${ms} ms after Hotpath was killed`);
    // The run folder has no run.json (Hotpath died), but what the processes wrote is readable.
    const runs = path.join(dir, '.hotpath', 'runs');
    const [id] = fs.readdirSync(runs);
    const runDir = path.join(runs, id);
    const profiles = fs.readdirSync(runDir).filter((f) => f.endsWith('.cpuprofile'));
    assert.ok(profiles.length >= 3, profiles.join(', '));
    const report = spawnSyncCli(dir, ['report', '--run', runDir, '--out', path.join(dir, 'r.html'), '--json']);
    assert.strictEqual(report.status, 0, report.stderr);
    assert.ok(JSON.parse(report.stdout).topFunctions.some((f: { name: string }) => f.name === 'treeWork'), report.stdout.slice(0, 2000));
  });

  it('bench -- npm run tree: 0 processes left within seconds', async () => {
    const dir = fixtureCopy('sigkill-bench');
    const s = startHotpath(dir, ['bench', '--runs', '2', '--', 'npm', 'run', 'tree']);
    const ms = await killAndWait(s, 500);
    assert.ok(ms < 10_000, `the tree ended ${ms} ms after Hotpath was killed`);
  });
});

function spawnSyncCli(cwd: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}
