// What a first-time user meets on bad input, through the built CLI on real folders and real
// processes: a clear message naming the problem and the way out, a sensible exit code, no raw
// file-system error (ENOENT, EISDIR, EEXIST), no NaN, and nothing lost or silently dropped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hotpath, noRawError, ROOT } from './cli';
import { buildOnly } from '../build';

describe('cli: bad input gets a clear error', function () {
  this.timeout(180_000);
  let tmp: string;
  let run: string;
  before(() => {
    buildOnly('cli,preload');
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-bad-')));
    fs.mkdirSync(path.join(tmp, 'src'));
    fs.writeFileSync(path.join(tmp, 'package.json'), '{"name":"bad-input"}\n');
    fs.writeFileSync(path.join(tmp, 'src', 'ok.js'), "const fs = require('fs');\nmodule.exports = () => 1;\n");
    fs.writeFileSync(path.join(tmp, 'src', 'broken.js'), "const path = require('path');\nfunction broken( {\n  return 1\n");
    // One real run folder, used where a folder is given in place of a file (and the other way round).
    run = path.join(tmp, 'run');
    const p = hotpath(tmp, ['profile', '--no-save', '--out', run, '--', 'node', '-e', 'let s = 0; for (let i = 0; i < 1e6; i++) s += i']);
    assert.strictEqual(p.code, 0, p.stderr);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('bench offers `compare previous last` only once there is an earlier record to compare with', () => {
    const store = path.join(tmp, 'bench-store');
    const bench = () => hotpath(tmp, ['bench', '--runs', '2', '--warmup', '0', '--store', store, '--', process.execPath, '-e', '0']);
    const first = bench();
    assert.strictEqual(first.code, 0, first.stderr);
    assert.match(first.stdout, /stored as .*\(id [^)]+\)\n/);
    assert.doesNotMatch(first.stdout, /compare previous last/);
    const second = bench();
    assert.strictEqual(second.code, 0, second.stderr);
    assert.match(second.stdout, /compare with `hotpath compare previous last`/);
  });

  it('--version prints the package version and Node\'s, exit 0', () => {
    const r = hotpath(tmp, ['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), `hotpath ${pkg.version} (Node ${process.version})`);
  });

  it('no command: the usage on stderr, nothing on stdout, exit 2', () => {
    const r = hotpath(tmp, []);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /Usage: hotpath <command>/);
    assert.strictEqual(hotpath(tmp, ['--help']).code, 0);
  });

  it('every command\'s --help states its exit codes, and the usage code it states is the one returned', () => {
    for (const c of ['profile', 'report', 'rank', 'fixes', 'bench', 'compare', 'checkpoints', 'rollback', 'leaks']) {
      const help = hotpath(tmp, [c, '--help']);
      assert.strictEqual(help.code, 0, c);
      assert.match(help.stdout, /Exit code: [\s\S]*2 for bad usage/, c);
      const bad = hotpath(tmp, [c, '--no-such-option']);
      assert.strictEqual(bad.code, 2, `${c} --no-such-option: ${bad.stderr}`);
      assert.match(bad.stderr, /no-such-option/, c);
    }
  });

  it('profile: --top must be a positive whole number (not silently 10 or 1)', () => {
    for (const v of ['abc', '-3', '0']) {
      const r = hotpath(tmp, ['profile', '--top', v, '--', 'node', '-e', '1']);
      assert.strictEqual(r.code, 2, v);
      assert.match(r.stderr, /--top needs a positive whole number/);
    }
  });

  it('profile: --from a folder names --run; --out a file is refused before anything runs', () => {
    const from = hotpath(tmp, ['profile', '--from', 'run']);
    assert.strictEqual(from.code, 1);
    assert.match(from.stderr, /run is a folder; --from takes one profile file.*report --run run/);
    const file = path.join(tmp, 'afile');
    fs.writeFileSync(file, 'keep me');
    const out = hotpath(tmp, ['profile', '--no-save', '--out', 'afile', '--', 'node', '-e', '1']);
    assert.strictEqual(out.code, 2);
    assert.match(out.stderr, /--out afile is a file; give a folder/);
    noRawError(out.stderr);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'keep me');
  });

  it('profile: a non-Node command that exits 0 is not reported as "exited with code 0"; a missing command is named', () => {
    const sleep = hotpath(tmp, ['profile', '--json', '--no-save', '--out', path.join(tmp, 'r-sleep'), '--', 'sleep', '0.1']);
    assert.strictEqual(sleep.code, 1);
    const j = JSON.parse(sleep.stdout);
    assert.strictEqual(j.count, 0);
    assert.strictEqual(j.exitCode, 0);
    assert.ok(j.notes.some((n: string) => /No Node\.js process was started/.test(n)), j.notes.join('\n'));
    assert.ok(!j.notes.some((n: string) => /exited with code 0/.test(n)), j.notes.join('\n'));

    const missing = hotpath(tmp, ['profile', '--json', '--no-save', '--out', path.join(tmp, 'r-missing'), '--', 'hotpath-no-such-command-xyz']);
    assert.strictEqual(missing.code, 1);
    const m = JSON.parse(missing.stdout);
    assert.strictEqual(m.exitCode, 127);
    assert.ok(m.notes.some((n: string) => /could not find the command/.test(n)), m.notes.join('\n'));
  });

  it('profile: a timeout is one note, not the same note twice', () => {
    const r = hotpath(tmp, ['profile', '--json', '--no-save', '--timeout', '1', '--out', path.join(tmp, 'r-timeout'), '--', 'node', '-e', 'setInterval(() => {}, 1000)']);
    assert.strictEqual(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.timedOut, true);
    assert.strictEqual(new Set(j.notes).size, j.notes.length, j.notes.join('\n'));
  });

  it('profile: --out a folder that already holds a run says its profiles stay there', () => {
    // An earlier run in the folder: the real run of before(), dated an hour back (the runner itself
    // tells runs apart by start time, with a second of slack).
    const dir = path.join(tmp, 'r-twice');
    fs.cpSync(run, dir, { recursive: true });
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.meta.json'))) {
      const meta = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      meta.startedAt -= 3_600_000;
      fs.writeFileSync(path.join(dir, f), JSON.stringify(meta));
    }
    const again = hotpath(tmp, ['profile', '--json', '--no-save', '--out', dir, '--', 'node', '-e', '1']);
    assert.strictEqual(again.code, 0, again.stderr);
    const j = JSON.parse(again.stdout);
    assert.strictEqual(j.count, 1);
    assert.ok(j.notes.some((n: string) => /already held the profiles of 1 earlier process/.test(n)), j.notes.join('\n'));
  });

  it('report: --out a folder, --run a file and --from a folder each name the fix', () => {
    const outDir = path.join(tmp, 'reports');
    fs.mkdirSync(outDir);
    const r = hotpath(tmp, ['report', '--run', 'run', '--out', 'reports']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--out reports is a folder; give the report's file name, e\.g\. --out reports[/\\]report\.html/);
    noRawError(r.stderr);
    assert.deepStrictEqual(fs.readdirSync(outDir), []);

    const cpu = fs.readdirSync(run).find((f) => f.endsWith('.cpuprofile'))!;
    const asRun = hotpath(tmp, ['report', '--run', path.join('run', cpu)]);
    assert.strictEqual(asRun.code, 1);
    assert.match(asRun.stderr, /is a file, not a run folder; for one profile file use --from/);
    const asFrom = hotpath(tmp, ['report', '--from', 'run']);
    assert.strictEqual(asFrom.code, 1);
    assert.match(asFrom.stderr, /is a folder; --from takes one profile file\. For a run folder use --run run/);
    // A report written outside the working folder is named by its absolute path, not ../../..
    const outside = path.join(fs.realpathSync(os.tmpdir()), `hotpath-bad-report-${process.pid}.html`);
    try {
      const abs = hotpath(path.join(tmp, 'src'), ['report', '--run', run, '--out', outside]);
      assert.strictEqual(abs.code, 0, abs.stderr);
      assert.ok(abs.stdout.startsWith(`Wrote ${outside} (`), abs.stdout);
      const inside = hotpath(tmp, ['report', '--run', 'run', '--out', path.join(tmp, 'reports', 'r.html'), '--json']);
      assert.strictEqual(JSON.parse(inside.stdout).report, path.join('reports', 'r.html'));
    } finally { fs.rmSync(outside, { force: true }); }
    const missing = hotpath(tmp, ['report', '--run', 'no-such-run']);
    assert.strictEqual(missing.code, 1);
    assert.match(missing.stderr, /no-such-run does not exist/);
  });

  it('rank: an unknown --run is named; unreadable --profile does not claim a ranking it did not do', () => {
    const r = hotpath(tmp, ['rank', '--run', 'nosuch']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /no run 'nosuch' in .*\.hotpath[/\\]runs/);
    noRawError(r.stderr);
    fs.writeFileSync(path.join(tmp, 'garbage.cpuprofile'), 'garbage {{{');
    const g = hotpath(tmp, ['rank', '--profile', 'garbage.cpuprofile']);
    assert.strictEqual(g.code, 1);
    assert.match(g.stderr, /not valid profile JSON/);
    assert.match(g.stderr, /Nothing was ranked/);
    assert.doesNotMatch(g.stderr, /the ranking uses static estimates only/);
  });

  it('fixes: a file that does not parse is listed as skipped with its syntax error, as rank does', () => {
    const text = hotpath(tmp, ['fixes', 'src']);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /skipped broken\.js: syntax error at line 3: ':' expected; no fixes are offered/);
    assert.match(text.stdout, /ok\.js:1 .*unused-import/, 'the file that parses still gets its fixes');
    const json = JSON.parse(hotpath(tmp, ['fixes', 'src/broken.js', '--json']).stdout);
    assert.deepStrictEqual(json.fixes, []);
    assert.strictEqual(json.skipped.length, 1);
    assert.strictEqual(json.skipped[0].file, 'broken.js');
    assert.match(json.skipped[0].reason, /^syntax error at line 3/);
    const rank = hotpath(tmp, ['rank', 'src']);
    assert.match(rank.stdout, /skipped: broken\.js: syntax error at line 3/);
  });

  it('fixes: a non-source file, two targets, a missing --profile and a negative --min-ms are named', () => {
    const pkg = hotpath(tmp, ['fixes', 'package.json']);
    assert.strictEqual(pkg.code, 0);
    assert.match(pkg.stdout, /skipped package\.json: not a JavaScript or TypeScript source file/);
    const two = hotpath(tmp, ['fixes', 'src', 'run']);
    assert.strictEqual(two.code, 2);
    assert.match(two.stderr, /one folder or file only, got src run/);
    const prof = hotpath(tmp, ['fixes', '--profile', 'missing.cpuprofile']);
    assert.strictEqual(prof.code, 2);
    assert.match(prof.stderr, /--profile missing\.cpuprofile does not exist/);
    noRawError(prof.stderr);
    const min = hotpath(tmp, ['fixes', '--min-ms', '-5']);
    assert.strictEqual(min.code, 2);
    assert.match(min.stderr, /--min-ms needs a number of milliseconds, 0 or more/);
  });

  it('bench --json: documented optional fields are present (null) outside git and with --no-save', () => {
    const r = hotpath(tmp, ['bench', '--runs', '1', '--warmup', '0', '--no-save', '--json', '--', 'node', '-e', '1']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['file', 'label', 'git', 'ref', 'timeoutMs', 'pair']) {
      assert.ok(k in j, `${k} is in the output`);
      assert.strictEqual(j[k], null, k);
    }
    assert.deepStrictEqual(j.args, ['-e', '1']);
    assert.strictEqual(j.stats.n, 1);
  });

  it('compare: a side with no successful run shows n/a, not NaN; the same benchmark twice is refused; --ref outside git is named', () => {
    const store = path.join(tmp, 'bench-store');
    assert.strictEqual(hotpath(tmp, ['bench', '--store', store, '--runs', '1', '--warmup', '0', '--', 'node', '-e', 'process.exit(3)']).code, 1);
    assert.strictEqual(hotpath(tmp, ['bench', '--store', store, '--runs', '1', '--warmup', '0', '--', 'node', '-e', '1']).code, 0);
    const c = hotpath(tmp, ['compare', 'previous', 'last', '--store', store]);
    assert.strictEqual(c.code, 0, c.stderr);
    assert.doesNotMatch(c.stdout, /NaN/);
    assert.match(c.stdout, /ratio after\/before \(wall median\): n\/a;/);
    assert.match(c.stdout, /inconclusive/);

    const same = hotpath(tmp, ['compare', 'last', 'last', '--store', store]);
    assert.strictEqual(same.code, 2);
    assert.match(same.stderr, /last and last are the same benchmark/);

    const ref = hotpath(tmp, ['compare', '--ref', 'HEAD', '--runs', '1', '--', 'node', '-e', '1']);
    assert.strictEqual(ref.code, 2);
    assert.match(ref.stderr, /--ref needs a git repository, and .* is not in one/);
  });

  it('rollback: an unknown id is named (text and --json), nothing else changes', () => {
    const r = hotpath(tmp, ['rollback', 'no-such-id']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /no checkpoint 'no-such-id' in .*`hotpath checkpoints` lists them/);
    noRawError(r.stderr);
    const j = JSON.parse(hotpath(tmp, ['rollback', 'no-such-id', '--json']).stdout);
    assert.strictEqual(j.ok, false);
    assert.strictEqual(j.id, 'no-such-id');
    assert.match(j.error, /no checkpoint 'no-such-id'/);
    assert.deepStrictEqual([j.restored, j.deleted, j.conflicts], [[], [], []]);
  });
});
