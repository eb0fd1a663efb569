// Stopping a run: duration (graceful, profiles kept), startup mode, timeout and cancel (the whole
// tree ends, including a grandchild that escaped the process group).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { isAlive, runProcesses, waitGone } from '../../../src/core/runner/procTree';
import { runTarget } from '../../../src/core/runner/run';
import { buildPreload, tempDir, TARGETS, totalTimeByFunction } from './helpers';

const capture = { cpu: true, heap: false, imports: false };

describe('runner: stopping', function () {
  before(buildPreload);

  it('duration: stops with SIGTERM, the profile is kept and the signal reported', async () => {
    const r = await runTarget({ command: process.execPath, args: ['serve.js'], cwd: TARGETS, outDir: tempDir('dur'), capture, durationMs: 2500 });
    assert.strictEqual(r.signal, 'SIGTERM');
    assert.strictEqual(r.completed, false);
    assert.strictEqual(r.timedOut, false);
    assert.strictEqual(r.processes[0].ending, 'signal:SIGTERM');
    // Slow start-up on a loaded machine leaves fewer ticks: any sampled tick proves the profile was kept.
    assert.ok((totalTimeByFunction(r.processes[0].cpuProfile!).get('tick') ?? 0) > 0);
    assert.ok(r.wallMs >= 2400 && r.wallMs < 2500 + 3000, `wallMs ${r.wallMs}`);
  });

  it("stop: a program's own SIGTERM handler is left alone and its exit code kept", async () => {
    // Stopped once it is ready (its handler installed), with the abort reason 'stop'.
    const ac = new AbortController();
    const r = await runTarget({
      command: process.execPath, args: ['ownHandler.js'], cwd: TARGETS, outDir: tempDir('own'), capture, signal: ac.signal,
      onOutput: (text) => { if (/serving/.test(text)) setTimeout(() => ac.abort('stop'), 200); },
    });
    assert.strictEqual(r.exitCode, 7);
    assert.match(r.outputTail, /cleaning up/);
    assert.strictEqual(r.processes[0].ending, 'exit');
    assert.ok(r.processes[0].cpuProfile);
  });

  it('startup: stops once the server listens', async () => {
    const r = await runTarget({ command: process.execPath, args: ['server.js'], cwd: TARGETS, outDir: tempDir('startup'), capture, stopWhen: 'startup' });
    assert.match(r.outputTail, /listening/);
    assert.strictEqual(r.completed, false);
    // server.js never exits by itself: ending at all is the startup stop (generous for loaded machines).
    assert.ok(r.wallMs < 15_000, `took ${r.wallMs} ms`);
    assert.ok(fs.readdirSync(r.outDir).some((n) => n.endsWith('.startup')));
    assert.ok((totalTimeByFunction(r.processes[0].cpuProfile!).get('warmUp') ?? 0) > 0);
  });

  it('startup: a quiet launcher does not end the run before its child server listens', async () => {
    const r = await runTarget({ command: 'node launcher.js', cwd: TARGETS, outDir: tempDir('launcher'), capture: { cpu: true, heap: false, imports: false }, stopWhen: 'startup' });
    assert.match(r.outputTail, /listening/);
    assert.strictEqual(r.processes.length, 2, JSON.stringify(r.processes.map((p) => p.commandLine)));
    const server = r.processes.find((p) => /slowServer\.js/.test(p.commandLine))!;
    assert.ok((totalTimeByFunction(server.cpuProfile!).get('slowInit') ?? 0) > 0);
    assert.ok((totalTimeByFunction(server.cpuProfile!).get('warmUp') ?? 0) > 0);
  });

  it('timeout: ends a hanging tree, including a grandchild outside the process group', async () => {
    const pidsFile = path.join(tempDir('hang'), 'pids.json');
    const r = await runTarget({ command: `node hangTree.js ${pidsFile}`, cwd: TARGETS, outDir: tempDir('hang'), capture, timeoutMs: 6000 });
    assert.strictEqual(r.timedOut, true);
    assert.ok(r.notes!.some((n) => /timeout/.test(n)));
    const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as number[];
    assert.strictEqual(pids.length, 4);
    for (const pid of pids) assert.ok(!isAlive(pid), `pid ${pid} is still running`);
    // The hanging processes could still handle SIGTERM: their profiles were written.
    assert.ok(r.processes.filter((p) => p.cpuProfile).length >= 1);
  });

  it('cancel: AbortSignal ends every process of the tree and waits until they are gone', async () => {
    const pidsFile = path.join(tempDir('cancel'), 'pids.json');
    const ac = new AbortController();
    let rootPids: number[] = [];
    const promise = runTarget({
      command: process.execPath, args: ['hangTree.js', pidsFile], cwd: TARGETS, outDir: tempDir('cancel'), capture, signal: ac.signal,
      onOutput: (text) => {
        if (!/hanging/.test(text)) return;
        const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as number[];
        // The orphan (last) was re-parented to init: no ppid walk from the root finds it.
        assert.ok(!runProcesses(pids[0]).includes(pids[3]), 'orphan should be outside the tree');
        rootPids = [...new Set([...pids, ...runProcesses(pids[0])])];
        ac.abort();
      },
    });
    const r = await promise;
    assert.strictEqual(r.cancelled, true);
    assert.ok(rootPids.length >= 4, `found ${rootPids}`);
    const still = rootPids.filter(isAlive);
    assert.deepStrictEqual(still, [], `still running: ${still}`);
  });

  it('the runner exiting mid-run ends the whole tree it started', async () => {
    const dir = tempDir('runnerExit');
    const pidsFile = path.join(dir, 'pids.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(TARGETS, 'runnerExits.ts'), pidsFile, path.join(dir, 'out')], { encoding: 'utf8', timeout: 60_000 });
    assert.strictEqual(r.status, 0, r.stderr);
    const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as number[];
    assert.strictEqual(pids.length, 4);
    assert.deepStrictEqual(await waitGone(pids, 5000), []);
  });
});
