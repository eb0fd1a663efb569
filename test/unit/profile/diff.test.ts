// Profile diff on real runs: diffTarget.js run through the runner (preload, CPU every 5 ms, heap)
// with factor 1 and factor 2 (hotLoop spins twice as long, steadyLoop the same). One run per
// side: the slowed function's change exceeds its sampling-error band, the unchanged one's does
// not, and no row gets a verdict (sampling error leaves out run-to-run variation); a profile
// against itself is all zeros; several runs per side switch to the count test with the false
// discovery rate controlled, which names the slowed function `slower`.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun, summarize } from '../../../src/core/profile';
import { diffProfiles, DiffError, matchWithArgs, NOISE_LABEL_SAMPLING, processKeys, type DiffRow, type ProfileDiff } from '../../../src/core/profile/diff';
import type { ProfileModel } from '../../../src/core/profile/types';
import { runTarget } from '../../../src/core/runner/run';
import { movedRows, proofStory } from '../../../src/core/bench/story';
import { samplingError } from '../../../src/core/stats/sampling';
import { buildPreload, tempDir, TARGETS } from '../runner/helpers';
import { DiffRecorder, diffTargetOutput, loopGapMs } from './diffRuns';

/**
 * One undisturbed run where the machine allows (see diffRuns.ts: regular sampling in the loops,
 * loops on time; up to 8 attempts). `disturbed` lists the recordings that found none: then only
 * the checks that hold whatever the load are made (the unchanged loop's `within noise` needs a
 * calm machine; the diff's label says why), and later recordings take their first run.
 */
const recorder = new DiffRecorder(8);
const disturbed = recorder.disturbed;
function record(factor: number, heap = false): Promise<ProfileModel> {
  return recorder.record(`diffTarget.js ${factor}`, async () => {
    const r = await runTarget({
      command: process.execPath, args: ['diffTarget.js', String(factor)], cwd: TARGETS, outDir: tempDir('diff'),
      capture: { cpu: true, heap, imports: false, heapIntervalBytes: 32 * 1024 }, timeoutMs: 60_000,
    });
    assert.equal(r.exitCode, 0, r.outputTail);
    const model = await loadRun(r, { root: TARGETS });
    return { value: model, out: diffTargetOutput(r.outputTail), gapMs: loopGapMs(summarize(model, { top: 50 }).topFunctions) };
  });
}

