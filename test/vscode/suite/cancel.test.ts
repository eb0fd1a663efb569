// Cancel and stop end the whole process tree of the target (a parent and its Node child that
// never exit on their own), and nothing is left running afterwards.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, processesWith, waitFor, workspaceDir, type CommandResult } from './lib/helpers';

/** The extension's API (the object `activate` returns): the runs in progress. */
function activeRuns(): Set<AbortController> {
  const api = extension().exports as { activeRuns?: Set<AbortController> } | undefined;
  assert.ok(api?.activeRuns instanceof Set, 'activate() returns its services with activeRuns');
  return api.activeRuns;
}

/** Starts the run; `pending` is wrapped so awaiting this function does not await the run. */
async function startForever(marker: string): Promise<{ pending: Thenable<CommandResult | undefined> }> {
  await extension().activate();
  const ready = path.join(os.tmpdir(), marker);
  const pending = vscode.commands.executeCommand<CommandResult | undefined>('hotpath.profile', { command: `node forever.js ${marker} --ready=${ready}`, cwd: workspaceDir() });
  // Both processes run their own code (so the profiler preload is installed in each).
  await waitFor('forever.js and its child to start', () => fs.existsSync(`${ready}.parent`) && fs.existsSync(`${ready}.child`), 30_000);
  for (const role of ['parent', 'child']) fs.rmSync(`${ready}.${role}`);
  await new Promise((r) => setTimeout(r, 500)); // let both record some samples
  return { pending };
}

async function assertNothingLeft(marker: string): Promise<void> {
  // The command resolves after the tree is gone; allow a moment for the kernel to reap.
  await waitFor(`no process with ${marker}`, () => processesWith(marker).length === 0, 5000)
    .catch(() => assert.fail(`still running: ${JSON.stringify(processesWith(marker))}`));
}

describe('cancel and stop', () => {
  it('cancel ends the target and its child and resolves to undefined', async () => {
    const marker = `hotpath-cancel-${process.pid}-${Date.now()}`;
    const { pending } = await startForever(marker);
    const runs = activeRuns();
    assert.strictEqual(runs.size, 1, 'one run in progress');
    for (const run of runs) run.abort('cancel'); // what the progress notification's Cancel does
    assert.strictEqual(await pending, undefined);
    await assertNothingLeft(marker);
    assert.strictEqual(runs.size, 0, 'no run in progress');
  });

  it('"Hotpath: Stop Profiling" ends the tree and shows what both processes recorded', async () => {
    const marker = `hotpath-stop-${process.pid}-${Date.now()}`;
    const { pending } = await startForever(marker);
    await vscode.commands.executeCommand('hotpath.stopProfile');
    const result = await pending;
    await assertNothingLeft(marker);
    assert.ok(result, 'stop keeps the profile and opens it');
    assert.ok(result.processes >= 2, `parent and child profiled, got ${JSON.stringify(result)}`);
    assert.ok(result.topFunctions.some((f) => f.name === 'spinForever' || f.file.endsWith('forever.js')), JSON.stringify(result.topFunctions.slice(0, 5)));
  });
});
