// The fast ingest paths of big .cpuprofile files, checked against plain JSON.parse computations on
// real profiles: the sliding-window reader at window sizes that put a boundary inside every kind
// of token, string interning (same-as-last check per field, escapes, non-ASCII), node ids that are
// consecutive or not, and the sample times (runs of samples, buckets of raw nodes) in the model.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseTopLevel, parseTopLevelStream, type RawCpuProfile } from '../../../src/core/profile/cpuParser';
import { withProfileSource } from '../../../src/core/profile/readFile';
import { openProfileFile, ProfileError } from '../../../src/core/profile';
import { FIXTURES, expectedRaw, recordCpu, tempDir, type JsonCallFrame, type JsonNode, type JsonProfile } from './helpers';

type Node = JsonNode;
type CallFrame = JsonCallFrame;
type Profile = JsonProfile;

const SRC = path.join(FIXTURES, 'src');

const expected = expectedRaw;

function actual(raw: RawCpuProfile) {
  return {
    frames: Array.from(raw.nodeFrame, (f) => { const c = raw.frames[f]; return [c.functionName, c.url, c.lineNumber, c.columnNumber]; }),
    parent: Array.from(raw.nodeParent),
    samples: Array.from(raw.samples),
    deltas: Array.from(raw.timeDeltas),
    ticks: Array.from(raw.tickNode, (n, k) => [n, raw.tickLine[k], raw.tickCount[k]]),
    times: [raw.startTime, raw.endTime],
  };
}

/** A ByteSource over bytes in memory that hands out at most `step` bytes per read (like a slow pipe). */
function source(bytes: Buffer, step = Infinity) {
  let at = 0;
  return {
    size: bytes.length,
    read(into: Buffer, offset: number, length: number): number {
      const n = Math.min(length, step, bytes.length - at);
      bytes.copy(into, offset, at, at + n);
      at += n;
      return n;
    },
  };
}