const lineOf = (text: string) => fs.readFileSync(path.join(TARGETS, 'diffTarget.js'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const HOT_LINE = lineOf('function hotLoop(');

const row = (d: ProfileDiff, name: string): DiffRow => {
  const r = d.functions.find((x) => x.name === name);
  assert.ok(r, `${name} in ${d.functions.slice(0, 8).map((x) => x.name).join(', ')}`);
  return r;
};

describe('profile diff (real runs of diffTarget.js)', function () {
  this.timeout(180_000);
  let one: ProfileModel;
  let two: ProfileModel;
  let ones: ProfileModel[] = [];
  let twos: ProfileModel[] = [];

  before(async () => {
    buildPreload();
    one = await record(1, true);
    two = await record(2, true);
  });

  it('one run per side: the 2x slower function is beyond its sampling band, the unchanged one within; no verdicts', () => {
    const d = diffProfiles(one, two);
    assert.equal(d.kind, 'cpu');
    assert.equal(d.unit, 'ms');
    assert.equal(d.method, 'sampling');
    assert.equal(d.noiseLabel, NOISE_LABEL_SAMPLING);
    assert.match(d.noiseLabel, /^sampling error only/);
    assert.match(d.noiseLabel, /does not include run-to-run variation/);
    assert.equal(d.tests, undefined);
    const hot = row(d, 'hotLoop');
    assert.equal(hot.file, 'diffTarget.js');
    assert.equal(hot.line, HOT_LINE);
    assert.equal(hot.status, 'both');
    assert.equal(hot.self.verdict, 'not tested');
    // Beyond the sampling band on a calm machine (a saturated one delays samples far more).
    if (!disturbed.length) assert.ok(hot.self.delta > hot.self.margin, `${hot.self.delta} > ${hot.self.margin}`);
    // About 60 ms x 6 turns more: far from 0, not more than twice that (on a calm machine: a
    // saturated one's stops end a loop at its deadline and land on whatever runs next).
    if (!disturbed.length) assert.ok(hot.self.delta > 180 && hot.self.delta < 720, `delta ${hot.self.delta}`);
    // The error is the combined sampling error of the two sides, and the band is 2 x that.
    const eb = samplingError(hot.before.self, hot.before.selfSamples);
    const ea = samplingError(hot.after.self, hot.after.selfSamples);
    assert.ok(Math.abs(hot.self.error - Math.sqrt(eb ** 2 + ea ** 2)) < 1e-9);
    assert.ok(Math.abs(hot.self.margin - 2 * hot.self.error) < 1e-9);
    const steady = row(d, 'steadyLoop');
    if (!disturbed.length) {
      assert.ok(Math.abs(steady.self.delta) <= steady.self.margin, `steadyLoop ${steady.before.self} -> ${steady.after.self} ±${steady.self.margin}`);
    }
    // Its share of a longer run falls although its time did not change.
    assert.ok(steady.after.selfShare < steady.before.selfShare, `${steady.before.selfShare} -> ${steady.after.selfShare}`);
    // Rows are sorted by |Δ self|: hotLoop first.
    assert.equal(d.functions[0].name, 'hotLoop');
    for (let i = 1; i < d.functions.length; i++) assert.ok(Math.abs(d.functions[i - 1].self.delta) >= Math.abs(d.functions[i].self.delta));
    // No verdict anywhere with one run per side; the totals carry CPU and heap.
    for (const r of [...d.functions, ...d.modules]) assert.ok(r.self.verdict === 'not tested' || r.self.verdict === 'unknown', `${r.name} ${r.self.verdict}`);
    const mod = d.modules.find((m) => m.name === 'diffTarget.js');
    assert.ok(mod && mod.self.delta > 0 && Number.isFinite(mod.self.margin));
    assert.equal(d.totals.cpu?.change.verdict, 'not tested');
    assert.ok(d.totals.heap, 'heap totals when both sides captured heap');
    assert.ok(d.totals.cpu!.after > d.totals.cpu!.before);
  });

  it('a profile against itself: every delta 0, no verdict', () => {
    for (const kind of ['cpu', 'heap'] as const) {
      const d = diffProfiles(two, two, { kind });
      assert.ok(d.functions.length > 5, `${kind}: ${d.functions.length} rows`);
      for (const r of [...d.functions, ...d.modules]) {
        assert.equal(r.self.delta, 0, `${kind} ${r.name}`);
        assert.equal(r.total.delta, 0, `${kind} ${r.name}`);
        assert.ok(r.self.verdict === 'not tested' || r.self.verdict === 'unknown', `${kind} ${r.name} ${r.self.verdict}`);
        assert.equal(r.status, 'both');
      }
      assert.equal(d.totals[kind]!.change.delta, 0);
    }
  });

  it('heap rows: bytes; fillArrays, allocating twice as much, is beyond its sampling band', () => {
    const d = diffProfiles(one, two, { kind: 'heap' });
    assert.equal(d.unit, 'bytes');
    const fill = row(d, 'fillArrays');
    // Its total (its own frame and the builtins it calls): V8 credits an array's bytes to
    // fillArrays or to an Array builtin under it depending on how far it was optimised (once seen:
    // 0.8 MB of its own against 1.4-1.95 MB in 6 other runs).
    assert.ok(fill.before.totalSamples > 10 && fill.after.totalSamples > fill.before.totalSamples, `${fill.before.totalSamples} -> ${fill.after.totalSamples} samples`);
    assert.equal(fill.total.verdict, 'not tested');
    assert.ok(fill.total.delta > fill.total.margin, `${fill.before.total} -> ${fill.after.total} ±${fill.total.margin}`);
    assert.ok(fill.after.total / fill.before.total > 1.3 && fill.after.total / fill.before.total < 3, `${fill.before.total} -> ${fill.after.total} (self ${fill.before.self} -> ${fill.after.self})`);
  });

  it('several runs per side: the count test with the false discovery rate controlled names the slowed function', async () => {
    ones = [one, await record(1)];
    twos = [two, await record(2)];
    const d = diffProfiles(ones, twos);
    assert.equal(d.method, 'welch');
    assert.deepEqual(d.runs, { before: 2, after: 2 });
    assert.match(d.noiseLabel, /sample counts over 2 runs before and 2 after/);
    assert.match(d.noiseLabel, /false discovery rate 5 %/);
    assert.equal(d.tests?.functions.name, 'counts');
    assert.ok(d.tests!.functions.tested >= 2);
    const hot = row(d, 'hotLoop');
    // 2x the time: found, with its ratio's interval above 1; the margin is the corrected test's,
    // so |delta| > margin exactly when the verdict is slower. On a saturated machine the loops
    // (which spin until a deadline) overrun by hundreds of ms and the samples are few and late:
    // then the test may not find it, and must not say anything else.
    assert.ok(hot.self.test?.tested, JSON.stringify(hot.self.test));
    assert.ok(hot.self.margin > 0 && hot.self.delta > 0);
    assert.equal(hot.self.verdict === 'slower', hot.self.delta > hot.self.margin);
    if (hot.self.verdict === 'slower') assert.ok(hot.self.test!.lo > 1 && hot.self.test!.q < 0.05, JSON.stringify(hot.self.test));
    if (!disturbed.length) {
      assert.equal(hot.self.verdict, 'slower', `${hot.before.self} -> ${hot.after.self} ±${hot.self.margin}`);
      assert.notEqual(row(d, 'steadyLoop').self.verdict, 'slower');
    } else {
      assert.ok(['slower', 'within noise'].includes(hot.self.verdict), hot.self.verdict);
    }
    // The same runs on both sides: no function changed beyond the noise.
    const same = diffProfiles(ones, ones);
    assert.equal(same.tests?.functions.changed, 0);
    assert.ok(same.functions.every((r) => r.self.verdict !== 'slower' && r.self.verdict !== 'faster'));
    // One side with one run: back to the sampling error, with a note.
    const mixed = diffProfiles([one], twos);
    assert.equal(mixed.method, 'sampling');
    assert.ok(mixed.notes.some((n) => /one side only/.test(n) && /no function gets a verdict/.test(n)));
    assert.equal(row(mixed, 'hotLoop').self.verdict, 'not tested');
    // A side with N runs shows the mean per run.
    const each = twos.map((t) => row(diffProfiles(one, t), 'hotLoop').after.self);
    assert.ok(Math.abs(row(mixed, 'hotLoop').after.self - (each[0] + each[1]) / 2) < 1e-9);
  });

  it('the proof story: a profiled total against the timed verdict gets the sentence that says why; agreement gets none', () => {
    assert.equal(ones.length, 2, 'after the several-runs test');
    const d = diffProfiles(ones, twos);
    // Timed runs that said "faster" while the profiled runs of a 2x slower function say otherwise.
    const faster = { verdict: 'faster' as const, changePct: -12, n: { before: 10, after: 10 }, metric: 'wall' as const };
    const s = proofStory(faster, d, { before: [1, 1], after: [1, 1] });
    assert.equal(s.coherent, false);
    assert.match(s.sentence!, /^The timed runs are the evidence: after is 12\.0 % faster in time \(n = 10\+10\); (the sampled time of )?the 2 profiled runs per side (show no change|rose|fell)/);
    assert.match(s.sentence!, /sampled time on the stack [\d.]+ ms -> [\d.]+ ms per run, \+[\d.]+ ms ±[\d.]+ ms\) because of /);
    assert.ok(s.reasons.length > 0);
    // The same runs on both sides and a timed "no significant difference": one story, no sentence.
    const same = proofStory({ ...faster, verdict: 'no significant difference', changePct: 0.4 }, diffProfiles(ones, ones));
    assert.deepEqual(same, { coherent: true, reasons: [] });
    // One run per side carries no verdict: the sentence says its totals cannot contradict the timed runs.
    const single = proofStory(faster, diffProfiles(one, two));
    assert.deepEqual(single.reasons, ['one-run']);
    assert.match(single.sentence!, /the 1 profiled run per side \(sampled time on the stack .*\) carry sampling error only and no verdict, so their totals cannot contradict it/);
    // The functions of the files the change touched come first.
    const m = movedRows(d, ['diffTarget.js']);
    if (m.touchedChanged) assert.ok(m.rows[0].changedFile && m.rows[0].row.file === 'diffTarget.js');
    assert.ok(movedRows(d).rows.every((r) => !r.changedFile));
  });

  it('mismatched kinds (CPU against heap only) are refused with a DiffError naming both sides', async () => {
    const r = await runTarget({ command: process.execPath, args: ['diffTarget.js', '1'], cwd: TARGETS, outDir: tempDir('diffh'), capture: { cpu: false, heap: true, imports: false }, timeoutMs: 60_000 });
    const heap = await loadRun(r, { root: TARGETS });
    assert.ok(!heap.cpu && heap.alloc);
    const cpuOnly: ProfileModel = { ...one, alloc: undefined };
    assert.throws(() => diffProfiles(cpuOnly, heap), (e: Error) => e instanceof DiffError && /before holds CPU samples/.test(e.message) && /after holds heap allocations/.test(e.message));
    assert.throws(() => diffProfiles(one, heap, { kind: 'cpu' }), (e: Error) => e instanceof DiffError && /after side has no CPU samples/.test(e.message));
  });

  it('samples further apart on one side (another interval, or a busy machine) are named in a note', async () => {
    const r = await runTarget({ command: process.execPath, args: ['diffTarget.js', '1'], cwd: TARGETS, outDir: tempDir('diff1ms'), capture: { cpu: true, heap: false, imports: false, intervalUs: 1000 }, timeoutMs: 60_000 });
    const fine = await loadRun(r, { root: TARGETS });
    const d = diffProfiles(fine, two);
    // A saturated machine delays both intervals' samples to about the same gaps (seen: 20-65 ms at load 28).
    if (!disturbed.length) assert.ok(d.notes.some((n) => /^CPU samples were further apart on the after side: one per [\d.]+ ms before, [\d.]+ ms after/.test(n)), d.notes.join('\n'));
    assert.ok(!diffProfiles(two, two).notes.some((n) => /further apart/.test(n)));
  });

  it('a function that moved to another line is one row, with both lines', () => {
    // The same profile with hotLoop's frames renumbered stands for an edit above the function.
    const moved: ProfileModel = { ...two, frames: two.frames.map((f) => (f.name === 'hotLoop' ? { ...f, line: f.line + 3 } : f)) };
    const d = diffProfiles(one, moved);
    const hot = d.functions.filter((r) => r.name === 'hotLoop');
    assert.equal(hot.length, 1);
    assert.equal(hot[0].status, 'both');
    assert.equal(hot[0].line, HOT_LINE + 3);
    assert.equal(hot[0].before.line, HOT_LINE);
    assert.ok(d.notes.some((n) => /moved to another line/.test(n)));
  });
});

describe('profile diff: processes matched across runs', () => {
  it('the same process of another run (the "before" side in a temporary tree) gets the same key; threads and repeats are told apart', () => {
    const model = (dir: string) => ({
      processes: [
        { commandLine: `node ${dir}/src/main.js --fast`, threadId: 0 },
        { commandLine: `/usr/bin/node ${dir}/src/stats.js`, threadId: 0 },
        { commandLine: `node ${dir}/src/main.js --fast`, threadId: 1 },
        { commandLine: `/usr/bin/node ${dir}/src/stats.js`, threadId: 0 },
      ],
    }) as unknown as ProfileModel;
    const work = processKeys(model('/home/me/demo'));
    assert.deepEqual(processKeys(model('/tmp/hotpath-wt-abc/demo')), work);
    assert.equal(new Set(work).size, 4, JSON.stringify(work));
    assert.match(work[0], /^node main\.js --fast #0 0$/);
    assert.match(work[3], /^node stats\.js #0 1$/);
  });

  it('the same program run with other arguments on each side (a benchmark\'s parameter) is matched by its script', () => {
    const model = (args: string) => ({ processes: [{ commandLine: `/usr/bin/node --cpu-prof /w/diffTarget.js ${args}`, threadId: 0 }] }) as unknown as ProfileModel;
    assert.notDeepEqual(processKeys(model('1')), processKeys(model('2')));
    assert.equal(matchWithArgs([model('1'), model('1')]), true);
    assert.equal(matchWithArgs([model('1'), model('2')]), false);
    assert.deepEqual(processKeys(model('1'), false), processKeys(model('2'), false));
    assert.deepEqual(processKeys(model('1'), false), ['node --cpu-prof diffTarget.js #0 0']);
  });
});
