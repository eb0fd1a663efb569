// The target's command line belongs to the target: `--help`/`-h` after `--` reach the target
// (profile, bench, compare), `compare --ref` takes the quoted command form that profile and bench
// take, and `--ok-exit` lets a command that exits non-zero by design (a linter) be measured.
// Real processes through the built CLI, in a temporary git repository.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exitCodes } from '../../../src/cli/benchText';
import { hotpath } from './cli';
import { buildOnly } from '../build';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

describe('cli: the target\'s arguments, one command form, --ok-exit', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    buildOnly('cli,preload');
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-args-')));
    // tool.js: a CLI that prints its own help for --help/-h, and exits 1 with --lint (problems found).
    fs.writeFileSync(path.join(dir, 'tool.js'), [
      'const args = process.argv.slice(2);',
      'let s = 0; for (let i = 0; i < 2e6; i++) s += i;',
      "if (args.includes('--help') || args.includes('-h')) console.log('TOOL HELP ' + args.join(' '));",
      "if (args.includes('--lint')) { console.log('2 problems'); process.exit(1); }",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, '.gitignore'), '.hotpath/\n');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'tool');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('profile -- node tool.js --help profiles the tool (its help, not Hotpath\'s); -h too', () => {
    for (const flag of ['--help', '-h']) {
      const r = hotpath(dir, ['profile', '--json', '--no-save', '--', 'node', 'tool.js', flag]);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /Usage: hotpath/);
      const j = JSON.parse(r.stdout);
      assert.strictEqual(j.count, 1, 'one Node.js process profiled');
      assert.ok(j.samples > 0);
      assert.strictEqual(j.sampledMs, j.cpuMs, 'sampledMs names the sampled time cpuMs carries');
      assert.deepStrictEqual(j.captured, { cpu: true, heap: false, imports: true, coverage: false });
      assert.match(r.stderr, new RegExp(`TOOL HELP ${flag}`), 'the target saw its own flag');
    }
    // What was not captured reads null, never 0 (--imports alone: no CPU profile).
    const imports = hotpath(dir, ['profile', '--imports', '--json', '--no-save', '--', 'node', 'tool.js']);
    assert.strictEqual(imports.code, 0, imports.stderr);
    const ij = JSON.parse(imports.stdout);
    assert.deepStrictEqual([ij.cpuMs, ij.samples, ij.sampledMs], [null, null, null]);
    assert.deepStrictEqual(ij.captured, { cpu: false, heap: false, imports: true, coverage: false });
    assert.ok(ij.modules.some((m: { name: string }) => m.name === 'tool.js'), JSON.stringify(ij.modules));
    // Before `--`, --help is still Hotpath's.
    const own = hotpath(dir, ['profile', '--help', '--', 'node', 'tool.js']);
    assert.strictEqual(own.code, 0);
    assert.match(own.stdout, /Usage: hotpath profile/);
  });

  it('bench -- node tool.js --help measures the tool; --ok-exit 0,1 counts a linter\'s exit 1 as a run, recorded as okExit', () => {
    const help = hotpath(dir, ['bench', '--runs', '2', '--warmup', '0', '--no-save', '--json', '--', 'node', 'tool.js', '--help']);
    assert.strictEqual(help.code, 0, help.stderr);
    const rec = JSON.parse(help.stdout);
    assert.strictEqual(rec.stats.n, 2);
    assert.deepStrictEqual(rec.args, ['tool.js', '--help']);
    assert.strictEqual(rec.okExit, null, 'documented optional field, null when not set');

    const lint = ['--runs', '3', '--warmup', '0', '--no-save', '--json', '--', 'node', 'tool.js', '--lint'];
    const failing = hotpath(dir, ['bench', ...lint]);
    assert.strictEqual(failing.code, 1, 'exit 1 is a failed run by default');
    assert.strictEqual(JSON.parse(failing.stdout).stats.failed, 3);
    const ok = hotpath(dir, ['bench', '--ok-exit', '0,1', ...lint]);
    assert.strictEqual(ok.code, 0, ok.stderr);
    const okRec = JSON.parse(ok.stdout);
    assert.deepStrictEqual(okRec.okExit, [0, 1]);
    assert.strictEqual(okRec.stats.n, 3);
    assert.strictEqual(okRec.stats.failed, 0);
    assert.ok(okRec.samples.every((s: { exitCode: number; ok: boolean }) => s.exitCode === 1 && s.ok));
    // Only the named codes: 0 is not implied.
    const only1 = JSON.parse(hotpath(dir, ['bench', '--ok-exit', '1', '--runs', '1', '--warmup', '0', '--no-save', '--json', '--', 'node', 'tool.js']).stdout);
    assert.strictEqual(only1.stats.failed, 1);
    const r = hotpath(dir, ['bench', '--ok-exit', '0,-1', '--', 'node', 'tool.js']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--ok-exit needs exit codes from 0 to 255/);
    for (const bad of ['', 'x', '256', '1.5', '1,,2']) assert.throws(() => exitCodes('--ok-exit', bad), /from 0 to 255/, bad);
    assert.deepStrictEqual(exitCodes('--ok-exit', '0, 1,1'), [0, 1]);
  });

  it('compare --ref takes the quoted command form; -h after `--` is the target\'s; --ok-exit 1 compares a linter', () => {
    // The quoted form, as profile and bench take it; the target's -h is the target's.
    const quoted = hotpath(dir, ['compare', '--ref', 'HEAD', '--runs', '5', '--warmup', '0', '--no-save', '--json', '--ok-exit', '1', 'node tool.js --lint -h']);
    assert.strictEqual(quoted.code, 0, quoted.stderr);
    const j = JSON.parse(quoted.stdout);
    assert.strictEqual(j.before.command, 'node tool.js --lint -h');
    assert.strictEqual(j.before.n, 5);
    assert.strictEqual(j.after.n, 5);
    assert.strictEqual(j.before.failed + j.after.failed, 0, 'exit 1 is a successful run with --ok-exit 1');
    assert.notStrictEqual(j.verdict, 'inconclusive', j.sentence);
    assert.strictEqual(git(dir, 'worktree', 'list').split('\n').length, 1, 'worktree removed');

    const dashed = hotpath(dir, ['compare', '--ref', 'HEAD', '--runs', '1', '--warmup', '0', '--no-save', '--json', '--', 'node', 'tool.js', '--help']);
    assert.strictEqual(dashed.code, 0, dashed.stderr);
    assert.doesNotMatch(dashed.stdout, /Usage: hotpath/);
    assert.strictEqual(JSON.parse(dashed.stdout).after.n, 1);

    const both = hotpath(dir, ['compare', '--ref', 'HEAD', 'node tool.js', '--', 'node', 'tool.js']);
    assert.strictEqual(both.code, 2);
    assert.match(both.stderr, /either after `--` or as one quoted command line, not both/);
    const stored = hotpath(dir, ['compare', 'previous', 'last', '--ok-exit', '1']);
    assert.strictEqual(stored.code, 2);
    assert.match(stored.stderr, /--ok-exit needs --ref/);
  });
});
