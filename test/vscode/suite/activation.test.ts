// Activation contract: lazy (never at start-up), every contributed command registered, and the
// heavy engines (TypeScript, ts-morph) not loaded by activation. Runs first (file order).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension } from './lib/helpers';

describe('activation', () => {
  it('declares no start-up activation and is not active before a Hotpath command or a JS/TS file', () => {
    const ext = extension();
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), `activationEvents has '*': ${events}`);
    assert.ok(!events.includes('onStartupFinished'), `activationEvents has onStartupFinished: ${events}`);
    assert.strictEqual(ext.isActive, false, 'nothing in the fixture workspace (no editor open yet) should have activated Hotpath');
  });

  it('activates through a command and registers every command in package.json', async () => {
    const ext = extension();
    await vscode.commands.executeCommand('hotpath.toggleAnnotations'); // cheap, needs no target
    await vscode.commands.executeCommand('hotpath.toggleAnnotations'); // and back
    assert.strictEqual(ext.isActive, true);
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    for (const id of ['hotpath.profile', 'hotpath.openProfile', 'hotpath.toggleAnnotations']) {
      assert.ok(contributed.includes(id), `package.json contributes ${id}`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], 'contributed but not registered');
  });

  it('shows the agreed command titles in the Hotpath category', () => {
    const commands: { command: string; title: string; category?: string }[] = extension().packageJSON.contributes.commands;
    const byId = new Map(commands.map((c) => [c.command, c]));
    assert.strictEqual(byId.get('hotpath.profile')?.title, 'Profile…');
    assert.strictEqual(byId.get('hotpath.openProfile')?.title, 'Open Profile…');
    assert.strictEqual(byId.get('hotpath.toggleAnnotations')?.title, 'Toggle Annotations');
    for (const c of commands) assert.strictEqual(c.category, 'Hotpath', `${c.command} category`);
  });

  it('does not load TypeScript or ts-morph on activation', () => {
    const repo = extension().extensionPath;
    // Loaded lazily means: neither the engine bundles nor the packages are in Node's module cache...
    const heavy = Object.keys(require.cache).filter((k) => k.startsWith(repo)
      && (/[\\/]node_modules[\\/](typescript|ts-morph|@ts-morph)[\\/]/.test(k) || /[\\/]dist[\\/]engines[\\/]/.test(k)));
    assert.deepStrictEqual(heavy.map((k) => path.relative(repo, k)), [], 'heavy modules in the require cache after activation');
    // ...and the compiler was not bundled into the activation bundle either.
    const main = path.join(repo, extension().packageJSON.main);
    assert.ok(!/versionMajorMinor = "\d/.test(fs.readFileSync(main, 'utf8')), `${main} contains the TypeScript compiler`);
  });

  it('loads none of its feature bundles on activation (each on its first use)', () => {
    const repo = extension().extensionPath;
    const dist = path.join(repo, path.dirname(extension().packageJSON.main));
    // The feature bundles src/extension/lazy.ts names (dist/ext-*.js) sit beside the activation bundle...
    const bundles = fs.readdirSync(dist).filter((f) => /^ext-\w+\.js$/.test(f));
    assert.ok(bundles.includes('ext-compare.js') && bundles.includes('ext-profileCore.js'), `feature bundles in ${dist}: ${bundles}`);
    // ...and activation required none of them.
    const loaded = Object.keys(require.cache).filter((k) => k.startsWith(dist) && /[\\/]ext-\w+\.js$/.test(k));
    assert.deepStrictEqual(loaded.map((k) => path.relative(repo, k)), [], 'feature bundles in the require cache after activation');
  });
});
