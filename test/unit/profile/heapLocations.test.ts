// Allocation sites whose script was collected before exit (heapLost.js: everything in a main
// module that has returned). V8's heap profile gives their frames url "" and line -1; the model
// takes the file and line from the CPU profile of the same process (same script ids), the url only
// when two functions of the script share the name (both CPU-sampled, or siblings in the heap
// profile), and says so in one note. Real runs through the built CLI (CPU + heap, heap only, in
// a worker thread), the flame data, and `hotpath diff --kind heap` of the run.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseTopLevel, scriptIdOf, type RawCpuProfile } from '../../../src/core/profile/cpuParser';
import { ScriptLocations } from '../../../src/core/profile/scriptLocations';
import { loadRun, toFlameGraphs } from '../../../src/core/profile';
import { readRunFolder } from '../../../src/core/profile/diffInput';
import { ModelBuilder } from '../../../src/core/profile/builder';
import { addHeapProfile } from '../../../src/core/profile/heapModel';
import { tempDir } from './helpers';
import { buildOnly } from '../build';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TARGET = path.join(ROOT, 'test', 'fixtures', 'targets', 'heapLost.js');
const source = fs.readFileSync(TARGET, 'utf8').split('\n');
/** 1-based line of the first line holding `text`. */
const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
const STEP_LINES = source.flatMap((l, i) => (l.includes('step(ms) {') ? [i + 1] : []));

interface Alloc { name: string; file: string; line: number; bytes: number }
interface HeapNode { callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number }; children: HeapNode[] }

function profile(cwd: string, out: string, kinds: string[], extra: string[] = []) {
  const r = spawnSync(process.execPath, [CLI, 'profile', '--json', ...kinds, '--interval', '1000', '--heap-interval', '32', '--out', out, '--', process.execPath, 'heapLost.js', '150', ...extra], { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { allocations: Alloc[]; notes: string[] };
}

function fileIn(dir: string, ext: string): string {
  const f = fs.readdirSync(dir).find((n) => n.endsWith(ext));
  assert.ok(f, `no ${ext} in ${dir}`);
  return path.join(dir, f);
}

/** The heap profile's frames named `name`, as V8 wrote them (the first heap profile in `dir`, or `file`). */
function heapFrames(dir: string, name: string, file = fileIn(dir, '.heapprofile')): HeapNode['callFrame'][] {
  const out: HeapNode['callFrame'][] = [];
  const stack = [(JSON.parse(fs.readFileSync(file, 'utf8')) as { head: HeapNode }).head];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.callFrame.functionName === name) out.push(n.callFrame);
    stack.push(...n.children);
  }
  return out;
}

