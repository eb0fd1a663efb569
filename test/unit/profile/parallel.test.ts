// The parallel ingest path (a worker thread reads the samples while the main thread reads the
// nodes, src/core/profile/parallelSamples.ts), forced on small real profiles with a threshold of
// 0 bytes and compared with the single-threaded path (threshold Infinity): the same model, the same
// errors, the fallbacks taken when the worker's guess is wrong, and no worker left running.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseTopLevelStream, type RawCpuProfile } from '../../../src/core/profile/cpuParser';
import { withProfileSource } from '../../../src/core/profile/readFile';
import { liveSampleWorkers, startSamplesJob, type SamplesJob } from '../../../src/core/profile/parallelSamples';
import { ModelBuilder } from '../../../src/core/profile/builder';
import { addCpuProfile } from '../../../src/core/profile/cpuModel';
import { openProfileFile, ProfileError, summarize, type ProfileModel } from '../../../src/core/profile';
import { FIXTURES, recordCpu, tempDir } from './helpers';

const SRC = path.join(FIXTURES, 'src');

/** Everything a view reads from the model, as plain data (typed arrays cut to their length). */
function snapshot(m: ProfileModel) {
  const cpu = m.cpu!;
  const t = cpu.tree;
  const lineTicks = [...cpu.lineTicks].map(([f, lines]) => [f, [...lines].map(([l, s]) => [l, s.samples, s.us])]);
  return {
    frames: m.frames, processes: m.processes, notes: m.notes,
    tree: [t.count, Array.from(t.frame.subarray(0, t.count)), Array.from(t.parent.subarray(0, t.count)), Array.from(t.self.subarray(0, t.count)), Array.from(t.total.subarray(0, t.count)), Array.from(t.samples.subarray(0, t.count))],
    timeline: [Array.from(cpu.timeline.node), Array.from(cpu.timeline.duration)],
    lineTicks, totalUs: cpu.totalUs, sampleCount: cpu.sampleCount,
    summary: summarize(m, { top: 50 }),
  };
}

/** parallel: the worker's reply waited for (schedule 'wait', so that the worker's path is the one tested), or another schedule. */
const open = (file: string, parallel: boolean | 'race' | 'measured') => openProfileFile(file, { root: SRC, parallelMinBytes: parallel ? 0 : Infinity, parallelSchedule: parallel === true ? 'wait' : parallel || undefined });

/** The raw profile as the parallel path reads it (its `runs` say whether the worker's samples were used). */
function rawParallel(file: string): RawCpuProfile {
  const top = withProfileSource(file, (s) => parseTopLevelStream(s, file, undefined, startSamplesJob(file, s.size, 0, 'wait')));
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

async function noWorkerLeft(): Promise<void> {
  for (let i = 0; i < 100 && liveSampleWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.strictEqual(liveSampleWorkers(), 0, 'a samples worker is still running');
}

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ProfileError, `not a ProfileError: ${err}`);
    return err.message;
  }
  return assert.fail('no error');
}

