import * as assert from 'assert';
import { linearFit } from '../../../src/core/stats/regression';

describe('linearFit', () => {
  it('recovers an exact line with a zero-width interval', () => {
    const xs = [1, 2, 3, 4, 5, 6];
    const f = linearFit(xs, xs.map((x) => 3 * x + 10));
    assert.ok(Math.abs(f.slope - 3) < 1e-12);
    assert.ok(Math.abs(f.intercept - 10) < 1e-9);
    assert.ok(Math.abs(f.hi - f.lo) < 1e-9);
  });

  it('gives the textbook interval on a small data set', () => {
    // x = 1..5, y = 2, 4, 5, 4, 5: slope 0.6, se = sqrt(SSE / 3 / 10) = sqrt(2.4 / 30), t(0.975, 3) = 3.182446.
    const f = linearFit([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    assert.ok(Math.abs(f.slope - 0.6) < 1e-12);
    const se = Math.sqrt(2.4 / 30);
    assert.ok(Math.abs(f.se - se) < 1e-12);
    assert.ok(Math.abs(f.lo - (0.6 - 3.182446 * se)) < 1e-5);
    assert.ok(Math.abs(f.hi - (0.6 + 3.182446 * se)) < 1e-5);
    assert.ok(Math.abs(f.r2 - 0.6) < 1e-12);
  });

  it('cannot give an interval with two points or no spread in x', () => {
    assert.ok(Number.isNaN(linearFit([1, 2], [1, 2]).se));
    assert.ok(Number.isNaN(linearFit([3, 3, 3], [1, 2, 3]).slope));
  });
});
