// `hotpath diff` through the built CLI on real runs of diffTarget.js (factor 1, then 2): the text
// table and its noise label, the --json contract, run ids / prefixes / folders / files / comma
// lists as inputs, and bad input (missing file, corrupt profile, CPU vs heap, unknown run id):
// a clear message and exit 2, never a stack trace.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, hotpath, noRawError, ROOT } from './cli';
import { buildOnly } from '../build';
import { DiffRecorder, diffTargetOutput, loopGapMs } from '../profile/diffRuns';

const TARGET = path.join(ROOT, 'test', 'fixtures', 'targets', 'diffTarget.js');
const lineOf = (text: string) => fs.readFileSync(TARGET, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const HOT = lineOf('function hotLoop(');
const STEADY = lineOf('function steadyLoop(');

describe('cli: hotpath diff', function () {
  this.timeout(240_000);
  let tmp: string;
  let ids: string[];
  const recorder = new DiffRecorder(8);
  const disturbed = recorder.disturbed;
  const runs = () => path.join(tmp, '.hotpath', 'runs');

  before(async () => {
    buildOnly('cli,preload');
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-diff-')));
    fs.copyFileSync(TARGET, path.join(tmp, 'diffTarget.js'));
    // Undisturbed runs where the machine allows (regular sampling in the loops, loops on time; see
    // test/unit/profile/diffRuns.ts): a disturbed run is recorded again, up to 8 times; then the
    // least disturbed one is kept and `disturbed` leaves out the checks that need a calm machine.
    // The third run (a second factor-2 run) is read by no calm-only check: its first run is kept.
    const profile = (factor: string) => () => {
      const p = hotpath(tmp, ['profile', '--json', '--cpu', '--heap', '--heap-interval', '32', '--', process.execPath, 'diffTarget.js', factor]);
      assert.equal(p.code, 0, p.stderr);
      const j = JSON.parse(p.stdout) as { topFunctions: { name: string; selfMs: number; samples: number }[]; outDir: string };
      return { value: path.join(tmp, j.outDir), out: diffTargetOutput(p.stderr), gapMs: loopGapMs(j.topFunctions) };
    };
    const discard = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });
    await recorder.record('diffTarget.js 1', profile('1'), { discard });
    await recorder.record('diffTarget.js 2', profile('2'), { discard });
    await recorder.record('diffTarget.js 2 (third run)', profile('2'), { discard, calm: false });
    ids = fs.readdirSync(runs()).sort();
    assert.equal(ids.length, 3);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('text, one run per side: the slowed function beyond its sampling band, no verdicts, the noise label says sampling error only', () => {
    const r = hotpath(tmp, ['diff', ids[0], ids[1]]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Profile diff \(CPU: sampled time on the stack, ms per run\): before .*\(1 run\), after .*\(1 run\)/);
    assert.match(r.stdout, /Noise: sampling error only: ± is 2 x the combined sampling error .* does not include run-to-run variation, so no function gets a verdict/);
    assert.match(r.stdout, /\nSampled time on the threads' stacks \(idle excluded; not CPU time\): [\d.]+ ±[\d.]+ -> [\d.]+ ±[\d.]+ ms \(1 sigma sampling error\) per run; change [+-]?[\d.]+ ±[\d.]+ ms: no verdict \(one run per side\)\n/);
    // Measured CPU beside it (Linux: every thread measured at exit).
    assert.match(r.stdout, /\nMeasured CPU of the profiled threads: ([\d.]+ -> [\d.]+ ms per run; change [+-]?[\d.]+ ms: no verdict|not measured)/);
    assert.match(r.stdout, /Functions by \|Δ self\| \(\d+: no verdicts: one run per side, sampling error only;/);
    assert.match(r.stdout, new RegExp(String.raw`\n\s+[\d.]+\s+[\d.]+\s+\+[\d.]+ ±[\d.]+\s+\+[\d.]+ ±[\d.]+\s+[\d.]+% → [\d.]+%\s+not tested\s+hotLoop  diffTarget\.js:${HOT}\n`));
    assert.match(r.stdout, new RegExp(String.raw`\s+not tested\s+steadyLoop  diffTarget\.js:${STEADY}\n`));
    assert.doesNotMatch(r.stdout, /\s(slower|faster|within noise)\s+\S+  /);
    assert.match(r.stdout, /Modules by \|Δ self\|/);
    // 720 vs 1080 ms of loops: the length note, its numbers rounded as the table rounds them (whole ms from 100 up).
    // (A saturated machine stretches both runs alike: the note needs a calm one.)
    if (!disturbed.length) assert.match(r.stdout, /\nnote: The sides differ in length: \d+ ms after vs \d+ ms before \(x1\.\d\d\)/);
    noRawError(r.stdout + r.stderr);
  });

  it('--json: the documented fields, in ms; one run per side is not tested', () => {
    const r = hotpath(tmp, ['diff', ids[0], ids[1], '--json', '--top', '5']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['kind', 'unit', 'method', 'noiseLabel', 'factor', 'before', 'after', 'totals', 'functions', 'modules', 'notes', 'onCpu', 'tests', 'story']);
    assert.equal(j.tests, null);
    assert.equal(j.story, null, 'plain profile runs are no comparison');
    assert.deepEqual(Object.keys(j.onCpu), ['measuredCpu', 'runQueue', 'waiting', 'source']);
    assert.equal(j.kind, 'cpu');
    assert.equal(j.unit, 'ms');
    assert.equal(j.method, 'sampling');
    assert.equal(j.factor, 2);
    assert.equal(j.before.runs, 1);
    assert.match(j.before.inputs[0], new RegExp(`^${ids[0]} \\(`));
    assert.deepEqual(Object.keys(j.totals.cpu), ['beforeMs', 'afterMs', 'beforeErrorMs', 'afterErrorMs', 'beforeSamples', 'afterSamples', 'deltaMs', 'errorMs', 'marginMs', 'verdict']);
    assert.ok(j.totals.heap && typeof j.totals.heap.beforeBytes === 'number');
    assert.ok(j.functions.length <= 5);
    const hot = j.functions.find((f: { name: string }) => f.name === 'hotLoop');
    assert.deepEqual(Object.keys(hot), ['name', 'file', 'path', 'line', 'lineBefore', 'status', 'category', 'before', 'after', 'deltaSelfMs', 'deltaTotalMs', 'errorSelfMs', 'errorTotalMs', 'marginSelfMs', 'marginTotalMs', 'verdict', 'totalVerdict', 'deltaSelfSharePts', 'test', 'blocking']);
    assert.equal(hot.test, null);
    assert.equal(hot.blocking, null);
    assert.deepEqual(Object.keys(hot.before), ['selfMs', 'totalMs', 'selfSamples', 'totalSamples', 'selfShare', 'totalShare']);
    assert.equal(hot.file, 'diffTarget.js');
    assert.equal(hot.path, path.join(tmp, 'diffTarget.js'));
    assert.equal(hot.line, HOT);
    assert.equal(hot.verdict, 'not tested');
    if (!disturbed.length) assert.ok(hot.deltaSelfMs > hot.marginSelfMs, `${hot.deltaSelfMs} > ${hot.marginSelfMs}`);
    assert.ok(Math.abs(hot.deltaSelfMs - (hot.after.selfMs - hot.before.selfMs)) < 0.01);
    assert.ok(Math.abs(hot.marginSelfMs - 2 * hot.errorSelfMs) < 0.01);
    // steadyLoop is within noise, so not always among the top 5 by |Δ self|: look in all rows.
    const all = JSON.parse(hotpath(tmp, ['diff', ids[0], ids[1], '--json', '--top', '0']).stdout);
    const steady = all.functions.find((f: { name: string }) => f.name === 'steadyLoop');
    assert.equal(steady.verdict, 'not tested');
    if (!disturbed.length) assert.ok(Math.abs(steady.deltaSelfMs) <= steady.marginSelfMs);
  });

  it('--kind heap: bytes; inputs as folders, profile files, prefixes and comma lists', () => {
    const heap = hotpath(tmp, ['diff', path.join(runs(), ids[0]), path.join('.hotpath', 'runs', ids[1]), '--kind', 'heap', '--json']);
    assert.equal(heap.code, 0, heap.stderr);
    const h = JSON.parse(heap.stdout);
    assert.equal(h.unit, 'bytes');
    assert.ok('selfBytes' in h.functions[0].before && 'deltaSelfBytes' in h.functions[0]);
    // One .cpuprofile file per side.
    const cpu = (id: string) => path.join(runs(), id, fs.readdirSync(path.join(runs(), id)).find((f) => f.endsWith('.cpuprofile'))!);
    const files = hotpath(tmp, ['diff', cpu(ids[0]), cpu(ids[1]), '--json']);
    assert.equal(files.code, 0, files.stderr);
    assert.ok(JSON.parse(files.stdout).functions.find((f: { name: string }) => f.name === 'hotLoop').deltaSelfMs > 0);
    // `previous last` and a unique prefix; two runs on one side (comma list) and --before/--after.
    const named = hotpath(tmp, ['diff', 'previous', 'last', '--json']);
    assert.equal(named.code, 0, named.stderr);
    assert.match(JSON.parse(named.stdout).before.inputs[0], new RegExp(`^${ids[1]}`));
    const both = hotpath(tmp, ['diff', '--before', ids[0], '--before', ids[0], '--after', `${ids[1]},${ids[2]}`, '--json']);
    assert.equal(both.code, 0, both.stderr);
    const b = JSON.parse(both.stdout);
    assert.equal(b.method, 'welch');
    assert.deepEqual([b.before.runs, b.after.runs], [2, 2]);
    assert.match(b.noiseLabel, /sample counts over 2 runs before and 2 after/);
    assert.equal(b.tests.functions.name, 'counts');
    assert.ok(b.functions.every((f: { test: { tested: boolean } | null }) => f.test !== null));
  });

  it('bad input: a clear message and exit 2, no stack trace', () => {
    const bad = path.join(tmp, 'corrupt.cpuprofile');
    fs.writeFileSync(bad, '{"nodes": [ {"id": 1, "callFrame": ');
    // A heap profile file alone (the stored run's own: no run of its own needed).
    const heapFile = path.join(runs(), ids[1], fs.readdirSync(path.join(runs(), ids[1])).find((f) => f.endsWith('.heapprofile'))!);
    const cpuFile = path.join(runs(), ids[0], fs.readdirSync(path.join(runs(), ids[0])).find((f) => f.endsWith('.cpuprofile'))!);
    const cases: [string[], RegExp][] = [
      [['diff', 'missing.cpuprofile', ids[0]], /missing\.cpuprofile does not exist/],
      [['diff', bad, ids[0]], /corrupt\.cpuprofile/],
      [['diff', cpuFile, heapFile, '--kind', 'cpu'], /after side has no CPU samples/],
      [['diff', cpuFile, heapFile], /before holds CPU samples, after holds heap allocations/],
      [['diff', 'nosuchrun', ids[0]], /nosuchrun is not a file, a folder, or a run id in .*3 stored run/],
      [['diff', '2026', ids[0]], /matches 3 runs|is not a file/],
      [['diff', tmp, ids[0]], /holds no Hotpath profiles/],
      [['diff', ids[0]], /give two profiles/],
      [['diff', ids[0], ids[1], '--kind', 'imports'], /--kind must be cpu or heap/],
    ];
    for (const [args, message] of cases) {
      const r = hotpath(tmp, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^hotpath diff: /, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      noRawError(r.stderr);
    }
  });

  it('a profile without samples and a damaged run folder are named as such (exit 2)', () => {
    // A real profile of this fixture with its samples taken out (a process that ended before the
    // first sample): it is a CPU profile, just an empty one.
    const cpuFile = path.join(runs(), ids[0], fs.readdirSync(path.join(runs(), ids[0])).find((f) => f.endsWith('.cpuprofile'))!);
    const p = JSON.parse(fs.readFileSync(cpuFile, 'utf8'));
    p.samples = [];
    p.timeDeltas = [];
    p.endTime = p.startTime;
    for (const n of p.nodes) n.hitCount = 0;
    const empty = path.join(tmp, 'nosamples.cpuprofile');
    fs.writeFileSync(empty, JSON.stringify(p));
    // A store folder whose run.json is damaged: the listing skips it, diff says what is wrong.
    const damaged = path.join(runs(), 'damaged-run');
    fs.mkdirSync(damaged);
    // Copies of a stored run (outside the store) whose CPU profile is cut short, or gone.
    const copy = (name: string, change: (file: string) => void) => {
      const dir = path.join(tmp, name);
      fs.cpSync(path.join(runs(), ids[0]), dir, { recursive: true });
      change(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!));
      return dir;
    };
    const truncated = copy('run-truncated', (f) => fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 4000)));
    const missing = copy('run-missing', (f) => fs.rmSync(f));
    fs.writeFileSync(path.join(damaged, 'run.json'), '{"version":1,"id":"dam');
    try {
      const cases: [string[], RegExp][] = [
        [['diff', empty, cpuFile], /before holds a CPU profile without samples, after holds CPU samples/],
        [['diff', cpuFile, empty, '--kind', 'cpu'], /after side has no CPU samples \(it holds a CPU profile without samples/],
        [['diff', 'damaged-run', ids[0]], /Run damaged-run cannot be read: .*JSON/],
        // The reason a run lacks the CPU samples it was recorded with, not only what it holds.
        [['diff', truncated, ids[1], '--kind', 'cpu'], /before side has no CPU samples .*The CPU profile of .* could not be read and is left out: .*run-truncated.*truncated/],
        [['diff', ids[1], missing, '--kind', 'cpu'], /after side has no CPU samples .*could not be read and is left out: .*run-missing.* does not exist/],
      ];
      for (const [args, message] of cases) {
        const r = hotpath(tmp, args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.doesNotMatch(r.stderr, /is not a file, a folder, or a run id/);
        noRawError(r.stderr);
      }
      // Without --kind, these runs (CPU + heap) fall back to their heap profiles: a note says why.
      const heap = hotpath(tmp, ['diff', truncated, ids[1], '--json']);
      assert.equal(heap.code, 0, heap.stderr);
      const h = JSON.parse(heap.stdout);
      assert.equal(h.kind, 'heap');
      assert.match(h.notes[0], /^The CPU profile of .* could not be read and is left out: .*run-truncated/);
    } finally {
      for (const dir of [damaged, truncated, missing]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the same run on both sides: all zero, and a note says why', () => {
    const same = hotpath(tmp, ['diff', ids[1], ids[1], '--json']);
    assert.equal(same.code, 0, same.stderr);
    const j = JSON.parse(same.stdout);
    assert.ok(j.functions.every((f: { deltaSelfMs: number }) => f.deltaSelfMs === 0));
    assert.match(j.notes[0], new RegExp(`^The same profile on both sides \\(.*${ids[1]}\\): every difference is 0 by construction`));
    // One shared run of two on a side: a different note; two different runs: none.
    const mixed = JSON.parse(hotpath(tmp, ['diff', `${ids[0]},${ids[1]}`, `${ids[1]},${ids[2]}`, '--json']).stdout);
    assert.ok(mixed.notes.some((n: string) => /the shared runs make the sides look more alike/.test(n)), mixed.notes.join('\n'));
    const apart = JSON.parse(hotpath(tmp, ['diff', ids[0], ids[1], '--json']).stdout);
    assert.ok(!apart.notes.some((n: string) => /on both sides/.test(n)), apart.notes.join('\n'));
  });

  it('--sort total: rows by |Δ total| and the titles say so', () => {
    const r = hotpath(tmp, ['diff', ids[0], ids[1], '--sort', 'total', '--top', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nFunctions by \|Δ total\| \(\d+: .*; verdict on self\):\n/);
    assert.match(r.stdout, /\nModules by \|Δ total\| \(\d+; verdict on self\):\n/);
    assert.doesNotMatch(r.stdout, /by \|Δ self\|/);
    const table = r.stdout.split('\nFunctions by ')[1].split('\n\n')[0].split('\n').slice(2);
    // Δ total is the 4th column ("+12.3 ±4.5"); its magnitude never grows down the table.
    const totals = table.map((l) => Math.abs(Number(/^\s*\S+\s+\S+\s+\S+ ±\S+\s+(\S+) ±/.exec(l)![1])));
    assert.ok(totals.length > 3, r.stdout);
    for (let i = 1; i < totals.length; i++) assert.ok(totals[i] <= totals[i - 1] + 0.05, `${totals[i - 1]} then ${totals[i]}`);
    const self = hotpath(tmp, ['diff', ids[0], ids[1], '--top', '3']);
    assert.match(self.stdout, /\nFunctions by \|Δ self\| \(\d+: [^)]*each side's samples\):\n/);
  });

  it('a function sampled on one side only is marked "not sampled before/after" (JSON status added/removed)', () => {
    // Another program: busy.js's loop is sampled only after, diffTarget's loops only before.
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'targets', 'busy.js'), path.join(tmp, 'busy.js'));
    const out = path.join(tmp, 'busy-run');
    const p = hotpath(tmp, ['profile', '--json', '--no-save', '--out', out, '--', process.execPath, '-e', "require('./busy').busy(300)"]);
    assert.equal(p.code, 0, p.stderr);
    try {
      const r = hotpath(tmp, ['diff', ids[0], out, '--top', '0']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(String.raw`\s+hotLoop  diffTarget\.js:${HOT}  \[not sampled after\]\n`));
      assert.match(r.stdout, /\s+busy  busy\.js:\d+  \[not sampled before\]\n/);
      assert.doesNotMatch(r.stdout, /\[(added|removed)\]/);
      const j = JSON.parse(hotpath(tmp, ['diff', ids[0], out, '--json', '--top', '0']).stdout);
      assert.equal(j.functions.find((f: { name: string }) => f.name === 'hotLoop').status, 'removed');
      assert.equal(j.functions.find((f: { name: string }) => f.name === 'busy').status, 'added');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('--root DIR: run ids from another folder; a reader that stops early (| head) is no error', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" diff --root "${tmp}" previous last --top 0 | head -3`], { cwd: os.tmpdir(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 4);
    assert.match(r.stdout, new RegExp(`^Profile diff \\(CPU: sampled time on the stack, ms per run\\): before ${ids[1]}`));
    assert.equal(r.stderr, '');
  });

  it('--help documents the JSON fields and exit codes', () => {
    const r = hotpath(tmp, ['diff', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--json prints \{kind, unit, method, noiseLabel/);
    assert.match(r.stdout, /Exit code: 0; 2 for bad usage or bad input/);
    assert.match(r.stdout, /^Usage: hotpath diff .*\[--sort self\|total\]/);
    assert.match(hotpath(tmp, ['--help']).stdout, /\n  diff\s+Compare two profiles/);
  });
});
