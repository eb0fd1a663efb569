// Module load timing written by the preload: the CommonJS tree with self/inclusive times and the
// ESM tree with parents from the loader hooks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runTarget } from '../../../src/core/runner/run';
import type { ImportsFile, ImportRecord } from '../../../src/core/runner/types';
import { buildPreload, tempDir, TARGETS } from './helpers';

async function importsOf(command: string, args: string[]): Promise<ImportRecord[]> {
  const r = await runTarget({ command, args, cwd: TARGETS, outDir: tempDir('imports'), capture: { cpu: false, heap: false, imports: true } });
  assert.strictEqual(r.exitCode, 0, r.outputTail);
  assert.strictEqual(r.processes.length, 1);
  const file = JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile;
  assert.strictEqual(file.version, 1);
  assert.strictEqual(file.pid, r.processes[0].pid);
  return file.modules;
}

describe('runner: module load timing', function () {
  before(buildPreload);

  it('CommonJS: parent -> child tree with plausible self and inclusive times', async () => {
    const mods = await importsOf(process.execPath, ['cjsTree/main.js']);
    const at = (name: string) => {
      const m = mods.find((x) => x.file === path.join(TARGETS, 'cjsTree', name));
      assert.ok(m, `${name} not recorded: ${mods.map((x) => x.file).join(', ')}`);
      return m!;
    };
    const main = at('main.js'), slow = at('slow.js'), leaf = at('leaf.js'), fast = at('fast.js');
    assert.strictEqual(main.parent, null);
    assert.strictEqual(slow.parent, main.file);
    assert.strictEqual(leaf.parent, slow.file);
    assert.strictEqual(fast.parent, main.file);
    assert.strictEqual(slow.request, './slow');
    assert.ok(slow.selfUs >= 40_000, `slow.js self ${slow.selfUs} µs (busy-waits 50 ms)`);
    assert.ok(leaf.selfUs >= 15_000, `leaf.js self ${leaf.selfUs} µs (busy-waits 20 ms)`);
    // Inclusive = own time + children: slow.js includes leaf.js, main.js includes both.
    assert.ok(slow.totalUs >= slow.selfUs + leaf.totalUs - 1, `${slow.totalUs} < ${slow.selfUs} + ${leaf.totalUs}`);
    assert.ok(main.totalUs >= slow.totalUs + fast.totalUs);
    assert.ok(fast.totalUs < 10_000, `fast.js took ${fast.totalUs} µs`);
    assert.ok(slow.startUs > main.startUs && leaf.startUs > slow.startUs);
    // Nothing the preload itself requires is attributed to the program.
    assert.ok(!mods.some((m) => m.parent && /preload\.js$/.test(m.parent)), 'preload requires leaked into the tree');
  });

  it('ESM: modules recorded with the importer as parent', async () => {
    const mods = await importsOf(process.execPath, ['esm/main.mjs']);
    const byName = (name: string) => mods.find((x) => x.file === path.join(TARGETS, 'esm', name));
    const main = byName('main.mjs'), heavy = byName('heavy.mjs'), util = byName('util.mjs');
    assert.ok(main && heavy && util, JSON.stringify(mods));
    assert.strictEqual(main!.parent, null);
    assert.strictEqual(main!.kind, 'esm');
    assert.strictEqual(heavy!.parent, main!.file);
    assert.strictEqual(heavy!.request, './heavy.mjs');
    assert.strictEqual(util!.parent, heavy!.file);
    const nodePath = mods.find((x) => x.file === 'node:path');
    assert.ok(nodePath && nodePath.kind === 'builtin' && nodePath.parent === main!.file, JSON.stringify(nodePath));
    // Evaluation time of ESM is in the CPU profile; the hooks measure resolve + load only.
    assert.strictEqual(heavy!.totalUs, -1);
    assert.ok(typeof heavy!.loadUs === 'number' && heavy!.loadUs >= 0);
  });

  it('ESM: a .js entry under "type": "module" gets the hooks too', async () => {
    const mods = await importsOf(process.execPath, ['esmPkg/main.js']);
    const dep = mods.find((x) => x.file === path.join(TARGETS, 'esmPkg', 'dep.js'));
    assert.ok(dep && dep.parent === path.join(TARGETS, 'esmPkg', 'main.js') && dep.kind === 'esm', JSON.stringify(mods));
  });

  it('CommonJS programs do not pay for the ESM loader thread', async () => {
    const r = await runTarget({ command: process.execPath, args: ['cjsTree/main.js'], cwd: TARGETS, outDir: tempDir('noesm'), capture: { cpu: true, heap: false, imports: true } });
    const profile = fs.readFileSync(r.processes[0].cpuProfile!, 'utf8');
    assert.ok(!profile.includes('waitForWorker'), 'the ESM hooks thread was started for a CommonJS program');
  });
});
