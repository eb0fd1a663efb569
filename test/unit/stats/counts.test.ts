// The profile diff's row test (stats/counts.ts): Benjamini-Hochberg against R's p.adjust, the
// digamma family against known values, and the test's error rates on seeded simulated sample
// counts shaped like profiled runs (a per-run load factor on every row, extra run-to-run
// variation per row): an A/A comparison names no row in at least 95 % of trials, and a 20 %
// change of one large row is found. Real runs are in test/unit/profile/diff.test.ts and
// bench/proofCalibration.bench.ts.
import { strict as assert } from 'assert';
import { benjaminiHochberg, countTests, digamma, sizeFactors, trigamma, weightedMedian, type CountRow } from '../../../src/core/stats/counts';
import { seededRandom } from '../../../src/core/stats/random';

const near = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** Poisson draws (exponential gaps) and a normal (Box-Muller) from one seeded generator. */
function sampler(seed: number) {
  const u = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const poisson = (mean: number) => {
    let k = 0;
    let t = -Math.log(1 - u());
    while (t < mean) { k++; t += -Math.log(1 - u()); }
    return k;
  };
  return { u, normal, poisson };
}

/**
 * One simulated comparison: `rows` functions with mean samples per run from 2 to 600, 3 runs per
 * side, each run with a load factor (0.8-1.25 on every row) and each row x run with `extra`
 * (log-normal sigma) variation of its own; `change` multiplies one row's after side.
 */
function simulate(seed: number, change?: { row: number; factor: number }, extra = 0.08, rows = 120, runs = 3): CountRow[] {
  const s = sampler(seed);
  const means = Array.from({ length: rows }, (_, i) => (i === 0 ? 600 : 2 + 400 * s.u() ** 3));
  const load = Array.from({ length: 2 * runs }, () => 0.8 + 0.45 * s.u());
  return means.map((m, i) => {
    const draw = (k: number, after: boolean) => s.poisson(m * load[k] * Math.exp(extra * s.normal()) * (after && change?.row === i ? change.factor : 1));
    return { before: Array.from({ length: runs }, (_, k) => draw(k, false)), after: Array.from({ length: runs }, (_, k) => draw(runs + k, true)) };
  });
}

describe('stats: sample-count test with false discovery rate control', () => {
  it('Benjamini-Hochberg matches R p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2), "BH")', () => {
    const bh = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2], 0.05);
    [0.025, 0.05, 0.05, 0.025, 0.2].forEach((q, i) => near(bh.adjusted[i], q, 1e-12));
    assert.equal(bh.count, 4);
    assert.deepEqual(bh.rejected, [true, true, true, true, false]);
    // 20 p-values of 0.04: each below 0.05 alone, none survives the correction but together they all do.
    assert.equal(benjaminiHochberg([0.04, ...new Array(19).fill(0.9)], 0.05).count, 0);
    assert.equal(benjaminiHochberg(new Array(20).fill(0.04), 0.05).count, 20);
  });

  it('digamma, trigamma and the weighted median against known values', () => {
    near(digamma(1), -0.5772156649015329, 1e-10);
    near(digamma(0.5), -1.9635100260214235, 1e-10);
    near(trigamma(1), Math.PI ** 2 / 6, 1e-8);
    near(trigamma(0.5), Math.PI ** 2 / 2, 1e-8);
    assert.equal(weightedMedian([1, 2, 3], [1, 1, 1]), 2);
    assert.equal(weightedMedian([1, 2, 3], [5, 1, 1]), 1);
    assert.equal(weightedMedian([1, 2], [1, 1]), 1.5);
  });

  it('size factors recover a per-run load factor', () => {
    const rows = simulate(7);
    const f = sizeFactors(rows.filter((r) => [...r.before, ...r.after].every((x) => x > 0)));
    assert.equal(f.length, 6);
    near(Math.exp(f.reduce((a, x) => a + Math.log(x), 0) / 6), 1, 1e-9);
    // Each run's factor follows its total count within a few per cent.
    const totals = Array.from({ length: 6 }, (_, k) => rows.reduce((a, r) => a + [...r.before, ...r.after][k], 0));
    const g = Math.exp(totals.reduce((a, x) => a + Math.log(x), 0) / 6);
    totals.forEach((t, k) => near(f[k], t / g, 0.08));
  });

  it('A/A: 200 simulated comparisons of 120 rows name a row in at most 5 % of them', () => {
    let named = 0;
    let testedRows = 0;
    for (let trial = 0; trial < 200; trial++) {
      const r = countTests(simulate(1000 + trial));
      if (r.changed > 0) named++;
      testedRows += r.tested;
      assert.ok(r.dispersion >= 1);
    }
    assert.ok(named <= 10, `${named} of 200 A/A comparisons named a row`);
    assert.ok(testedRows / 200 > 80, `rows tested per comparison: ${testedRows / 200}`);
  });

  it('A/B: a 20 % slower row of ~600 samples per run (3 % own run-to-run variation) is found in at least 80 % of comparisons; false discoveries stay under 5 %', () => {
    let found = 0;
    let falseShare = 0;
    for (let trial = 0; trial < 200; trial++) {
      const r = countTests(simulate(5000 + trial, { row: 0, factor: 1.2 }, 0.03));
      const t = r.tests[0];
      if (t.changed) {
        found++;
        assert.ok(t.ratio > 1 && t.lo > 1, `ratio ${t.ratio} [${t.lo}, ${t.hi}]`);
      }
      if (r.changed) falseShare += (r.changed - (t.changed ? 1 : 0)) / r.changed;
    }
    // 172 of 200 when written (the power of 3 runs a side with this much variation);
    // bench/proofCalibration.bench.ts measures it on real runs.
    assert.ok(found >= 160, `found in ${found} of 200`);
    // The false discovery rate: the mean share of named rows that did not change.
    assert.ok(falseShare / 200 <= 0.05, `false discovery rate ${falseShare / 200}`);
  });

  it('fewer than 2 runs on a side: nothing is tested; rare rows are not tested', () => {
    const one = countTests([{ before: [100], after: [200] }, { before: [50], after: [50] }]);
    assert.equal(one.tested, 0);
    assert.ok(one.tests.every((t) => !t.tested && !t.changed));
    const rows = simulate(3);
    rows.push({ before: [0, 1, 0], after: [2, 0, 1] });
    const r = countTests(rows);
    assert.equal(r.tests[r.tests.length - 1].tested, false);
  });
});
