// `hotpath profile` end to end through the built CLI (dist/cli.js), on the fixture programs.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { listRuns } from '../../../src/core/history';
import { ROOT, tempDir, TARGETS } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function hotpath(args: string[], cwd = TARGETS) {
  const r = spawnSync(process.execPath, [CLI, 'profile', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: hotpath profile', function () {
  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['esbuild.js', '--only', 'cli,preload', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  });

  it('--json prints one JSON object with the contract fields; target output goes to stderr', () => {
    const out = tempDir('cli');
    const r = hotpath(['--json', '--no-save', '--top', '40', '--out', out, '--', 'node', 'parentChild.js']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['processes', 'count', 'wallMs', 'exitCode', 'outDir', 'topFunctions', 'modules', 'allocations', 'notes']) assert.ok(k in j, `missing ${k}`);
    assert.strictEqual(j.count, 2);
    assert.deepStrictEqual(Object.keys(j.processes[0]).slice(0, 4), ['pid', 'ppid', 'threadId', 'commandLine']);
    assert.strictEqual(j.processes[1].ppid, j.processes[0].pid);
    assert.strictEqual(j.outDir, out);
    assert.match(r.stderr, /child done/);
    assert.doesNotMatch(r.stdout, /child done/);
    const names = j.topFunctions.map((f: { name: string }) => f.name);
    for (const hot of ['parentHot', 'childHot']) assert.ok(names.includes(hot), `${hot} not in ${names}`);
    const busy = j.topFunctions.find((f: { name: string }) => f.name === 'busy');
    assert.deepStrictEqual([busy.file, busy.line], ['busy.js', 2]);
    for (const f of j.topFunctions) for (const k of ['name', 'file', 'line', 'selfMs', 'totalMs']) assert.ok(k in f);
    assert.ok(j.modules.some((m: { name: string }) => m.name === 'parentChild.js'), JSON.stringify(j.modules));
  });

  it('a crashing target: non-zero exit, its exit code and output tail, and the profile summarized', () => {
    const r = hotpath(['--json', '--no-save', '--top', '40', '--out', tempDir('crash'), 'node crash.js']);
    assert.strictEqual(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.exitCode, 1);
    assert.match(j.outputTail, /fixture crash: boom/);
    assert.ok(j.notes.some((n: string) => /exited with code 1/.test(n)), j.notes.join('\n'));
    // The work before the crash was profiled (topFunctions rank by self time: the busy loop).
    assert.ok(j.topFunctions.some((f: { name: string; file: string }) => f.name === 'busy' && f.file === 'busy.js'), JSON.stringify(j.topFunctions.map((f: { name: string }) => f.name)));
    assert.ok(j.modules.find((m: { name: string; totalMs: number }) => m.name === 'crash.js')?.totalMs > 150, JSON.stringify(j.modules));
  });

  it('a command that is not Node: says why, exits non-zero', () => {
    const r = hotpath(['--no-save', '--out', tempDir('sh'), 'sh -c "echo hi"']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /No Node\.js process was started/);
  });

  it('saves the run in .hotpath/runs of the working folder, with heap and imports', () => {
    const cwd = tempDir('save');
    const r = hotpath(['--heap', '--imports', '--', process.execPath, path.join(TARGETS, 'alloc.js')], cwd);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /Allocations/);
    assert.match(r.stdout, /churn/);
    const { runs, warnings } = listRuns(path.join(cwd, '.hotpath', 'runs'));
    assert.deepStrictEqual(warnings, []);
    assert.strictEqual(runs.length, 1);
    assert.deepStrictEqual(runs[0].capture, { cpu: false, heap: true, imports: true });
    assert.ok(fs.existsSync(path.join(cwd, '.hotpath', 'runs', runs[0].id, runs[0].processes[0].heapProfile!)));
  });

  it('--from summarizes an existing profile file', () => {
    const out = tempDir('from');
    assert.strictEqual(hotpath(['--json', '--no-save', '--out', out, 'node twoShares.js']).code, 0);
    const file = fs.readdirSync(out).find((n) => n.endsWith('.cpuprofile'))!;
    const r = hotpath(['--json', '--top', '40', '--from', path.join(out, file)]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const total = (n: string) => j.topFunctions.find((f: { name: string }) => f.name === n)?.totalMs ?? 0;
    assert.ok(total('hotSeventy') > total('hotThirty') && total('hotThirty') > 200, JSON.stringify(j.topFunctions.slice(0, 5)));
  });

  it('rejects bad options with usage, and states the 0x overhead in --help', () => {
    const bad = hotpath(['--engine', 'perf', '--', 'node', 'x.js']);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--engine must be inspector or 0x/);
    assert.match(hotpath(['--help']).stdout, /0x: .*\n.*about 4\.\dx the plain run/);
  });
});
