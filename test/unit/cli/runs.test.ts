// `hotpath runs` through the built CLI on runs `hotpath profile` really stored: the listing (text
// and --json contract), --limit, --dir, a damaged run.json as a warning, `rm` by id (unknown id:
// exit 2, nothing deleted) and `rm --keep N`.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hotpath, ROOT } from './cli';
import { privateTmpdir } from '../tempDirs';
import { buildOnly } from '../build';

const TARGETS = path.join(ROOT, 'test', 'fixtures', 'targets');

interface RunJson {
  id: string; dir: string; startedAt: string; command: string; args: string[] | null; cwd: string; wallMs: number;
  exitCode: number | null; signal: string | null; timedOut: boolean; cancelled: boolean; outcome: string; ending: string;
  processCount: number; processes: { pid: number; ppid: number; threadId: number; commandLine: string; wallMs: number; ending: string }[];
  git: { commit: string; dirty: boolean; branch: string | null } | null; nodeVersion: string; engine: string;
  capture: { cpu: boolean; heap: boolean; imports: boolean; intervalUs: number | null; heapIntervalBytes: number | null }; notes: string[];
  comparison: { before: string; after: string; side: string; index: number; runs: number } | null;
}

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

describe('cli: hotpath runs', function () {
  privateTmpdir('runs');
  this.timeout(180_000);
  let cwd: string;
  let store: string;
  /** Ids in the order they were recorded: exitCode.js (exit 3), then busy (exit 0). */
  const ids: string[] = [];

  before(() => {
    buildOnly('cli,preload');
    cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-runs-')));
    for (const f of ['busy.js', 'exitCode.js']) fs.copyFileSync(path.join(TARGETS, f), path.join(cwd, f));
    // A git repository with an uncommitted change, so the runs record a commit and "dirty".
    execFileSync('git', ['init', '-q'], { cwd });
    fs.writeFileSync(path.join(cwd, '.gitignore'), '.hotpath/\n');
    execFileSync('git', ['add', '.'], { cwd, env: gitEnv });
    execFileSync('git', ['commit', '-q', '-m', 'init'], { cwd, env: gitEnv });
    fs.appendFileSync(path.join(cwd, 'busy.js'), '\n// edited\n');
    store = path.join(cwd, '.hotpath', 'runs');
    for (const args of [['node', 'exitCode.js'], ['node', '-e', "require('./busy').busy(200)"]]) {
      const before = new Set(fs.existsSync(store) ? fs.readdirSync(store) : []);
      const r = hotpath(cwd, ['profile', '--json', '--', ...args]);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const added = fs.readdirSync(store).filter((n) => !before.has(n));
      assert.strictEqual(added.length, 1, `one run folder per profile: ${added}`);
      ids.push(added[0]);
    }
  });
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('--json lists the stored runs newest first with the documented fields', () => {
    const r = hotpath(cwd, ['runs', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stderr, '', 'no warnings for a clean store');
    const out = JSON.parse(r.stdout) as { store: string; total: number; runs: RunJson[]; warnings: string[] };
    assert.strictEqual(out.store, store);
    assert.strictEqual(out.total, 2);
    assert.deepStrictEqual(out.warnings, []);
    assert.deepStrictEqual(out.runs.map((x) => x.id), [ids[1], ids[0]], 'newest first');
    const [busy, failed] = out.runs;
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    for (const run of out.runs) {
      assert.deepStrictEqual(Object.keys(run).sort(), ['args', 'cancelled', 'capture', 'command', 'comparison', 'cwd', 'dir', 'ending', 'engine', 'exitCode', 'git', 'id', 'nodeVersion', 'notes', 'outcome', 'processCount', 'processes', 'signal', 'startedAt', 'timedOut', 'wallMs'].sort());
      assert.strictEqual(run.dir, path.join(store, run.id));
      assert.ok(fs.existsSync(path.join(run.dir, 'run.json')));
      assert.strictEqual(run.cwd, cwd);
      assert.strictEqual(run.git?.commit, head);
      assert.strictEqual(run.git?.dirty, true, 'busy.js has an uncommitted edit');
      assert.ok(run.wallMs > 0 && Number.isFinite(Date.parse(run.startedAt)));
      assert.strictEqual(run.processCount, run.processes.length);
      assert.ok(run.processCount >= 1);
      assert.strictEqual(run.nodeVersion, process.version);
      assert.strictEqual(run.engine, 'inspector');
      assert.strictEqual(run.capture.cpu, true);
    }
    assert.strictEqual(failed.command, 'node exitCode.js');
    assert.strictEqual(failed.exitCode, 3);
    assert.strictEqual(failed.outcome, 'failed');
    assert.strictEqual(failed.ending, 'exit code 3');
    assert.match(failed.processes[0].commandLine, /exitCode\.js/);
    assert.strictEqual(busy.exitCode, 0);
    assert.strictEqual(busy.outcome, 'ok');
    assert.deepStrictEqual(busy.args, ['-e', "require('./busy').busy(200)"]);
    // The process ran busy(200): its own measured wall time covers at least that.
    assert.ok(busy.processes[0].wallMs >= 200, `process wall ${busy.processes[0].wallMs} ms`);
    assert.ok(busy.wallMs >= busy.processes[0].wallMs, 'the run lasts at least as long as its process');
  });

  it('prints a table, honours --limit and --dir', () => {
    const r = hotpath(cwd, ['runs']);
    assert.strictEqual(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^Profile runs in \.hotpath[\\/]runs, newest first \(2 of 2\):$/);
    assert.match(lines[1], /^ID\s+STARTED\s+WALL\s+ENDED\s+PROCS\s+COMMIT\s+COMMAND$/);
    const head7 = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim().slice(0, 7);
    assert.ok(lines[2].startsWith(ids[1]) && lines[2].includes('exit code 0') && lines[2].includes(`${head7} dirty`), lines[2]);
    assert.ok(lines[3].startsWith(ids[0]) && lines[3].includes('exit code 3 (failed)') && lines[3].endsWith('node exitCode.js'), lines[3]);

    const limited = JSON.parse(hotpath(cwd, ['runs', '--json', '--limit', '1']).stdout);
    assert.deepStrictEqual(limited.runs.map((x: RunJson) => x.id), [ids[1]]);
    assert.strictEqual(limited.total, 2);
    const zero = hotpath(cwd, ['runs', '--limit', '0']);
    assert.strictEqual(zero.code, 0, zero.stderr);
    assert.strictEqual(zero.stdout, 'Profile runs in .hotpath/runs, newest first (0 of 2):\n'.replace('/', path.sep), 'the count only, no empty table');

    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-runs-other-'));
    try {
      const viaDir = JSON.parse(hotpath(elsewhere, ['runs', '--json', '--dir', store]).stdout);
      assert.deepStrictEqual(viaDir.runs.map((x: RunJson) => x.id), [ids[1], ids[0]]);
      const none = hotpath(elsewhere, ['runs']);
      assert.strictEqual(none.code, 0);
      assert.match(none.stdout, /^No profile runs in \.hotpath[\\/]runs\./);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    assert.strictEqual(hotpath(cwd, ['runs', '--limit', 'x']).code, 2);
    assert.strictEqual(hotpath(cwd, ['runs', 'ls']).code, 2);
  });

  it('lists a damaged run.json as a warning on stderr and in warnings, and still lists the others', () => {
    const broken = path.join(store, '2099-01-01T00-00-00-000Z-broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'run.json'), '{"version":1,"id":"2099-');
    try {
      const r = hotpath(cwd, ['runs', '--json']);
      assert.strictEqual(r.code, 0);
      const out = JSON.parse(r.stdout);
      assert.deepStrictEqual(out.runs.map((x: RunJson) => x.id), [ids[1], ids[0]]);
      assert.strictEqual(out.warnings.length, 1);
      assert.match(out.warnings[0], /2099-01-01T00-00-00-000Z-broken: .*JSON/);
      assert.strictEqual(r.stderr.trim(), `warning: ${out.warnings[0]}`);
      const text = hotpath(cwd, ['runs']);
      assert.match(text.stderr, /^warning: Skipped run 2099-01-01T00-00-00-000Z-broken/);
      assert.ok(!text.stdout.includes('broken'), 'the damaged entry is not in the table');
      // A copied (renamed) run folder is listed under its folder's name, which rm then deletes.
      const moved = path.join(store, 'renamed-copy');
      fs.cpSync(path.join(store, ids[0]), moved, { recursive: true });
      const withCopy = JSON.parse(hotpath(cwd, ['runs', '--json']).stdout);
      const copy = withCopy.runs.find((x: RunJson) => x.id === 'renamed-copy');
      assert.ok(copy, withCopy.runs.map((x: RunJson) => x.id).join(', '));
      assert.strictEqual(copy.dir, moved);
      assert.strictEqual(copy.command, 'node exitCode.js');
      assert.strictEqual(hotpath(cwd, ['runs', 'rm', 'renamed-copy']).code, 0);
      assert.ok(!fs.existsSync(moved) && fs.existsSync(path.join(store, ids[0])), 'rm deleted the copy, not the run its run.json names');
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('rm: an unknown id is exit 2 and deletes nothing; known ids are deleted with their profiles', () => {
    const bad = hotpath(cwd, ['runs', 'rm', ids[0], 'no-such-run']);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /no run 'no-such-run'/);
    assert.ok(fs.existsSync(path.join(store, ids[0])), 'nothing deleted when one id is unknown');
    const outside = hotpath(cwd, ['runs', 'rm', '..']);
    assert.strictEqual(outside.code, 2, 'a path is no run id');
    assert.ok(fs.existsSync(store));

    // A third run, then keep only the newest 2: the oldest (exitCode.js) goes.
    const third = hotpath(cwd, ['profile', '--json', '--', 'node', '-e', "require('./busy').busy(50)"]);
    assert.strictEqual(third.code, 0, third.stderr);
    const all = JSON.parse(hotpath(cwd, ['runs', '--json']).stdout).runs.map((x: RunJson) => x.id) as string[];
    assert.strictEqual(all.length, 3);
    assert.deepStrictEqual(all.slice(1), [ids[1], ids[0]]);
    const unfinished = path.join(store, '1999-unfinished');
    fs.mkdirSync(unfinished);
    const kept = hotpath(cwd, ['runs', 'rm', '--keep', '2', '--json']);
    assert.strictEqual(kept.code, 0, kept.stderr);
    const k = JSON.parse(kept.stdout);
    assert.deepStrictEqual(k.removed, [ids[0]]);
    assert.deepStrictEqual(k.kept, all.slice(0, 2));
    assert.ok(!fs.existsSync(path.join(store, ids[0])), 'its folder and profiles are gone');
    assert.ok(fs.existsSync(unfinished), 'a folder without run.json (maybe a run being recorded) is left alone');
    assert.match(kept.stderr, /1999-unfinished: no run\.json/);

    const rm = hotpath(cwd, ['runs', 'rm', all[0], '1999-unfinished']);
    assert.strictEqual(rm.code, 0, rm.stderr);
    assert.match(rm.stdout, /^Deleted 2 run\(s\)/);
    assert.match(rm.stdout, /1 run\(s\) left\./);
    assert.deepStrictEqual(fs.readdirSync(store), [ids[1]]);
    assert.strictEqual(hotpath(cwd, ['runs', 'rm']).code, 2, 'rm needs ids or --keep');
    assert.strictEqual(hotpath(cwd, ['runs', 'rm', ids[1], '--keep', '1']).code, 2, 'not both');
  });

  it('a --dir that is no folder is exit 2, not an empty store; rm of a prefix names the runs it starts', () => {
    for (const dir of [path.join(cwd, 'no-such-store'), path.join(cwd, 'busy.js')]) {
      for (const args of [['runs', '--dir', dir], ['runs', '--json', '--dir', dir], ['runs', 'rm', '--keep', '0', '--dir', dir]]) {
        const r = hotpath(cwd, args);
        assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /^hotpath runs: --dir .* is not a folder/);
        assert.strictEqual(r.stdout, '');
      }
    }
    assert.ok(!fs.existsSync(path.join(cwd, 'no-such-store')), 'nothing created');
    // With no store yet in a folder, the default store is simply empty (exit 0).
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-runs-empty-'));
    try {
      const r = hotpath(fresh, ['runs']);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /^No profile runs in \.hotpath[\\/]runs/);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
    const stored = fs.readdirSync(store).sort();
    const id = stored[stored.length - 1];
    const prefix = id.slice(0, 10);
    const r = hotpath(cwd, ['runs', 'rm', prefix]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, new RegExp(`no run '${prefix}' .*nothing was deleted\\. '${prefix}' is the start of \\d+ run id\\(s\\) \\(.*${id}.*\\); rm needs whole ids`));
    assert.deepStrictEqual(fs.readdirSync(store).sort(), stored, 'nothing deleted');
  });

  it('the profiled runs of compare --profile carry their comparison (JSON) and a [compare <side>] mark (table)', () => {
    const before = new Set(fs.readdirSync(store));
    const c = hotpath(cwd, ['compare', '--ref', 'HEAD', '--runs', '2', '--warmup', '0', '--no-save', '--profile', '1', '--json', '--', 'node', '-e', "require('./busy').busy(100)"]);
    assert.strictEqual(c.code, 0, c.stderr);
    const pd = JSON.parse(c.stdout).profileDiff;
    const added = fs.readdirSync(store).filter((n) => !before.has(n));
    assert.deepStrictEqual(added.sort(), [...pd.runIds.before, ...pd.runIds.after].sort());
    try {
      const list = JSON.parse(hotpath(cwd, ['runs', '--json']).stdout).runs as RunJson[];
      const b = list.find((x) => x.id === pd.runIds.before[0])!;
      const a = list.find((x) => x.id === pd.runIds.after[0])!;
      assert.deepStrictEqual([b.comparison?.side, b.comparison?.index, b.comparison?.runs], ['before', 0, 1]);
      assert.strictEqual(a.comparison?.side, 'after');
      assert.strictEqual(a.comparison?.before, b.comparison?.before);
      assert.ok(list.filter((x) => !added.includes(x.id)).every((x) => x.comparison === null), 'plain profile runs: comparison null');
      const table = hotpath(cwd, ['runs']).stdout.split('\n');
      assert.match(table.find((l) => l.startsWith(b.id))!, /node -e .*  \[compare before\]$/);
      assert.match(table.find((l) => l.startsWith(a.id))!, /  \[compare after\]$/);
      assert.ok(table.filter((l) => /\[compare /.test(l)).length === 2, table.join('\n'));
    } finally {
      assert.strictEqual(hotpath(cwd, ['runs', 'rm', ...added]).code, 0);
    }
  });

  it('profile leaves no folder behind that nothing lists: --no-save without --out, or no Node.js process', () => {
    const tmpFolders = () => new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('hotpath-profile-')));
    const storeBefore = fs.readdirSync(store).sort();
    const tmpBefore = tmpFolders();
    const noSave = hotpath(cwd, ['profile', '--json', '--no-save', '--', 'node', '-e', "require('./busy').busy(100)"]);
    assert.strictEqual(noSave.code, 0, noSave.stderr);
    const j = JSON.parse(noSave.stdout);
    assert.strictEqual(j.count, 1);
    assert.ok(j.samples > 0, 'the summary was read from the profiles before they were deleted');
    assert.strictEqual(j.outDir, null);
    assert.match(j.notes.join('\n'), /read for this summary and deleted \(--no-save without --out/);
    const noNode = hotpath(cwd, ['profile', '--', 'sh', '-c', 'exit 0']);
    assert.strictEqual(noNode.code, 1, 'no Node.js process profiled is a failure');
    assert.match(noNode.stdout, /Profiled 0 Node process\(es\) .*raw profiles not kept/);
    assert.match(noNode.stdout, /note: Nothing was stored in \.hotpath[\\/]runs \(no Node\.js process was profiled\)/);
    assert.deepStrictEqual(fs.readdirSync(store).sort(), storeBefore, 'no run folder added to the store');
    assert.deepStrictEqual([...tmpFolders()].filter((n) => !tmpBefore.has(n)), [], 'no temporary folder left');
    const list = hotpath(cwd, ['runs']);
    assert.doesNotMatch(list.stderr, /unfinished run/);
  });

  it('is listed in the usage', () => {
    const r = hotpath(cwd, ['--help']);
    assert.match(r.stdout, /^ {2}runs\s+List the stored profile runs/m);
  });
});
