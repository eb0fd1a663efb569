// The prove panel's data path on real benchmark records (real `node` processes): records ->
// view model (statistics recomputed from the samples, failed runs listed, never averaged in) ->
// protocol guards (valid views pass; malformed or inconsistent ones are refused).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchmarkCommand, compareBench, metricValues, profileSides, type BenchRecord } from '../../../src/core/bench';
import { median } from '../../../src/core/stats';
import { compareView, historyView, profileDiffView, sideLabel } from '../../../src/extension/prove/proveModel';
import { isBenchView, isProveView, parseFromProve, parseToProve, type ToProveMessage } from '../../../src/protocol/prove';
import { buildOnly } from '../build';

const spin = (ms: number) => ({ command: process.execPath, args: ['-e', `const t = Date.now(); while (Date.now() - t < ${ms});`] });
/** Fails every third run (a counter file in the cwd). */
const flaky = { command: process.execPath, args: ['-e', "const fs = require('fs'); const n = Number(fs.existsSync('c') ? fs.readFileSync('c', 'utf8') : 0); fs.writeFileSync('c', String(n + 1)); if (n % 3 === 2) process.exit(4);"] };

describe('prove panel: view model and protocol on real benchmarks', function () {
  this.timeout(120_000);
  let tmp: string;
  let slow: BenchRecord;
  let fast: BenchRecord;
  let failing: BenchRecord;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-prove-model-'));
    const store = path.join(tmp, 'store');
    slow = await benchmarkCommand({ ...spin(120), cwd: tmp }, { runs: 6, warmup: 1, storeDir: store, label: 'slow' });
    fast = await benchmarkCommand({ ...spin(15), cwd: tmp }, { runs: 6, warmup: 1, storeDir: store });
    failing = await benchmarkCommand({ ...flaky, cwd: tmp }, { runs: 6, warmup: 0, storeDir: store });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a bench view holds every successful run and statistics recomputed from them', () => {
    const v = compareView(slow, fast).before;
    assert.strictEqual(v.n, 6);
    assert.deepStrictEqual(v.wall!.values, metricValues(slow, 'wall'));
    assert.strictEqual(v.wall!.median, median(metricValues(slow, 'wall')));
    assert.ok(v.wall!.lo <= v.wall!.median && v.wall!.median <= v.wall!.hi, 'the median lies in its interval');
    assert.ok(v.wall!.q1 <= v.wall!.median && v.wall!.median <= v.wall!.q3);
    assert.strictEqual(v.label, 'slow');
    assert.ok(isBenchView(v));
  });

  it('failed runs are counted and listed with their error, and kept out of the values', () => {
    const v = historyView([failing]).series[0].points[0];
    assert.strictEqual(v.failed, 2, 'runs 3 and 6 exit 4');
    assert.strictEqual(v.n, 4);
    assert.strictEqual(v.wall!.values.length, 4);
    assert.deepStrictEqual(v.failedRuns.map((f) => f.error), ['exit code 4', 'exit code 4']);
    assert.ok(isBenchView(v));
  });

  it('compare view: the verdict and sentence of the core, on both metrics', () => {
    const c = compareView(slow, fast, { before: 'slow spin', after: 'fast spin' });
    const core = compareBench(slow, fast, 'wall');
    assert.strictEqual(c.wall!.verdict, core.verdict);
    assert.strictEqual(c.wall!.sentence, core.sentence);
    assert.strictEqual(c.wall!.changePct, core.changePct);
    assert.strictEqual(c.wall!.p, core.test.p);
    assert.ok(c.wall!.ratioLo <= c.wall!.ratio && c.wall!.ratio <= c.wall!.ratioHi);
    assert.strictEqual(c.interleaved, false, 'two separate benchmarks');
    if (process.platform === 'linux') assert.ok(c.cpu, 'CPU time is measured on Linux');
    assert.ok(isProveView(c));
    // Failures make a comparison inconclusive.
    assert.strictEqual(compareView(failing, fast).wall!.verdict, 'inconclusive');
  });

  it('history groups by command, oldest first within a series', () => {
    const h = historyView([fast, slow, failing]);
    assert.strictEqual(h.series.length, 3);
    for (const s of h.series) assert.ok(s.points.every((p) => p.command === s.command));
    const again = historyView([fast, { ...fast, id: `${fast.id}-b`, createdAt: new Date(Date.parse(fast.createdAt) - 1000).toISOString() }]);
    assert.strictEqual(again.series.length, 1);
    assert.deepStrictEqual(again.series[0].points.map((p) => p.id), [`${fast.id}-b`, fast.id]);
    assert.ok(isProveView(h));
  });

  it('labels a side by ref, label or commit', () => {
    assert.strictEqual(sideLabel({ ...fast, git: { commit: 'abcdef1234', dirty: true } }), 'abcdef1*');
    assert.strictEqual(sideLabel({ ...fast, git: { commit: 'abcdef1234', dirty: false }, ref: 'HEAD~1' }), 'HEAD~1 (abcdef1)');
    assert.strictEqual(sideLabel({ ...slow, git: undefined }), 'slow');
  });

  it('guards: a real message survives JSON; malformed and inconsistent ones are refused', () => {
    const msg: ToProveMessage = { type: 'show', view: compareView(slow, fast), state: { source: { kind: 'compare', before: slow.id, after: fast.id }, metric: 'wall' } };
    const wire = JSON.parse(JSON.stringify(msg));
    assert.deepStrictEqual(parseToProve(wire), wire);
    const broken = (f: (m: any) => void) => { const m = JSON.parse(JSON.stringify(msg)); f(m); return parseToProve(m); }; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.strictEqual(broken((m) => { m.view.before.n = 5; }), undefined, 'n must equal the number of values');
    assert.strictEqual(broken((m) => { m.view.before.wall.values.push('7'); }), undefined);
    assert.strictEqual(broken((m) => { m.view.wall.verdict = 'much faster'; }), undefined);
    assert.strictEqual(broken((m) => { m.view.before.failedRuns.push({ order: 1, error: 'x' }); }), undefined, 'failed must match the list');
    assert.strictEqual(broken((m) => { m.view.kind = 'other'; }), undefined);
    assert.strictEqual(broken((m) => { m.state.source = { kind: 'compare', before: '' }; }), undefined);
    assert.strictEqual(parseToProve({ type: 'init' }), undefined);
    assert.strictEqual(parseToProve(null), undefined);

    assert.deepStrictEqual(parseFromProve({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseFromProve({ type: 'state', state: { source: { kind: 'history' }, metric: 'cpu', command: 'x' } }), { type: 'state', state: { source: { kind: 'history' }, metric: 'cpu', command: 'x' } });
    assert.strictEqual(parseFromProve({ type: 'state', state: { source: { kind: 'history' }, metric: 'heap' } }), undefined);
    assert.strictEqual(parseFromProve({ type: 'state', state: {} }), undefined);
    assert.strictEqual(parseFromProve({ type: 'openSource', path: '/etc/passwd' }), undefined);
    assert.strictEqual(parseFromProve({ type: 'error', message: 'x'.repeat(5000) })?.type, 'error');
    assert.strictEqual((parseFromProve({ type: 'error', message: 'x'.repeat(5000) }) as { message: string }).message.length, 2000);
  });

  it('profile section: real profiled runs -> "Where the time moved" rows that survive JSON; malformed ones and the openProfileDiff message', async () => {
    buildOnly('preload');
    const pr = await profileSides({ ...spin(120), cwd: tmp }, { ...spin(400), cwd: tmp }, { runs: 1, store: path.join(tmp, 'runs'), comparison: { before: slow.id, after: fast.id } });
    assert.ok(pr.diff, pr.error);
    const profile = profileDiffView(pr);
    assert.deepStrictEqual(profile.runs, { before: [path.join(tmp, 'runs', pr.ids.before[0])], after: [path.join(tmp, 'runs', pr.ids.after[0])] });
    assert.strictEqual(profile.changed, pr.diff.functions.filter((r) => r.self.verdict === 'slower' || r.self.verdict === 'faster').length);
    assert.ok(profile.rows.length >= 1 && profile.rows.length <= 10);
    assert.strictEqual(profile.rows[0].delta, (profile.changed ? pr.diff.functions.find((r) => r.self.verdict !== 'within noise')! : pr.diff.functions[0]).self.delta);
    assert.strictEqual(profile.noiseLabel, pr.diff.noiseLabel);
    const msg: ToProveMessage = { type: 'show', view: compareView(slow, fast, {}, profile), state: { source: { kind: 'compare', before: slow.id, after: fast.id, profile } } };
    const wire = JSON.parse(JSON.stringify(msg));
    assert.deepStrictEqual(parseToProve(wire), wire);
    const broken = (f: (m: any) => void) => { const m = JSON.parse(JSON.stringify(msg)); f(m); return parseToProve(m); }; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.strictEqual(broken((m) => { m.view.profile.rows = Array.from({ length: 11 }, () => m.view.profile.rows[0]); }), undefined, 'at most 10 rows');
    assert.strictEqual(broken((m) => { m.view.profile.runs.before = [1]; }), undefined);
    assert.strictEqual(broken((m) => { m.view.profile.rows[0].verdict = 3; }), undefined);
    assert.strictEqual(broken((m) => { delete m.state.source.profile.noiseLabel; }), undefined);
    assert.deepStrictEqual(parseFromProve({ type: 'openProfileDiff', runs: ['/etc'] }), { type: 'openProfileDiff' }, 'the page names no runs: the host uses its own');
  });
});
