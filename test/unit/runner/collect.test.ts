// What a run collects from its output folder, on real runs: only its own processes when the
// folder is reused, and a clear note when the command does not exist.
import * as assert from 'assert';
import { runTarget } from '../../../src/core/runner/run';
import { buildPreload, tempDir, TARGETS } from './helpers';

describe('runner: collecting a run', function () {
  this.timeout(120_000);
  before(buildPreload);

  it('a second run into the same folder reports only its own process, not the earlier run\'s', async () => {
    const out = tempDir('reuse');
    const capture = { cpu: true, heap: false, imports: false };
    const first = await runTarget({ command: `"${process.execPath}" -e "1"`, cwd: TARGETS, outDir: out, capture });
    const second = await runTarget({ command: `"${process.execPath}" -e "2"`, cwd: TARGETS, outDir: out, capture });
    assert.strictEqual(first.processes.length, 1);
    assert.strictEqual(second.processes.length, 1, JSON.stringify(second.processes.map((p) => p.commandLine)));
    assert.notStrictEqual(second.processes[0].pid, first.processes[0].pid);
    assert.match(second.processes[0].commandLine, /-e 2/);
  });

  it('a command the shell cannot find: no process, exit 127, a note naming the cause', async () => {
    const r = await runTarget({ command: 'hotpath-no-such-command-xyz --flag', cwd: TARGETS, outDir: tempDir('nf'), capture: { cpu: true, heap: false, imports: false } });
    assert.strictEqual(r.exitCode, 127);
    assert.strictEqual(r.processes.length, 0);
    assert.ok(r.notes?.some((n) => /could not find the command \(exit code 127\)/.test(n)), JSON.stringify(r.notes));
    assert.ok(!r.notes?.some((n) => /is it a Node program/.test(n)), JSON.stringify(r.notes));
  });
});
