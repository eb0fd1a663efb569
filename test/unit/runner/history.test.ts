// The run store on disk: save, list, load, and damaged entries skipped with a warning.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createRunDir, listRuns, loadRunRecord, saveRun } from '../../../src/core/history';
import { runTarget } from '../../../src/core/runner/run';
import { buildPreload, ROOT, tempDir, TARGETS } from './helpers';

describe('history: run store', function () {
  before(buildPreload);

  it('stores a real run with git state, lists it and loads it back with absolute profile paths', async () => {
    const store = tempDir('store');
    const { id, dir } = createRunDir(store);
    const capture = { cpu: true, heap: false, imports: true };
    const r = await runTarget({ command: 'node exitCode.js', cwd: TARGETS, outDir: dir, capture });
    const saved = await saveRun(store, {
      id, command: 'node exitCode.js', cwd: TARGETS, nodeVersion: r.processes[0].nodeVersion, startedAt: new Date(r.startedAt!).toISOString(),
      wallMs: r.wallMs, exitCode: r.exitCode, signal: r.signal, capture, engine: 'inspector', timedOut: false, cancelled: false, processes: r.processes, notes: [],
    });
    // The fixtures live in this repository: the commit is HEAD's.
    const head = require('child_process').execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    assert.strictEqual(saved.git?.commit, head);
    assert.strictEqual(typeof saved.git?.dirty, 'boolean');
    assert.strictEqual(saved.processes[0].cpuProfile, path.basename(r.processes[0].cpuProfile!));

    const listed = listRuns(store);
    assert.deepStrictEqual(listed.warnings, []);
    assert.deepStrictEqual(listed.runs.map((x) => x.id), [id]);
    assert.strictEqual(listed.runs[0].exitCode, 3);
    const loaded = loadRunRecord(store, id);
    assert.ok(loaded.record, loaded.error);
    assert.ok(fs.existsSync(loaded.record!.processes[0].cpuProfile!));
    assert.ok(fs.existsSync(loaded.record!.processes[0].importsFile!));
  });

  it('copies profiles written elsewhere into the run folder; no git state outside a repository', async () => {
    const store = tempDir('store2');
    const elsewhere = tempDir('elsewhere');
    fs.writeFileSync(path.join(elsewhere, '1-0.cpuprofile'), '{"nodes":[],"samples":[],"timeDeltas":[],"startTime":0,"endTime":0}');
    const proc = { pid: 1, ppid: 0, threadId: 0, commandLine: 'node x', argv: ['node', 'x'], cwd: elsewhere, nodeVersion: 'v20', wallMs: 1, ending: 'exit', cpuProfile: path.join(elsewhere, '1-0.cpuprofile') };
    const saved = await saveRun(store, {
      id: 'run-a', command: 'node x', cwd: elsewhere, nodeVersion: 'v20', startedAt: new Date().toISOString(), wallMs: 1, exitCode: 0, signal: null,
      capture: { cpu: true, heap: false, imports: false }, engine: 'inspector', timedOut: false, cancelled: false, processes: [proc], notes: [],
    });
    assert.strictEqual(saved.git, undefined);
    assert.ok(fs.existsSync(path.join(store, 'run-a', '1-0.cpuprofile')));
  });

  it('skips a corrupted or unfinished entry with a warning, never throws', async () => {
    const store = tempDir('store3');
    const good = createRunDir(store);
    await saveRun(store, {
      id: good.id, command: 'x', cwd: store, nodeVersion: 'v20', startedAt: new Date().toISOString(), wallMs: 1, exitCode: 0, signal: null,
      capture: { cpu: true, heap: false, imports: false }, engine: 'inspector', timedOut: false, cancelled: false, processes: [], notes: [],
    });
    fs.mkdirSync(path.join(store, 'broken'));
    fs.writeFileSync(path.join(store, 'broken', 'run.json'), '{"version":1,"id":"bro');
    fs.mkdirSync(path.join(store, 'unfinished'));
    const listed = listRuns(store);
    assert.deepStrictEqual(listed.runs.map((x) => x.id), [good.id]);
    assert.strictEqual(listed.warnings.length, 2, listed.warnings.join('\n'));
    assert.ok(listed.warnings.some((w) => /broken: .*JSON/.test(w)), listed.warnings.join('\n'));
    assert.ok(listed.warnings.some((w) => /unfinished: no run\.json/.test(w)));
    assert.match(loadRunRecord(store, 'broken').error ?? '', /Run broken cannot be read/);
    assert.deepStrictEqual(listRuns(path.join(store, 'missing')), { runs: [], warnings: [] });
  });
});
