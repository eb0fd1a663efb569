// The extension as a user installs it: the harness installed the packaged .vsix into code-server
// (`--install-extension`) and runs this suite against that installed folder (HOTPATH_VSCODE_ONLY=
// packaged). The 0x engine is not in the package: without 0x in the workspace a profile fails
// with a hint and is not stored as a run; after following the hint (`npm install --save-dev 0x`
// in the workspace folder, as the message says) the same profile runs under 0x.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStore } from '../../../src/extension/runs/runStore';
import { describeTop, extension, workspaceDir, type CommandResult } from './lib/helpers';

describe('the installed .vsix: the 0x engine', function () {
  this.timeout(600_000);
  let runs: RunStore;
  const storedRuns = () => runs.list().runs.length;
  const workspaceRuns = () => (fs.existsSync(path.join(workspaceDir(), '.hotpath', 'runs')) ? fs.readdirSync(path.join(workspaceDir(), '.hotpath', 'runs')).length : 0);

  before(async () => {
    const ext = extension();
    // The installed copy, not the repository: the harness points extensionDevelopmentPath at it.
    const installed = process.env.HOTPATH_INSTALLED_EXTENSION;
    assert.ok(installed, 'HOTPATH_INSTALLED_EXTENSION is set by the harness');
    assert.strictEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(installed));
    assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'node_modules')), 'the package bundles its dependencies');
    if (!ext.isActive) await ext.activate();
    runs = (ext.exports as { runs: RunStore }).runs;
    await vscode.workspace.getConfiguration('hotpath').update('engine', '0x', vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('hotpath').update('engine', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('without 0x in the workspace: no profile, nothing stored in Profile Runs or .hotpath/runs', async () => {
    const before = { stored: storedRuns(), workspace: workspaceRuns(), folders: fs.existsSync(runs.storeDir) ? fs.readdirSync(runs.storeDir).length : 0 };
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('hotpath.profile', { command: 'node main.js', cwd: workspaceDir() });
    assert.strictEqual(result, undefined);
    assert.strictEqual(storedRuns(), before.stored, 'a run that could not start is not a run');
    assert.strictEqual(workspaceRuns(), before.workspace);
    assert.strictEqual(fs.existsSync(runs.storeDir) ? fs.readdirSync(runs.storeDir).length : 0, before.folders, 'no empty run folder left');
  });

  it('after `npm install --save-dev 0x` in the workspace (the hint): profiles under 0x, with tiers, stored', async () => {
    // The version the repository tests with, so npm can take it from its cache.
    const version = JSON.parse(fs.readFileSync(path.join(process.env.HOTPATH_TEST_FIXTURES!, '..', '..', 'node_modules', '0x', 'package.json'), 'utf8')).version;
    execFileSync('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', `0x@${version}`], { cwd: workspaceDir(), stdio: 'pipe', timeout: 300_000 });
    const before = storedRuns();
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('hotpath.profile', { command: 'node main.js', cwd: workspaceDir() });
    assert.ok(result, 'the 0x profile opened');
    assert.ok(result.topFunctions.some((f) => f.name === 'computePrimes'), describeTop(result));
    assert.strictEqual(storedRuns(), before + 1);
    const stored = runs.list().runs[0];
    assert.strictEqual(stored.engine, '0x');
    const cpu = stored.processes.find((p) => p.cpuProfile)?.cpuProfile;
    assert.ok(cpu, 'a CPU profile converted from 0x\'s tick log');
    const profile = JSON.parse(fs.readFileSync(path.resolve(runs.storeDir, stored.id, cpu), 'utf8'));
    assert.strictEqual(profile.$hotpath?.engine, '0x');
    assert.ok(Object.keys(profile.$hotpath.tiers).length > 0, 'optimization tiers recorded');
  });
});
