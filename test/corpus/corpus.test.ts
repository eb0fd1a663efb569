// Zero breakages on real packages: see corpus.ts. Runs with `npm test` (test/unit/refactor/
// corpus.test.ts loads this file); HOTPATH_SKIP_CORPUS=1 skips it, e.g. offline.
import * as assert from 'assert';
import { CORPUS } from './packages';
import { copyAndFix, ensureInstalled, loadReport, typeErrors } from './corpus';

describe('refactor corpus: every safe fix on real npm packages', function () {
  this.timeout(600000);
  if (process.env.HOTPATH_SKIP_CORPUS === '1') return;
  before(() => ensureInstalled());
  let changed = 0;
  let checked = 0;

  for (const p of CORPUS) {
    it(`${p.name}@${p.version}: fixed copy parses, loads with the same exports and passes its smoke use`, () => {
      const report = copyAndFix(p);
      changed += report.changedFiles;
      checked++;
      console.log(`      ${p.name}: ${report.changedFiles}/${report.files} files changed, applied ${JSON.stringify(report.applied)}`);
      assert.deepStrictEqual(report.parseErrors, []);
      const before = loadReport(p, 'orig');
      assert.ok(before.includes('"smoke"'), 'the original loads and runs its smoke use');
      assert.strictEqual(loadReport(p, 'copies'), before);
      if (p.tsEntry) {
        const errorsBefore = typeErrors(p, 'orig');
        assert.deepStrictEqual(typeErrors(p, 'copies').filter((e) => !errorsBefore.includes(e)), [], 'no new type errors');
      }
    });
  }

  it('the corpus exercises fixes at all (not a vacuous pass)', () => {
    assert.strictEqual(checked, CORPUS.length, 'every package was checked');
    assert.ok(CORPUS.length >= 10);
    assert.ok(changed >= 100, `only ${changed} files changed across the corpus`);
  });
});
