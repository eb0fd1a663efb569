// The one sampling-error helper (value / sqrt(samples)) and that every front end uses it: the CLI
// tables, the editor hovers, the rank factors and the flame graph webview.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { samplingError } from '../../../src/core/stats/sampling';
import { samplingError as hoverSamplingError } from '../../../src/extension/annotations/format';

const ROOT = path.resolve(__dirname, '../../..');

describe('stats: samplingError', () => {
  it('is value / sqrt(samples), in the value\'s unit', () => {
    assert.equal(samplingError(120, 9), 40);
    assert.equal(samplingError(5, 1), 5);
    // More samples behind the same value: a smaller relative error, as 1 / sqrt(n).
    for (const n of [1, 4, 100, 10_000]) assert.ok(Math.abs(samplingError(1000, n) / 1000 - 1 / Math.sqrt(n)) < 1e-12, `n = ${n}`);
  });

  it('is NaN when the count is unknown or 0, or the value is not a number', () => {
    for (const [v, n] of [[10, 0], [10, -1], [10, Number.NaN], [Number.NaN, 4], [Number.POSITIVE_INFINITY, 4]]) {
      assert.ok(Number.isNaN(samplingError(v, n)), `${v}, ${n}`);
    }
  });

  it('the editor hover uses the core helper itself', () => {
    assert.equal(hoverSamplingError, samplingError);
  });

  it('no front end computes a sampling error of its own (value / Math.sqrt(samples))', () => {
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const full = path.join(dir, d.name);
      return d.isDirectory() ? files(full) : d.name.endsWith('.ts') ? [full] : [];
    });
    const all = ['src', 'webview'].flatMap((d) => files(path.join(ROOT, d)));
    assert.ok(all.length > 50, 'found the sources');
    const own = /\/\s*Math\.sqrt\(\s*[\w.]*samples\b/i;
    const offenders = all.filter((f) => !f.endsWith(path.join('stats', 'sampling.ts')) && own.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    assert.deepEqual(offenders, []);
    // The rule sees the old form in the CLI (the check itself works).
    assert.ok(own.test('const err = f.samples > 0 ? f.selfMs / Math.sqrt(f.samples) : 0;'));
    // And the users import it.
    for (const f of ['src/cli/commands/profileRun.ts', 'src/core/rank/score.ts', 'webview/flame/spread.ts', 'src/extension/annotations/format.ts']) {
      assert.match(fs.readFileSync(path.join(ROOT, f), 'utf8'), /import \{[^}]*samplingError[^}]*\} from '[^']*core\/stats\/sampling'|from '\.\.\/stats\/sampling'/, f);
    }
  });
});
