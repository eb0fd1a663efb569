// `hotpath profile` end to end through the built CLI (dist/cli.js), on the fixture programs.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { listRuns } from '../../../src/core/history';
import { DEFAULT_CPU_INTERVAL_US } from '../../../src/core/runner/types';
import { ROOT, stalledUs, tempDir, TARGETS, totalTimeByFunction } from './helpers';
import { buildOnly } from '../build';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function hotpath(args: string[], cwd = TARGETS) {
  const r = spawnSync(process.execPath, [CLI, 'profile', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: hotpath profile', function () {
  before(function () {
    this.timeout(120_000);
    buildOnly('cli,preload');
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
    // Each process's raw profile holds its own hot function.
    // Half of its 300 ms at least, less the time its sampler did not see (a busy machine's stops
    // land on whatever runs when the process resumes).
    for (const [p, name] of [[j.processes[0], 'parentHot'], [j.processes[1], 'childHot']] as const) {
      const file = path.join(out, `${p.pid}-0.cpuprofile`);
      const us = totalTimeByFunction(file).get(name) ?? 0;
      assert.ok(us > 0 && us > 150_000 - stalledUs(file, DEFAULT_CPU_INTERVAL_US), `${name} ${us} µs, ${stalledUs(file, DEFAULT_CPU_INTERVAL_US)} µs not seen`);
    }
    // The summary ranks by self time; file paths are relative to the working folder.
    assert.ok(j.topFunctions.length > 0);
    for (const f of j.topFunctions) for (const k of ['name', 'file', 'line', 'selfMs', 'totalMs']) assert.ok(k in f);
    const mine = j.topFunctions.filter((f: { file: string }) => f.file === 'busy.js' || f.file === 'parentChild.js' || f.file === 'childHot.js');
    assert.ok(mine.every((f: { line: number }) => f.line > 0), JSON.stringify(mine));
    assert.ok(j.modules.some((m: { name: string }) => m.name === 'parentChild.js'), JSON.stringify(j.modules));
  });

  it('a crashing target: non-zero exit, its exit code and output tail, and the profile summarized', () => {
    const r = hotpath(['--json', '--no-save', '--top', '40', '--out', tempDir('crash'), 'node crash.js']);
    assert.strictEqual(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.exitCode, 1);
    assert.match(j.outputTail, /fixture crash: boom/);
    assert.ok(j.notes.some((n: string) => /exited with code 1/.test(n)), j.notes.join('\n'));
    // The work before the crash was profiled: its samples are under workThenCrash in the raw profile.
    const raw = fs.readdirSync(j.outDir).find((n) => n.endsWith('.cpuprofile'))!;
    assert.ok((totalTimeByFunction(path.join(j.outDir, raw)).get('workThenCrash') ?? 0) > 50_000);
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
    const raw = JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'));
    assert.strictEqual(j.samples, raw.samples.length);
    const rawMs = raw.timeDeltas.reduce((a: number, b: number) => a + b, 0) / 1000;
    assert.ok(Math.abs(j.cpuMs - rawMs) < rawMs * 0.1 && j.cpuMs > 1000, `${j.cpuMs} vs ${rawMs}`);
    assert.ok(j.topFunctions.length > 0);
  });

  it('rejects bad options with usage, and states the 0x overhead in --help', () => {
    const bad = hotpath(['--engine', 'perf', '--', 'node', 'x.js']);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--engine must be inspector or 0x/);
    assert.match(hotpath(['--help']).stdout, /0x: [^]*Measured end to end[^]*4\.9x the plain run's CPU time \(4\.0-5\.7\), up to 6x its wall time/);
  });
});
