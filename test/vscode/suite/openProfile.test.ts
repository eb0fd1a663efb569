// "Hotpath: Open Profile…" on a .cpuprofile recorded just now from the fixture by plain
// `node --cpu-prof`, and on a corrupt file.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { describeTop, lineOf, workspaceDir, type CommandResult } from './lib/helpers';

describe('hotpath.openProfile', () => {
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-open-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('opens a .cpuprofile written by node --cpu-prof and finds computePrimes', async () => {
    const cwd = workspaceDir();
    // process.execPath is the extension host's Node: a real V8 profile of the fixture program.
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', tmp, '--cpu-prof-name', 'main.cpuprofile', 'main.js'], { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    const file = path.join(tmp, 'main.cpuprofile');
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.openProfile', file);
    assert.ok(result, 'the command resolved to a result');
    assert.ok(result.panelId, 'a flame panel was opened');
    const hot = result.topFunctions.find((f) => f.name === 'computePrimes');
    assert.ok(hot, `computePrimes in topFunctions: ${describeTop(result)}`);
    assert.strictEqual(path.basename(hot.file), 'main.js');
    assert.strictEqual(hot.line, lineOf(path.join(cwd, 'main.js'), 'function computePrimes('));
    assert.ok(hot.selfMs > 100, `selfMs ${hot.selfMs}`);
  });

  it('accepts a Uri as well as a path', async () => {
    const file = path.join(tmp, 'main.cpuprofile');
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.openProfile', vscode.Uri.file(file));
    assert.ok(result?.topFunctions.some((f) => f.name === 'computePrimes'), describeTop(result));
  });

  it('refuses a corrupt profile with undefined instead of throwing', async () => {
    const bad = path.join(tmp, 'corrupt.cpuprofile');
    fs.writeFileSync(bad, '{"nodes": [ {"id": 1, "callFrame": ');
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('hotpath.openProfile', bad);
    assert.strictEqual(result, undefined);
  });
});
