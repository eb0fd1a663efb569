// Real runs of the fixture programs under the preload: which processes were captured, how they
// ended, and whether their hot functions are in their own profiles.
import * as assert from 'assert';
import * as fs from 'fs';
import { runTarget } from '../../../src/core/runner/run';
import { DEFAULT_CPU_INTERVAL_US, type RunResult } from '../../../src/core/runner/types';
import * as path from 'path';
import { buildPreload, ROOT, selfTimeByFunction, stalledShare, tempDir, TARGETS, totalTimeByFunction } from './helpers';
import { buildOnly } from '../build';

function run(command: string, extra: Partial<Parameters<typeof runTarget>[0]> = {}): Promise<RunResult> {
  return runTarget({ command, cwd: TARGETS, outDir: tempDir('run'), capture: { cpu: true, heap: false, imports: false }, ...extra });
}

describe('runner: capture', function () {
  before(buildPreload);

  it('ranks two functions by their share of time (~70/30)', async () => {
    const r = await run(`"${process.execPath}" twoShares.js`);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.strictEqual(r.processes.length, 1);
    const total = totalTimeByFunction(r.processes[0].cpuProfile!);
    const a = total.get('hotSeventy') ?? 0;
    const b = total.get('hotThirty') ?? 0;
    assert.ok(a > b, `hotSeventy ${a} µs should outrank hotThirty ${b} µs`);
    const share = a / (a + b);
    // Within 0.1, plus the share of time the sampler did not see: a stop of a busy machine is
    // credited whole to one sample, on either function (at load 30 the share read 0.551).
    const band = 0.1 + stalledShare(r.processes[0].cpuProfile!, DEFAULT_CPU_INTERVAL_US);
    assert.ok(Math.abs(share - 0.7) <= band, `hotSeventy share ${share.toFixed(3)} not within 0.7 ± ${band.toFixed(3)}`);
    // The two together are most of the 1.2 s the fixture spends working.
    assert.ok(a + b > 900_000, `only ${a + b} µs sampled in the two functions`);
  });

  it('captures a parent and the Node child it spawns, each with its own hot function', async () => {
    const r = await run('node parentChild.js');
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.strictEqual(r.processes.length, 2, JSON.stringify(r.processes));
    const [parent, child] = r.processes;
    assert.strictEqual(child.ppid, parent.pid);
    assert.match(parent.commandLine, /parentChild\.js/);
    assert.match(child.commandLine, /childHot\.js/);
    // Presence, not amounts: on a loaded machine a starved sampler shifts time between samples.
    const parentHot = totalTimeByFunction(parent.cpuProfile!).get('parentHot') ?? 0;
    const childHot = totalTimeByFunction(child.cpuProfile!).get('childHot') ?? 0;
    assert.ok(parentHot > 0 && childHot > 0, `parentHot ${parentHot} µs, childHot ${childHot} µs`);
    assert.ok(!totalTimeByFunction(parent.cpuProfile!).has('childHot'));
  });

  it('captures a worker thread separately', async () => {
    const r = await run('node worker.js');
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const worker = r.processes.find((p) => p.threadId > 0);
    const main = r.processes.find((p) => p.threadId === 0);
    assert.ok(worker && main, JSON.stringify(r.processes.map((p) => [p.pid, p.threadId, p.ending])));
    assert.strictEqual(worker!.pid, main!.pid);
    const workerHot = totalTimeByFunction(worker!.cpuProfile!).get('workerHot') ?? 0;
    const mainHot = totalTimeByFunction(main!.cpuProfile!).get('mainHot') ?? 0;
    assert.ok(workerHot > 0 && mainHot > 0, `workerHot ${workerHot} µs, mainHot ${mainHot} µs`);
    assert.ok(!totalTimeByFunction(main!.cpuProfile!).has('workerHot'), 'worker samples leaked into the main thread profile');
  });

  it('keeps the profile and exit code of process.exit(3)', async () => {
    const r = await run('node exitCode.js');
    assert.strictEqual(r.exitCode, 3);
    assert.strictEqual(r.processes[0].ending, 'exit');
    // Present at all: a starved sampler thread (loaded machine) can shift time to a neighbour sample.
    assert.ok((totalTimeByFunction(r.processes[0].cpuProfile!).get('beforeExit') ?? 0) > 0);
  });

  it('keeps the profile and output tail of a crashing target', async () => {
    const r = await run('node crash.js');
    assert.strictEqual(r.exitCode, 1);
    assert.match(r.outputTail, /fixture crash: boom/);
    assert.match(r.outputTail, /about to crash/);
    assert.ok(r.completed);
    assert.ok((totalTimeByFunction(r.processes[0].cpuProfile!).get('workThenCrash') ?? 0) > 50_000);
  });

  it('reports a SIGKILLed process as killed, without a profile', async () => {
    const r = await run('node selfKill.js');
    // The shell reports its child's SIGKILL as exit code 128 + 9.
    assert.ok(r.signal === 'SIGKILL' || r.exitCode === 137, `${r.exitCode} ${r.signal}`);
    assert.strictEqual(r.processes.length, 1);
    assert.strictEqual(r.processes[0].ending, 'killed');
    assert.strictEqual(r.processes[0].cpuProfile, undefined);
    assert.ok(r.notes!.some((n) => /SIGKILL/.test(n)), r.notes!.join('\n'));
  });

  it('says so when the command starts no Node process', async () => {
    for (const command of ['sh -c "echo hi"', 'python3 -c "print(1)" || echo no python']) {
      const r = await run(command);
      assert.strictEqual(r.exitCode, 0);
      assert.strictEqual(r.processes.length, 0);
      assert.ok(r.notes!.some((n) => /No Node\.js process was started/.test(n)), r.notes!.join('\n'));
    }
  });

  it('reports a command that cannot start', async () => {
    const r = await runTarget({ command: 'definitely-not-a-command-hotpath', args: [], cwd: TARGETS, outDir: tempDir('nostart'), capture: { cpu: true, heap: false, imports: false } });
    assert.match(r.error ?? '', /Could not start "definitely-not-a-command-hotpath": .*ENOENT/);
    assert.strictEqual(r.processes.length, 0);
  });

  it('samples allocations including objects already collected (heap)', async () => {
    const r = await run('node alloc.js', { capture: { cpu: false, heap: true, imports: false } });
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const p = r.processes[0];
    assert.strictEqual(p.cpuProfile, undefined);
    const heap = JSON.parse(fs.readFileSync(p.heapProfile!, 'utf8'));
    let churn = 0;
    const walk = (n: { callFrame: { functionName: string }; selfSize: number; children: unknown[] }) => {
      if (n.callFrame.functionName === 'churn') churn += n.selfSize;
      n.children.forEach((c) => walk(c as typeof n));
    };
    walk(heap.head);
    // ~3 x 1e6 objects of 50+ bytes: far more than would still be alive at the end.
    assert.ok(churn > 50 * 1048576, `churn allocated only ${churn} sampled bytes`);
  });

  it('quotes a preload path with spaces and quotes for NODE_OPTIONS, keeping existing options', async () => {
    const dir = path.join(tempDir('quote'), 'a "b" c');
    fs.mkdirSync(dir);
    const preload = path.join(dir, 'preload.js');
    fs.copyFileSync(path.join(ROOT, 'dist', 'preload.js'), preload);
    const r = await run('node -e "console.log(process.execArgv.length, require(\'v8\').getHeapStatistics().heap_size_limit < 400e6)"', { preloadPath: preload, env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.match(r.outputTail, /true/);
    assert.strictEqual(r.processes.length, 1);
    assert.ok(r.processes[0].cpuProfile);
  });

  it('does not let the preload profile the node binary used by an unrelated NODE_OPTIONS value', async () => {
    const r = await run('node exitCode.js', { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    assert.strictEqual(r.exitCode, 3);
    assert.strictEqual(r.processes.length, 1);
    assert.ok(selfTimeByFunction(r.processes[0].cpuProfile!).size > 0);
  });
});

describe('runner: the Hotpath CLI itself', function () {
  before(buildPreload);

  it('is never profiled, even when its process inherits the preload', async () => {
    const cli = require('path').join(__dirname, '../../../dist/cli.js');
    if (!fs.existsSync(cli)) buildOnly('cli');
    const r = await runTarget({ command: process.execPath, args: [cli, '--help'], cwd: TARGETS, outDir: tempDir('self'), capture: { cpu: true, heap: false, imports: false } });
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.match(r.outputTail, /Usage: hotpath/);
    assert.strictEqual(r.processes.length, 0);
  });
});