function rawCpu(dir: string): RawCpuProfile {
  const top = parseTopLevel(fs.readFileSync(fileIn(dir, '.cpuprofile')), 'cpu');
  assert.equal(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

describe('heap frames whose script was collected before exit', function () {
  this.timeout(300_000);
  let tmp: string;
  let both: { allocations: Alloc[]; notes: string[] };
  let heapOnly: { allocations: Alloc[]; notes: string[] };
  const bothDir = () => path.join(tmp, 'both');

  before(() => {
    buildOnly('cli,preload');
    tmp = tempDir('heaplost');
    fs.copyFileSync(TARGET, path.join(tmp, 'heapLost.js'));
    both = profile(tmp, bothDir(), ['--cpu', '--heap']);
    heapOnly = profile(tmp, path.join(tmp, 'heap'), ['--heap']);
  });

  it('V8 wrote them without url or line, with their script id (the case under test)', () => {
    for (const dir of [bothDir(), path.join(tmp, 'heap')]) {
      const frames = heapFrames(dir, 'makeRecords');
      assert.ok(frames.length > 0, 'makeRecords allocated');
      for (const f of frames) {
        assert.equal(f.url, '');
        assert.equal(f.lineNumber, -1);
        assert.ok(scriptIdOf(f.scriptId) > 0, f.scriptId);
      }
    }
  });

  it('CPU + heap: the file and line from the CPU profile of the same process', () => {
    const make = both.allocations.find((a) => a.name === 'makeRecords');
    assert.ok(make, JSON.stringify(both.allocations));
    assert.equal(make.file, 'heapLost.js');
    assert.equal(make.line, lineOf('function makeRecords('));
    assert.ok(make.bytes > 0);
    assert.ok(!both.allocations.some((a) => a.file === '' && (a.name === 'makeRecords' || a.name === 'step')), JSON.stringify(both.allocations));
  });

  it('two sampled functions of one name in the script: the file only, and the note says so', () => {
    // Precondition: the CPU profile sampled both `step` methods (else nothing is ambiguous).
    const raw = rawCpu(bothDir());
    const steps = raw.frames.filter((f) => f.functionName === 'step' && f.url.endsWith('/heapLost.js'));
    assert.deepEqual([...new Set(steps.map((f) => f.lineNumber + 1))].sort((a, b) => a - b), STEP_LINES);
    const step = both.allocations.find((a) => a.name === 'step');
    assert.ok(step, JSON.stringify(both.allocations));
    assert.deepEqual([step.file, step.line], ['heapLost.js', 0]);
    const notes = both.notes.filter((n) => /allocation sites? /.test(n));
    assert.equal(notes.length, 1, both.notes.join('\n'));
    // `step`, `burst`, and the module's own (anonymous) code when a sample fell there.
    const m = /^(\d+) allocation sites? with a file but no line \(\d+(\.\d)? % of the sampled bytes\)[,:] .*V8 forgets/.exec(notes[0]);
    assert.ok(m && Number(m[1]) >= 2, notes[0]);
    assert.match(notes[0], /sampled exactly one function of that name/);
  });

  it('two functions of one name as siblings in the heap profile: the file only, even when the CPU profile sampled one of them', () => {
    const burst = both.allocations.find((a) => a.name === 'burst');
    assert.ok(burst, JSON.stringify(both.allocations));
    assert.deepEqual([burst.file, burst.line], ['heapLost.js', 0]);
    // Whether the quick `burst` got a CPU sample varies from run to run: take it out of the real
    // CPU frames, so that the CPU profile alone would give the spinning one's line to both.
    const raw = rawCpu(bothDir());
    const first = lineOf('burst(ms) {') - 1;
    const frames = raw.frames.filter((f) => f.functionName !== 'burst' || f.lineNumber === first);
    const make = raw.frames.find((f) => f.functionName === 'makeRecords')!;
    const scripts = new ScriptLocations(frames);
    assert.equal(scripts.locate(make.scriptId, 'burst')?.lineNumber, first);
    const b = new ModelBuilder(tmp);
    const heap = JSON.parse(fs.readFileSync(fileIn(bothDir(), '.heapprofile'), 'utf8')) as { head: Parameters<typeof addHeapProfile>[1]; samples: unknown };
    addHeapProfile(b, heap.head, b.addProcess({ pid: 1, threadId: 0, commandLine: 'heapLost.js' }), heap.samples, scripts);
    const model = b.build();
    const bursts = model.frames.filter((f) => f.name === 'burst');
    assert.deepEqual(bursts.map((f) => [f.file, f.line]), [['heapLost.js', 0]]);
    assert.deepEqual(model.frames.filter((f) => f.name === 'makeRecords').map((f) => f.line), [lineOf('function makeRecords(')]);
  });

  it('ScriptLocations on the real CPU profile: url and line, url only for an ambiguous or anonymous name, nothing for an unknown script', () => {
    const raw = rawCpu(bothDir());
    const at = new ScriptLocations(raw.frames);
    const make = raw.frames.find((f) => f.functionName === 'makeRecords')!;
    assert.ok(make.scriptId > 0);
    const url = make.url;
    assert.ok(url.endsWith('/heapLost.js'), url);
    assert.deepEqual(at.locate(make.scriptId, 'makeRecords'), { url, lineNumber: lineOf('function makeRecords(') - 1, columnNumber: make.columnNumber });
    assert.deepEqual(at.locate(make.scriptId, 'step'), { url, lineNumber: -1, columnNumber: -1 });
    assert.deepEqual(at.locate(make.scriptId, ''), { url, lineNumber: -1, columnNumber: -1 });
    assert.deepEqual(at.locate(make.scriptId, 'neverSampled'), { url, lineNumber: -1, columnNumber: -1 });
    const unknown = Math.max(...raw.frames.map((f) => f.scriptId)) + 1;
    assert.equal(at.locate(unknown, 'makeRecords'), undefined);
    // A name is matched within its own script only.
    const other = raw.frames.find((f) => f.scriptId > 0 && f.url && f.scriptId !== make.scriptId)!;
    assert.deepEqual(at.locate(other.scriptId, 'makeRecords'), { url: other.url, lineNumber: -1, columnNumber: -1 });
  });

  it('heap only: nothing to recover from, so no location is guessed; one note says why and what recovers it', () => {
    for (const name of ['makeRecords', 'step', 'burst']) {
      const a = heapOnly.allocations.find((x) => x.name === name);
      assert.ok(a, `${name}: ${JSON.stringify(heapOnly.allocations)}`);
      assert.deepEqual([a.file, a.line], ['', 0]);
    }
    const notes = heapOnly.notes.filter((n) => /allocation sites? /.test(n));
    assert.equal(notes.length, 1, heapOnly.notes.join('\n'));
    // makeRecords, the two `step` (one frame: same name, no file, no line), the two `burst`, the module's own code when a sample fell there.
    const m = /^(\d+) allocation sites without a file or line \(\d+(\.\d)? % of the sampled bytes\): V8 forgets .* Capture CPU with the heap \(--cpu --heap/.exec(notes[0]);
    assert.ok(m && Number(m[1]) >= 3, notes[0]);
  });

  it('the flame panel\'s allocation graph: the frame has the file\'s path and line (what a click opens)', async () => {
    const model = await loadRun(readRunFolder(bothDir()).result, { root: tmp });
    const alloc = toFlameGraphs(model).find((g) => g.kind === 'alloc')!;
    const make = alloc.frames.filter((f) => f.name === 'makeRecords');
    assert.equal(make.length, 1, JSON.stringify(make));
    assert.deepEqual([make[0].path, make[0].line], [path.join(tmp, 'heapLost.js'), lineOf('function makeRecords(')]);
    // The same frame as in the CPU graph: one function, whatever the kind of profile.
    const cpu = toFlameGraphs(model).find((g) => g.kind === 'cpu')!;
    assert.deepEqual(cpu.frames.filter((f) => f.name === 'makeRecords').map((f) => [f.path, f.line]), [[make[0].path, make[0].line]]);
  });

  it('in a worker thread: placed from that thread\'s own CPU profile (its isolate\'s script ids)', () => {
    const dir = path.join(tmp, 'worker');
    const run = profile(tmp, dir, ['--cpu', '--heap'], ['worker']);
    const worker = fs.readdirSync(dir).find((f) => /^\d+-[1-9]\d*\.heapprofile$/.test(f));
    assert.ok(worker, fs.readdirSync(dir).join(' '));
    const lost = heapFrames(dir, 'makeRecords', path.join(dir, worker));
    assert.ok(lost.length > 0 && lost.every((f) => f.url === '' && f.lineNumber === -1), JSON.stringify(lost));
    const make = run.allocations.find((a) => a.name === 'makeRecords');
    assert.ok(make, JSON.stringify(run.allocations));
    assert.deepEqual([make.file, make.line], ['heapLost.js', lineOf('function makeRecords(')]);
  });

  it('hotpath diff --kind heap of the run shows the file and line', () => {
    const r = spawnSync(process.execPath, [CLI, 'diff', bothDir(), bothDir(), '--kind', 'heap', '--json'], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const make = (JSON.parse(r.stdout) as { functions: { name: string; file: string; line: number }[] }).functions.find((f) => f.name === 'makeRecords');
    assert.ok(make);
    assert.deepEqual([make.file, make.line], ['heapLost.js', lineOf('function makeRecords(')]);
  });
});
