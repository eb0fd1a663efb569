// Welch's interval and the Student t quantile against published values (R's qt and t.test).
import { strict as assert } from 'assert';
import { studentTCdf, studentTQuantile, welchInterval } from '../../../src/core/stats/welch';

const near = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('stats: Welch interval', () => {
  it('t quantiles match the tables (qt(0.975, df))', () => {
    near(studentTQuantile(0.975, 1), 12.7062, 1e-4);
    near(studentTQuantile(0.975, 2), 4.3027, 1e-4);
    near(studentTQuantile(0.975, 5), 2.5706, 1e-4);
    near(studentTQuantile(0.975, 10), 2.2281, 1e-4);
    near(studentTQuantile(0.975, 30), 2.0423, 1e-4);
    near(studentTQuantile(0.975, 1e6), 1.96, 1e-3);
    near(studentTQuantile(0.025, 10), -2.2281, 1e-4);
    near(studentTCdf(0, 7), 0.5, 1e-12);
  });

  it('matches R t.test(after, before) (Welch)', () => {
    // t.test(c(3,4,5,6,7), c(1,2,3,4)): df = 6.9808, 95 % CI 0.2348 4.7652.
    const w = welchInterval([1, 2, 3, 4], [3, 4, 5, 6, 7]);
    near(w.delta, 2.5, 1e-12);
    near(w.df, 6.9808, 1e-4);
    near(w.lo, 0.2348, 1e-4);
    near(w.hi, 4.7652, 1e-4);
  });

  it('identical sides: a zero-width interval; fewer than 2 values: NaN', () => {
    const w = welchInterval([5, 5], [5, 5]);
    assert.equal(w.delta, 0);
    assert.equal(w.margin, 0);
    assert.ok(Number.isNaN(welchInterval([1], [1, 2]).margin));
  });
});
