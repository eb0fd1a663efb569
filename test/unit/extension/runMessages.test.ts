// What the user is told after a run, decided on the results of real runs of small commands.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTarget } from '../../../src/core/runner/run';
import type { CaptureOptions, RunResult } from '../../../src/core/runner/types';
import { describeOutcome, noProfileReason } from '../../../src/extension/profile/runMessages';
import { buildPreload } from '../runner/helpers';

const capture: CaptureOptions = { cpu: true, heap: false, imports: false };

describe('run outcome messages (real runs)', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    buildPreload();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ext-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (command: string, extra: Partial<Parameters<typeof runTarget>[0]> = {}) =>
    runTarget({ command, cwd: dir, outDir: path.join(dir, `out-${Math.random().toString(36).slice(2)}`), capture, ...extra });

  it('a Node program exiting non-zero: profile kept, warning with the code and the output tail', async () => {
    const command = `node -e "let s=0; for (let i=0;i<3e6;i++) s+=i; console.error('boom at the end'); process.exit(3)"`;
    const result = await run(command);
    const outcome = describeOutcome(command, result, capture, false);
    assert.strictEqual(outcome.kind, 'profiled');
    assert.ok(outcome.kind === 'profiled' && outcome.warning);
    assert.match(outcome.warning!, /exited with code 3/);
    assert.match(outcome.warning!, /boom at the end/);
  });

  it('a Node program whose entry file is missing: could not start, no panel', async () => {
    const result = await run('node does-not-exist.js');
    assert.strictEqual(result.exitCode, 1);
    const outcome = describeOutcome('node does-not-exist.js', result, capture, false);
    assert.strictEqual(outcome.kind, 'startFailed');
    assert.match('message' in outcome ? outcome.message : '', /cannot find .*does-not-exist\.js/);
  });

  it('a missing module required later is the program failing, not failing to start', async () => {
    const command = `node -e "require('no-such-package-hotpath')"`;
    const result = await run(command);
    assert.strictEqual(result.exitCode, 1);
    assert.strictEqual(describeOutcome(command, result, capture, false).kind, 'profiled');
  });

  it('a command that is not Node: no profile, says why', async () => {
    const result = await run('echo not node');
    assert.strictEqual(result.exitCode, 0);
    const outcome = describeOutcome('echo not node', result, capture, false);
    assert.strictEqual(outcome.kind, 'noProfile');
    assert.match(outcome.kind === 'noProfile' ? outcome.message : '', /no Node\.js process ran/);
  });

  it('a command that does not exist: says it was not found', async () => {
    const result = await run('hotpath-no-such-program-xyz --flag');
    const outcome = describeOutcome('hotpath-no-such-program-xyz', result, capture, false);
    assert.ok(outcome.kind === 'noProfile' || outcome.kind === 'startFailed', outcome.kind);
    assert.match('message' in outcome ? outcome.message : '', /not found|could not start/);
  });

  it('cancel says every process was ended; a user stop shows the profile instead', async () => {
    const controller = new AbortController();
    const pending = run(`node -e "setInterval(() => { for (let i=0;i<1e5;i++); }, 1)"`, { signal: controller.signal });
    setTimeout(() => controller.abort('cancel'), 1500);
    const result: RunResult = await pending;
    assert.ok(result.cancelled);
    assert.strictEqual(describeOutcome('x', result, capture, false).kind, 'cancelled');
    const stopped = describeOutcome('x', result, capture, true);
    assert.strictEqual(stopped.kind, result.processes.length ? 'profiled' : 'noProfile');
  });

  it('a planned stop (duration limit) shows the profile without a failure warning', async () => {
    const command = `node -e "setInterval(() => { for (let i = 0; i < 1e5; i++); }, 1)"`;
    const result = await run(command, { durationMs: 1000 });
    assert.ok(!result.completed && !result.cancelled && !result.timedOut, JSON.stringify({ ...result, processes: result.processes.length }));
    const outcome = describeOutcome(command, result, capture, false);
    assert.deepStrictEqual(outcome, { kind: 'profiled', warning: undefined });
  });

  it('a timeout is reported with the limit and the setting', async () => {
    const result = await run(`node -e "setInterval(() => {}, 1000)"`, { timeoutMs: 1000 });
    assert.ok(result.timedOut);
    const outcome = describeOutcome('node idle', result, capture, false, 1000);
    const text = outcome.kind === 'profiled' ? outcome.warning! : 'message' in outcome ? outcome.message : '';
    assert.match(text, /longer than 1 s .*hotpath\.profile\.timeoutSeconds/);
  });

  it('says so when every capture is switched off', () => {
    const empty = { exitCode: 0, signal: null, wallMs: 1, timedOut: false, cancelled: false, completed: true, outDir: dir, processes: [], outputTail: '' };
    assert.match(noProfileReason(empty, { cpu: false, heap: false, imports: false }), /all switched off/);
  });
});
