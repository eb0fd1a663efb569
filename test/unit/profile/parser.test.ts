// The byte-level .cpuprofile reader against JSON.parse on the same input: formatting, escapes,
// non-ASCII names, key order, `parent` instead of `children`, negative time deltas.
import * as assert from 'assert';
import * as path from 'path';
import { parseTopLevel, type RawCpuProfile } from '../../../src/core/profile/cpuParser';
import { FIXTURES, expectedRaw, recordCpu, type JsonProfile } from './helpers';
import * as fs from 'fs';

type Profile = JsonProfile;

function parse(text: string): RawCpuProfile {
  const top = parseTopLevel(Buffer.from(text), 'test.cpuprofile');
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

/** What the reader must produce, computed from JSON.parse; frames as one string each. */
function expected(p: Profile) {
  const want = expectedRaw(p);
  return { ...want, names: want.frames.map((f) => f.join('|')) };
}

function check(text: string): void {
  const raw = parse(text);
  const want = expected(JSON.parse(text) as Profile);
  const names = Array.from(raw.nodeFrame, (f) => { const c = raw.frames[f]; return `${c.functionName}|${c.url}|${c.lineNumber}|${c.columnNumber}`; });
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
