// On CPU or waiting, on a real run of test/fixtures/targets/waiting.js: the preload measures each
// thread's CPU and run-queue time (runner/threadCpu.ts), the model labels the blocking calls
// (profile/blocking.ts: spawnSync waiting for a child, readFileSync), the flame graph gives them
// the 'waiting' category, and `hotpath profile` prints and reports both. One run serves all.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { promisify } from 'util';
import * as path from 'path';
import { loadRun, summarize, toFlameGraphs } from '../../../src/core/profile';
import { blockingCall } from '../../../src/core/profile/blocking';
import { measuredThreads, sampledWaiting } from '../../../src/core/profile/onCpu';
import type { ProfileModel } from '../../../src/core/profile/types';
import { runTarget } from '../../../src/core/runner/run';
import type { RunResult } from '../../../src/core/runner/types';
import { ROOT, TARGETS, tempDir } from '../runner/helpers';
import { buildOnly } from '../build';

const linux = process.platform === 'linux';

describe('profile: waiting in blocking calls vs measured CPU (real run)', function () {
  this.timeout(240_000);
  let run: RunResult;
  let model: ProfileModel;
  before(async () => {
    buildOnly('preload,cli');
    run = await runTarget({ command: process.execPath, args: ['waiting.js'], cwd: TARGETS, outDir: tempDir('waiting'), capture: { cpu: true, heap: false, imports: false, intervalUs: 1000 } });
    assert.strictEqual(run.exitCode, 0, run.outputTail);
    model = await loadRun(run, { root: TARGETS });
  });

  it('measures every thread\'s CPU and run-queue time; the main thread was blocked for at least its Atomics.wait', function () {
    if (!linux) this.skip();
    // Main thread, its worker thread, the spawned child: each measured itself.
    assert.strictEqual(run.processes.length, 3, JSON.stringify(run.processes.map((p) => p.commandLine)));
    for (const p of run.processes) {
      assert.ok(p.threadTime, `${p.commandLine}: no threadTime`);
      assert.strictEqual(p.threadTime.source, 'schedstat');
      assert.ok(p.threadTime.cpuMs > 20, `${p.commandLine}: ${p.threadTime.cpuMs} ms CPU`);
      assert.ok(p.threadTime.cpuMs + (p.threadTime.runQueueMs ?? 0) <= p.wallMs + 20, `${p.commandLine}: CPU + run queue ${p.threadTime.cpuMs} + ${p.threadTime.runQueueMs} > wall ${p.wallMs}`);
    }
    const main = run.processes.find((p) => p.threadId === 0 && /waiting\.js/.test(p.commandLine))!;
    const blocked = main.wallMs - main.threadTime!.cpuMs - main.threadTime!.runQueueMs!;
    // 300 ms in Atomics.wait plus the whole child process: off CPU and not waiting for one.
    assert.ok(blocked >= 280, `main thread blocked only ${blocked} ms (wall ${main.wallMs}, CPU ${main.threadTime!.cpuMs}, run queue ${main.threadTime!.runQueueMs})`);
    const m = measuredThreads(model)!;
    assert.strictEqual(m.measured, 3);
    assert.ok(Math.abs(m.cpuMs - run.processes.reduce((a, p) => a + p.threadTime!.cpuMs, 0)) < 0.01);
  });

  it('labels spawnSync and readFileSync as waiting: their sampled time is counted apart, not as CPU', () => {
    const spawn = model.frames.find((f) => f.name === 'spawnSync' && f.blocking);
    assert.deepStrictEqual(spawn?.blocking, { kind: 'wait', what: 'child process' });
    assert.ok(model.frames.some((f) => f.blocking?.what === 'file system'), 'readFileSync (or its native read) is labelled');
    assert.ok(!model.frames.some((f) => f.name === 'crunch' && f.blocking), 'ordinary code is not');
    const waiting = sampledWaiting(model);
    // The parent sat in spawnSync for the child's whole run: at least the child's own CPU time (on a busy machine, more).
    const child = run.processes.find((p) => p.threadId === 0 && !/waiting\.js/.test(p.commandLine))!;
    if (linux) assert.ok(waiting.ms >= 0.8 * child.threadTime!.cpuMs, `sampled waiting ${waiting.ms} ms < child CPU ${child.threadTime!.cpuMs} ms`);
    assert.ok(waiting.samples > 0);
    const s = summarize(model);
    assert.strictEqual(s.waitingMs, Math.round(waiting.ms * 100) / 100);
    assert.match(s.onCpu!, linux ? /^Measured CPU of the profiled threads: [\d.]+ ms on CPU, [\d.]+ ms waiting for a CPU .* blocked or idle/ : /not measured/);
    assert.deepStrictEqual(s.topFunctions.find((f) => f.name === 'spawnSync')?.blocking, { kind: 'wait', what: 'child process' });
  });

  it('the flame graph puts waiting frames in their own category (legend entry, hatched); zlib and crypto sync are native work', () => {
    const cpu = toFlameGraphs(model).find((g) => g.kind === 'cpu')!;
    const spawnFrame = cpu.frames.find((f) => f.name === 'spawnSync' && cpu.categories[f.category].kind === 'waiting');
    assert.ok(spawnFrame, 'spawnSync is in a waiting category');
    assert.strictEqual(cpu.categories[spawnFrame.category].label, 'Waiting: child process (not CPU)');
    assert.ok(!cpu.frames.some((f) => f.name === 'crunch' && cpu.categories[f.category].kind === 'waiting'));
    assert.deepStrictEqual(blockingCall('processChunkSync', 'node:zlib'), { kind: 'cpu', what: 'zlib' });
    assert.deepStrictEqual(blockingCall('pbkdf2Sync', 'node:internal/crypto/pbkdf2'), { kind: 'cpu', what: 'crypto' });
    assert.strictEqual(blockingCall('readFileSync', 'file:///x.js'), undefined, 'a user function of that name is not');
  });

  it('hotpath profile prints the waiting label and measured CPU beside the sampled time; --json reports them', async () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    // The two CLI runs side by side: each is a real profiled run of the fixture.
    const profile = (json: boolean) => promisify(execFile)(process.execPath, [cli, 'profile', '--cpu', '--no-save', ...(json ? ['--json'] : []), '--', process.execPath, 'waiting.js'], { cwd: TARGETS, encoding: 'utf8' });
    const [out, { stdout: text }] = await Promise.all([profile(true).then((r) => r.stdout), profile(false)]);
    const j = JSON.parse(out);
    assert.ok(j.waitingMs > 0, `waitingMs ${j.waitingMs}`);
    if (linux) {
      assert.ok(j.measured.cpuMs > 0 && j.measured.measuredThreads === 3 && j.measured.runQueueMs !== null, JSON.stringify(j.measured));
      assert.ok(j.measured.cpuMs < j.cpuMs, `measured CPU ${j.measured.cpuMs} ms should be below the sampled ${j.cpuMs} ms (the waits are sampled too)`);
    }
    assert.match(text, /Top functions \(sampled time on the threads' stacks: /);
    assert.match(text, /spawnSync .*\[waiting \(child process\)\]/);
    assert.match(text, linux ? /Measured CPU of the profiled threads: / : /Measured CPU: not measured/);
  });
});
