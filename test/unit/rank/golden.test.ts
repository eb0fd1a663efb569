// Static ranking of a fixture workspace with a known right order (test/fixtures/rank-basic).
import * as assert from 'assert';
import * as path from 'path';
import { rankWorkspace } from '../../../src/core/rank';
import { assertGolden, byFile, FIXTURES, project } from './helpers';

describe('rank: static ranking of rank-basic', () => {
  const root = path.join(FIXTURES, 'rank-basic');

  it('matches the golden ranking', async () => {
    assertGolden('rank-basic.static', project(await rankWorkspace(root)));
  });

  it('ranks the module that loads a heavy package for one rare function first, with lazy-load at the import', async () => {
    const r = await rankWorkspace(root);
    assert.strictEqual(r.modules[0].file, 'src/report.js');
    const lazy = r.modules[0].patterns.find((p) => p.kind === 'lazy-load');
    assert.ok(lazy, 'lazy-load recommended');
    assert.deepStrictEqual(lazy.sites.map((s) => s.line), [2]);
    assert.strictEqual(r.modules[0].risk, 'low');
    assert.ok(r.modules[0].factors.heavyDependencies.evidence[0].includes('typescript'));
    assert.strictEqual(r.modules[0].factors.heavyDependencies.measured, false);
  });

  it('ranks the tiny pure helper with the modules that do nothing, first of them: main.js loads it at startup', async () => {
    const r = await rankWorkspace(root);
    const helper = byFile(r, 'src/helpers.js');
    assert.strictEqual(helper.score, 0);
    assert.strictEqual(helper.patterns.length, 0);
    assert.ok(r.modules.every((m) => m.score >= helper.score));
    const zero = r.modules.filter((m) => m.score === 0).map((m) => m.file);
    assert.deepStrictEqual(zero, ['src/helpers.js', 'src/format.ts', 'src/types/shape.ts']);
    assert.deepStrictEqual(helper.tieBreak, { uncapped: 0, startup: true, importedBy: 1 });
    assert.strictEqual(byFile(r, 'src/format.ts').tieBreak!.startup, false);
  });

  it('recommends pool for the allocation-heavy loop, memoize for naive recursion, async-init for sync I/O at load, import type for a type-only import', async () => {
    const r = await rankWorkspace(root);
    const kinds = (f: string) => byFile(r, f).patterns.map((p) => p.kind);
    assert.deepStrictEqual(kinds('src/particles.js'), ['pool']);
    assert.deepStrictEqual(byFile(r, 'src/particles.js').patterns[0].sites.map((s) => s.line), [4, 7, 9, 10]);
    assert.deepStrictEqual(kinds('src/fib.js'), ['memoize']);
    assert.deepStrictEqual(kinds('src/config.js'), ['async-init']);
    assert.strictEqual(byFile(r, 'src/config.js').risk, 'high');
    assert.deepStrictEqual(kinds('src/format.ts'), ['dependency-reduction']);
  });

  it('caps every estimated factor (no profile given) at 6', async () => {
    const r = await rankWorkspace(root);
    for (const m of r.modules) {
      for (const f of Object.values(m.factors)) {
        assert.strictEqual(f.measured, false);
        assert.ok(f.score <= 6, `${m.file}: ${f.score}`);
      }
    }
  });
});
