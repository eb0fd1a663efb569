// The statistics behind `hotpath compare`, against values computed independently: textbook
// Mann-Whitney examples (R's and SciPy's documentation), exact p-values by brute-force
// enumeration of every split for tiny samples, and the coverage of the bootstrap interval on
// seeded synthetic data whose true median is known.
import * as assert from 'assert';
import {
  bootstrapMedianCI, bootstrapRatioCI, compareSamples, iqr, mad, mannWhitney, median, quantile, seededRandom, summarize,
} from '../../../src/core/stats';

/** Two-sided p by enumerating every way to pick n1 of the pooled values (independent of the DP). */
function bruteForceP(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  // Mid-ranks computed the slow, obvious way.
  const rank = (v: number) => pooled.filter((w) => w < v).length + (pooled.filter((w) => w === v).length + 1) / 2;
  const ranks = pooled.map(rank);
  const n1 = x.length;
  const N = pooled.length;
  const mean = (n1 * (N + 1)) / 2;
  const obs = Math.abs(ranks.slice(0, n1).reduce((a, b) => a + b, 0) - mean);
  let total = 0;
  let extreme = 0;
  const pick = (start: number, left: number, sum: number) => {
    if (left === 0) { total++; if (Math.abs(sum - mean) >= obs - 1e-9) extreme++; return; }
    for (let i = start; i <= N - left; i++) pick(i + 1, left - 1, sum + ranks[i]);
  };
  pick(0, n1, 0);
  return extreme / total;
}

/** Standard normal draws (Box-Muller) from the seeded generator. */
function normals(rand: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

describe('stats: descriptive', () => {
  it('median, quantiles (R type 7), IQR, MAD and Tukey outliers (reported, not dropped)', () => {
    const xs = [10, 1, 3, 2, 4];
    assert.strictEqual(median(xs), 3);
    assert.strictEqual(median([4, 1, 2, 3]), 2.5);
    assert.strictEqual(quantile(xs, 0.25), 2);
    assert.strictEqual(quantile(xs, 0.75), 4);
    assert.strictEqual(quantile([1, 2, 3, 4], 0.1), 1.3); // numpy.quantile([1,2,3,4], 0.1) = 1.3
    assert.strictEqual(iqr(xs), 2);
    assert.strictEqual(mad(xs), 1); // |x - 3| = 7, 2, 0, 1, 1
    const s = summarize(xs);
    assert.deepStrictEqual(s.outliers, [0], 'the 10 is beyond q3 + 1.5 IQR = 7');
    assert.strictEqual(s.n, 5);
    assert.strictEqual(s.mean, 4, 'the outlier stays in the statistics');
    assert.ok(Number.isNaN(median([])));
  });
});

describe('stats: Mann-Whitney U / Wilcoxon rank-sum', () => {
  it('matches R\'s wilcox.test example (Hollander & Wolfe): W = 35, exact two-sided p = 2 x 0.1272', () => {
    const x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.90, 0.74, 1.21];
    const r = mannWhitney(x, y);
    assert.strictEqual(r.u, 35);
    assert.strictEqual(r.method, 'exact');
    assert.strictEqual(r.p.toFixed(4), '0.2544');
  });

  it('matches SciPy\'s mannwhitneyu example: U = 17, exact p = 0.1111, asymptotic p = 0.11134689', () => {
    const males = [19, 22, 16, 29, 24];
    const females = [20, 11, 17, 12];
    const exact = mannWhitney(males, females);
    assert.strictEqual(exact.u, 17);
    assert.ok(Math.abs(exact.p - 14 / 126) < 1e-12, String(exact.p));
    const normal = mannWhitney(males, females, { exactMaxN: 0 });
    assert.strictEqual(normal.method, 'normal');
    assert.ok(Math.abs(normal.p - 0.11134688653314041) < 1e-6, String(normal.p));
  });

  it('exact p equals brute-force enumeration, with and without ties, on 60 seeded random tiny samples', () => {
    const rand = seededRandom(42);
    for (let trial = 0; trial < 60; trial++) {
      const n1 = 2 + Math.floor(rand() * 6);
      const n2 = 2 + Math.floor(rand() * 6);
      // Half the trials draw from 5 values only, so ties are common.
      const levels = trial % 2 ? 5 : 1000;
      const draw = (n: number, shift: number) => Array.from({ length: n }, () => Math.floor(rand() * levels) + shift);
      const x = draw(n1, 0);
      const y = draw(n2, trial % 3 === 0 ? Math.floor(levels / 3) : 0);
      const r = mannWhitney(x, y);
      assert.strictEqual(r.method, 'exact');
      const expected = bruteForceP(x, y);
      assert.ok(Math.abs(r.p - expected) < 1e-12, `x=${x} y=${y}: ${r.p} vs enumerated ${expected}`);
    }
  });

  it('the normal approximation agrees with the exact distribution for 30+30 (with ties)', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 10; trial++) {
      const x = Array.from({ length: 30 }, () => Math.round(rand() * 40));
      const y = Array.from({ length: 30 }, () => Math.round(rand() * 40 + trial * 1.5));
      const exact = mannWhitney(x, y);
      const normal = mannWhitney(x, y, { exactMaxN: 0 });
      assert.strictEqual(exact.method, 'exact');
      assert.strictEqual(normal.method, 'normal');
      assert.ok(Math.abs(exact.p - normal.p) < 0.01, `trial ${trial}: exact ${exact.p} normal ${normal.p}`);
    }
  });

  it('all values equal gives p = 1; a complete separation of 5+5 gives the smallest exact p, 2/252', () => {
    assert.strictEqual(mannWhitney([3, 3, 3], [3, 3, 3]).p, 1);
    assert.strictEqual(mannWhitney([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], Array(50).fill(3)).p, 1);
    const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    assert.ok(Math.abs(r.p - 2 / 252) < 1e-12);
  });
});

