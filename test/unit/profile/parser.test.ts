// The byte-level .cpuprofile reader against JSON.parse on the same input: formatting, escapes,
// non-ASCII names, key order, `parent` instead of `children`, negative time deltas.
import * as assert from 'assert';
import * as path from 'path';
import { nodeReads, parseTopLevel, parseTopLevelStream, scriptIdOf, type RawCpuProfile } from '../../../src/core/profile/cpuParser';
import { ProfileError } from '../../../src/core/profile/errors';
import { FIXTURES, expectedRaw, recordCpu, type JsonProfile } from './helpers';
import * as fs from 'fs';

type Profile = JsonProfile;

function parse(text: string): RawCpuProfile {
  const top = parseTopLevel(Buffer.from(text), 'test.cpuprofile');
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

/** What the reader must produce, computed from JSON.parse; frames as one string each, with their script id. */
function expected(p: Profile) {
  const want = expectedRaw(p);
  return { ...want, names: want.frames.map((f, i) => [...f, scriptIdOf((p.nodes[i].callFrame as { scriptId?: unknown }).scriptId)].join('|')) };
}

/** The same through a sliding window of `window` bytes (values cut at its end, read again after it slides). */
function parseStreamed(text: string, window: number): RawCpuProfile {
  const buf = Buffer.from(text);
  let at = 0;
  const top = parseTopLevelStream({ size: buf.length, read: (into, offset, length) => { const n = buf.copy(into, offset, at, Math.min(buf.length, at + length)); at += n; return n; } }, 'test.cpuprofile', window);
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

function check(text: string, read: (text: string) => RawCpuProfile = parse): void {
  const raw = read(text);
  const want = expected(JSON.parse(text) as Profile);
  const names = Array.from(raw.nodeFrame, (f) => { const c = raw.frames[f]; return `${c.functionName}|${c.url}|${c.lineNumber}|${c.columnNumber}|${c.scriptId}`; });
  assert.deepStrictEqual(names, want.names);
  assert.deepStrictEqual(Array.from(raw.nodeParent), want.parent);
  assert.deepStrictEqual(Array.from(raw.samples), want.samples);
  assert.deepStrictEqual(Array.from(raw.timeDeltas), want.deltas);
  assert.deepStrictEqual(Array.from(raw.tickNode, (n, k) => [n, raw.tickLine[k], raw.tickCount[k]]), want.ticks);
}

describe('byte-level .cpuprofile reader', () => {
  let real: string;
  before(function () {
    this.timeout(60_000);
    real = fs.readFileSync(recordCpu(path.join(FIXTURES, 'src', 'twoHot.js'), ['150'])[0], 'utf8');
  });

  it('reads a real profile exactly like JSON.parse', () => check(real));

  it('reads V8\'s compact nodes on the fast path, and every other node shape through the general reader, the same as JSON.parse', () => {
    const before = { ...nodeReads };
    check(real);
    const nodes = (JSON.parse(real) as Profile).nodes.length;
    assert.strictEqual(nodeReads.fast - before.fast, nodes, 'every node of a real profile on the fast path');
    assert.strictEqual(nodeReads.general - before.general, 0);
    // Each node below leaves the fast path somewhere (or not at all), compact as V8 writes.
    const p = JSON.parse(real) as Profile;
    const base = p.nodes.slice(0, 6);
    const cf = base[1].callFrame;
    const odd = [
      { ...base[1], callFrame: { ...cf, codeType: 'JS' }, deoptReason: 'x' }, // unknown string keys: skipped on the fast path
      { ...base[1], callFrame: { ...cf, lineNumber: 2.5 } }, // a float
      { ...base[1], callFrame: { ...cf, functionName: 'a"b\\c' } }, // escapes
      { ...base[1], callFrame: { ...cf, functionName: 'größe' } }, // non-ASCII
      { ...base[1], callFrame: { ...cf, url: 'file:///tmp/x.js' }, positionTicks: [{ line: 3, ticks: 2, extra: 1 }, { ticks: 1, line: 4 }] }, // an unknown tick key; keys in another order
      { ...base[1], children: [], extra: { nested: [1, '}'] } }, // an object value
      { callFrame: cf, id: base[1].id, hitCount: 3 }, // other key order
      { ...base[1], callFrame: { ...cf, scriptId: '0' } }, // script ids: V8's digits in quotes on the fast path
      { ...base[1], callFrame: { ...cf, scriptId: '123456789' } },
      { ...base[1], callFrame: { ...cf, scriptId: 42 } }, // a number, '-1', '', '1e3', 10 digits: the general reader (-1 but for the number)
      { ...base[1], callFrame: { ...cf, scriptId: '-1' } },
      { ...base[1], callFrame: { ...cf, scriptId: '' } },
      { ...base[1], callFrame: { ...cf, scriptId: '1e3' } },
      { ...base[1], callFrame: { ...cf, scriptId: '1234567890' } },
      { ...base[1], id: 123456789012345 }, // an id beyond 32 bits: the general reader's error, below
    ];
    const ids = new Set(p.nodes.map((n) => n.id));
    let next = Math.max(...ids) + 1;
    const extra = odd.slice(0, -1).map((n) => ({ ...n, id: next++, children: [] as number[] }));
    const root = { ...p.nodes[0], children: [...(p.nodes[0].children ?? []), ...extra.map((n) => n.id)] };
    const mixed = JSON.stringify({ ...p, nodes: [root, ...p.nodes.slice(1), ...extra] });
    const mid = { ...nodeReads };
    check(mixed);
    // On the general reader: the float, the escapes, the non-ASCII name, the unknown tick key, the object value, five script ids.
    assert.deepStrictEqual([nodeReads.fast - mid.fast, nodeReads.general - mid.general], [p.nodes.length + 4, 10]);
    // Through small windows: nodes cut at the end of the window are read again after it slides.
    for (const window of [64, 257, 4096]) check(mixed, (t) => parseStreamed(t, window));
    // Errors are the general reader's.
    const big = JSON.stringify({ ...p, nodes: [...p.nodes, { ...odd[odd.length - 1], children: [] }] });
    assert.throws(() => parse(big), (err: Error) => err instanceof ProfileError && /the node id 123456789012345 does not fit in 32 bits/.test(err.message));
    const noId = real.replace(/\{"id":\d+,"callFrame"/, '{"callFrame"');
    assert.throws(() => parse(noId), (err: Error) => err instanceof ProfileError && /a profile node without an id or callFrame/.test(err.message));
  });
  it('reads the same profile pretty-printed', () => check(JSON.stringify(JSON.parse(real), null, 2)));
  it('reads keys in another order', () => {
    const p = JSON.parse(real) as Profile;
    check(JSON.stringify({ timeDeltas: p.timeDeltas, samples: p.samples, endTime: p.endTime, extra: { nested: [1, { a: '}' }] }, nodes: p.nodes, startTime: p.startTime }));
  });

  it('handles escapes, non-ASCII names, `parent` links, floats and negative deltas', () => {
    const cf = (functionName: string, url = '') => ({ functionName, scriptId: '1', url, lineNumber: 2, columnNumber: 4 });
    const text = JSON.stringify({
      nodes: [
        { id: 10, callFrame: { ...cf('(root)'), lineNumber: -1, columnNumber: -1 } },
        { id: 11, parent: 10, callFrame: cf('quote"back\\slash\ttab', 'file:///tmp/a b/x.js'), positionTicks: [{ line: 3, ticks: 2 }] },
        { id: 12, parent: 11, callFrame: cf('größe→ü', 'file:///tmp/%C3%BC/y.js') },
        { id: 13, parent: 10, callFrame: cf('\u00e9t\u00e9', 'file:///tmp/z.js') },
      ],
      startTime: 1500, endTime: 2000.25, samples: [11, 12, 12, 13], timeDeltas: [5, -3, 7, 100],
    }).replace('"startTime":1500', '"startTime":1.5e3').replace('[5,-3,7,100]', '[5, -3 ,7.0,1E2]');
    assert.ok(text.includes('1.5e3') && text.includes('1E2'));
    check(text);
    assert.strictEqual(parse(text).startTime, 1500);
  });
});