describe('profile ingest on two threads (worker reads the samples)', function () {
  this.timeout(120_000);
  let dir: string;
  let realFile: string;
  let real: string;
  const write = (name: string, text: string | Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  before(() => {
    dir = tempDir('parallel');
    realFile = recordCpu(path.join(SRC, 'twoHot.js'), ['150'])[0];
    real = fs.readFileSync(realFile, 'utf8');
  });
  afterEach(noWorkerLeft);

  it('builds the same model as one thread from a real recorded profile, using the worker\'s samples', async () => {
    assert.ok(/^\{"nodes":\[/.test(real) && real.includes(',"samples":[') && real.includes('],"timeDeltas":['), 'V8 layout');
    const raw = rawParallel(realFile);
    assert.ok(raw.runs, 'the worker\'s samples were used');
    assert.strictEqual(raw.runs.samples, (JSON.parse(real) as { samples: number[] }).samples.length);
    assert.deepStrictEqual(snapshot(await open(realFile, true)), snapshot(await open(realFile, false)));
  });

  it('the same model on a profile with long runs, many raw nodes and fewer time deltas than samples', async () => {
    const p = JSON.parse(real) as { nodes: { id: number; children?: number[] }[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
    const samples: number[] = [], timeDeltas: number[] = [];
    for (let i = 0; i < p.samples.length; i++) {
      const repeat = i % 53 === 0 ? 700 : 1; // runs longer than 255 samples
      for (let r = 0; r < repeat; r++) { samples.push(p.samples[i]); timeDeltas.push(p.timeDeltas[i] + (r % 3) - 1); }
    }
    // The last samples on one node, so that the last sample joins the run the worker left open.
    for (let r = 0; r < 5; r++) { samples.push(samples[samples.length - 1]); timeDeltas.push(250); }
    const endTime = p.startTime + timeDeltas.reduce((a, d) => a + Math.max(0, d), 0) + 90;
    const full = write('runs.cpuprofile', JSON.stringify({ ...p, samples, timeDeltas, endTime }));
    const short = write('short.cpuprofile', JSON.stringify({ ...p, samples, timeDeltas: timeDeltas.slice(0, -3), endTime }));
    for (const f of [full, short]) {
      assert.ok(rawParallel(f).runs, f);
      assert.deepStrictEqual(snapshot(await open(f, true)), snapshot(await open(f, false)), f);
    }
    assert.ok((await open(short, true)).notes.some((n) => /samples but \d+ time deltas/.test(n)));
  });

  it('gives the single-threaded error for a file truncated or corrupt in the samples region, naming the file', async () => {
    const samplesAt = real.indexOf('"samples":[');
    const deltasAt = real.indexOf('"timeDeltas":[');
    const cases = [
      write('cut-samples.cpuprofile', real.slice(0, samplesAt + ((deltasAt - samplesAt) >> 1))),
      write('cut-deltas.cpuprofile', real.slice(0, deltasAt + ((real.length - deltasAt) >> 1))),
      write('bad-delta.cpuprofile', real.slice(0, deltasAt + 20) + 'x' + real.slice(deltasAt + 21)),
      write('big-sample.cpuprofile', real.replace('"samples":[', '"samples":[99999999999,')),
      write('dangling.cpuprofile', real.replace('"samples":[', '"samples":[987654,')),
    ];
    for (const f of cases) {
      const one = await messageOf(open(f, false));
      assert.ok(one.includes(f), one);
      assert.strictEqual(await messageOf(open(f, true)), one, f);
      assert.strictEqual(await messageOf(open(f, 'race')), one, f);
      assert.strictEqual(await messageOf(open(f, 'measured')), one, f);
    }
  });

  it('falls back to one thread when "samples" comes before "nodes", the last "samples" key is not at the top level, or ids are negative', async () => {
    const p = JSON.parse(real) as Record<string, unknown>;
    const reordered = write('reordered.cpuprofile', JSON.stringify({ samples: p.samples, timeDeltas: p.timeDeltas, startTime: p.startTime, endTime: p.endTime, nodes: p.nodes }));
    const nested = write('nested.cpuprofile', real.replace(/\}$/, ',"meta":{"samples":[1,2],"timeDeltas":[3,4]}}'));
    // Negative node ids (valid JSON, not V8's): the worker's per-id arrays cannot hold them.
    const shift = (id: number) => id - 20;
    const q = p as { nodes: { id: number; children?: number[] }[]; samples: number[] };
    const negative = write('negative.cpuprofile', JSON.stringify({ ...p, nodes: q.nodes.map((n) => ({ ...n, id: shift(n.id), children: n.children?.map(shift) })), samples: q.samples.map(shift) }));
    assert.ok(q.samples.some((id) => shift(id) < 0) && q.samples.some((id) => shift(id) >= 0));
    for (const f of [reordered, nested, negative]) {
      assert.strictEqual(rawParallel(f).runs, undefined, `${f}: the worker's samples must not be used`);
      assert.deepStrictEqual(snapshot(await open(f, true)), snapshot(await open(f, false)), f);
    }
    // Keys that end in the same bytes after an escaped quote ("y\"samples"): skipped by the worker.
    const escaped = write('escaped.cpuprofile', real.replace(/\}$/, ',"y\\"samples":[1],"x\\"timeDeltas":[2]}'));
    assert.ok(fs.readFileSync(escaped, 'utf8').endsWith(',"y\\"samples":[1],"x\\"timeDeltas":[2]}'));
    assert.ok(rawParallel(escaped).runs, 'the real samples were found behind the escaped ones');
    assert.deepStrictEqual(snapshot(await open(escaped, true)), snapshot(await open(escaped, false)));
  });

  it('reads everything again on one thread when a second "samples" array follows the one the worker read', async () => {
    const twice = write('twice.cpuprofile', real.replace(/\}$/, ',"samples":[1,1]}'));
    assert.strictEqual(rawParallel(twice).runs, undefined);
    assert.deepStrictEqual(snapshot(await open(twice, true)), snapshot(await open(twice, false)));
  });

  it('leaves no worker running after a parse that fails before the samples', async () => {
    const broken = write('broken-nodes.cpuprofile', real.replace('"callFrame":{', '"callFrame":{{'));
    const one = await messageOf(open(broken, false));
    assert.strictEqual(await messageOf(open(broken, true)), one);
    assert.strictEqual(await messageOf(open(broken, 'race')), one);
    assert.strictEqual(await messageOf(open(broken, 'measured')), one);
    await noWorkerLeft();
  });
});

/** The model of a raw profile, as openProfileFile builds it (a snapshot to compare). */
function modelOf(raw: RawCpuProfile) {
  const b = new ModelBuilder(SRC);
  addCpuProfile(b, raw, b.addProcess({ pid: 1, threadId: 0, commandLine: 'p', label: 'p' }));
  return snapshot(b.build());
}

/** A real worker's job, once it has replied, behind a stand-in that says what the test wants. */
async function finishedJob(file: string): Promise<SamplesJob> {
  const job = startSamplesJob(file, fs.statSync(file).size, 0, 'race')!;
  for (let i = 0; i < 600 && !job.finished(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(job.finished(), 'the worker replied');
  return job;
}

describe('profile ingest on two threads: the race (this thread reads the samples while the worker may finish first)', function () {
  this.timeout(120_000);
  let file: string;
  let oneThread: ReturnType<typeof modelOf>;
  const WINDOW = 4096;
  /** Parses `file` through a small window (many slides, so many looks at the worker) with `job`. */
  const parseWith = (job: SamplesJob) => withProfileSource(file, (s) => parseTopLevelStream(s, file, WINDOW, job));
  before(() => {
    // A real profile with its samples recorded over and over (in V8's layout): some 40 windows of samples and of time deltas.
    const recorded = recordCpu(path.join(SRC, 'twoHot.js'), ['150'])[0];
    const p = JSON.parse(fs.readFileSync(recorded, 'utf8')) as { samples: number[]; timeDeltas: number[]; endTime: number; startTime: number };
    const times = Math.ceil((40 * WINDOW) / Math.min(JSON.stringify(p.samples).length, JSON.stringify(p.timeDeltas).length));
    const samples = Array.from({ length: times }, () => p.samples).flat(), timeDeltas = Array.from({ length: times }, () => p.timeDeltas).flat();
    file = path.join(tempDir('race'), 'long.cpuprofile');
    fs.writeFileSync(file, JSON.stringify({ ...p, endTime: p.startTime + timeDeltas.reduce((a, d) => a + Math.max(0, d), 0) + 100, samples, timeDeltas }));
    oneThread = modelOf((withProfileSource(file, (s) => parseTopLevelStream(s, file, WINDOW)) as { profile: RawCpuProfile }).profile);
  });
  afterEach(noWorkerLeft);

  it('switches to the worker\'s reply in the middle of its own reading of the samples or the time deltas: same model', async () => {
    const text = fs.readFileSync(file, 'utf8');
    const samplesAt = text.indexOf('"samples":['), deltasAt = text.indexOf('"timeDeltas":[');
    // Looks at the worker once per window slide: the k-th look within the samples, or within the time deltas.
    const inSamples = Math.floor((deltasAt - samplesAt) / WINDOW / 2), inDeltas = Math.floor((deltasAt - samplesAt) / WINDOW + (text.length - deltasAt) / WINDOW / 2);
    assert.ok(inSamples >= 2 && inDeltas > inSamples + 2, `profile big enough for the test (${inSamples}, ${inDeltas})`);
    for (const k of [1, inSamples, inDeltas]) {
      const real = await finishedJob(file);
      let looks = 0;
      let readBeforeSwitch = 0;
      const job: SamplesJob = {
        schedule: 'race', waitWhileAhead: () => assert.fail('not measured'),
        finished: () => ++looks > k,
        take: () => real.take(),
        progressKb: () => 1 << 30,
        close: () => real.close(),
      };
      const top = withProfileSource(file, (s) => {
        const r = parseTopLevelStream({ ...s, read: (into, offset, length) => { const n = s.read(into, offset, length); if (looks <= k) readBeforeSwitch += n; return n; } }, file, WINDOW, job);
        return r;
      });
      assert.strictEqual(top.format, 'cpuprofile');
      const raw = (top as { profile: RawCpuProfile }).profile;
      assert.ok(raw.runs, `k=${k}: the worker's runs were taken`);
      // Where this thread had read to when it switched: into the samples, or into the time deltas.
      if (k === inSamples) assert.ok(readBeforeSwitch > samplesAt + WINDOW && readBeforeSwitch < deltasAt, `switched within the samples (${readBeforeSwitch})`);
      if (k === inDeltas) assert.ok(readBeforeSwitch > deltasAt && readBeforeSwitch < text.length, `switched within the time deltas (${readBeforeSwitch})`);
      assert.deepStrictEqual(modelOf(raw), oneThread, `k=${k}`);
    }
  });

  it('whenever the worker replies (also while the window slides between the samples and the time deltas), the same model', async () => {
    // Blank space between the two arrays (JSON allows it; the worker reads past it): the window slides there too.
    const text = fs.readFileSync(file, 'utf8');
    const spaced = path.join(path.dirname(file), 'spaced.cpuprofile');
    fs.writeFileSync(spaced, text.replace('],"timeDeltas":[', `]${' '.repeat(3 * WINDOW)},"timeDeltas":[`));
    const job0 = await finishedJob(spaced);
    const reply = job0.take();
    assert.ok(reply?.ok, 'the worker read the spaced file');
    let taken = 0;
    for (let k = 1; ; k++) {
      let looks = 0;
      const job: SamplesJob = { schedule: 'race', waitWhileAhead: () => assert.fail('not measured'), finished: () => ++looks > k, take: () => structuredClone(reply), progressKb: () => 1 << 30, close: () => {} };
      const raw = (withProfileSource(spaced, (s) => parseTopLevelStream(s, spaced, WINDOW, job)) as { profile: RawCpuProfile }).profile;
      assert.deepStrictEqual(modelOf(raw), oneThread, `worker done at look ${k}`);
      if (raw.runs) taken++;
      // Past the last look: the worker's reply came too late to be used.
      if (looks <= k) break;
    }
    assert.ok(taken > 2 * 3, `the reply was taken when it came during the samples, the blank space or the time deltas (${taken} times)`);
  });

  it('stops a worker that has read less of the samples than this thread, and reads them alone: same model', async () => {
    const real = startSamplesJob(file, fs.statSync(file).size, 0, 'race')!;
    let closed = 0;
    const job: SamplesJob = { schedule: 'race', waitWhileAhead: () => assert.fail('not measured'), finished: () => false, take: () => assert.fail('the reply of a worker that is behind must not be waited for'), progressKb: () => -1, close: () => { closed++; real.close(); } };
    const raw = (parseWith(job) as { profile: RawCpuProfile }).profile;
    assert.strictEqual(raw.runs, undefined);
    assert.ok(closed >= 1, 'the worker was stopped');
    assert.deepStrictEqual(modelOf(raw), oneThread);
  });

  it('goes on alone when the worker failed or replied about other samples', async () => {
    for (const reply of [undefined, { ok: false as const, why: 'test' }]) {
      const real = await finishedJob(file);
      const job: SamplesJob = { schedule: 'race', waitWhileAhead: () => assert.fail('not measured'), finished: () => true, take: () => { real.close(); return reply; }, progressKb: () => 0, close: () => real.close() };
      // finished() at the samples key: the reply is taken at once (takeRuns), and refused.
      const raw = (parseWith(job) as { profile: RawCpuProfile }).profile;
      assert.strictEqual(raw.runs, undefined);
      assert.deepStrictEqual(modelOf(raw), oneThread);
    }
    // Finished only after this thread began the samples, with a reply for another offset.
    const real = await finishedJob(file);
    let looks = 0;
    const job: SamplesJob = { schedule: 'race', waitWhileAhead: () => assert.fail('not measured'), finished: () => ++looks > 2, take: () => { const r = real.take(); return r?.ok ? { ...r, samplesAt: r.samplesAt + 1 } : r; }, progressKb: () => 1 << 30, close: () => real.close() };
    const raw = (parseWith(job) as { profile: RawCpuProfile }).profile;
    assert.strictEqual(raw.runs, undefined);
    assert.deepStrictEqual(modelOf(raw), oneThread);
  });

  it('with real threads: the same model as one thread, whichever finishes first', async () => {
    assert.deepStrictEqual(snapshot(await open(file, 'race')), snapshot(await open(file, false)));
  });
});

describe('profile ingest on two threads: the measured schedule (wait while the worker is ahead, else read alone)', function () {
  this.timeout(120_000);
  let file: string;
  before(() => {
    const recorded = recordCpu(path.join(SRC, 'twoHot.js'), ['150'])[0];
    const p = JSON.parse(fs.readFileSync(recorded, 'utf8')) as { samples: number[]; timeDeltas: number[]; endTime: number; startTime: number };
    const samples = Array.from({ length: 200 }, () => p.samples).flat(), timeDeltas = Array.from({ length: 200 }, () => p.timeDeltas).flat();
    file = path.join(tempDir('measured'), 'long.cpuprofile');
    fs.writeFileSync(file, JSON.stringify({ ...p, endTime: p.startTime + timeDeltas.reduce((a, d) => a + Math.max(0, d), 0) + 100, samples, timeDeltas }));
  });
  afterEach(noWorkerLeft);

  it('waits for a real worker that is ahead of a slow main thread, and stops it when the main thread would be faster alone', async () => {
    const size = fs.statSync(file).size;
    // Main thread at 1 byte per second: once the worker reads (its pace is known), it is ahead; it replies.
    const slow = startSamplesJob(file, size, 0, 'measured')!;
    for (let i = 0; i < 600 && slow.progressKb() <= 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.strictEqual(slow.waitWhileAhead(1e-3), true);
    assert.ok(slow.take()?.ok, 'the reply is there');
    // Main thread at 1 TB/ms: whatever the worker has done, the main thread alone is sooner.
    const fast = startSamplesJob(file, size, 0, 'measured')!;
    assert.strictEqual(fast.waitWhileAhead(1e12), false);
    assert.strictEqual(fast.take(), undefined, 'the worker was stopped');
  });

  it('the same model when the parser waits for the worker and when it reads alone', async () => {
    const one = modelOf((withProfileSource(file, (s) => parseTopLevelStream(s, file)) as { profile: RawCpuProfile }).profile);
    for (const ahead of [true, false]) {
      const real = startSamplesJob(file, fs.statSync(file).size, 0, 'wait')!;
      let asked = 0;
      const job: SamplesJob = { ...real, schedule: 'measured', finished: () => false, waitWhileAhead: (pace) => { asked++; assert.ok(pace > 0, `the nodes' pace is measured (${pace})`); if (!ahead) real.close(); return ahead; } };
      const raw = (withProfileSource(file, (s) => parseTopLevelStream(s, file, undefined, job)) as { profile: RawCpuProfile }).profile;
      assert.strictEqual(asked, 1);
      assert.strictEqual(!!raw.runs, ahead, ahead ? 'the worker\'s runs were taken' : 'read alone');
      real.close();
      assert.deepStrictEqual(modelOf(raw), one);
    }
    assert.deepStrictEqual(snapshot(await open(file, 'measured')), snapshot(await open(file, false)));
  });
});