describe('stats: bootstrap intervals', () => {
  it('is deterministic for a seed', () => {
    const xs = [5, 7, 3, 9, 11, 4, 6, 8];
    assert.deepStrictEqual(bootstrapMedianCI(xs, { seed: 3 }), bootstrapMedianCI(xs, { seed: 3 }));
    assert.deepStrictEqual(bootstrapRatioCI(xs, xs.map((x) => x * 2), { seed: 3 }), bootstrapRatioCI(xs, xs.map((x) => x * 2), { seed: 3 }));
  });

  it('95 % intervals of the median and of the median ratio cover the true value in about 95 % of seeded log-normal samples', function () {
    this.timeout(120_000);
    // Log-normal timings (skewed like real run times): median exp(mu). After = 0.8 x before.
    const rand = seededRandom(2024);
    const trials = 400;
    const n = 25;
    let coverMedian = 0;
    let coverRatio = 0;
    for (let t = 0; t < trials; t++) {
      const before = normals(rand, n).map((z) => 100 * Math.exp(0.3 * z));
      const after = normals(rand, n).map((z) => 80 * Math.exp(0.3 * z));
      const m = bootstrapMedianCI(before, { seed: t + 1, rounds: 1000 });
      if (m.lo <= 100 && 100 <= m.hi) coverMedian++;
      const r = bootstrapRatioCI(before, after, { seed: t + 1, rounds: 1000 });
      if (r.lo <= 0.8 && 0.8 <= r.hi) coverRatio++;
    }
    const cm = coverMedian / trials;
    const cr = coverRatio / trials;
    // Binomial sd at 95 % over 400 trials is 1.1 points; the percentile bootstrap of a median
    // is slightly conservative/liberal depending on n, so allow [0.90, 0.99].
    if (process.env.HOTPATH_STATS_VERBOSE) console.log(`coverage: median ${cm}, ratio ${cr}`);
    assert.ok(cm >= 0.9 && cm <= 0.99, `median coverage ${cm}`);
    assert.ok(cr >= 0.9 && cr <= 0.99, `ratio coverage ${cr}`);
    // And a 50 % interval must cover much less often: the test can tell widths apart.
    let cover50 = 0;
    for (let t = 0; t < 200; t++) {
      const xs = normals(rand, n).map((z) => 100 * Math.exp(0.3 * z));
      const m = bootstrapMedianCI(xs, { seed: t + 1, rounds: 1000, level: 0.5 });
      if (m.lo <= 100 && 100 <= m.hi) cover50++;
    }
    assert.ok(cover50 / 200 < 0.75, `50 % interval coverage ${cover50 / 200}`);
  });
});

describe('stats: compareSamples verdict', () => {
  const rand = seededRandom(99);
  const sample = (center: number, n: number) => normals(rand, n).map((z) => center * Math.exp(0.05 * z));

  it('faster / slower / no significant difference, with the effect and its interval', () => {
    const base = sample(100, 15);
    const faster = compareSamples(base, sample(70, 15));
    assert.strictEqual(faster.verdict, 'faster', faster.sentence);
    assert.ok(faster.ratioCI.lo < 0.7 * 1.05 && faster.ratioCI.hi > 0.7 * 0.95 && faster.ratioCI.hi < 1);
    assert.match(faster.sentence, /^after is \d+\.\d % faster \(95 % CI \d+\.\d–\d+\.\d %\), p (= [\d.]+|< 0\.0001), n = 15\+15$/);
    const slower = compareSamples(base, sample(140, 15));
    assert.strictEqual(slower.verdict, 'slower', slower.sentence);
    assert.ok(slower.changePct > 0 && slower.changePctCI.lo > 0);
    const same = compareSamples(base, sample(100, 15));
    assert.strictEqual(same.verdict, 'no significant difference', same.sentence);
    assert.ok(same.changePctCI.lo < 0 && same.changePctCI.hi > 0);
  });

  it('inconclusive with fewer than 5 runs or with failed runs, whatever the data say', () => {
    const few = compareSamples([100, 101, 99, 102], [50, 51, 49, 52]);
    assert.strictEqual(few.verdict, 'inconclusive');
    assert.match(few.sentence, /too few successful runs \(4\+4/);
    const failed = compareSamples(sample(100, 10), sample(50, 9), { failed: { before: 0, after: 1 } });
    assert.strictEqual(failed.verdict, 'inconclusive');
    assert.match(failed.reasons.join(), /failed runs: 0 before, 1 after/);
    assert.ok(failed.ratio < 0.6, 'the effect is still measured and reported');
    const zero = compareSamples([0, 0, 0, 0, 0, 10], [10, 10, 10, 10, 10, 10]);
    assert.strictEqual(zero.verdict, 'inconclusive', 'CPU time of a tiny command is 0 ticks: no ratio');
    assert.match(zero.sentence, /before median is 0/);
  });
});
