// "Hotpath: Profile…" through its automation argument, on the fixture workspace's real programs.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { describeTop, lineOf, workspaceDir, type CommandResult } from './lib/helpers';

function hotFunction(result: CommandResult | undefined) {
  return result?.topFunctions.find((f) => f.name === 'computePrimes');
}

describe('hotpath.profile', () => {
  it('profiles `node main.js` and names computePrimes, at its line, as the hottest workspace function', async () => {
    const cwd = workspaceDir();
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.profile', { command: 'node main.js', cwd });
    assert.ok(result, 'the command resolved to a result (see the Hotpath output channel if not)');
    assert.ok(typeof result.panelId === 'string' && result.panelId.length > 0, 'a flame panel was opened');
    assert.ok(result.processes >= 1, `processes: ${result.processes}`);
    const hot = hotFunction(result);
    assert.ok(hot, `computePrimes in topFunctions: ${describeTop(result)}`);
    assert.strictEqual(path.basename(hot.file), 'main.js');
    assert.strictEqual(hot.line, lineOf(path.join(cwd, 'main.js'), 'function computePrimes('));
    // main.js spends ~0.8 s in computePrimes on an idle machine; sampled time must be well above noise.
    assert.ok(hot.selfMs > 100, `computePrimes selfMs ${hot.selfMs}`);
    assert.ok(hot.totalMs >= hot.selfMs, `totalMs ${hot.totalMs} >= selfMs ${hot.selfMs}`);
    const workspaceFns = result.topFunctions.filter((f) => f.file && !f.file.startsWith('node:') && !path.isAbsolute(f.file) && f.line > 0);
    assert.strictEqual(workspaceFns.sort((a, b) => b.selfMs - a.selfMs)[0]?.name, 'computePrimes', describeTop(result));
  });

  it('profiles `npm start`: npm and the node process it starts are both profiled', async () => {
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.profile', { command: 'npm start', cwd: workspaceDir() });
    assert.ok(result, 'the command resolved to a result');
    assert.ok(result.processes >= 2, `npm plus node main.js, got ${result.processes} process(es)`);
    assert.ok(hotFunction(result), `computePrimes in topFunctions: ${describeTop(result)}`);
  });

  it('reports a command that cannot start without throwing or opening a panel', async () => {
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('hotpath.profile', { command: 'hotpath-no-such-program --flag', cwd: workspaceDir() });
    assert.strictEqual(result, undefined, 'no Node process ran, so there is no profile to show');
  });

  it('still shows the profile of a target that exits non-zero', async () => {
    // The issue: "A command that cannot start or exits non-zero: its output and exit code are
    // shown, with any profile that was written." main.js runs in full, then the process exits 3.
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('hotpath.profile', { command: 'node -e "require(\'./main.js\'); process.exit(3)"', cwd: workspaceDir() });
    assert.ok(result, 'the profile written before the non-zero exit is shown');
    assert.ok(hotFunction(result), describeTop(result));
  });
});
