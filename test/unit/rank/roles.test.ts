// A small CLI package (test/fixtures/rank-cli): its extensionless bin entry is ranked and fixable,
// tests/examples/scripts are left out unless asked, subpath imports are charged their own file,
// several heavy imports add their milliseconds, and in a measured run a module that finds a
// package already loaded is not charged for it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createRankState, rankWorkspace, rescoreFile, roleOf, scanWorkspace, timeScore } from '../../../src/core/rank';
import { loadMeasuredFiles } from '../../../src/core/rank/loadMeasured';
import { analyzeFile, listSourceFiles } from '../../../src/core/refactor';
import { runTarget } from '../../../src/core/runner/run';
import { tempDir } from '../tempDirs';
import { byFile, FIXTURES } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const root = path.join(FIXTURES, 'rank-cli');

describe('rank: a CLI package (bin without extension, roles, subpaths, several heavy imports)', function () {
  this.timeout(120_000);

  it('ranks the extensionless bin entry (#!/usr/bin/env node) with lazy-load at its import, and the fixes offer it', async () => {
    const r = await rankWorkspace(root);
    const bin = byFile(r, 'bin/rank-cli');
    assert.strictEqual(bin.role, 'product');
    assert.deepStrictEqual(bin.patterns.find((p) => p.kind === 'lazy-load')?.sites.map((s) => s.line), [4]);
    assert.strictEqual(bin.tieBreak!.startup, true, 'package.json bin names it');
    // The fixes scan lists it and offers the lazy-load as safe.
    assert.ok(listSourceFiles(root).files.includes(path.join(root, 'bin', 'rank-cli')));
    const file = path.join(root, 'bin', 'rank-cli');
    const fix = analyzeFile(file, fs.readFileSync(file, 'utf8')).find((f) => f.kind === 'lazy-import');
    assert.ok(fix && fix.safe, JSON.stringify(fix));
    // Re-scoring a saved bin file works too (not ignored as "not a JavaScript/TypeScript file").
    const state = createRankState(await scanWorkspace(root));
    assert.ok('module' in rescoreFile(state, file));
    assert.ok('ignored' in rescoreFile(state, path.join(root, 'package.json')));
  });

  it('lists only the product by default; tests, examples and scripts are counted, and listed with `all`', async () => {
    const r = await rankWorkspace(root);
    assert.deepStrictEqual(r.modules.map((m) => m.file).sort(), ['bin/rank-cli', 'lib/double.js', 'lib/formats.js', 'lib/index.js']);
    assert.deepStrictEqual(r.leftOut, { test: 1, example: 1, script: 1 });
    const all = await rankWorkspace(root, { all: true });
    assert.strictEqual(all.modules.length, 7);
    assert.deepStrictEqual(all.leftOut, {});
    assert.strictEqual(byFile(all, 'test/cli.test.js').role, 'test');
    assert.strictEqual(byFile(all, 'examples/demo.js').role, 'example');
    assert.strictEqual(byFile(all, 'scripts/build.js').role, 'script');
    // Without `all`, the test file that loads everything no longer tops the list.
    assert.strictEqual(all.modules[0].file, 'test/cli.test.js');
    assert.strictEqual(r.modules[0].file, 'bin/rank-cli');
  });

  it('roles from paths: folders at any depth, test/bench/config file names; product otherwise', () => {
    const cases: [string, string][] = [
      ['lib/index.js', 'product'], ['lib/config.js', 'product'], ['lib/test-utils.js', 'product'], ['src/testing.ts', 'product'],
      ['test/a.js', 'test'], ['packages/x/__tests__/a.ts', 'test'], ['src/a.test.ts', 'test'], ['src/a.spec.mjs', 'test'],
      ['test/fixtures/a.js', 'test'], ['fixtures/a.js', 'fixture'], ['examples/a.js', 'example'], ['demo/a.js', 'example'],
      ['bench/a.js', 'benchmark'], ['src/a.bench.ts', 'benchmark'], ['scripts/a.js', 'script'], ['eslint.config.js', 'script'],
      ['vite.config.ts', 'script'], ['gulpfile.js', 'script'],
    ];
    for (const [file, role] of cases) assert.strictEqual(roleOf(file), role, file);
  });

  it('charges a subpath import its own file, not the whole package (nor its lighter-alternative advice)', async () => {
    const r = await rankWorkspace(root);
    const index = byFile(r, 'lib/index.js');
    const deps = index.factors.heavyDependencies;
    // lodash's whole-package estimate (20 ms, score 4.4) does not apply to lodash/map.
    assert.ok(deps.score < 1, JSON.stringify(deps));
    assert.match(deps.evidence.join('\n'), /'lodash\/map' loaded at top level \(line 2\): ~0\.0 ms \(estimated from 0\.0 MB on disk \(measured, that file\)\)/);
    assert.ok(!index.patterns.some((p) => p.kind === 'dependency-reduction'), JSON.stringify(index.patterns));
    // Nor do the fixes take lodash's known-heavy estimate for it.
    const file = path.join(root, 'lib', 'index.js');
    assert.deepStrictEqual(analyzeFile(file, fs.readFileSync(file, 'utf8'), { kinds: ['lazy-import'] }), []);
  });

  it('adds the milliseconds of several heavy imports (heaviest + a quarter of each other), then scales once', async () => {
    const r = await rankWorkspace(root);
    const f = byFile(r, 'lib/formats.js').factors.heavyDependencies;
    // Known estimates: graphql 30, rxjs 30, moment 25, ajv 25 ms -> 30 + (30 + 25 + 25) / 4 = 50 ms.
    assert.strictEqual(f.score, Math.round(timeScore(50) * 10) / 10);
    assert.strictEqual(f.score, 5.7);
  });

  describe('with a measured run of the CLI', () => {
    let measured: Awaited<ReturnType<typeof loadMeasuredFiles>>['measured'];

    before(async () => {
      const outDir = tempDir('rank-cli-run');
      const result = await runTarget({
        command: process.execPath, args: ['bin/rank-cli'], cwd: root, outDir, timeoutMs: 90_000,
        // The fixture's typescript resolves to Hotpath's own node_modules (a parent folder).
        capture: { cpu: false, heap: false, imports: true }, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      });
      assert.strictEqual(result.exitCode, 0, result.outputTail);
      measured = (await loadMeasuredFiles([outDir], 'cli run', root)).measured;
      assert.ok(measured);
    });

    it('charges the module that loaded a package first; one that found it loaded gets no time and no lazy-load', async () => {
      const r = await rankWorkspace(root, { measured });
      const index = byFile(r, 'lib/index.js').factors.heavyDependencies;
      const double = byFile(r, 'lib/double.js');
      assert.strictEqual(index.measured, true);
      assert.match(index.evidence[0], /'lodash\/map' loaded at top level \(line 2\): [\d.]+ ms load \(measured\)/);
      assert.strictEqual(double.factors.heavyDependencies.measured, true);
      assert.strictEqual(double.factors.heavyDependencies.score, 0);
      assert.match(double.factors.heavyDependencies.evidence[0], /'lodash\/map' loaded at top level \(line 2\): already loaded by lib\/index\.js when this module ran: no load time here \(measured\)/);
      assert.ok(!double.patterns.some((p) => p.kind === 'lazy-load'));
      // The bin entry loaded TypeScript: tens to hundreds of ms, measured, above the estimate cap.
      const bin = byFile(r, 'bin/rank-cli').factors.heavyDependencies;
      assert.ok(bin.measured && bin.score > 6, JSON.stringify(bin));
      // formats.js never ran: its imports stay estimates.
      assert.strictEqual(byFile(r, 'lib/formats.js').factors.heavyDependencies.measured, false);
    });
  });
});