function streamed(text: string | Buffer, windowBytes: number, step?: number): RawCpuProfile {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const top = parseTopLevelStream(source(bytes, step), 'test.cpuprofile', windowBytes);
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

function inMemory(text: string): RawCpuProfile {
  const top = parseTopLevel(Buffer.from(text), 'test.cpuprofile');
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

/** Reads `text` in memory and through windows of many sizes; all must equal JSON.parse's answer. */
function checkEverywhere(text: string, windows: number[]): void {
  const want = expected(JSON.parse(text) as Profile);
  assert.deepStrictEqual(actual(inMemory(text)), want, 'in memory');
  for (const w of windows) assert.deepStrictEqual(actual(streamed(text, w, w % 7 === 0 ? 5 : undefined)), want, `window of ${w} bytes`);
}

describe('profile ingest: streamed reader, interning, ids, sample times', function () {
  this.timeout(120_000);
  let realFile: string;
  let real: string;
  before(() => {
    realFile = recordCpu(path.join(SRC, 'twoHot.js'), ['150'])[0];
    real = fs.readFileSync(realFile, 'utf8');
  });

  it('reads a real profile through a sliding window exactly like JSON.parse, whatever the window size', () => {
    // Odd small windows put a boundary inside keys, strings, numbers and separators somewhere.
    checkEverywhere(real, [16, 17, 31, 64, 65, 100, 257, 1000, 4093, 65536, 1 << 23]);
    checkEverywhere(JSON.stringify(JSON.parse(real), null, 2), [16, 33, 77, 4096]);
  });

  it('interns strings per field: equal bytes in another field, prefixes, escapes and non-ASCII stay distinct', () => {
    const cf = (functionName: string, url: string, lineNumber = 3, columnNumber = 7): CallFrame => ({ functionName, scriptId: '1', url, lineNumber, columnNumber });
    const names = [
      cf('(root)', '', -1, -1),
      cf('file:///a/b.js', 'file:///a/b.js'), // a name equal to the URL before it
      cf('f', 'file:///a/b.js'),
      cf('f', 'file:///a/b.jsx'), // the last URL plus one byte
      cf('f', 'file:///a/b.j'), // the last URL minus two
      cf('ff', 'file:///a/b.js'),
      cf('q"uote\\slash', 'file:///a/b.js'),
      cf('q"uote\\slash', 'file:///a/b.js'),
      cf('größe', 'file:///tmp/%C3%BC/ü.js'),
      cf('größe', 'file:///tmp/%C3%BC/ü.js', 4),
      cf('\u00e9t\u00e9', 'file:///a/b.js', 0, -1), // negative column: absent
      cf('', 'node:internal/x', 12, 0),
      cf('', 'node:internal/x', 12, 0),
    ];
    const nodes: Node[] = names.map((callFrame, i) => ({ id: i + 1, callFrame, children: i === 0 ? names.slice(1).map((_, j) => j + 2) : [] }));
    nodes[3].positionTicks = [{ line: 5, ticks: 2 }, { line: 6, ticks: 1 }]; // other nodes have none
    const samples = [2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
    const text = JSON.stringify({ nodes, startTime: 100, endTime: 400, samples, timeDeltas: samples.map((_, i) => 10 + i) });
    checkEverywhere(text, [16, 19, 40, 97, 1024]);
    const raw = inMemory(text);
    // Same bytes in the same field: one frame; otherwise distinct.
    assert.strictEqual(raw.nodeFrame[6], raw.nodeFrame[7]);
    assert.strictEqual(raw.nodeFrame[11], raw.nodeFrame[12]);
    assert.strictEqual(new Set(raw.nodeFrame).size, names.length - 2);
  });

  it('reads numbers with exponents, fractions and signs where integers are expected, and huge or scattered ids', () => {
    const p = JSON.parse(real) as Profile;
    const renumber = (f: (id: number) => number): Profile => ({ ...p, nodes: p.nodes.map((n) => ({ ...n, id: f(n.id), children: n.children?.map(f) })), samples: p.samples.map(f) });
    // Ids far apart (no lookup table), in descending order: resolved through a Map.
    checkEverywhere(JSON.stringify(renumber((id) => 2_000_000_000 - id * 1_000_003)), [16, 211]);
    // Negative ids, consecutive or not.
    checkEverywhere(JSON.stringify(renumber((id) => id - 100_000)), [16]);
    checkEverywhere(JSON.stringify(renumber((id) => -7 * id)), [16]);
    // Ids that do not fit 32 bits: a clear error, never a silent wrap-around onto another node.
    for (const [what, f] of [['node', (id: number) => id + 2 ** 32], ['sample', (id: number) => id]] as const) {
      const q = renumber(f);
      if (what === 'sample') q.samples[3] = 2 ** 32 + q.samples[3];
      const text = JSON.stringify(q);
      for (const read of [() => inMemory(text), () => streamed(text, 64)]) {
        // A sample id is either range-checked (ids read into an array) or looked up by id (a
        // Map, when the recorded profile's ids are not consecutive): both name the full id.
        const message = what === 'sample' ? /does not fit in 32 bits|refers to node id \d+, which is not in the profile/ : /does not fit in 32 bits/;
        assert.throws(read, (err: unknown) => err instanceof ProfileError && message.test(err.message) && err.message.includes(String(what === 'sample' ? q.samples[3] : q.nodes[0].id)), what);
      }
    }
    // Consecutive ids from 1000 (a subtraction), written as 1.0e3-style numbers here and there.
    const shifted: Profile = { ...p, nodes: p.nodes.map((n) => ({ ...n, id: n.id + 999, children: n.children?.map((c) => c + 999) })), samples: p.samples.map((s) => s + 999) };
    let text = JSON.stringify(shifted);
    text = text.replace('"id":1000,', '"id":1.0e3,').replace(/"samples":\[(\d+),/, (_, s) => `"samples":[${Number(s) / 10}E1,`);
    assert.ok(text.includes('1.0e3') && /"samples":\[[\d.]+E1,/.test(text));
    checkEverywhere(text, [16, 64, 333]);
  });

  it('says which sample points at a missing node, with consecutive ids too', () => {
    const cf = { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 };
    const text = JSON.stringify({ nodes: [{ id: 5, callFrame: cf, children: [6] }, { id: 6, callFrame: { ...cf, functionName: 'f' } }], samples: [6, 5, 7], timeDeltas: [1, 2, 3], startTime: 0, endTime: 10 });
    assert.throws(() => inMemory(text), (err: unknown) => err instanceof ProfileError && /sample 2 refers to node id 7/.test(err.message));
    assert.throws(() => streamed(text, 16), (err: unknown) => err instanceof ProfileError && /sample 2 refers to node id 7/.test(err.message));
  });

  it('gives truncation and syntax errors at the same byte offsets as the in-memory reader', () => {
    const bytes = Buffer.from(real);
    for (const cut of [bytes.length >> 1, bytes.length - 1, 40]) {
      const part = bytes.subarray(0, cut);
      assert.throws(() => streamed(part, 64), /the file ends in the middle of the JSON \(truncated\?\)/);
    }
    const broken = Buffer.from(real.replace('"callFrame":{', '"callFrame":{{'));
    let inMem = '';
    try { parseTopLevel(broken, 'test.cpuprofile'); } catch (err) { inMem = (err as Error).message; }
    assert.match(inMem, /at byte \d+ of/);
    assert.throws(() => streamed(broken, 50), (err: unknown) => (err as Error).message === inMem);
  });

  it('streams the file from disk (withProfileSource) and lists the keys of other JSON', () => {
    const fromDisk = withProfileSource(realFile, (s) => parseTopLevelStream(s, realFile, 4096));
    assert.strictEqual(fromDisk.format, 'cpuprofile');
    assert.deepStrictEqual(actual((fromDisk as { profile: RawCpuProfile }).profile), expected(JSON.parse(real) as Profile));
    const other = path.join(tempDir('ingest'), 'other.json');
    fs.writeFileSync(other, JSON.stringify({ head: { children: [{ a: '}]"' }], x: 'y'.repeat(5000) }, samples: [{ size: 1 }], tail: [1, 2] }));
    const top = withProfileSource(other, (s) => parseTopLevelStream(s, other, 64));
    assert.deepStrictEqual(top, { format: 'other', keys: ['head', 'samples', 'tail'], isArray: false });
  });

  it('keeps exact self times, sample counts and the timeline over runs of samples and many raw nodes', async () => {
    // The real profile, made big enough for several buckets of raw nodes (16k each) and long runs
    // on one node (more than a run's 255 samples): copies of its call tree under the root.
    const p = JSON.parse(real) as Profile;
    const copies = Math.ceil(40_000 / p.nodes.length);
    const n = p.nodes.length;
    const nodes: Node[] = [];
    const rootId = p.nodes[0].id;
    const rootChildren: number[] = [];
    for (let k = 0; k < copies; k++) {
      const shift = (id: number) => (id === rootId ? rootId : id + k * n);
      for (const node of p.nodes) {
        if (node.id === rootId) { if (k === 0) nodes.push(node); rootChildren.push(...(node.children ?? []).map(shift)); continue; }
        nodes.push({ ...node, id: shift(node.id), children: node.children?.map(shift) });
      }
    }
    nodes[0] = { ...nodes[0], children: rootChildren };
    const samples: number[] = [], timeDeltas: number[] = [];
    for (let k = 0; k < copies; k++) {
      for (let i = 0; i < p.samples.length; i++) {
        const s = p.samples[i] === rootId ? rootId : p.samples[i] + k * n;
        const repeat = i % 97 === 0 ? 300 : 1; // a long run now and then
        for (let r = 0; r < repeat; r++) { samples.push(s); timeDeltas.push(p.timeDeltas[i] + r); }
      }
    }
    const lastSample = p.startTime + timeDeltas.reduce((a, d) => a + Math.max(0, d), 0);
    const big: Profile = { ...p, nodes, samples, timeDeltas, endTime: lastSample + 100 };
    const file = path.join(tempDir('ingest'), 'big.cpuprofile');
    fs.writeFileSync(file, JSON.stringify(big));
    assert.ok(nodes.length > 2 * 16384, `${nodes.length} raw nodes`);

    const model = await openProfileFile(file, { root: SRC });
    const cpu = model.cpu!;
    // The reference: sample i lasts until sample i + 1; the last one to endTime, capped at the mean gap.
    const index = new Map(nodes.map((nd, i) => [nd.id, i]));
    const us = samples.map((_, i) => (i + 1 < timeDeltas.length ? Math.max(0, timeDeltas[i + 1]) : 0));
    us[us.length - 1] = Math.round(Math.min(100, (lastSample - big.startTime) / (samples.length - 1)));
    const total = us.reduce((a, b) => a + b, 0);
    assert.strictEqual(cpu.totalUs, total);
    assert.strictEqual(cpu.sampleCount, samples.length);
    // Self µs and samples per place (URL and line) from the model equal the sums over samples.
    const placeOf = (cf: CallFrame) => `${cf.url}:${cf.lineNumber + 1 > 0 ? cf.lineNumber + 1 : 0}`;
    const want = new Map<string, { us: number; samples: number }>();
    samples.forEach((s, i) => {
      const key = placeOf(nodes[index.get(s)!].callFrame);
      const w = want.get(key) ?? { us: 0, samples: 0 };
      w.us += us[i];
      w.samples++;
      want.set(key, w);
    });
    const got = new Map<string, { us: number; samples: number }>();
    for (let i = 0; i < cpu.tree.count; i++) {
      if (cpu.tree.samples[i] === 0) continue;
      const f = model.frames[cpu.tree.frame[i]];
      const key = `${f.url}:${f.line}`;
      const g = got.get(key) ?? { us: 0, samples: 0 };
      g.us += cpu.tree.self[i];
      g.samples += cpu.tree.samples[i];
      got.set(key, g);
    }
    assert.deepStrictEqual(got, want);
    // The timeline covers every µs in order, and no two neighbouring runs are on the same node.
    const { node, duration } = cpu.timeline;
    assert.strictEqual(Array.from(duration).reduce((a, b) => a + b, 0), total);
    for (let r = 1; r < node.length; r++) assert.notStrictEqual(node[r], node[r - 1], `timeline run ${r}`);
    // Each run is made of whole samples, on its node's place.
    let i = 0;
    for (let r = 0; r < node.length; r++) {
      let left = duration[r];
      const f = model.frames[cpu.tree.frame[node[r]]];
      while (left > 0 && i < samples.length) {
        if (us[i] > 0) assert.strictEqual(`${f.url}:${f.line}`, placeOf(nodes[index.get(samples[i])!].callFrame), `run ${r}, sample ${i}`);
        left -= us[i++];
      }
      assert.strictEqual(left, 0, `run ${r} ends on a sample boundary`);
    }
  });
});
